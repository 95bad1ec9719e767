/**
 * Operator command: rebuild one consumer's projection by replaying an owner's topic (also clears a
 * wedged projection, e.g. one that took a forged high version). Stop the service first.
 *
 *   KAFKA_BROKERS=… KAFKA_SASL_MECHANISM=scram-sha-256 KAFKA_USERNAME=admin KAFKA_PASSWORD=… \
 *   MONGO_URL=… npx tsx --tsconfig tools/tsconfig.json tools/bus/replay.ts \
 *     --service catalog --type techan.certification.product-status-changed.v1 --drop certification_status
 *
 * What it does is `resetProjection` (libs/common/src/bus/replay.ts, tested in
 * apps/catalog/src/test/replay.spec.ts): refuses while the service's group for that type has live members
 * (`consumerGroupOf`: certification status events have their own group, `<service>.status`), resets
 * the group's offsets on that topic to the earliest, drops the projection collection named by --drop
 * and forgets the inbox entries of that type in the service's database (MONGO_DB, default
 * techan-<service>). Then start the service: it consumes the topic from the beginning and rebuilds
 * the projection.
 */
import type { SASLOptions } from 'kafkajs';
import { consumerGroupOf, resetProjection } from '@techan/common';

function args(): Record<string, string> {
  const out: Record<string, string> = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`usage: --service S --type T [--drop COLLECTION] (got ${argv.join(' ')})`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  if (!out['service'] || !out['type']) throw new Error('--service and --type are required');
  return out;
}

async function main() {
  const { service, type, drop } = args();
  const env = process.env;
  if (!env['KAFKA_BROKERS'] || !env['MONGO_URL']) throw new Error('set KAFKA_BROKERS and MONGO_URL (and KAFKA_SASL_MECHANISM/KAFKA_USERNAME/KAFKA_PASSWORD of the bus admin)');
  const sasl = env['KAFKA_SASL_MECHANISM']
    ? ({ mechanism: env['KAFKA_SASL_MECHANISM'], username: env['KAFKA_USERNAME'], password: env['KAFKA_PASSWORD'] } as SASLOptions)
    : undefined;
  const done = await resetProjection(
    { brokers: env['KAFKA_BROKERS'].split(','), sasl },
    { group: consumerGroupOf(service, type), topic: type, type, mongoUrl: env['MONGO_URL'], database: env['MONGO_DB'] || `techan-${service}`, dropCollection: drop },
  );
  for (const line of done) console.log(line);
  console.log(`start ${service} to replay`);
}

main().catch((e: unknown) => {
  console.error(`replay: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
