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

  /**
   * Validates and serialises the event before anything else (the base class connects first, and a
   * bad or oversized event should fail at once with its reason, not after connection retries).
   */
  override emit<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    let prepared: PreparedEvent;
    try {
      prepared = prepare(pattern, data);
    } catch (error) {
      return throwError(() => error);
    }
    return super.emit<TResult, PreparedEvent>(pattern, prepared);
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error('request-response is not supported: services talk through events'), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const { event, body } = packet.data instanceof PreparedEvent ? packet.data : prepare(packet.pattern, packet.data);
    return (await this.deliver(event, body)) as T;
  }
}

/** An event validated and serialised once, on its way through Nest's client plumbing. */
class PreparedEvent {
  constructor(
    readonly event: EventEnvelope,
    readonly body: string,
  ) {}
}

function prepare(pattern: unknown, data: unknown): PreparedEvent {
  const event = validateEvent(data);
  if (pattern !== event.type) throw new Error(`pattern ${String(pattern)} does not match event type ${event.type}`);
  const body = JSON.stringify(event);
  const size = Buffer.byteLength(body);
  // Refused here with a clear reason rather than by the broker (MESSAGE_TOO_LARGE) after retries.
  if (size > MAX_EVENT_BYTES) throw new Error(`event ${event.type} ${event.id} is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`);
  return new PreparedEvent(event, body);
}
