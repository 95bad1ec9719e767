import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { TEST_KAFKA_BROKERS_ENV } from '../testing';

/**
 * What the conformance suite talks to: the run's stand-in (Jest global setup), or the real cluster
 * named by KAFKA_BROKERS (with KAFKA_SASL_MECHANISM / KAFKA_USERNAME / KAFKA_PASSWORD of a principal
 * that may create, write and delete topics). The tests are the same either way.
 */
export const brokers = (process.env['KAFKA_BROKERS'] || process.env[TEST_KAFKA_BROKERS_ENV] || '').split(',').filter(Boolean);
export const againstRealKafka = !!process.env['KAFKA_BROKERS'];

const mechanism = process.env['KAFKA_SASL_MECHANISM']?.toLowerCase();
export const sasl: SASLOptions | undefined =
  againstRealKafka && mechanism
    ? ({ mechanism, username: process.env['KAFKA_USERNAME'] ?? '', password: process.env['KAFKA_PASSWORD'] ?? '' } as SASLOptions)
    : undefined;

export function kafka(clientId = `conformance-${randomUUID().slice(0, 6)}`): Kafka {
  if (!brokers.length) throw new Error(`no broker: set KAFKA_BROKERS or run with the kafka-standin Jest global setup`);
  return new Kafka({ clientId, brokers, sasl, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 100 } });
}

export const uniqueTopic = (name: string) => `conf-${name}-${randomUUID().slice(0, 8)}`;

/** kcat (librdkafka) options for the same target. */
export function kcatBase(): string[] {
  const args = ['-b', brokers.join(',')];
  if (sasl) {
    args.push('-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism!.toUpperCase()}`);
    args.push('-X', `sasl.username=${process.env['KAFKA_USERNAME']}`, '-X', `sasl.password=${process.env['KAFKA_PASSWORD']}`);
  }
  return args;
}

/** Runs kcat with optional stdin; resolves with stdout (rejects on a non-zero exit, with stderr). */
export function kcat(args: string[], input?: string, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('kcat', [...kcatBase(), ...args], { timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kcat ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A kcat balanced consumer (-G) that runs until stopped; collects its output lines. */
export function kcatGroup(group: string, topic: string, format: string) {
  const child = spawn('kcat', [...kcatBase(), '-G', group, '-o', 'beginning', '-u', '-f', format, topic], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  return {
    lines,
    stderr: () => errors,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
