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
  constructor(private readonly schema: ZodType<T>) {}
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
    if (status >= 500) this.logger.error(exception instanceof Error ? exception : String(exception));
    if (!response.headersSent) response.status(status).json(body);
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
