import { BSON } from 'bson';
import { MessageFramer, encodeOpMsg, parseMessage } from './wire';

describe('MessageFramer', () => {
  it('reassembles messages split at any byte boundary and split several per chunk', () => {
    const messages = [encodeOpMsg(1, { a: 1 }), encodeOpMsg(2, { big: 'x'.repeat(200_000) }), encodeOpMsg(3, { c: [1, 2, 3] })];
    const stream = Buffer.concat(messages);
    for (const chunkSize of [1, 3, 7, 1000, 65536, stream.length]) {
      const framer = new MessageFramer();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += chunkSize) out.push(...framer.push(stream.subarray(i, i + chunkSize)));
      expect(out.map((m) => m.length)).toEqual(messages.map((m) => m.length));
      const parsed = out.map((m) => parseMessage(m).command);
      expect(parsed[1]['big']).toHaveLength(200_000);
      expect(BSON.serialize(parsed[2])).toEqual(BSON.serialize({ c: [new BSON.Int32(1), new BSON.Int32(2), new BSON.Int32(3)] }));
    }
  });

  it('rejects a nonsensical length prefix', () => {
    const framer = new MessageFramer();
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(3, 0);
    expect(() => framer.push(bad)).toThrow(/invalid message length/);
  });
});
