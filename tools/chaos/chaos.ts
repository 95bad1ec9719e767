/**
 * `npm run chaos -- [--minutes N] [--seed S] [--shoppers K]`: runs the whole system on the local
 * stack (or the stores named by MONGO_URL / REDIS_URL / KAFKA_BROKERS), drives a seeded workload for N
 * minutes while a seeded schedule kills (-9) and restarts every part, pauses consumers and disturbs
 * Stripe's webhooks, then lets the system settle and audits the books from the stores and the bus.
 * Prints each invariant with its count and exits 1 if any fails. See tools/chaos/README.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertAllowed, namedHosts } from './guard';
import { faultSchedule, seeded, type Fault } from './prng';
import { deployedSystem, SERVICE_NAMES, startLocalSystem, type LocalSystem } from './system';
import { audit, AuditReader, type AuditInput } from './audit';
import { ALL_ITEMS, Workload } from './workload';

const VARIABLES = ['MONGO_URL', 'REDIS_URL', 'KAFKA_BROKERS', 'CATALOG_URL', 'ORDERS_URL', 'LOGISTICS_URL', 'CERTIFICATION_URL'];

export interface Args {
  minutes: number;
  seed: number;
  shoppers: number;
  /** Fault kinds or targets left out of the schedule (e.g. `stripe-outage`, `mongo`). */
  skip: string[];
}

/** `--skip` also takes workload actors: `dispatcher` (plans, telemetry, QA, deliveries), `buyer` (call-offs). */
const FAULT_NAMES = ['dispatcher', 'buyer', 'kill9', 'pause', 'webhooks', 'stripe-outage', ...SERVICE_NAMES, 'mongo', 'kafka', 'redis', 'stripe'];

export function parseArgs(argv: string[]): Args {
  const out: Args = { minutes: 2, seed: 1, shoppers: 4, skip: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--skip') {
      out.skip = value.split(',').map((v) => v.trim()).filter(Boolean);
      const unknown = out.skip.filter((v) => !FAULT_NAMES.includes(v));
      if (unknown.length) throw new Error(`--skip takes fault kinds or parts (${FAULT_NAMES.join(', ')}), not ${unknown.join(', ')}`);
      continue;
    }
    const n = Number(value);
    if (!['--minutes', '--seed', '--shoppers'].includes(flag)) throw new Error(`unknown option ${flag} (usage: --minutes N --seed S --shoppers K --skip FAULT,…)`);
    if (!Number.isFinite(n)) throw new Error(`${flag} needs a number`);
    if (flag === '--minutes' && !(n > 0 && n <= 24 * 60)) throw new Error('--minutes must be in (0, 1440]');
    if (flag === '--shoppers' && !(Number.isInteger(n) && n >= 1 && n <= 500)) throw new Error('--shoppers must be an integer 1–500');
    if (flag === '--seed' && !Number.isInteger(n)) throw new Error('--seed must be an integer');
    out[flag.slice(2) as 'minutes' | 'seed' | 'shoppers'] = n;
  }
  return out;
}

