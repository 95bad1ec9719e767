import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { startKafkaStandin, type BrokerOptions, type RunningBroker } from './broker';
import { crc32c, Writer } from './codec';
import { ErrorCode } from './errors';
import { PartitionLog, DEFAULT_TOPIC_CONFIG } from './log';
import { encodeBatch, validateBatches } from './records';

/** Stand-in specifics that a real broker cannot be asked to do in a test: crashes, cleaning, bad input. */
const client = (broker: { bootstrap: string }, sasl?: SASLOptions) =>
  new Kafka({ clientId: 'spec', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, sasl, retry: { retries: 2, initialRetryTime: 100 } });

const logs: string[] = [];
const quiet: BrokerOptions = { initialRebalanceDelayMs: 0, log: (_l, m) => void logs.push(m) };
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kafka-standin-spec-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Sends raw bytes; resolves with what came back before the server closed (or after `ms`). */
function raw(port: number, bytes: Buffer, ms = 1_000): Promise<{ data: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const chunks: Buffer[] = [];
    let closed = false;
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      resolve({ data: Buffer.concat(chunks), closed });
    });
    setTimeout(() => {
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), closed });
    }, ms);
  });
}

function request(apiKey: number, version: number, body: Buffer, correlationId = 7): Buffer {
  const w = new Writer().int16(apiKey).int16(version).int32(correlationId).string('raw-test').raw(body).toBuffer();
  return Buffer.concat([new Writer().int32(w.length).toBuffer(), w]);
}

