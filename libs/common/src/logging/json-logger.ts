import type { LoggerService, LogLevel } from '@nestjs/common';
import { currentTrace } from './trace-context';

const ORDER: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/**
 * One JSON object per line on stdout, with the current trace id. Written by hand because it is
 * twenty lines and Nest's ConsoleLogger json mode cannot add the request's trace id.
 */
export class JsonLogger implements LoggerService {
  private readonly minIndex: number;

  constructor(
    private readonly service: string,
    level: LogLevel = 'log',
    private readonly write: (line: string) => void = (l) => process.stdout.write(l + '\n'),
  ) {
    this.minIndex = ORDER.indexOf(level);
  }

  private emit(level: LogLevel, message: unknown, params: unknown[]): void {
    if (ORDER.indexOf(level) < this.minIndex) return;
    const rest = [...params];
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      service: this.service,
      ...(context ? { context } : {}),
      ...(currentTrace()?.traceId ? { traceId: currentTrace()?.traceId } : {}),
    };
    if (message instanceof Error) {
      entry['msg'] = message.message;
      entry['stack'] = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(entry, message);
    } else {
      entry['msg'] = String(message);
    }
    if (level === 'error' && typeof rest[0] === 'string' && rest[0].includes('\n')) entry['stack'] = rest.shift();
    if (rest.length) entry['extra'] = rest;
    this.write(JSON.stringify(entry));
  }

  log(message: unknown, ...params: unknown[]) { this.emit('log', message, params); }
  error(message: unknown, ...params: unknown[]) { this.emit('error', message, params); }
  warn(message: unknown, ...params: unknown[]) { this.emit('warn', message, params); }
  debug(message: unknown, ...params: unknown[]) { this.emit('debug', message, params); }
  verbose(message: unknown, ...params: unknown[]) { this.emit('verbose', message, params); }
  fatal(message: unknown, ...params: unknown[]) { this.emit('fatal', message, params); }
}
