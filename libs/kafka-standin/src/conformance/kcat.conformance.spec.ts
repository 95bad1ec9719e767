import { kafka, kcat, kcatGroup, uniqueTopic, waitFor } from './harness';

/** Client 2: kcat (librdkafka), independent of kafkajs: each produces what the other consumes. */
describe('conformance with kcat (librdkafka)', () => {
  async function createTopic(topic: string, numPartitions: number) {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    await admin.disconnect();
  }

  it('kcat -L lists the broker and the topic with its partitions', async () => {
    const topic = uniqueTopic('meta');
    await createTopic(topic, 3);
    const out = await kcat(['-L', '-t', topic]);
    expect(out).toMatch(/1 brokers:/);
    expect(out).toContain(`topic "${topic}" with 3 partitions`);
    expect(out.match(/partition \d+, leader/g)).toHaveLength(3);
  });

  it('kcat produces (acks=all, keys, gzip), kafkajs consumes', async () => {
    const topic = uniqueTopic('k2j');
    await createTopic(topic, 2);
    const lines = Array.from({ length: 20 }, (_, i) => `p${i % 4}|大沙茶-${i}`).join('\n') + '\n';
    await kcat(['-P', '-t', topic, '-K', '|', '-z', 'gzip', '-X', 'acks=all'], lines);
    const consumer = kafka().consumer({ groupId: uniqueTopic('g'), maxWaitTimeInMs: 500 });
    const got = new Map<string, string[]>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.set(String(message.key), [...(got.get(String(message.key)) ?? []), String(message.value)]) });
    await waitFor('20 messages', () => [...got.values()].flat().length >= 20);
    await consumer.disconnect();
    expect(got.get('p1')).toEqual([1, 5, 9, 13, 17].map((i) => `大沙茶-${i}`));
  });

  it('kafkajs produces, kcat consumes from the beginning to the end of each partition', async () => {
    const topic = uniqueTopic('j2k');
    await createTopic(topic, 1);
    const producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let i = 0; i < 5; i++) await producer.send({ topic, messages: [{ key: `k${i}`, value: `丝苗米-${i}` }] });
    await producer.disconnect();
    const out = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s@%o\n']);
    expect(out.trim().split('\n')).toEqual([0, 1, 2, 3, 4].map((i) => `k${i}=丝苗米-${i}@${i}`));
  });

  it('kcat -G consumes as a balanced group and commits its offsets', async () => {
    const topic = uniqueTopic('kg');
    const group = uniqueTopic('kcat-group');
    await createTopic(topic, 2);
    await kcat(['-P', '-t', topic, '-K', '|'], Array.from({ length: 10 }, (_, i) => `k${i}|v${i}`).join('\n') + '\n');
    const member = kcatGroup(group, topic, '%p:%o:%s\n');
    try {
      await waitFor('kcat to consume 10 messages', () => member.lines.length >= 10, 30_000).catch((e: Error) => {
        throw new Error(`${e.message}; kcat said: ${member.stderr()} ${member.lines.join(',')}`);
      });
      const admin = kafka().admin();
      await admin.connect();
      await waitFor('kcat\'s commits', async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        return offsets.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === 10;
      }, 30_000);
      await admin.disconnect();
    } finally {
      await member.stop();
    }
    expect(member.lines.map((l) => l.split(':')[2]).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`).sort());
  });
});
