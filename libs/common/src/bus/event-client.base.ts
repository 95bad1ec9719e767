import { ClientProxy, ReadPacket, WritePacket } from '@nestjs/microservices';
import { throwError, type Observable } from 'rxjs';
import { validateEvent, type EventEnvelope } from '../contracts/envelope';
import { MAX_EVENT_BYTES } from './kafka.shared';

/**
 * What both event clients share: events only (no request-response), and every event validated
 * against its contract before it leaves, with the pattern matching the event type, and at most 1 MB.
 */
export abstract class EventClientBase extends ClientProxy {
  constructor() {
    super();
    this.initializeSerializer({});
    this.initializeDeserializer({});
  }

  /** Sends one validated event (serialised as `body`) to the transport. */
  protected abstract deliver(event: EventEnvelope, body: string): Promise<unknown>;

  /** Refuses an oversized event before anything else (the base class connects first). */
  override emit<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    const size = Buffer.byteLength(JSON.stringify(data) ?? '');
    if (size > MAX_EVENT_BYTES) {
      const id = (data as { id?: string } | null)?.id ?? '?';
      return throwError(() => new Error(`event ${String(pattern)} ${id} is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`));
    }
    return super.emit<TResult, TInput>(pattern, data);
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request-response is not supported: services talk through events'), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const event = validateEvent(packet.data);
    if (packet.pattern !== event.type) throw new Error(`pattern ${packet.pattern} does not match event type ${event.type}`);
    const body = JSON.stringify(event);
    const size = Buffer.byteLength(body);
    // Refused here with a clear reason rather than by the broker (MESSAGE_TOO_LARGE) after retries.
    if (size > MAX_EVENT_BYTES) throw new Error(`event ${event.type} ${event.id} is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`);
    return (await this.deliver(event, body)) as T;
  }
}
