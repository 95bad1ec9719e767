import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from './errors';
import { BATCH_HEADER, BatchError, decodeRecords, encodeBatch, LOG_OVERHEAD, readHeader, type DecodedRecord } from './records';
import { crc32c } from './codec';

/** Growable Float64Array columns: the in-memory index of one segment (offsets and positions < 2^53). */
class Column {
  data = new Float64Array(64);
  push(length: number, v: number): void {
    if (length >= this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[length] = v;
  }
}

/** One log file: batches appended as received (base offset assigned), indexed by batch in memory. */
class Segment {
  count = 0;
  size = 0;
  readonly baseOffsets = new Column();
  readonly lastOffsets = new Column();
  readonly positions = new Column();
  readonly maxTimestamps = new Column();
  fd: number;

  constructor(readonly baseOffset: number, readonly path: string) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
  }

  add(base: number, last: number, position: number, maxTs: number): void {
    this.baseOffsets.push(this.count, base);
    this.lastOffsets.push(this.count, last);
    this.positions.push(this.count, position);
    this.maxTimestamps.push(this.count, maxTs);
    this.count++;
  }

  get nextOffset(): number {
    return this.count ? this.lastOffsets.data[this.count - 1] + 1 : this.baseOffset;
  }

  get maxTimestamp(): number {
    let max = -1;
    for (let i = 0; i < this.count; i++) max = Math.max(max, this.maxTimestamps.data[i]);
    return max;
  }