describe('kafka stand-in', () => {
  describe('bad input closes only that connection', () => {
    let broker: RunningBroker;
    beforeAll(async () => (broker = await startKafkaStandin(quiet)));
    afterAll(() => broker.stop());

    it.each([
      ['garbage (an HTTP request)', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
      ['a negative frame size', Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3])],
      ['an oversized frame size', Buffer.from([0x7f, 0, 0, 0, 0, 0, 0, 0])],
      ['a frame that ends inside its request header', Buffer.from([0, 0, 0, 9, 0, 3, 0, 1, 0, 0, 0, 1, 0])],
      ['a Metadata request with a truncated topic array', request(3, 1, new Writer().int32(5).string('a').toBuffer())],
    ])('%s', async (_name, bytes) => {
      const reply = await raw(broker.port, bytes);
      expect(reply.closed).toBe(true);
      const admin = client(broker).admin();
      await admin.connect();
      await expect(admin.listTopics()).resolves.toEqual(expect.any(Array));
      await admin.disconnect();
    });

    it('a truncated frame waits for the rest; a partial frame at disconnect harms nothing', async () => {
      const full = request(18, 0, Buffer.alloc(0));
      const reply = await raw(broker.port, full.subarray(0, full.length - 2), 300);
      expect(reply.data.length).toBe(0);
      expect(reply.closed).toBe(false);
    });

    it('answers an unknown ApiVersions version with UNSUPPORTED_VERSION and its supported list', async () => {
      const reply = await raw(broker.port, request(18, 9, Buffer.alloc(0)), 300);
      expect(reply.data.readInt32BE(4)).toBe(7); // correlation id
      expect(reply.data.readInt16BE(8)).toBe(ErrorCode.UNSUPPORTED_VERSION);
      expect(reply.data.readInt32BE(10)).toBeGreaterThan(10); // the APIs it does implement
    });

    it('refuses an API version it does not implement, naming it in the log', async () => {
      const reply = await raw(broker.port, request(0, 1, Buffer.alloc(8)));
      expect(reply.closed).toBe(true);
      expect(logs.join('\n')).toMatch(/Produce v1 is not implemented \(3-7\)/);
      const r2 = await raw(broker.port, request(42, 0, Buffer.alloc(8)));
      expect(r2.closed).toBe(true);
      expect(logs.join('\n')).toMatch(/API key 42 is not implemented/);
    });

    it('refuses compression it does not implement (snappy, lz4, zstd) with UNSUPPORTED_COMPRESSION_TYPE', () => {
      const batch = encodeBatch([{ offset: 0, timestamp: 1, key: null, value: Buffer.from('x'), headers: [] }]);
      batch.writeInt16BE(2, 21); // snappy
      batch.writeUInt32BE(crc32c(batch, 21), 17);
      expect(() => validateBatches(batch, 1_048_588)).toThrow(expect.objectContaining({ code: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE }));
      batch.writeUInt32BE(0, 17);
      expect(() => validateBatches(batch, 1_048_588)).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
    });
  });

  describe('SASL and write ACLs', () => {
    let broker: RunningBroker;
    beforeAll(
      async () =>
        (broker = await startKafkaStandin({
          ...quiet,
          users: { catalog: 'c-secret', orders: 'o-secret', admin: 'a-secret' },
          superUsers: ['admin'],
          writeAcls: [
            { principal: 'catalog', topicPrefix: 'techan.catalog.' },
            { principal: 'orders', topicPrefix: 'techan.orders.' },
          ],
        })),
    );
    afterAll(() => broker.stop());
    const as = (username: string, password: string, mechanism: 'plain' | 'scram-sha-256' = 'scram-sha-256') => client(broker, { mechanism, username, password } as SASLOptions);

    it('lets only the owner write its topics; everybody authenticated may read', async () => {
      const admin = as('admin', 'a-secret').admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'techan.catalog.product-upserted.v1', numPartitions: 1 }] });
      await admin.disconnect();
      const owner = as('catalog', 'c-secret').producer();
      await owner.connect();
      await owner.send({ topic: 'techan.catalog.product-upserted.v1', messages: [{ value: 'ok' }] });
      await owner.disconnect();
      const intruder = as('orders', 'o-secret', 'plain').producer({ retry: { retries: 0 } });
      await intruder.connect();
      await expect(intruder.send({ topic: 'techan.catalog.product-upserted.v1', messages: [{ value: 'forged' }] })).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
      await intruder.disconnect();
      expect(logs.join('\n')).toMatch(/principal orders has no Write ACL/);
    });

    it('refuses a wrong password and closes that connection', async () => {
      const admin = as('catalog', 'wrong').admin();
      await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed/);
      const plain = as('catalog', 'wrong', 'plain').admin();
      await expect(plain.connect()).rejects.toThrow(/SASL PLAIN authentication failed/);
    });

    it('closes a connection that skips authentication', async () => {
      const reply = await raw(broker.port, request(3, 1, new Writer().int32(-1).toBuffer()));
      expect(reply.closed).toBe(true);
      expect(reply.data.length).toBe(0);
    });
  });

  describe('durability', () => {
    function startChild(dataDir: string, port: number): Promise<ChildProcess> {
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../cli.ts'), '--data', dataDir, '--port', String(port), '--initial-rebalance-delay-ms', '0', '--quiet', 'true'], { stdio: ['ignore', 'pipe', 'pipe'] });
      return new Promise((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('listening')) resolve(child);
        });
        let err = '';
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        child.once('exit', (code) => reject(new Error(`stand-in exited ${code}: ${out}${err}`)));
      });
    }

    it('keeps every acks=all write and committed offset across kill -9', async () => {
      const dir = tempDir();
      const probe = await startKafkaStandin({ ...quiet }); // just to learn a free port
      const port = probe.port;
      await probe.stop();
      let child = await startChild(dir, port);
      const kafka = client({ bootstrap: `127.0.0.1:${port}` });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 3 }] });
      await admin.setOffsets({ groupId: 'g-durable', topic: 'durable', partitions: [{ partition: 1, offset: '0' }] });
      await admin.disconnect();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } });
      await producer.connect();
      const acked: string[] = [];
      let stop = false;
      const burst = (async () => {
        for (let i = 0; !stop; i++) {
          try {
            await producer.send({ topic: 'durable', acks: -1, messages: [{ key: `k${i % 7}`, value: `m${i}` }] });
            acked.push(`m${i}`);
          } catch {
            return;
          }
        }
      })();
      await waitFor('some acknowledged writes', () => acked.length >= 200);
      const killed = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await killed;
      stop = true;
      await burst;
      await producer.disconnect().catch(() => undefined);
      child = await startChild(dir, port);
      try {
        const consumer = kafka.consumer({ groupId: 'reader', maxWaitTimeInMs: 200 });
        const seen = new Set<string>();
        await consumer.connect();
        await consumer.subscribe({ topic: 'durable', fromBeginning: true });
        await consumer.run({ eachMessage: async ({ message }) => void seen.add(String(message.value)) });
        await waitFor('every acknowledged message after the restart', () => acked.every((m) => seen.has(m)), 20_000);
        await consumer.disconnect();
        const admin2 = kafka.admin();
        await admin2.connect();
        const [offsets] = await admin2.fetchOffsets({ groupId: 'g-durable', topics: ['durable'] });
        expect(offsets.partitions.find((p) => p.partition === 1)?.offset).toBe('0');
        await admin2.disconnect();
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('replays its logs at start: offsets continue, groups resume from their commits', async () => {
      const dataDir = tempDir();
      let broker = await startKafkaStandin({ ...quiet, dataDir });
      let kafka = client(broker);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'replay', messages: [{ value: 'a' }, { value: 'b' }] });
      await producer.disconnect();
      await broker.stop();
      broker = await startKafkaStandin({ ...quiet, dataDir });
      kafka = client(broker);
      const p2 = kafka.producer();
      await p2.connect();
      const [meta] = await p2.send({ topic: 'replay', messages: [{ value: 'c' }] });
      await p2.disconnect();
      expect(meta.baseOffset).toBe('2');
      await broker.stop();
    });
  });

  describe('retention, compaction, idempotence', () => {
    it('deletes whole old segments beyond retention.bytes and retention.ms; consumers restart at the new start', async () => {
      const broker = await startKafkaStandin(quiet);
      const kafka = client(broker);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'bounded', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '2000' }, { name: 'retention.bytes', value: '6000' }] }] });
      await admin.createTopics({ topics: [{ topic: 'aged', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '2000' }, { name: 'retention.ms', value: '60000' }] }] });
      const producer = kafka.producer();
      await producer.connect();
      for (let i = 0; i < 100; i++) await producer.send({ topic: 'bounded', messages: [{ value: Buffer.alloc(200, i) }] });
      for (let i = 0; i < 30; i++) await producer.send({ topic: 'aged', messages: [{ value: Buffer.alloc(200, i) }] });
      await producer.disconnect();
      const before = broker.stats().bytes;
      const { freedBytes } = broker.runCleaner();
      expect(freedBytes).toBeGreaterThan(0);
      const [bounded] = await admin.fetchTopicOffsets('bounded');
      expect(Number(bounded.low)).toBeGreaterThan(50);
      expect(bounded.high).toBe('100');
      expect(broker.stats().bytes).toBeLessThan(before);
      // An hour later every closed segment of 'aged' is past retention.ms; the active one stays.
      expect(broker.runCleaner(Date.now() + 3_600_000).freedBytes).toBeGreaterThan(0);
      const [aged] = await admin.fetchTopicOffsets('aged');
      expect(Number(aged.low)).toBeGreaterThan(20);
      await admin.disconnect();
      await broker.stop();
    });

    it('compacts a cleanup.policy=compact topic to the latest record per key (offsets kept)', async () => {
      const broker = await startKafkaStandin(quiet);
      const kafka = client(broker);
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'status', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'segment.bytes', value: '1500' }] }] });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      for (let v = 1; v <= 20; v++) for (const key of ['p1', 'p2', 'p3']) await producer.send({ topic: 'status', messages: [{ key, value: `${key}:v${v}` }] });
      await producer.disconnect();
      expect(broker.runCleaner().compactedRecords).toBeGreaterThan(30);
      const consumer = kafka.consumer({ groupId: 'compacted-reader', maxWaitTimeInMs: 200 });
      const seen: { offset: number; value: string }[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: 'status', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push({ offset: Number(message.offset), value: String(message.value) }) });
      await waitFor('the last record', () => seen.some((s) => s.offset === 59));
      await consumer.disconnect();
      expect(seen.length).toBeLessThan(30);
      for (const key of ['p1', 'p2', 'p3']) expect(seen.filter((s) => s.value.startsWith(key)).at(-1)?.value).toBe(`${key}:v20`);
      expect(seen.map((s) => s.offset)).toEqual([...seen.map((s) => s.offset)].sort((a, b) => a - b));
      await broker.stop();
    });

    it('drops a retried batch of an idempotent producer and refuses a sequence gap', () => {
      const log = new PartitionLog(join(tempDir(), 'p0'), () => DEFAULT_TOPIC_CONFIG);
      const batch = (seq: number) => {
        const b = encodeBatch([{ offset: 0, timestamp: Date.now(), key: Buffer.from('k'), value: Buffer.from(`v${seq}`), headers: [] }]);
        b.writeBigInt64BE(77n, 43); // producer id
        b.writeInt16BE(0, 51); // epoch
        b.writeInt32BE(seq, 53); // base sequence (CRC is not re-checked by the log itself)
        return b;
      };
      expect(log.append([batch(0)])).toBe(0);
      expect(log.append([batch(1)])).toBe(1);
      expect(log.append([batch(1)])).toBe(1); // the retry gets the original offset
      expect(log.highWatermark).toBe(2);
      expect(() => log.append([batch(5)])).toThrow(/sequence 5, expected 2/);
      log.close();
    });
  });
});
