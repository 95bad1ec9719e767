/**
 * Operator command: rebuild one consumer's projection by replaying an owner's topic (also clears a
 * wedged projection, e.g. one that took a forged high version). Stop the service first.
 *
 *   KAFKA_BROKERS=… KAFKA_SASL_MECHANISM=scram-sha-256 KAFKA_USERNAME=admin KAFKA_PASSWORD=… \
 *   MONGO_URL=… npx tsx --tsconfig tools/tsconfig.json tools/bus/replay.ts \
 *     --service catalog --type techan.certification.product-status-changed.v1 --drop certification_status
 *
 * 1. refuses unless the service's consumer group is empty (the service is stopped);
 * 2. resets the group's offsets on that topic to the earliest (status topics are compacted, so the
 *    replay is the latest status of every product);
 * 3. in the service's database (MONGO_DB, default techan-<service>): drops the projection collection
 *    named by --drop and forgets the inbox entries of that type, so every event applies again.
 * Then start the service: it consumes the topic from the beginning and rebuilds the projection.
 */
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { MongoClient } from 'mongodb';

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
  const kafka = new Kafka({ clientId: 'techan-replay', brokers: env['KAFKA_BROKERS'].split(','), sasl, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([service])).groups;
    if (group && group.members.length) throw new Error(`group ${service} has ${group.members.length} live member(s): stop the ${service} service first`);
    await admin.resetOffsets({ groupId: service, topic: type, earliest: true });
    console.log(`offsets of group ${service} on ${type} reset to the earliest`);
  } finally {
    await admin.disconnect();
  }
  const mongo = new MongoClient(env['MONGO_URL']);
  await mongo.connect();
  try {
    const db = mongo.db(env['MONGO_DB'] || `techan-${service}`);
    if (drop) {
      await db.collection(drop).drop().catch(() => undefined);
      console.log(`projection collection ${drop} dropped`);
    }
    const { deletedCount } = await db.collection('inbox').deleteMany({ type });
    console.log(`${deletedCount} inbox entries of ${type} forgotten; start ${service} to replay`);
  } finally {
    await mongo.close();
  }
}

main().catch((e: unknown) => {
  console.error(`replay: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
