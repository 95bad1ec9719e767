/** Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types), big-endian. */

export class ProtocolError extends Error {}

export class Reader {
  offset = 0;
  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (n < 0 || this.offset + n > this.buf.length) throw new ProtocolError(`truncated: need ${n} bytes at ${this.offset} of ${this.buf.length}`);
  }
  remaining(): number {
    return this.buf.length - this.offset;
  }
  int8(): number {
    this.need(1);
    return this.buf.readInt8(this.offset++);
  }
  bool(): boolean {
    return this.int8() !== 0;
  }
  int16(): number {
    this.need(2);
    const v = this.buf.readInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  int32(): number {
    this.need(4);
    const v = this.buf.readInt32BE(this.offset);
    this.offset += 4;
    return v;
  }
  int64(): bigint {
    this.need(8);
    const v = this.buf.readBigInt64BE(this.offset);
    this.offset += 8;
    return v;
  }
  /** int64 as a JS number (offsets and timestamps stay far below 2^53). */
  int64n(): number {
    return Number(this.int64());
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.int8() & 0xff;
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
    throw new ProtocolError('varint too long');
  }
  varint(): number {
    const v = this.uvarint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  varlong(): number {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = BigInt(this.int8() & 0xff);
      value |= (byte & 0x7fn) << shift;
      if (!(byte & 0x80n)) return Number((value >> 1n) ^ -(value & 1n));
    }
    throw new ProtocolError('varlong too long');
  }
  raw(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
  nullableString(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    return this.raw(len).toString('utf8');
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolError('null where a string is required');
    return s;
  }
  compactNullableString(): string | null {
    const len = this.uvarint() - 1;
    if (len < 0) return null;
    return this.raw(len).toString('utf8');
  }
  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len < 0) return null;
    return this.raw(len);
  }
  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }
  /** Array of int32 length; null (-1) comes back as null. */
  nullableArray<T>(item: () => T): T[] | null {
    const n = this.int32();
    if (n < 0) return null;
    if (n > this.remaining()) throw new ProtocolError(`array of ${n} items cannot fit in ${this.remaining()} bytes`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }
  array<T>(item: () => T): T[] {
    return this.nullableArray(item) ?? [];
  }
  compactArray<T>(item: () => T): T[] {
    const n = this.uvarint() - 1;
    if (n > this.remaining()) throw new ProtocolError(`array of ${n} items cannot fit`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item());
    return out;
  }
  /** Skips a tagged-field section (flexible versions): we define no tags. */
  taggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.raw(this.uvarint());
    }
  }
}

export class Writer {
  private chunks: Buffer[] = [];
  private length = 0;

  private push(b: Buffer): this {
    this.chunks.push(b);
    this.length += b.length;
    return this;
  }
  int8(v: number): this {
    const b = Buffer.allocUnsafe(1);
    b.writeInt8(v);
    return this.push(b);
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeInt16BE(v);
    return this.push(b);
  }
  int32(v: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeInt32BE(v);
    return this.push(b);
  }
  int64(v: number | bigint): this {
    const b = Buffer.allocUnsafe(8);
    b.writeBigInt64BE(BigInt(v));
    return this.push(b);
  }
  uvarint(v: number): this {
    const bytes: number[] = [];
    while (v >= 0x80) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    return this.push(Buffer.from(bytes));
  }
  varint(v: number): this {
    return this.uvarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
  varlong(v: number): this {
    let z = (BigInt(v) << 1n) ^ (BigInt(v) >> 63n);
    const bytes: number[] = [];
    while (z >= 0x80n) {
      bytes.push(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    bytes.push(Number(z));
    return this.push(Buffer.from(bytes));
  }
  raw(b: Buffer): this {
    return this.push(b);
  }
  string(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).push(b);
  }
  compactString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s, 'utf8');
    return this.uvarint(b.length + 1).push(b);
  }
  bytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).push(b);
  }
  array<T>(items: T[] | null, write: (w: this, item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }
  compactArray<T>(items: T[], write: (w: this, item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) write(this, item);
    return this;
  }
  emptyTaggedFields(): this {
    return this.uvarint(0);
  }
  size(): number {
    return this.length;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

/** CRC-32C (Castagnoli), as record batch v2 uses. */
const CRC32C_TABLE = (() => {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c;
  }
  return table;
})();

export function crc32c(buf: Buffer, start = 0, end = buf.length): number {
  let crc = -1;
  for (let i = start; i < end; i++) crc = CRC32C_TABLE[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
