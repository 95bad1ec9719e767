import mongoose from 'mongoose';
import { createKafka, type KafkaBusOptions } from './kafka.shared';

export interface ProjectionReset {
  /** The consumer group of the service (its name; `<name>.<namespace>` in tests). */
  group: string;
  /** The owner's topic to replay (the event type; `<type>.<namespace>` in tests). */
  topic: string;
  /** The event type, as stored in the inbox. */
  type: string;
  mongoUrl: string;
  /** The service's database. */
  database: string;
  /** The projection collection to drop, so it is rebuilt from the replay alone. */
  dropCollection?: string;
}

/**
 * Prepares a consumer's projection to be rebuilt by replaying the owner's topic (also clears a
 * projection wedged by a bad event): refuses while the service's group has live members; resets the
 * group's offsets on the topic to the earliest (status topics are compacted: the replay is the latest
 * status of every product); drops the projection collection and forgets the inbox entries of that
 * type, so every event applies again when the service starts. Returns what it did, for the log.
 */
export async function resetProjection(bus: Pick<KafkaBusOptions, 'brokers' | 'sasl'>, reset: ProjectionReset): Promise<string[]> {
  const done: string[] = [];
  const admin = createKafka({ ...bus, clientId: 'techan-replay' }).admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([reset.group])).groups;
    if (group && group.members.length) throw new Error(`group ${reset.group} has ${group.members.length} live member(s): stop the service first`);
    await admin.resetOffsets({ groupId: reset.group, topic: reset.topic, earliest: true });
    done.push(`offsets of group ${reset.group} on ${reset.topic} reset to the earliest`);
  } finally {
    await admin.disconnect();
  }
  const connection = await mongoose.createConnection(reset.mongoUrl, { dbName: reset.database }).asPromise();
  try {
    const db = connection.db!;
    if (reset.dropCollection) {
      await db.collection(reset.dropCollection).drop().catch(() => undefined);
      done.push(`projection collection ${reset.dropCollection} dropped`);
    }
    const { deletedCount } = await db.collection('inbox').deleteMany({ type: reset.type });
    done.push(`${deletedCount} inbox entries of ${reset.type} forgotten`);
  } finally {
    await connection.close();
  }
  return done;
}
