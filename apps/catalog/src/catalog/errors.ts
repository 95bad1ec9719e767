import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { InvalidInputError, ReviewConflictError } from '../domain';

export class NotFoundError extends Error {
  constructor(readonly what: string) {
    super(`${what}不存在`);
  }
}
export class ForbiddenError extends Error {}
export class ConflictError extends Error {}

/**
 * Maps domain errors to 4xx with the offending field, and anything unexpected to a logged 500 that
 * does not leak internals. Responses are JSON: { statusCode, error, message, field? }.
 */
@Catch()
export class CatalogErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('CatalogErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.map(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    res.status(status).json({ statusCode: status, ...body });
  }

  private map(e: unknown): [number, Record<string, unknown>] {
    if (e instanceof InvalidInputError) return [HttpStatus.BAD_REQUEST, { error: 'invalid_input', field: e.field, message: e.message }];
    if (e instanceof NotFoundError) return [HttpStatus.NOT_FOUND, { error: 'not_found', message: e.message }];
    if (e instanceof ForbiddenError) return [HttpStatus.FORBIDDEN, { error: 'forbidden', message: e.message }];
    if (e instanceof ReviewConflictError || e instanceof ConflictError) return [HttpStatus.CONFLICT, { error: 'conflict', message: e.message }];
    if (e instanceof HttpException) {
      const r = e.getResponse();
      return [e.getStatus(), typeof r === 'string' ? { error: 'http_error', message: r } : (r as Record<string, unknown>)];
    }
    if (isDuplicateKey(e)) return [HttpStatus.CONFLICT, { error: 'conflict', message: '记录已存在' }];
    return [HttpStatus.INTERNAL_SERVER_ERROR, { error: 'internal', message: '服务器内部错误' }];
  }
}

export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}
