/**
 * Mints a JWT for a demo user (a login service comes later):
 *   npm run token -- merchant            # one of: shopper merchant buyer certifier inspector dispatcher operator
 * Signed with JWT_SECRET, or with the local stack's secret in .local/jwt-secret.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_USERS, signToken } from '@techan/common';

const role = process.argv[2];
const user = role ? DEMO_USERS[role] : undefined;
if (!user) {
  process.stderr.write(`usage: npm run token -- <${Object.keys(DEMO_USERS).join('|')}>\n`);
  process.exit(2);
}
const secretFile = join(resolve(__dirname, '../..'), '.local/jwt-secret');
const secret = process.env['JWT_SECRET'] ?? (existsSync(secretFile) ? readFileSync(secretFile, 'utf8').trim() : undefined);
if (!secret) {
  process.stderr.write('no JWT_SECRET set and no .local/jwt-secret yet: run `npm start` once, or set JWT_SECRET\n');
  process.exit(2);
}
process.stdout.write(signToken(secret, user) + '\n');
