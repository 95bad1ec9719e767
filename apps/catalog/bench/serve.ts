/**
 * The catalogue's HTTP app for the benchmark, as its own process (so its RSS is measured alone):
 *   MONGO_URL=… PORT=… npx tsx --tsconfig apps/catalog/tsconfig.tsx.json apps/catalog/bench/serve.ts
 * Accepts one IPC command from the driver: run a reservation workload through StockService (the code
 * path the order-placed consumer calls) and report its timings.
 */
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MongooseModule } from '@nestjs/mongoose';
import { performance } from 'node:perf_hooks';
import { CatalogModule } from '../src/catalog/catalog.module';
import { CATALOG_EVENTS } from '../src/catalog/events';
import { StockService } from '../src/catalog/stock.service';

interface ReserveCommand {
  cmd: 'reserve';
  orders: { orderId: string; lines: { productId: string; skuId: string; quantity: number }[] }[];
  concurrency: number;
}

async function main() {
  const mongoUrl = process.env['MONGO_URL'];
  if (!mongoUrl) throw new Error('MONGO_URL is required');
  let published = 0;
  @Module({
    imports: [
      MongooseModule.forRoot(mongoUrl, { dbName: process.env['MONGO_DB'] ?? 'catalog_bench', autoIndex: false }),
      CatalogModule.register({
        events: { provide: CATALOG_EVENTS, useValue: { publish: async () => void published++ } },
        verifyToken: () => null,
      }),
    ],
  })
  class BenchModule {}
  const app = await NestFactory.create(BenchModule, { logger: ['error'] });
  app.setGlobalPrefix('api', { exclude: ['hall', 'hall/{*path}'] });
  await app.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1');
  process.send?.({ ready: true, url: await app.getUrl() });

  const stock = app.get(StockService);
  process.on('message', async (msg: ReserveCommand) => {
    if (msg.cmd !== 'reserve') return;
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    let next = 0;
    const start = performance.now();
    const reserveUntil = new Date(Date.now() + 15 * 60_000).toISOString();
    const worker = async () => {
      while (next < msg.orders.length) {
        const o = msg.orders[next++];
        const t0 = performance.now();
        const r = await stock.onOrderPlaced({
          orderId: o.orderId,
          buyerId: 'bench',
          lines: o.lines.map((l) => ({ ...l, unitPriceFen: 100 })),
          reserveUntil,
          placedAt: new Date().toISOString(),
        });
        latencies.push(performance.now() - t0);
        outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: msg.concurrency }, worker));
    const seconds = (performance.now() - start) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    process.send?.({ done: true, seconds, ordersPerSecond: msg.orders.length / seconds, p50: q(0.5), p99: q(0.99), outcomes, published });
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
