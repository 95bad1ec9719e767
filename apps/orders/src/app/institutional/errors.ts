import { HttpException } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A 4xx naming every offending field, shaped like ZodPipe's 400 (`issues`). */
export function rejectFields(status: 400 | 404 | 409 | 422, problems: FieldProblem[], error = 'Invalid'): never {
  throw new HttpException(
    { statusCode: status, error, message: problems.map((p) => `${p.field}: ${p.message}`).join('; '), issues: problems },
    status,
  );
}
