import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c, Reader, Writer } from './codec';
import { ErrorCode } from './errors';

/**
 * Record batch v2 (magic 2) — the only on-wire format kafkajs and librdkafka produce at Produce v3+.
 * Layout: baseOffset int64 @0, batchLength int32 @8, partitionLeaderEpoch int32 @12, magic int8 @16,
 * crc uint32 @17 (CRC-32C of everything from @21), attributes int16 @21, lastOffsetDelta int32 @23,
 * baseTimestamp int64 @27, maxTimestamp int64 @35, producerId int64 @43, producerEpoch int16 @51,
 * baseSequence int32 @53, records count int32 @57, records @61.
 */
export const BATCH_HEADER = 61;
export const LOG_OVERHEAD = 12; // baseOffset + batchLength

export interface BatchHeader {
  size: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  count: number;
}

export const COMPRESSION_NONE = 0;
export const COMPRESSION_GZIP = 1;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;

export class BatchError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** Reads the header at `pos` without validating (the log trusts what it wrote). */
export function readHeader(buf: Buffer, pos = 0): BatchHeader {
  return {
    size: LOG_OVERHEAD + buf.readInt32BE(pos + 8),
    attributes: buf.readInt16BE(pos + 21),
    lastOffsetDelta: buf.readInt32BE(pos + 23),
    baseTimestamp: Number(buf.readBigInt64BE(pos + 27)),
    maxTimestamp: Number(buf.readBigInt64BE(pos + 35)),
    producerId: Number(buf.readBigInt64BE(pos + 43)),
    producerEpoch: buf.readInt16BE(pos + 51),
    baseSequence: buf.readInt32BE(pos + 53),
    count: buf.readInt32BE(pos + 57),
  };
}

/**
 * Splits a Produce request's records into batches and checks each as a broker does: magic 2, CRC,
 * compression none or gzip, no transactions, size within `maxMessageBytes`.
 */
export function validateBatches(records: Buffer, maxMessageBytes: number): Buffer[] {
  const batches: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH_HEADER) throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'truncated record batch');
    const magic = records.readInt8(pos + 16);
    if (magic !== 2) throw new BatchError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `record batch magic ${magic} (only v2 is implemented)`);
    const size = LOG_OVERHEAD + records.readInt32BE(pos + 8);
    if (size < BATCH_HEADER || pos + size > records.length) throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'record batch length out of bounds');
    if (size > maxMessageBytes) throw new BatchError(ErrorCode.MESSAGE_TOO_LARGE, `record batch of ${size} bytes exceeds max.message.bytes ${maxMessageBytes}`);
    const batch = records.subarray(pos, pos + size);
    if (batch.readUInt32BE(17) !== crc32c(batch, 21)) throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'record batch CRC mismatch');
    const attributes = batch.readInt16BE(21);
    const compression = attributes & 0x7;
    if (compression !== COMPRESSION_NONE && compression !== COMPRESSION_GZIP) {
      throw new BatchError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `compression codec ${compression} is not implemented (none and gzip are)`);
    }
    if (attributes & (TRANSACTIONAL | CONTROL)) throw new BatchError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, 'transactional batches are not implemented');
    if (batch.readInt32BE(57) < 1) throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'empty record batch');
    // Parse the records once, so a malformed batch is refused now rather than breaking consumers later.
    decodeRecords(batch);
    batches.push(Buffer.from(batch)); // own copy: the request buffer is reused
    pos += size;
  }
  if (!batches.length) throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'no record batch');
  return batches;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

/** Decodes the records of one stored batch (gzip inflated). */
export function decodeRecords(batch: Buffer): DecodedRecord[] {
  const header = readHeader(batch);
  const baseOffset = Number(batch.readBigInt64BE(0));
  let body = batch.subarray(BATCH_HEADER, header.size);
  if ((header.attributes & 0x7) === COMPRESSION_GZIP) {
    try {
      body = gunzipSync(body, { maxOutputLength: 64 * 1024 * 1024 });
    } catch {
      throw new BatchError(ErrorCode.CORRUPT_MESSAGE, 'gzip payload does not inflate');
    }
  }
  const r = new Reader(body);
  const out: DecodedRecord[] = [];
  try {
    for (let i = 0; i < header.count; i++) {
      const length = r.varint();
      const end = r.offset + length;
      r.int8(); // attributes
      const timestampDelta = r.varlong();
      const offsetDelta = r.varint();
      const keyLen = r.varint();
      const key = keyLen < 0 ? null : Buffer.from(r.raw(keyLen));
      const valueLen = r.varint();
      const value = valueLen < 0 ? null : Buffer.from(r.raw(valueLen));
      const headers: [string, Buffer | null][] = [];
      const headerCount = r.varint();
      for (let h = 0; h < headerCount; h++) {
        const name = r.raw(r.varint()).toString('utf8');
        const hl = r.varint();
        headers.push([name, hl < 0 ? null : Buffer.from(r.raw(hl))]);
      }
      if (r.offset !== end) throw new Error('record length mismatch');
      out.push({ offset: baseOffset + offsetDelta, timestamp: header.baseTimestamp + timestampDelta, key, value, headers });
    }
  } catch (error) {
    if (error instanceof BatchError) throw error;
    throw new BatchError(ErrorCode.CORRUPT_MESSAGE, `malformed record: ${(error as Error).message}`);
  }
  return out;
}

/** Encodes records as one uncompressed batch (used by compaction, which rewrites kept records). */
export function encodeBatch(records: DecodedRecord[], compression = COMPRESSION_NONE): Buffer {
  const base = records[0];
  const body = new Writer();
  for (const rec of records) {
    const w = new Writer();
    w.int8(0).varlong(rec.timestamp - base.timestamp).varint(rec.offset - base.offset);
    if (rec.key === null) w.varint(-1);
    else w.varint(rec.key.length).raw(rec.key);
    if (rec.value === null) w.varint(-1);
    else w.varint(rec.value.length).raw(rec.value);
    w.varint(rec.headers.length);
    for (const [name, value] of rec.headers) {
      const n = Buffer.from(name, 'utf8');
      w.varint(n.length).raw(n);
      if (value === null) w.varint(-1);
      else w.varint(value.length).raw(value);
    }
    body.varint(w.size()).raw(w.toBuffer());
  }
  let payload = body.toBuffer();
  if (compression === COMPRESSION_GZIP) payload = gzipSync(payload);
  const maxTimestamp = Math.max(...records.map((r) => r.timestamp));
  const out = Buffer.alloc(BATCH_HEADER + payload.length);
  out.writeBigInt64BE(BigInt(base.offset), 0);
  out.writeInt32BE(out.length - LOG_OVERHEAD, 8);
  out.writeInt32BE(0, 12);
  out.writeInt8(2, 16);
  out.writeInt16BE(compression, 21);
  out.writeInt32BE(records[records.length - 1].offset - base.offset, 23);
  out.writeBigInt64BE(BigInt(base.timestamp), 27);
  out.writeBigInt64BE(BigInt(maxTimestamp), 35);
  out.writeBigInt64BE(-1n, 43);
  out.writeInt16BE(-1, 51);
  out.writeInt32BE(-1, 53);
  out.writeInt32BE(records.length, 57);
  payload.copy(out, BATCH_HEADER);
  out.writeUInt32BE(crc32c(out, 21), 17);
  return out;
}
