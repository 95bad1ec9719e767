import {
  ArgumentsHost,
  BadRequestException,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
  PipeTransform,
} from '@nestjs/common';
import type { Response } from 'express';
import { ZodError, type ZodType } from 'zod';
import { currentTrace } from '../logging/trace-context';

/** A broken business rule, with a stable code and the HTTP status it maps to. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = HttpStatus.CONFLICT,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function zodIssues(error: ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
}

/** Validates and parses a body, query or param with a zod schema; 400 naming each bad field. */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  /** Public so the OpenAPI document can describe the request from the same schema. */
  constructor(readonly schema: ZodType<T>) {}
  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
        issues,
      });
    }
    return parsed.data;
  }
}

/** Request body limit of every service (Express's JSON parser default, stated here so it is documented). */
export const BODY_LIMIT = '100kb';
/** What a client is told to wait when MongoDB is unreachable (like /health's 503). */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * Errors of Express's body parser carry their own 4xx status (`expose`): 413 for a body over the limit,
 * 400 for malformed JSON, 415 for an unsupported charset. They reach the filter as plain errors.
 */
function bodyParserError(exception: unknown): { status: number; body: Record<string, unknown> } | undefined {
  const e = exception as { type?: unknown; status?: unknown; expose?: unknown; limit?: unknown; message?: unknown };
  if (typeof e?.type !== 'string' || typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || e.expose !== true) return undefined;
  if (e.type === 'entity.too.large') {
    const limit = typeof e.limit === 'number' ? `${Math.round(e.limit / 1024)} KB` : BODY_LIMIT;
    return { status: 413, body: { statusCode: 413, error: 'Payload Too Large', message: `请求体超过 ${limit} 的上限 (request body exceeds the ${limit} limit)` } };
  }
  return { status: e.status, body: { statusCode: e.status, error: 'Bad Request', message: typeof e.message === 'string' ? e.message : 'invalid request body' } };
}

const STORE_DOWN_ERRORS = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** MongoDB unreachable (not a bad query): the client should retry later, so 503, not 500. */
export function isStoreUnavailable(exception: unknown): boolean {
  for (let e = exception as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name && STORE_DOWN_ERRORS.has(e.name)) return true;
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message ?? '')) return true;
  }
  return false;
}

/**
 * Every HTTP error leaves as JSON `{statusCode, error, message}`; unexpected errors become a 500
 * with the trace id only (the stack goes to the log, never to the client). Event handlers' errors
 * are rethrown so the transport retries and dead-letters them.
 */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.map(exception);
    if (status === 503) this.logger.warn(`store unavailable: ${exception instanceof Error ? exception.message : String(exception)}`);
    else if (status >= 500) this.logger.error(exception instanceof Error ? exception : String(exception));
    if (response.headersSent) return;
    if (status === 503) response.setHeader('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
    response.status(status).json(body);
  }

  private map(exception: unknown): { status: number; body: Record<string, unknown> } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const body = typeof res === 'string' ? { statusCode: status, message: res } : (res as Record<string, unknown>);
      return { status, body: { statusCode: status, ...body } };
    }
    if (exception instanceof ZodError) {
      const issues = zodIssues(exception);
      return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), issues } };
    }
    if (exception instanceof DomainError) {
      return { status: exception.status, body: { statusCode: exception.status, error: exception.code, message: exception.message } };
    }
    const parser = bodyParserError(exception);
    if (parser) return parser;
    if (isStoreUnavailable(exception)) {
      return {
        status: 503,
        body: { statusCode: 503, error: 'Service Unavailable', message: '数据库暂时不可用，请稍后重试 (database temporarily unavailable)', retryAfterSeconds: STORE_RETRY_AFTER_SECONDS },
      };
    }
    const named = exception as { name?: string; code?: number; message?: string; keyValue?: unknown };
    if (named?.name === 'CastError' || named?.name === 'ValidationError') {
      return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: named.message } };
    }
    if (named?.code === 11000) {
      return { status: 409, body: { statusCode: 409, error: 'Conflict', message: 'already exists', key: named.keyValue } };
    }
    return {
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'internal error', traceId: currentTrace()?.traceId },
    };
  }
}
