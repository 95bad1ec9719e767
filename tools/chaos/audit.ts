/**
 * Reads the books after the run: each service's database (collections as its Mongoose schemas name
 * them: catalog `stock`, orders `orders` and `stripe_events`, every service's `outbox`), the Stripe
 * stand-in's payment intents and refunds, and the bus (consumer groups' lag, dead-letter topics).
 */
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { BUS_ADMIN, BUS_MECHANISM, localBusPassword } from '@techan/local-stack';
import { excursionsClosed, holdsAccountedFor, moneyBalances, noCaptureWhileBlocked, recallsRefunded, noOversold, ordersSettled, stockConserved, OPEN, type BlockWindow, type Check, type ExcursionRow, type HoldRow, type IntentRow, type OrderRow, type StockRow } from './rules';
import { SERVICE_NAMES, type LocalSystem } from './system';

export interface AuditInput {
  now: number;
  initialStock: Map<string, number>;
  stock: StockRow[];
  orders: OrderRow[];
  /** Undefined when payments are not the in-process stand-in (its books are not readable here). */
  intents?: IntentRow[];
  blocks: BlockWindow[];
  pendingOutbox: Record<string, number>;
  unappliedStripeEvents: number;
  lag: Record<string, number>;
  deadLetters: string[];
  crashes: string[];
  /** Logistics' `excursions` and `holds`. */
  excursions: ExcursionRow[];
  holds: HoldRow[];
  ordersByStatus: Record<string, number>;
}

export function audit(input: AuditInput): Check[] {
  const checks = [
    stockConserved(input.initialStock, input.stock),
    noOversold(input.initialStock, input.stock, input.orders),
    ordersSettled(input.orders, input.stock, input.now),
    recallsRefunded(input.orders),
    excursionsClosed(input.excursions, input.holds),
    holdsAccountedFor(input.holds),
  ];
  if (input.intents) checks.push(moneyBalances(input.orders, input.intents), noCaptureWhileBlocked(input.orders, input.intents, input.blocks));
  const pending = Object.entries(input.pendingOutbox).filter(([, n]) => n > 0);
  checks.push({ name: 'every outbox event published (all services)', checked: SERVICE_NAMES.length, failures: pending.map(([s, n]) => `${s}: ${n} events still pending`) });
  checks.push({ name: 'every received Stripe webhook applied (none stuck in retry)', checked: 1, failures: input.unappliedStripeEvents ? [`${input.unappliedStripeEvents} received but not applied`] : [] });
  // The workload publishes only valid events from their owners: a dead letter here is an event a
  // consumer gave up on, i.e. not applied (the issue allows expected ones only; none are expected).
  checks.push({ name: 'no dead letter (every consumed event applied; dead letters listed with reasons)', checked: 1, failures: input.deadLetters });
  checks.push({ name: 'no service crashed (exits the harness did not cause)', checked: SERVICE_NAMES.length, failures: input.crashes });
  const lagging = Object.entries(input.lag).filter(([, n]) => n > 0);
  checks.push({ name: 'every consumer group caught up (no event left unconsumed)', checked: Object.keys(input.lag).length, failures: lagging.map(([g, n]) => `${g}: ${n} behind`) });
  return checks;
}

const stripePayments = (sys: LocalSystem): IntentRow[] | undefined => {
  const engine = sys.stripe?.engine;
  if (!engine) return undefined;
  const refunded = new Map<string, number>();
  for (const r of engine.refunds.values()) refunded.set(r.payment_intent, (refunded.get(r.payment_intent) ?? 0) + r.amount);
  return [...engine.intents.values()].map((pi) => ({
    id: pi.id,
    orderId: pi.metadata['orderId'],
    receivedFen: pi.amount_received,
    refundedFen: refunded.get(pi.id) ?? 0,
    capturedAt: sys.capturedAt.get(pi.id),
  }));
};