const say = (line: string) => process.stdout.write(`[chaos] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const countBy = (keys: string[]) => keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {});

let system: LocalSystem | undefined;
let dataDir: string | undefined;

async function healthy(url: string): Promise<boolean> {
  return fetch(`${url}/health`, { signal: AbortSignal.timeout(3_000) }).then(
    (r) => r.status === 200,
    () => false,
  );
}

async function allHealthy(sys: LocalSystem, deadline: number): Promise<boolean> {
  for (;;) {
    const states = await Promise.all(Object.values(sys.urls).map((url) => healthy(url)));
    if (states.every(Boolean)) return true;
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
}

interface FaultResult {
  fault: Fault;
  /** Kill (or release) to serving again: the part itself, then every service healthy. */
  servingMs?: number;
  note?: string;
}

async function inject(sys: LocalSystem, fault: Fault, lagOf: (group: string) => Promise<number>): Promise<FaultResult> {
  const t0 = Date.now();
  const part = sys.parts.get(fault.target);
  if (fault.kind === 'kill9') {
    if (!part) return { fault, note: 'not run here (named by a variable)' };
    await part.kill9();
    // A store comes back at once; a killed service is restarted after a short, seeded-free pause.
    await sleep(500);
    await part.start();
  } else if (fault.kind === 'pause') {
    const svc = sys.services.get(fault.target as never);
    if (!svc) return { fault, note: 'not run here' };
    svc.pause();
    await sleep(fault.holdMs);
    // How far behind the paused consumer fell (events waiting for its group when it resumes).
    const behind = await lagOf(fault.target).catch(() => undefined);
    svc.resume();
    const ok = await allHealthy(sys, Date.now() + 180_000);
    return { fault, servingMs: ok ? Date.now() - t0 : undefined, note: `${behind ?? '?'} events behind at resume${ok ? '' : '; not every service healthy within 180 s'}` };
  } else if (fault.kind === 'webhooks') {
    if (!sys.stripe) return { fault, note: 'Stripe is real here' };
    sys.stripe.webhooks.hold();
    await sleep(fault.holdMs);
    const released = sys.stripe.webhooks.release({ reverse: true, twice: true });
    return { fault, servingMs: 0, note: `${released} webhook deliveries held ${fault.holdMs} ms, then sent twice in reverse order` };
  } else if (fault.kind === 'stripe-outage') {
    if (!part) return { fault, note: 'Stripe is real here' };
    await part.kill9();
    await sleep(fault.holdMs);
    await part.start();
  }
  const ok = await allHealthy(sys, Date.now() + 180_000);
  return { fault, servingMs: ok ? Date.now() - t0 : undefined, note: ok ? undefined : 'not every service healthy within 180 s' };
}

function rssKb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmRSS:\s+(\d+)/.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const allowed = namedHosts(process.env, VARIABLES);
  for (const name of VARIABLES) if (process.env[name]) assertAllowed(process.env[name]!, allowed);
  const guardedFetch = (url: string, init?: RequestInit) => {
    assertAllowed(url, allowed);
    return fetch(url, init);
  };
  const runMs = args.minutes * 60_000;
  say(`seed ${args.seed}, ${args.shoppers} shoppers, ${args.minutes} min of load (then settle and audit)`);
  const deployed = VARIABLES.slice(3).some((v) => process.env[v]);
  let sys: LocalSystem;
  if (deployed) {
    sys = deployedSystem(process.env);
    say(`driving the deployment at ${Object.values(sys.urls).join(', ')}: no part is run or killed here`);
  } else {
    dataDir = mkdtempSync(join(tmpdir(), `techan-chaos-${args.seed}-`));
    sys = await startLocalSystem(dataDir, say);
    say(`parts: ${[...sys.parts.keys()].join(', ')} (data and logs: ${dataDir})`);
  }
  system = sys;
  if (!(await allHealthy(sys, Date.now() + 300_000))) throw new Error('the services did not become healthy within 300 s');

  const urls = { catalog: sys.urls.catalog, orders: sys.urls.orders, certification: sys.urls.certification, logistics: args.skip.includes('dispatcher') ? undefined : sys.urls.logistics };
  const workload = new Workload(urls, sys.env.jwtSecret, guardedFetch, args.seed);
  await workload.waitSellable(Date.now() + 300_000);
  await workload.loadFleet(Date.now() + 120_000);
  // The institutional demo data (organisations, contracts) through orders' use cases, as `npm start` loads it.
  let institutional = !args.skip.includes('buyer');
  if (institutional && sys.seedOrders) {
    say('loading the institutional demo data (orders seed)…');
    await sys.seedOrders().catch((e: unknown) => {
      institutional = false;
      say(`institutional demo data not loaded, buyer left out: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
  const reader = await AuditReader(sys);
  const initialStock = await reader.stockTotals(ALL_ITEMS.map((i) => i.skuId));

  const schedule = faultSchedule(seeded(args.seed), runMs, {
    services: SERVICE_NAMES.filter((s) => sys.services.has(s)),
    stores: ['mongo', 'kafka', 'redis'].filter((s) => sys.parts.has(s)),
    stripe: !!sys.stripe,
  }).filter((f) => !args.skip.includes(f.kind) && !args.skip.includes(f.target));
  if (args.skip.length) say(`left out of the schedule (--skip): ${args.skip.join(', ')}`);
  say(`fault schedule: ${schedule.map((f) => `${(f.atMs / 1000).toFixed(0)}s ${f.kind} ${f.target}`).join(', ')}`);

  // RSS of every process, sampled; the peak is reported.
  const peakRss = new Map<string, number>();
  const sampler = setInterval(() => {
    for (const [name, part] of sys.parts) {
      const kb = rssKb(part.pid());
      if (kb) peakRss.set(name, Math.max(peakRss.get(name) ?? 0, kb));
    }
    peakRss.set('harness (+ Stripe stand-in)', Math.max(peakRss.get('harness (+ Stripe stand-in)') ?? 0, Math.round(process.memoryUsage().rss / 1024)));
  }, 2_000);

  const start = Date.now();
  const end = start + runMs;
  // Faults run one after another (each waits for the system to serve again), so on a slow machine
  // they can fall behind their schedule: the load then goes on until 15 s after the last one, up to
  // 3 minutes past the planned end, so that every fault happens under load.
  const cap = end + 180_000;
  let loadEnd = end;
  const faults: FaultResult[] = [];
  const faulting = (async () => {
    for (const f of schedule) {
      await sleep(Math.max(0, start + f.atMs - Date.now()));
      if (Date.now() > cap - 30_000) {
        faults.push({ fault: f, note: 'skipped: no time left before the cap (faults run one after another)' });
        continue;
      }
      say(`fault: ${f.kind} ${f.target}${f.holdMs ? ` (${f.holdMs} ms)` : ''}`);
      const result = await inject(sys, f, async (group) => (await reader.lag())[group] ?? 0);
      say(`  ${f.target} serving again after ${result.servingMs ?? '—'} ms${result.note ? ` (${result.note})` : ''}`);
      faults.push(result);
      loadEnd = Math.min(cap, Math.max(end, Date.now() + 15_000));
    }
  })();
  await Promise.all([...Array.from({ length: args.shoppers }, (_, n) => workload.shopper(n, () => loadEnd)), workload.certifier(start, end), workload.dispatcher(start, end), institutional ? workload.institutionalBuyer(start, end) : Promise.resolve(), faulting]);
  // QA decides any excursion hold a fault kept it from deciding during the load.
  await workload.qaSweep(Date.now() + 60_000);
  const elapsedS = (Date.now() - start) / 1000;
  clearInterval(sampler);

  say('load stopped; letting the system settle (outboxes empty, checkouts ended, webhooks applied, consumers caught up)…');
  const settle = await reader.settle(Date.now() + 150_000);
  say(settle.settled ? `settled in ${settle.ms} ms` : `did not settle within the bound: ${settle.reason}`);

  const input: AuditInput = await reader.collect(initialStock, workload.blocks);
  const checks = audit(input);
  await reader.close();

  const t = workload.tally;
  const lines = [
    '',
    `══════ chaos audit: seed ${args.seed}, ${args.shoppers} shoppers, ${(elapsedS / 60).toFixed(1)} min (machine shared: figures are indicative) ══════`,
    ...checks.map((c) => `  ${c.failures.length ? 'FAIL' : 'ok  '}  ${c.name}: ${c.checked} checked, ${c.failures.length} failing${c.failures.length ? '\n' + c.failures.slice(0, 20).map((f) => `          - ${f}`).join('\n') : ''}`),
    `  info  orders by status: ${Object.entries(input.ordersByStatus).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    '',
    `  workload   paid ${t.paid} (${(t.paid / elapsedS).toFixed(2)}/s)   declined first ${t.declined}   cancelled by shopper ${t.cancelledByShopper}   refused/cancelled ${t.refused}   unfinished in bound ${t.unfinished}   failed requests ${t.errors}`,
    `  checkout   cart → paid p50 ${pct(t.checkoutMs, 50)} ms   p99 ${pct(t.checkoutMs, 99)} ms   (n=${t.checkoutMs.length})`,
    `  public     ${t.pages} pages (${(t.pages / elapsedS).toFixed(1)}/s)   p50 ${pct(t.pageMs, 50)} ms   p99 ${pct(t.pageMs, 99)} ms`,
    `  call-offs  ${Object.entries(t.callOffActions).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}`,
    `  logistics  ${Object.entries(t.logisticsActions).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}   excursions ${input.excursions.length}   holds ${Object.entries(countBy(input.holds.map((h) => `${h.cause} ${h.status}`))).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
    `  blocks     ${Object.entries(t.certifierActions).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}   revocation-to-block p50 ${pct(t.blockMs, 50)} ms   p99 ${pct(t.blockMs, 99)} ms (n=${t.blockMs.length})`,
    '  faults (kill/release → the part and every service serving again):',
    ...faults.map((f) => `    ${(f.fault.atMs / 1000).toFixed(0).padStart(4)}s  ${f.fault.kind.padEnd(13)} ${f.fault.target.padEnd(14)} ${f.servingMs === undefined ? '—' : `${f.servingMs} ms`}${f.note ? `  (${f.note})` : ''}`),
    `  peak RSS   ${[...peakRss].map(([n, kb]) => `${n} ${(kb / 1024).toFixed(0)} MB`).join(', ')}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const failed = checks.filter((c) => c.failures.length).length + (settle.settled ? 0 : 1);
  say(failed ? `${failed} invariant(s) failed; logs kept in ${dataDir}` : 'every invariant holds');
  return failed ? 1 : 0;
}

let stopping: Promise<void> | undefined;
async function shutdown(code: number) {
  stopping ??= (async () => {
    await system?.stopAll().catch(() => undefined);
    if (dataDir && code === 0) rmSync(dataDir, { recursive: true, force: true });
  })();
  await stopping;
  process.exit(code);
}

if (require.main === module) {
  process.once('exit', () => system?.killAllNow());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopping) {
        system?.killAllNow();
        process.exit(130);
      }
      say(`${signal}: stopping every part`);
      void shutdown(130);
    });
  }
  // The harness stops by itself: the run, the settling and the audit are each bounded; this is the backstop.
  const minutes = (() => {
    try {
      return parseArgs(process.argv.slice(2)).minutes;
    } catch {
      return 2;
    }
  })();
  setTimeout(() => {
    say('time limit reached: stopping every part');
    void shutdown(1);
  }, (minutes + 15) * 60_000).unref();
  main().then(
    (code) => shutdown(code),
    (e: unknown) => {
      process.stderr.write(`[chaos] ${e instanceof Error ? e.message : String(e)}\n`);
      void shutdown(1);
    },
  );
}
