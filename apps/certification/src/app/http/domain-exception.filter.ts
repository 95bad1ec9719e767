import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ZodError } from 'zod';
import { DomainRejectedError } from '../../domain';
import { ConcurrentModificationError } from '../persistence/versioned-store';

/** Rejections that mean "not yours / not your role" rather than "not now". */
const FORBIDDEN = new Set(['forbidden_role', 'not_owner', 'not_assigned_inspector']);
/** Rejections that mean "the record is not in a state that allows this". */
const CONFLICT = new Set(['illegal_transition', 'certificate_final', 'already_red', 'red_warning_pending', 'not_due', 'application_not_approved']);

export function statusForRejection(code: string): number {
  if (FORBIDDEN.has(code)) return HttpStatus.FORBIDDEN;
  if (CONFLICT.has(code)) return HttpStatus.CONFLICT;
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

/**
 * Maps domain rejections, validation errors and lost compare-and-set races to clear 4xx replies,
 * so a rule saying no is never a 500.
 */
@Catch(DomainRejectedError, ZodError, ConcurrentModificationError)
export class DomainExceptionFilter implements ExceptionFilter {
  catch(error: DomainRejectedError | ZodError | ConcurrentModificationError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const response = host.switchToHttp().getResponse<Response>();
    if (error instanceof DomainRejectedError) {
      const status = statusForRejection(error.code);
      response.status(status).json({ statusCode: status, error: error.code, message: error.message });
      return;
    }
    if (error instanceof ZodError) {
      const message = error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
      response.status(HttpStatus.BAD_REQUEST).json({ statusCode: 400, error: 'invalid_input', message, issues: error.issues });
      return;
    }
    response.status(HttpStatus.CONFLICT).json({ statusCode: 409, error: 'concurrent_modification', message: error.message });
  }
}
