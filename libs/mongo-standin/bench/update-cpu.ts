/**
 * CPU time per update of the stand-in's own update operators against mingo's updater (which the
 * stand-in used before), alternating in rounds and measured with process.cpuUsage so that a shared,
 * loaded machine does not distort the comparison:
 *   npx tsx libs/mongo-standin/bench/update-cpu.ts
 */
import { ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo/updater';
import { applyUpdate, bsonSize, compileUpdate } from '../src/lib/update';
import { cloneDoc } from '../src/lib/values';

const doc: Record<string, unknown> = {
  _id: new ObjectId(),
  sku: 'SKU-0000001',
  hall: 'hall-1',
  priceFen: 1000,
  stock: 5,
  tags: ['开平', '粮油', 't1'],
  origin: { province: '广东', city: '江门', county: '开平' },
  description: '丝苗米产自开平，米粒细长，晶莹透亮，煮饭香软。'.repeat(20),
  createdAt: new Date(),
};
const cases: Array<[string, Record<string, unknown>, Record<string, unknown> | undefined]> = [
  ['$inc + $set a.b + $push $each/$slice', { $inc: { stock: 1 }, $set: { 'origin.town': 'town-1' }, $push: { tags: { $each: ['u1'], $slice: -5 } } }, undefined],
  ['positional $set tags.$', { $set: { 'tags.$': '开平' } }, { sku: 'SKU-0000001', tags: '开平' }],
];

function cpuMicros(run: () => void, n: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const N = 20_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [label, update, filter] of cases) {
  const mingo: number[] = [];
  const own: number[] = [];
  for (let round = 0; round < 5; round++) {
    mingo.push(cpuMicros(() => mingoUpdate(cloneDoc(doc), cloneDoc(update), undefined, filter, { cloneMode: 'none' }), N));
    own.push(cpuMicros(() => applyUpdate(doc, update, { isInsert: false, filter, compiled: compileUpdate(update) }), N));
  }
  console.log(`${label.padEnd(40)} mingo ${median(mingo).toFixed(1).padStart(6)} µs   stand-in ${median(own).toFixed(1).padStart(6)} µs CPU per update`);
}
console.log(`${'16 MB check of a written document'.padEnd(40)} ${cpuMicros(() => bsonSize(doc), N).toFixed(1)} µs CPU (${bsonSize(doc)} bytes)`);
