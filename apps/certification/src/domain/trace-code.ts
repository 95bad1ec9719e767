import { randomBytes } from 'node:crypto';

/**
 * Trace codes: 128 random bits, Crockford base32 (no I, L, O, U, so a code read aloud or typed
 * from a label is unambiguous): 26 characters, unguessable.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACE_CODE_LENGTH = 26;
const TRACE_CODE = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function encodeBase32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1; // keep only the bits not yet emitted
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function generateTraceCode(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(16);
  if (bytes.length !== 16) throw new Error('trace codes need 16 random bytes');
  return encodeBase32(bytes);
}

/**
 * Accept a code as people type it: case-insensitive, with spaces or dashes, and the Crockford
 * look-alikes (O→0, I/L→1). Returns the canonical code, or null when it cannot be one.
 */
export function normaliseTraceCode(input: string): string | null {
  if (typeof input !== 'string') return null;
  const canonical = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (!TRACE_CODE.test(canonical)) return null;
  // 26 characters carry 130 bits; the last character's two low bits are padding and must be zero.
  if (ALPHABET.indexOf(canonical[25]) & 3) return null;
  return canonical;
}
