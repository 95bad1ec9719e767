import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
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
 * Maps the catalogue's domain errors to 4xx with the offending field. Bound to the catalogue's
 * controllers (@UseFilters), so everything else still reaches the shared HttpErrorFilter.
 * Responses are JSON: { statusCode, error, message, field? }.
 */
@Catch(InvalidInputError, NotFoundError, ForbiddenError, ConflictError, ReviewConflictError)
export class CatalogErrorFilter implements ExceptionFilter {
  catch(exception: Error, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.map(exception);
    res.status(status).json({ statusCode: status, ...body });
  }

  private map(e: Error): [number, Record<string, unknown>] {
    if (e instanceof InvalidInputError) return [HttpStatus.BAD_REQUEST, { error: 'invalid_input', field: e.field, message: e.message }];
    if (e instanceof NotFoundError) return [HttpStatus.NOT_FOUND, { error: 'not_found', message: e.message }];
    if (e instanceof ForbiddenError) return [HttpStatus.FORBIDDEN, { error: 'forbidden', message: e.message }];
    return [HttpStatus.CONFLICT, { error: 'conflict', message: e.message }];
  }
}

export function isDuplicateKey(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 11000;
}
