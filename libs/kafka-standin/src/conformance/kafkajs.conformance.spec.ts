import { CompressionTypes, type Consumer, type Kafka } from 'kafkajs';
import { spawn } from 'node:child_process';
import { brokers, kafka, sasl, uniqueTopic, waitFor } from './harness';

/** Client 1: kafkajs 2.2.4 (producer, consumer groups, admin) — runs unchanged against a real broker. */
describe('conformance with kafkajs', () => {
  let client: Kafka;
  const consumers: Consumer[] = [];
  beforeAll(() => {
    client = kafka();
  });
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => undefined)));
  });

  async function withAdmin<T>(fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
    const admin = client.admin();
    await admin.connect();
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect();
    }
  }

  function consumer(groupId: string): Consumer {
    const c = client.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 500, rebalanceTimeout: 10_000 });
    consumers.push(c);
    return c;
  }

  it('creates, lists, describes and deletes topics; refuses a duplicate', async () => {
    const topic = uniqueTopic('admin');
    await withAdmin(async (admin) => {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);
      expect(await admin.listTopics()).toContain(topic);
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(meta.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      await expect(admin.createTopics({ topics: [{ topic, numPartitions: 3 }] })).resolves.toBe(false); // already exists
      await admin.deleteTopics({ topics: [topic] });
      await waitFor('the topic to disappear', async () => !(await admin.listTopics()).includes(topic));
    });
  });

  it('produces keyed messages (plain and gzip) and consumes them in per-partition order with headers', async () => {
    const topic = uniqueTopic('order');
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true }));
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 40; i++) {
      await producer.send({
        topic,
        acks: -1,
        compression: i % 2 ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: [{ key: `k${i % 5}`, value: JSON.stringify({ i, name: '马冈鹅' }), headers: { n: String(i) } }],
      });
    }
    await producer.disconnect();
    const seen = new Map<string, number[]>();
    const headers: string[] = [];
    const c = consumer(uniqueTopic('g'));
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        const body = JSON.parse(String(message.value)) as { i: number; name: string };
        expect(body.name).toBe('马冈鹅');
        headers.push(String(message.headers?.['n']));
        seen.set(String(message.key), [...(seen.get(String(message.key)) ?? []), body.i]);
      },
    });
    await waitFor('40 messages', () => headers.length >= 40);
    for (let k = 0; k < 5; k++) expect(seen.get(`k${k}`)).toEqual(Array.from({ length: 8 }, (_, j) => j * 5 + k));
  });

  it('refuses a message over 1 MB with MESSAGE_TOO_LARGE (topic default max.message.bytes)', async () => {
    const topic = uniqueTopic('big');
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }));
    const producer = client.producer({ retry: { retries: 0 } });
    await producer.connect();
    await expect(producer.send({ topic, messages: [{ value: Buffer.alloc(1024 * 1024 + 100, 1) }] })).rejects.toMatchObject({ type: 'MESSAGE_TOO_LARGE' });
    await producer.send({ topic, messages: [{ value: Buffer.alloc(512 * 1024, 1) }] });
    await producer.disconnect();
  });

  it('lists offsets: earliest, latest and by timestamp', async () => {
    const topic = uniqueTopic('offsets');
    await withAdmin(async (admin) => {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      const producer = client.producer();
      await producer.connect();
      const t0 = Date.now();
      await producer.send({ topic, messages: [{ value: 'a', timestamp: String(t0 - 10_000) }, { value: 'b', timestamp: String(t0 - 5_000) }] });
      await producer.send({ topic, messages: [{ value: 'c', timestamp: String(t0) }] });
      await producer.disconnect();
      const [p] = await admin.fetchTopicOffsets(topic);
      expect(p).toMatchObject({ partition: 0, low: '0', high: '3' });
      const [byTime] = await admin.fetchTopicOffsetsByTimestamp(topic, t0 - 6_000);
      expect(byTime.offset).toBe('1');
    });
  });

  it('a group of three shares partitions, commits offsets, and rebalances when one leaves', async () => {
    const topic = uniqueTopic('group');
    const groupId = uniqueTopic('g3');
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true }));
    const assignments = new Map<number, number[]>();
    const handled: { c: number; value: string }[] = [];
    const members = [0, 1, 2].map((n) => {
      const c = consumer(groupId);
      c.on(c.events.GROUP_JOIN, (e) => assignments.set(n, (e.payload.memberAssignment[topic] ?? []) as number[]));
      return c;
    });
    for (const [n, c] of members.entries()) {
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({ eachMessage: async ({ message }) => void handled.push({ c: n, value: String(message.value) }) });
    }
    const covered = (ids: number[]) => ids.flatMap((n) => assignments.get(n) ?? []).sort((a, b) => a - b);
    await waitFor('three members to split the six partitions', () => JSON.stringify(covered([0, 1, 2])) === '[0,1,2,3,4,5]' && [0, 1, 2].every((n) => assignments.get(n)?.length === 2), 30_000);

    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `first-${i}` })) });
    await waitFor('60 handled', () => handled.length >= 60);
    expect(new Set(handled.map((h) => h.value)).size).toBe(60);
    expect(new Set(handled.map((h) => h.c)).size).toBe(3);

    assignments.clear();
    await members[2].disconnect(); // LeaveGroup: the other two take its partitions
    await waitFor('two members to cover all six partitions', () => JSON.stringify(covered([0, 1])) === '[0,1,2,3,4,5]', 30_000);
    await producer.send({ topic, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `second-${i}` })) });
    await waitFor('30 more handled by the remaining two', () => handled.filter((h) => h.value.startsWith('second-')).length >= 30);
    expect(new Set(handled.filter((h) => h.value.startsWith('second-')).map((h) => h.c))).not.toContain(2);
    await producer.disconnect();

    await withAdmin(async (admin) => {
      await waitFor('committed offsets to add up to 90', async () => {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return offsets.partitions.reduce((n, p) => n + Number(p.offset), 0) === 90;
      });
      const { groups } = await admin.describeGroups([groupId]);
      expect(groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer' });
      expect(groups[0].members).toHaveLength(2);
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);
    });
  });

  it('takes over a crashed member\'s partitions after its session timeout', async () => {
    const topic = uniqueTopic('crash');
    const groupId = uniqueTopic('gc');
    await withAdmin((admin) => admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true }));
    const survivorAssigned: number[][] = [];
    const survivor = consumer(groupId);
    survivor.on(survivor.events.GROUP_JOIN, (e) => survivorAssigned.push((e.payload.memberAssignment[topic] ?? []) as number[]));
    await survivor.connect();
    await survivor.subscribe({ topic, fromBeginning: true });
    await survivor.run({ eachMessage: async () => undefined });
    await waitFor('the survivor to hold both partitions alone', () => survivorAssigned.at(-1)?.length === 2, 30_000);
    const doomed = spawnMember(groupId, topic);
    await waitFor('both to hold one partition', () => survivorAssigned.at(-1)?.length === 1, 30_000);
    doomed.kill('SIGKILL'); // no LeaveGroup: the broker notices only when the session times out
    const crashedAt = Date.now();
    await waitFor('the survivor to own both partitions', () => survivorAssigned.at(-1)?.length === 2, 30_000);
    expect(Date.now() - crashedAt).toBeLessThan(12_000); // session timeout 6 s + one rebalance
  });
});

/** A kafkajs group member in its own process, so that it can be killed -9. */
function spawnMember(groupId: string, topic: string) {
  const script = `
    const { Kafka, logLevel } = require('kafkajs');
    const kafka = new Kafka({ clientId: 'doomed', brokers: ${JSON.stringify(brokers)}, sasl: ${JSON.stringify(sasl ?? null)} || undefined, logLevel: logLevel.NOTHING });
    const c = kafka.consumer({ groupId: ${JSON.stringify(groupId)}, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 500 });
    c.connect().then(() => c.subscribe({ topic: ${JSON.stringify(topic)}, fromBeginning: true })).then(() => c.run({ eachMessage: async () => {} }));
  `;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore', cwd: process.cwd() });
}
