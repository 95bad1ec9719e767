import { BSON, Document } from 'bson';

/** MongoDB wire protocol opcodes used by the Node driver. */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

const MSG_CHECKSUM_PRESENT = 1;
export const MSG_MORE_TO_COME = 2;

/** Deserialisation keeps int32/int64/double distinct so numeric types survive a round trip. */
const DESERIALIZE_OPTIONS = { promoteValues: false, promoteBuffers: false, bsonRegExp: false } as const;

export interface IncomingMessage {
  requestId: number;
  opCode: number;
  /** The command document, with OP_MSG document sequences merged in as arrays. */
  command: Document;
  /** OP_MSG flag bits (0 for OP_QUERY). */
  flags: number;
  /** OP_QUERY full collection name, e.g. `admin.$cmd`. */
  fullCollectionName?: string;
  /** Size of a document beyond mongod's wire limit (16 MB + 16 KB): the command is refused with code 10334. */
  oversizedDocument?: number;
}

/** mongod accepts BSON objects up to 16 MB plus 16 KB of command overhead (BSONObjMaxInternalSize). */
export const MAX_WIRE_OBJECT_BYTES = 16 * 1024 * 1024 + 16 * 1024;

/**
 * Splits a byte stream into whole messages. Chunks of a large message are kept in a list and joined
 * once, instead of re-concatenating the growing prefix for every 64 KB chunk.
 */
export class MessageFramer {
  private chunks: Buffer[] = [];
  private buffered = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const messages: Buffer[] = [];
    while (this.buffered >= 4) {
      if (this.chunks[0].length < 4) this.join();
      const length = this.chunks[0].readInt32LE(0);
      if (length < 16 || length > 64 * 1024 * 1024) throw new Error(`invalid message length ${length}`);
      if (this.buffered < length) break;
      if (this.chunks[0].length < length) this.join();
      const head = this.chunks[0];
      messages.push(head.subarray(0, length));
      if (head.length === length) this.chunks.shift();
      else this.chunks[0] = head.subarray(length);
      this.buffered -= length;
    }
    return messages;
  }

  private join(): void {
    this.chunks = [Buffer.concat(this.chunks, this.buffered)];
  }
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new Error('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

export function parseMessage(buf: Buffer): IncomingMessage {
  const requestId = buf.readInt32LE(4);
  const opCode = buf.readInt32LE(12);
  if (opCode === OP_QUERY) {
    let offset = 16 + 4; // header + flags
    const [fullCollectionName, next] = readCString(buf, offset);
    offset = next + 8; // numberToSkip + numberToReturn
    const size = buf.readInt32LE(offset);
    const command = BSON.deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
    return { requestId, opCode, command, flags: 0, fullCollectionName };
  }
  if (opCode === OP_MSG) {
    const flags = buf.readUInt32LE(16);
    const end = flags & MSG_CHECKSUM_PRESENT ? buf.length - 4 : buf.length;
    let offset = 20;
    let command: Document | undefined;
    let oversizedDocument: number | undefined;
    const sequences: Array<[string, Document[]]> = [];
    while (offset < end) {
      const kind = buf[offset];
      offset += 1;
      if (kind === 0) {
        const size = buf.readInt32LE(offset);
        if (size > MAX_WIRE_OBJECT_BYTES) {
          oversizedDocument = size;
          command = {};
        } else command = BSON.deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
        offset += size;
      } else if (kind === 1) {
        const sectionSize = buf.readInt32LE(offset);
        const sectionEnd = offset + sectionSize;
        const [identifier, next] = readCString(buf, offset + 4);
        let docOffset = next;
        const docs: Document[] = [];
        while (docOffset < sectionEnd) {
          const size = buf.readInt32LE(docOffset);
          if (size > MAX_WIRE_OBJECT_BYTES) oversizedDocument = size;
          else docs.push(BSON.deserialize(buf.subarray(docOffset, docOffset + size), DESERIALIZE_OPTIONS));
          docOffset += size;
        }
        sequences.push([identifier, docs]);
        offset = sectionEnd;
      } else {
        throw new Error(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!command) throw new Error('OP_MSG without a body section');
    for (const [identifier, docs] of sequences) command[identifier] = docs;
    return { requestId, opCode, command, flags, oversizedDocument };
  }
  return { requestId, opCode, command: {}, flags: 0 };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

let nextResponseId = 1;

export function encodeOpMsg(responseTo: number, body: Document): Buffer {
  const doc = BSON.serialize(body, { ignoreUndefined: true });
  const prefix = Buffer.alloc(5); // flagBits + section kind 0
  const length = 16 + prefix.length + doc.length;
  return Buffer.concat([header(length, nextResponseId++, responseTo, OP_MSG), prefix, doc], length);
}

export function encodeOpReply(responseTo: number, body: Document): Buffer {
  const doc = BSON.serialize(body, { ignoreUndefined: true });
  const fields = Buffer.alloc(20); // responseFlags, cursorID(8), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  const length = 16 + fields.length + doc.length;
  return Buffer.concat([header(length, nextResponseId++, responseTo, OP_REPLY), fields, doc], length);
}
