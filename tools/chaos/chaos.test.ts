/**
 * Plain tests of the harness's pure parts (run by tools/chaos/ci.sh with node's test runner):
 * the seeded schedule, the loopback guard, the audit's arithmetic.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs } from './chaos';
import { assertAllowed, namedHosts } from './guard';
import { faultSchedule, seeded } from './prng';
import { excursionsClosed, holdsAccountedFor, moneyBalances, noCaptureWhileBlocked, noOversold, ordersSettled, recallsRefunded, stockConserved, type HoldRow, type OrderRow, type StockRow } from './rules';

const parts = { services: ['catalog', 'orders'], stores: ['mongo', 'redis'], stripe: true };

test('the same seed gives the same schedule; another seed another one', () => {
  const a = faultSchedule(seeded(7), 120_000, parts);
  assert.deepEqual(faultSchedule(seeded(7), 120_000, parts), a);
  assert.notDeepEqual(faultSchedule(seeded(8), 120_000, parts), a);
});

test('every fault once, in order, inside 10 %–70 % of the run', () => {
  const s = faultSchedule(seeded(3), 100_000, parts);
  assert.deepEqual(s.filter((f) => f.kind === 'kill9').map((f) => f.target).sort(), ['catalog', 'mongo', 'orders', 'redis']);
  assert.equal(s.filter((f) => f.kind === 'pause').length, 2);
  assert.equal(s.filter((f) => f.target === 'stripe').length, 2);
  assert.equal(faultSchedule(seeded(3), 100_000, { services: [], stores: [], stripe: false }).length, 0);
  for (const [i, f] of s.entries()) {
    assert.ok(f.atMs >= 10_000 && f.atMs <= 70_000, `${f.atMs}`);
    if (i) assert.ok(f.atMs >= s[i - 1].atMs);
  }
});

test('the generator stays in [0, 1)', () => {
  const r = seeded(0);
  for (let i = 0; i < 10_000; i++) {
    const x = r();
    assert.ok(x >= 0 && x < 1);
  }
});

test('loopback and named hosts pass; any other host is refused', () => {
  const allowed = namedHosts({ MONGO_URL: 'mongodb://user:pw@mongo-0.db:27017,mongo-1.db:27017/?replicaSet=rs0', KAFKA_BROKERS: 'kafka-0:9092,kafka-1:9092' }, ['MONGO_URL', 'KAFKA_BROKERS', 'REDIS_URL']);
  assert.deepEqual([...allowed].sort(), ['kafka-0', 'kafka-1', 'mongo-0.db', 'mongo-1.db']);
  assertAllowed('http://127.0.0.1:4000/pay/cs_1', allowed);
  assertAllowed('http://localhost:3/x', allowed);
  assertAllowed('http://[::1]:3/x', allowed);
  assertAllowed('mongodb://mongo-0.db:27017', allowed);
  assert.throws(() => assertAllowed('http://example.com/pay', allowed), /refusing example\.com/);
  assert.throws(() => assertAllowed('http://10.0.0.5:3002/', allowed), /refusing 10\.0\.0\.5/);
  assert.throws(() => assertAllowed('http://u@127.0.0.1.evil.com/', allowed), /refusing/);
});

test('arguments: defaults, bounds, unknown options', () => {
  assert.deepEqual(parseArgs([]), { minutes: 2, seed: 1, shoppers: 4, skip: [] });
  assert.deepEqual(parseArgs(['--minutes', '0.5', '--seed', '9', '--shoppers', '2', '--skip', 'stripe-outage,mongo']), { minutes: 0.5, seed: 9, shoppers: 2, skip: ['stripe-outage', 'mongo'] });
  assert.throws(() => parseArgs(['--skip', 'everything']), /--skip takes/);
  assert.throws(() => parseArgs(['--shoppers', '0']), /shoppers/);
  assert.throws(() => parseArgs(['--minutes', 'x']), /number/);
  assert.throws(() => parseArgs(['--host', 'a']), /unknown option/);
});

const stock = (skuId: string, available: number, reserved: number, sold: number, holds: StockRow['holds'] = []): StockRow => ({ skuId, available, reserved, sold, holds });
const order = (id: string, status: string, totalFen: number, lines: OrderRow['lines'], extra: Partial<OrderRow> = {}): OrderRow => ({
  refunds: [],
  id,
  status,
  totalFen,
  capturedFen: 0,
  refundedFen: 0,
  lines,
  deadline: new Date(1_000),
  ...extra,
});

test('stock: conserved passes; a lost or invented unit, or holds not matching reserved, fails', () => {
  const initial = new Map([['s1', 10]]);
  assert.equal(stockConserved(initial, [stock('s1', 6, 1, 3, [{ orderId: 'o1', quantity: 1 }])]).failures.length, 0);
  assert.match(stockConserved(initial, [stock('s1', 6, 0, 3)]).failures[0], /initial 10 ≠/);
  assert.match(stockConserved(initial, [stock('s1', 6, 1, 3)]).failures[0], /sum of holds 0/);
  assert.match(stockConserved(initial, []).failures[0], /missing/);
});

test('oversold: more units kept by paid orders than there were fails', () => {
  const initial = new Map([['s1', 3]]);
  const line = (q: number) => [{ productId: 'p', skuId: 's1', quantity: q }];
  assert.equal(noOversold(initial, [stock('s1', 0, 0, 3)], [order('a', 'paid', 1, line(2)), order('b', 'refunded', 1, line(5))]).failures.length, 0);
  assert.equal(noOversold(initial, [stock('s1', 0, 0, 3)], [order('a', 'paid', 1, line(2)), order('b', 'delivered', 1, line(2))]).failures.length, 1);
});

test('orders: ended yet holding, paid yet held, open past deadline all fail', () => {
  const holds = [stock('s1', 0, 2, 0, [{ orderId: 'c', quantity: 1 }, { orderId: 'p', quantity: 1 }])];
  const f = ordersSettled([order('c', 'cancelled', 1, [], { cancelReason: 'stock_rejected' }), order('p', 'paid', 1, []), order('o', 'awaiting_payment', 1, [])], holds, 5_000).failures;
  assert.equal(f.length, 3);
  assert.ok(f.some((x) => /c: cancelled \(stock_rejected\) but still holds/.test(x)));
  assert.ok(f.some((x) => /o: still awaiting_payment past its deadline/.test(x)));
  assert.equal(ordersSettled([order('o', 'awaiting_payment', 1, [], { deadline: new Date(9_000) })], [], 5_000).failures.length, 0);
});

test('money: what the provider kept must equal paid totals, per order and in sum', () => {
  const orders = [order('a', 'paid', 500, [], { capturedFen: 500 }), order('b', 'refunded', 300, [], { capturedFen: 300, refundedFen: 300 }), order('c', 'cancelled', 200, [])];
  const ok = [
    { id: 'pi_a', orderId: 'a', receivedFen: 500, refundedFen: 0 },
    { id: 'pi_b', orderId: 'b', receivedFen: 300, refundedFen: 300 },
    { id: 'pi_c', orderId: 'c', receivedFen: 0, refundedFen: 0 },
  ];
  assert.equal(moneyBalances(orders, ok).failures.length, 0);
  const refundMissing = ok.map((i) => (i.id === 'pi_b' ? { ...i, refundedFen: 0 } : i));
  assert.deepEqual(moneyBalances(orders, refundMissing).failures, ['b (refunded): provider kept 300 fen, expected 0', 'in sum: captured − refunded = 800 fen ≠ paid orders\' totals less refunded lines 500 fen']);
  assert.equal(moneyBalances(orders, [...ok, { id: 'pi_x', orderId: 'x', receivedFen: 100, refundedFen: 0 }]).failures.length, 2);
});

test('captures inside a block window fail; before it or after reinstatement pass', () => {
  const orders = [order('a', 'paid', 1, [{ productId: 'p1', skuId: 's', quantity: 1 }])];
  const at = (capturedAt: number) => [{ id: 'pi', orderId: 'a', receivedFen: 1, refundedFen: 0, capturedAt }];
  const blocks = [{ productId: 'p1', from: 1_000, until: 2_000 }];
  assert.equal(noCaptureWhileBlocked(orders, at(999), blocks).failures.length, 0);
  assert.equal(noCaptureWhileBlocked(orders, at(1_500), blocks).failures.length, 1);
  assert.equal(noCaptureWhileBlocked(orders, at(2_001), blocks).failures.length, 0);
  assert.equal(noCaptureWhileBlocked(orders, at(9_999), [{ productId: 'p1', from: 1_000 }]).failures.length, 1);
});

test('money: a held order keeps its total less the recalled lines; the order record must agree with the provider', () => {
  const held = order('h', 'held', 1_000, [], { capturedFen: 1_000, refundedFen: 400, refunds: [{ amountFen: 400, reason: 'recall', lines: [{ skuId: 's', quantity: 1 }] }] });
  assert.equal(moneyBalances([held], [{ id: 'pi', orderId: 'h', receivedFen: 1_000, refundedFen: 400 }]).failures.length, 0);
  assert.equal(moneyBalances([held], [{ id: 'pi', orderId: 'h', receivedFen: 1_000, refundedFen: 0 }]).failures.length, 2);
  const misrecorded = { ...held, refundedFen: 0 };
  assert.match(moneyBalances([misrecorded], [{ id: 'pi', orderId: 'h', receivedFen: 1_000, refundedFen: 400 }]).failures[0], /the order records 1000 − 0/);
});

test('recalls: a held order without a recall refund, or a recalled order not refunded in full, fails', () => {
  const recallRefund = [{ amountFen: 1, reason: 'recall', lines: [] }];
  assert.equal(recallsRefunded([order('h', 'held', 1, [], { refunds: recallRefund }), order('r', 'refunded', 5, [], { cancelReason: 'recall', capturedFen: 5, refundedFen: 5 })]).failures.length, 0);
  assert.equal(recallsRefunded([order('h', 'held', 1, []), order('r', 'refunded', 5, [], { cancelReason: 'recall', capturedFen: 5, refundedFen: 2 })]).failures.length, 2);
});

const hold = (id: string, over: Partial<HoldRow> = {}): HoldRow => ({ id, cause: 'excursion', status: 'released', channel: 'retail', decidedBy: 'u-dispatcher-1', reason: '复测合格', lineHoldStatus: 'released', ...over });

test('excursions: ended with every hold decided passes; ongoing, or a hold still held or missing, fails', () => {
  const holds = [hold('h1'), hold('h2', { status: 'rejected', remedy: 'refund', lineHoldStatus: 'rejected' }), hold('h3', { status: 'held', lineHoldStatus: 'held' })];
  assert.deepEqual(excursionsClosed([{ id: 'e1', status: 'ended', holdIds: ['h1', 'h2'] }], holds).failures, []);
  assert.equal(excursionsClosed([{ id: 'e1', status: 'ongoing', holdIds: [] }], holds).failures.length, 1);
  assert.match(excursionsClosed([{ id: 'e1', status: 'ended', holdIds: ['h1', 'h3'] }], holds).failures[0], /h3 still held/);
  assert.match(excursionsClosed([{ id: 'e1', status: 'ended', holdIds: ['h9'] }], holds).failures[0], /h9 missing/);
  assert.equal(excursionsClosed([{ id: 'e1', status: 'ended', holdIds: ['h1'] }, { id: 'e2', status: 'ended', holdIds: [] }], holds).checked, 2);
});

test('holds: released or rejected with a remedy, the line agreeing, passes; held, undecided, no remedy or a disagreeing line fails', () => {
  const ok = [hold('h1'), hold('h2', { cause: 'recall', status: 'rejected', remedy: 'replace', channel: 'contract', lineHoldStatus: 'rejected' }), hold('h3', { lineHoldStatus: undefined })];
  assert.deepEqual(holdsAccountedFor(ok).failures, []);
  assert.equal(holdsAccountedFor(ok).checked, 3);
  assert.match(holdsAccountedFor([hold('h4', { status: 'held', reason: undefined, decidedBy: undefined, lineHoldStatus: 'held' })]).failures[0], /still held/);
  assert.match(holdsAccountedFor([hold('h5', { status: 'rejected', lineHoldStatus: 'rejected' })]).failures[0], /without a remedy/);
  assert.match(holdsAccountedFor([hold('h6', { reason: undefined })]).failures[0], /without who decided/);
  assert.match(holdsAccountedFor([hold('h7', { status: 'rejected', remedy: 'refund', lineHoldStatus: 'held' })]).failures[0], /line says held/);
});
