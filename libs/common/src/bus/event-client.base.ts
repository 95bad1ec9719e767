import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { validateEvent, type EventEnvelope } from '../contracts/envelope';

/**
 * What both event clients share: events only (no request-response), and every event validated
 * against its contract before it leaves, with the pattern matching the event type.
 */
export abstract class EventClientBase extends ClientProxy {
  constructor() {
    super();
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  /** Sends one validated event to the transport. */
  protected abstract deliver(event: EventEnvelope): Promise<unknown>;

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request-response is not supported: services talk through events'), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const event = validateEvent(packet.data);
    if (packet.pattern !== event.type) throw new Error(`pattern ${packet.pattern} does not match event type ${event.type}`);
    return (await this.deliver(event)) as T;
  }
}