export async function AuditReader(sys: LocalSystem) {
  const dbs = new Map<string, Connection>();
  for (const name of SERVICE_NAMES) dbs.set(name, await mongoose.createConnection(sys.env.mongoUrl, { dbName: `techan-${name}`, serverSelectionTimeoutMS: 10_000 }).asPromise());
  const db = (name: string) => dbs.get(name)!.db!;
  const sasl: SASLOptions = process.env['KAFKA_BROKERS']
    ? (process.env['KAFKA_SASL_MECHANISM'] ? ({ mechanism: process.env['KAFKA_SASL_MECHANISM'], username: process.env['KAFKA_USERNAME'], password: process.env['KAFKA_PASSWORD'] } as SASLOptions) : (undefined as never))
    : ({ mechanism: BUS_MECHANISM, username: BUS_ADMIN, password: localBusPassword(BUS_ADMIN) } as SASLOptions);
  const kafka = new Kafka({ clientId: 'techan-chaos-audit', brokers: sys.env.kafkaBrokers.split(','), sasl, logLevel: logLevel.NOTHING, connectionTimeout: 5_000, retry: { retries: 5 } });

  const stockRows = async (skuIds: string[]): Promise<StockRow[]> =>
    (await db('catalog').collection('stock').find({ _id: { $in: skuIds as never[] } }).toArray()).map((d) => ({
      skuId: String(d._id),
      available: d['available'] ?? 0,
      reserved: d['reserved'] ?? 0,
      sold: d['sold'] ?? 0,
      holds: ((d['holds'] ?? []) as { orderId: string; quantity: number }[]).map((h) => ({ orderId: h.orderId, quantity: h.quantity })),
    }));

  const orderRows = async (): Promise<OrderRow[]> =>
    (await db('orders').collection('orders').find({}).toArray()).map((d) => ({
      id: String(d._id),
      channel: d['channel'],
      status: d['status'],
      totalFen: d['totalFen'],
      cancelReason: d['cancelReason'],
      capturedFen: d['payment']?.['capturedFen'] ?? 0,
      refundedFen: d['payment']?.['refundedFen'] ?? 0,
      paymentIntentId: d['payment']?.['paymentIntentId'],
      refunds: ((d['refunds'] ?? []) as { amountFen: number; reason: string; lines?: unknown[] }[]).map((r) => ({ amountFen: r.amountFen, reason: r.reason, lines: r.lines })),
      lines: (d['lines'] as { productId: string; skuId: string; quantity: number }[]).map((l) => ({ productId: l.productId, skuId: l.skuId, quantity: l.quantity })),
      deadline: new Date(d['deadline']),
    }));

  const excursionRows = async (): Promise<ExcursionRow[]> =>
    (await db('logistics').collection('excursions').find({}).toArray()).map((d) => ({ id: String(d._id), status: d['status'], holdIds: (d['holdIds'] ?? []) as string[] }));
  const holdRows = async (): Promise<HoldRow[]> => {
    // The status each shipment line records for the hold it names (lines name their latest hold).
    const lineStatus = new Map<string, string>();
    for (const s of await db('logistics').collection('shipments').find({ 'lines.holdId': { $exists: true } }, { projection: { lines: 1 } }).toArray())
      for (const l of (s['lines'] ?? []) as { holdId?: string; holdStatus?: string }[]) if (l.holdId && l.holdStatus) lineStatus.set(l.holdId, l.holdStatus);
    return (await db('logistics').collection('holds').find({}).toArray()).map((d) => ({
      id: String(d._id),
      cause: d['cause'],
      status: d['status'],
      channel: d['channel'],
      decidedBy: d['decidedBy'],
      reason: d['reason'],
      remedy: d['remedy'],
      lineHoldStatus: lineStatus.get(String(d._id)),
    }));
  };

  const pendingOutbox = async () => Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (s) => [s, await db(s).collection('outbox').countDocuments({ status: 'pending' })] as const)));
  const unappliedStripeEvents = () => db('orders').collection('stripe_events').countDocuments({ appliedAt: null });

  /** Unconsumed events per consumer group (every group the bus lists), on the topics it has committed offsets for. */
  const lag = async (): Promise<Record<string, number>> => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith('techan.') && !t.endsWith('.dlq'));
      const high = new Map<string, number>();
      for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) high.set(`${t}/${p.partition}`, Number(p.high));
      const out: Record<string, number> = {};
      // Every consumer group, not only the services' main ones (logistics' `logistics.status` consumes
      // certification's statuses on its own: a stall there once went unseen by the settle check).
      const listed = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => !g.startsWith('techan-chaos-audit'));
      for (const group of [...new Set([...SERVICE_NAMES, ...listed])].sort()) {
        let behind = 0;
        for (const t of await admin.fetchOffsets({ groupId: group, topics })) {
          for (const p of t.partitions) if (Number(p.offset) >= 0) behind += Math.max(0, (high.get(`${t.topic}/${p.partition}`) ?? 0) - Number(p.offset));
        }
        out[group] = behind;
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  };

  /** Every dead letter with its reason header (read from the beginning by a throw-away group). */
  const deadLetters = async (): Promise<string[]> => {
    const admin = kafka.admin();
    await admin.connect();
    const topics: string[] = [];
    let total = 0;
    try {
      for (const t of (await admin.listTopics()).filter((x) => x.endsWith('.dlq'))) {
        const n = (await admin.fetchTopicOffsets(t)).reduce((s, p) => s + Number(p.high) - Number(p.low), 0);
        if (n > 0) topics.push(t);
        total += n;
      }
    } finally {
      await admin.disconnect();
    }
    if (!total) return [];
    const found: string[] = [];
    const consumer = kafka.consumer({ groupId: `techan-chaos-audit-${process.pid}-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics, fromBeginning: true });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20_000);
        void consumer.run({
          eachMessage: async ({ topic, message }) => {
            const h = (k: string) => message.headers?.[k]?.toString() ?? '?';
            found.push(`${topic}: ${h('topic')}@${h('offset')} — ${h('reason')}`);
            if (found.length >= total) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return found.length >= total ? found : [...found, `(${total - found.length} more not read within 20 s)`];
  };

  return {
    lag,
    async stockTotals(skuIds: string[]): Promise<Map<string, number>> {
      // available + reserved + sold is what there is, held or not (nothing restocks during the run).
      const rows = await stockRows(skuIds);
      return new Map(rows.map((r) => [r.skuId, r.available + r.reserved + r.sold]));
    },
    /** Waits (bounded) until nothing is in flight: outboxes, open checkouts, webhooks, consumers. */
    async settle(deadline: number): Promise<{ settled: boolean; ms: number; reason?: string }> {
      const t0 = Date.now();
      let reason = '';
      for (;;) {
        try {
          const pending = Object.values(await pendingOutbox()).reduce((a, b) => a + b, 0);
          const open = await db('orders').collection('orders').countDocuments({ status: { $in: OPEN } });
          const unapplied = await unappliedStripeEvents();
          const webhooksBusy = sys.stripe ? sys.stripe.engine && (await Promise.race([sys.stripe.webhooks.idle().then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 1_000))])) : false;
          const behind = Object.values(await lag()).reduce((a, b) => a + b, 0);
          reason = `outbox pending ${pending}, open checkouts ${open}, Stripe events unapplied ${unapplied}, webhooks in flight ${webhooksBusy}, consumer lag ${behind}`;
          if (!pending && !open && !unapplied && !webhooksBusy && !behind) return { settled: true, ms: Date.now() - t0 };
        } catch (e) {
          reason = `reading the stores failed: ${e instanceof Error ? e.message : String(e)}`;
        }
        if (Date.now() > deadline) return { settled: false, ms: Date.now() - t0, reason };
        await new Promise((r) => setTimeout(r, 1_000));
      }
    },
    async collect(initialStock: Map<string, number>, blocks: BlockWindow[]): Promise<AuditInput> {
      const orders = await orderRows();
      const ordersByStatus: Record<string, number> = {};
      for (const o of orders) {
        const key = o.cancelReason ? `${o.status}(${o.cancelReason})` : o.status;
        ordersByStatus[key] = (ordersByStatus[key] ?? 0) + 1;
      }
      return {
        now: Date.now(),
        initialStock,
        stock: await stockRows([...initialStock.keys()]),
        orders,
        intents: stripePayments(sys),
        blocks,
        pendingOutbox: await pendingOutbox(),
        unappliedStripeEvents: await unappliedStripeEvents(),
        lag: await lag(),
        deadLetters: await deadLetters(),
        crashes: [...sys.crashes],
        excursions: await excursionRows(),
        holds: await holdRows(),
        ordersByStatus,
      };
    },
    async close() {
      await Promise.all([...dbs.values()].map((c) => c.close()));
    },
  };
}
