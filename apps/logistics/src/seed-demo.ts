/**
 * Loads the 开平 demo depots, drivers and fleet into a running logistics service through its HTTP
 * API (as the operator). Idempotent: what exists already is left alone.
 *
 *   LOGISTICS_URL=http://127.0.0.1:3003 JWT_SECRET=… npx tsx apps/logistics/src/seed-demo.ts
 */
import { DEMO_USERS, signToken } from '@techan/common';
import { loadKaipingFleet } from './app/demo/kaiping-fleet';

async function main(): Promise<void> {
  const base = process.env['LOGISTICS_URL'] ?? 'http://127.0.0.1:3003';
  const secret = process.env['JWT_SECRET'];
  if (!secret) throw new Error('JWT_SECRET is required (the service signs and checks tokens with it)');
  const token = signToken(secret, DEMO_USERS['operator']);
  const result = await loadKaipingFleet(async (path, body) => {
    const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    return res.status;
  });
  console.log(`开平 demo fleet: ${result.created} created, ${result.existing} already there`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
