import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/**
 * Characters no name or text field may hold: C0 controls other than tab, line feed and carriage return
 * (NUL among them), DEL and the C1 controls, and the bidirectional overrides/isolates that make a
 * product name read differently from what it is (U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** The path of the first string (value or key) holding an unsafe character, or undefined. */
export function findUnsafeText(value: unknown, path: string[] = [], depth = 0): string | undefined {
  if (typeof value === 'string') return UNSAFE.test(value) ? path.join('.') || '(body)' : undefined;
  if (depth > 32 || value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    if (UNSAFE.test(key)) return [...path, key.replace(UNSAFE, '?')].join('.');
    const found = findUnsafeText(child, [...path, key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Global pipe (every service, via CoreModule): refuses control and bidi-override characters in any
 * body, query or path parameter with a 400 naming the field, before a handler or schema sees them.
 */
@Injectable()
export class SafeTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const field = findUnsafeText(value);
    if (field !== undefined) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: `${field}: 含有不允许的控制字符或文字方向控制符 (control or bidi-override character)`,
        issues: [{ field, message: 'control or bidi-override character' }],
      });
    }
    return value;
  }
}
