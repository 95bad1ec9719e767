import { readFileSync } from 'node:fs';
import { startKafkaStandin, type BrokerOptions } from './lib/broker';

/**
 * Runs the stand-in as a process:
 *   npx tsx libs/kafka-standin/src/cli.ts --port 9092 --data .local/kafka [--security security.json]
 * `security.json`: { "users": { "catalog": "…" }, "superUsers": ["admin"], "writeAcls": [{ "principal": "catalog", "topicPrefix": "techan.catalog." }] }
 * Prints `kafka-standin listening <host:port>` when ready; SIGINT/SIGTERM stop it.
 */
function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    out[key] = inline ?? argv[++i];
    if (out[key] === undefined) throw new Error(`missing value for --${key}`);
    if (!['port', 'host', 'data', 'security', 'partitions', 'initial-rebalance-delay-ms', 'quiet'].includes(key)) throw new Error(`unknown option --${key}`);
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const security = args['security'] ? (JSON.parse(readFileSync(args['security'], 'utf8')) as Pick<BrokerOptions, 'users' | 'superUsers' | 'writeAcls'>) : {};
  const quiet = args['quiet'] === 'true';
  const running = await startKafkaStandin({
    port: args['port'] ? Number(args['port']) : undefined,
    host: args['host'],
    dataDir: args['data'],
    defaultPartitions: args['partitions'] ? Number(args['partitions']) : undefined,
    initialRebalanceDelayMs: args['initial-rebalance-delay-ms'] ? Number(args['initial-rebalance-delay-ms']) : undefined,
    ...security,
    log: (level, message) => (!quiet || level === 'warn') && process.stderr.write(`${level}: ${message}\n`),
  });
  process.stdout.write(`kafka-standin listening ${running.bootstrap}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => {
        process.stderr.write(`kafka-standin stopped (${signal})\n`);
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`kafka-standin failed to stop cleanly: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`kafka-standin failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
