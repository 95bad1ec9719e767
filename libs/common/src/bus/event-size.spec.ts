import { lastValueFrom } from 'rxjs';
import { createEvent } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { KafkaEventClient } from './kafka.client';
import { MAX_EVENT_BYTES } from './kafka.shared';

describe('event size cap at publish', () => {
  it('refuses an event over 1 MB before it reaches the broker, naming the size', async () => {
    // No broker at this address: the refusal must come before any connection attempt.
    const client = new KafkaEventClient({ brokers: ['127.0.0.1:1'], clientId: 'size-test', partitions: 1, replicationFactor: 1 });
    const data = { productId: 'p-1', merchantId: 'm-1', name: '马冈鹅'.repeat(120_000), updatedAt: new Date().toISOString() };
    const event = createEvent(EVENT_TYPES.ProductUpserted, 'p-1', data, { source: 'catalog' });
    expect(Buffer.byteLength(JSON.stringify(event))).toBeGreaterThan(MAX_EVENT_BYTES);
    await expect(lastValueFrom(client.emit(event.type, event))).rejects.toThrow(/bytes; the limit is 1000000/);
    await client.close();
  });
});