  /** First batch whose last offset is ≥ `offset`. */
  find(offset: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.lastOffsets.data[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rebuilds the index by scanning the file; a torn tail (crash mid-write) is cut off. */
  scan(onBatch: (batch: Buffer, base: number) => void): void {
    const fileSize = fstatSync(this.fd).size;
    const chunk = Buffer.allocUnsafe(8 * 1024 * 1024);
    let pos = 0;
    while (pos < fileSize) {
      const n = readSync(this.fd, chunk, 0, Math.min(chunk.length, fileSize - pos), pos);
      let at = 0;
      let progressed = false;
      while (at + BATCH_HEADER <= n) {
        const size = LOG_OVERHEAD + chunk.readInt32BE(at + 8);
        if (size < BATCH_HEADER || size > 64 * 1024 * 1024) break; // garbage: treat as torn tail
        if (at + size > n) {
          if (size > chunk.length) break;
          break;
        }
        const batch = chunk.subarray(at, at + size);
        const isLast = pos + at + size >= fileSize;
        if (isLast && batch.readUInt32BE(17) !== crc32c(batch, 21)) break;
        const base = Number(batch.readBigInt64BE(0));
        const h = readHeader(batch);
        this.add(base, base + h.lastOffsetDelta, pos + at, h.maxTimestamp);
        onBatch(batch, base);
        at += size;
        progressed = true;
      }
      if (!progressed) break;
      pos += at;
    }
    if (pos < fileSize) ftruncateSync(this.fd, pos);
    this.size = pos;
  }

  append(buf: Buffer): number {
    const position = this.size;
    writeSync(this.fd, buf, 0, buf.length, position);
    this.size += buf.length;
    return position;
  }

  read(position: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(length);
    const n = readSync(this.fd, buf, 0, length, position);
    return buf.subarray(0, n);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface TopicConfig {
  'retention.ms': number;
  'retention.bytes': number;
  'cleanup.policy': 'delete' | 'compact';
  'max.message.bytes': number;
  'segment.bytes': number;
}

export const DEFAULT_TOPIC_CONFIG: TopicConfig = {
  'retention.ms': 7 * 24 * 3600 * 1000,
  'retention.bytes': -1,
  'cleanup.policy': 'delete',
  'max.message.bytes': 1024 * 1024 + 12, // Kafka's default 1048588
  'segment.bytes': 64 * 1024 * 1024,
};

interface ProducerState {
  epoch: number;
  lastSeq: number;
  /** The last few batches (Kafka keeps 5): a retried one is answered with its original offset. */
  recent: { firstSeq: number; lastSeq: number; baseOffset: number }[];
}

const fileName = (base: number) => `${String(base).padStart(20, '0')}.log`;

/** One partition's append-only log: segments on disk, indexes and producer state in memory. */
export class PartitionLog {
  private segments: Segment[] = [];
  readonly producers = new Map<number, ProducerState>();
  private waiters = new Set<() => void>();

  constructor(private readonly dir: string, private readonly config: () => TopicConfig) {
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(dir).filter((f) => /^\d{20}\.log$/.test(f)).sort();
    for (const f of files) {
      const segment = new Segment(Number(f.slice(0, 20)), join(dir, f));
      segment.scan((batch, base) => this.trackProducer(batch, base));
      this.segments.push(segment);
    }
    if (!this.segments.length) this.segments.push(new Segment(0, join(dir, fileName(0))));
  }

  get logStartOffset(): number {
    const first = this.segments[0];
    return first.count ? first.baseOffsets.data[0] : first.baseOffset;
  }

  get highWatermark(): number {
    return this.active.nextOffset;
  }

  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  get batchCount(): number {
    return this.segments.reduce((n, s) => n + s.count, 0);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  private trackProducer(batch: Buffer, base: number): void {
    const h = readHeader(batch);
    if (h.producerId < 0) return;
    const state = this.producers.get(h.producerId) ?? { epoch: h.producerEpoch, lastSeq: -1, recent: [] };
    const lastSeq = h.baseSequence + h.lastOffsetDelta;
    state.epoch = h.producerEpoch;
    state.lastSeq = lastSeq;
    state.recent.push({ firstSeq: h.baseSequence, lastSeq, baseOffset: base });
    if (state.recent.length > 5) state.recent.shift();
    this.producers.set(h.producerId, state);
  }

  /**
   * Appends validated batches; returns the base offset of the first. Idempotent producers: a batch
   * already written (same producer, epoch and sequence) is not written again and its original offset
   * is returned; a gap in sequence numbers is refused.
   */
  append(batches: Buffer[]): number {
    let firstOffset = -1;
    const toWrite: Buffer[] = [];
    let next = this.highWatermark;
    for (const batch of batches) {
      const h = readHeader(batch);
      if (h.producerId >= 0) {
        const state = this.producers.get(h.producerId);
        if (state && h.producerEpoch < state.epoch) throw new BatchError(ErrorCode.INVALID_PRODUCER_EPOCH, 'stale producer epoch');
        if (state && h.producerEpoch === state.epoch) {
          const dup = state.recent.find((r) => r.firstSeq === h.baseSequence);
          if (dup) {
            if (firstOffset < 0) firstOffset = dup.baseOffset;
            continue;
          }
          if (h.baseSequence !== state.lastSeq + 1) {
            throw new BatchError(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, `sequence ${h.baseSequence}, expected ${state.lastSeq + 1}`);
          }
        } else if (h.baseSequence !== 0) {
          // A new producer (or epoch) must start at sequence 0; otherwise its earlier batches are unknown here.
          throw new BatchError(ErrorCode.UNKNOWN_PRODUCER_ID, `producer ${h.producerId} unknown at sequence ${h.baseSequence}`);
        }
      }
      batch.writeBigInt64BE(BigInt(next), 0);
      if (firstOffset < 0) firstOffset = next;
      toWrite.push(batch);
      next += h.lastOffsetDelta + 1;
    }
    if (toWrite.length) {
      if (this.active.size > 0 && this.active.size >= this.config()['segment.bytes']) this.roll();
      const buf = toWrite.length === 1 ? toWrite[0] : Buffer.concat(toWrite);
      const segment = this.active;
      // One write: in the OS page cache when it returns, so it survives kill -9 of this process.
      const position = segment.append(buf);
      let at = 0;
      for (const batch of toWrite) {
        const h = readHeader(batch);
        const base = Number(batch.readBigInt64BE(0));
        segment.add(base, base + h.lastOffsetDelta, position + at, h.maxTimestamp);
        this.trackProducer(batch, base);
        at += batch.length;
      }
      for (const wake of [...this.waiters]) wake();
    }
    return firstOffset;
  }

  private roll(): void {
    const base = this.highWatermark;
    this.segments.push(new Segment(base, join(this.dir, fileName(base))));
  }

  /** Batches from the one containing `offset`, up to `maxBytes` (at least one whole batch, as KIP-74). */
  read(offset: number, maxBytes: number): Buffer {
    if (offset >= this.highWatermark) return Buffer.alloc(0);
    let s = this.segments.findIndex((seg) => seg.count && seg.lastOffsets.data[seg.count - 1] >= offset);
    if (s < 0) return Buffer.alloc(0);
    const seg = this.segments[s];
    const i = seg.find(offset);
    const start = seg.positions.data[i];
    let end = i + 1 < seg.count ? seg.positions.data[i + 1] : seg.size;
    for (let j = i + 1; j < seg.count; j++) {
      const batchEnd = j + 1 < seg.count ? seg.positions.data[j + 1] : seg.size;
      if (batchEnd - start > maxBytes) break;
      end = batchEnd;
    }
    s++;
    return seg.read(start, end - start);
  }

  /** Earliest offset whose timestamp is ≥ `timestamp` (ListOffsets by time), or -1. */
  offsetForTimestamp(timestamp: number): number {
    for (const seg of this.segments) {
      for (let i = 0; i < seg.count; i++) {
        if (seg.maxTimestamps.data[i] >= timestamp) {
          const batch = seg.read(seg.positions.data[i], (i + 1 < seg.count ? seg.positions.data[i + 1] : seg.size) - seg.positions.data[i]);
          const hit = decodeRecords(batch).find((r) => r.timestamp >= timestamp);
          if (hit) return hit.offset;
        }
      }
    }
    return -1;
  }

  /** Resolves when new data arrives or after `ms`. */
  waitForData(ms: number): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(() => wake(), ms);
    const waiter = () => wake();
    this.waiters.add(waiter);
    void promise.then(() => {
      clearTimeout(timer);
      this.waiters.delete(waiter);
    });
    return { promise, cancel: wake };
  }

  /** Deletes whole closed segments beyond retention by time or size (as Kafka does). Returns bytes freed. */
  enforceRetention(now: number): number {
    const cfg = this.config();
    let freed = 0;
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      const total = this.sizeBytes;
      const tooOld = cfg['retention.ms'] >= 0 && oldest.count > 0 && oldest.maxTimestamp < now - cfg['retention.ms'];
      const tooBig = cfg['retention.bytes'] >= 0 && total - oldest.size >= cfg['retention.bytes'];
      if (!tooOld && !tooBig) break;
      oldest.close();
      rmSync(oldest.path, { force: true });
      this.segments.shift();
      freed += oldest.size;
    }
    return freed;
  }

  /**
   * Log compaction (cleanup.policy=compact): rewrites the closed segments keeping, per key, only the
   * latest record (the active segment is untouched, as in Kafka). Offsets are kept; batches become
   * one batch per kept run. Returns the number of records removed.
   */
  compact(): number {
    if (this.segments.length < 2) return 0;
    const latest = new Map<string, number>();
    const all: { seg: Segment; records: DecodedRecord[] }[] = [];
    for (const seg of this.segments) {
      const records: DecodedRecord[] = [];
      for (let i = 0; i < seg.count; i++) {
        const end = i + 1 < seg.count ? seg.positions.data[i + 1] : seg.size;
        records.push(...decodeRecords(seg.read(seg.positions.data[i], end - seg.positions.data[i])));
      }
      all.push({ seg, records });
      for (const r of records) if (r.key) latest.set(r.key.toString('base64'), r.offset);
    }
    let removed = 0;
    for (const { seg, records } of all.slice(0, -1)) {
      const kept = records.filter((r) => !r.key || latest.get(r.key.toString('base64')) === r.offset);
      if (kept.length === records.length) continue;
      removed += records.length - kept.length;
      const tmp = `${seg.path}.cleaned`;
      rmSync(tmp, { force: true });
      const fresh = new Segment(seg.baseOffset, tmp);
      for (const r of kept) {
        const batch = encodeBatch([r]);
        const position = fresh.append(batch);
        fresh.add(r.offset, r.offset, position, r.timestamp);
      }
      fresh.close();
      seg.close();
      renameSync(tmp, seg.path);
      const reopened = new Segment(seg.baseOffset, seg.path);
      reopened.scan(() => undefined);
      // An emptied segment still marks where the log continues: keep it so offsets stay monotonic.
      this.segments[this.segments.indexOf(seg)] = reopened;
    }
    return removed;
  }

  close(): void {
    for (const wake of [...this.waiters]) wake();
    for (const s of this.segments) s.close();
  }

  remove(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
