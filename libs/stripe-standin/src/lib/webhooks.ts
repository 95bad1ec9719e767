import { createHmac, randomBytes } from 'node:crypto';
import { invalidRequest, missingResource } from './errors';
import { allowOnly, newId, type Params, type StripeEvent } from './engine';

export interface WebhookEndpoint {
  id: string;
  object: 'webhook_endpoint';
  url: string;
  enabled_events: string[];
  secret: string;
  status: 'enabled';
  created: number;
}

export interface DeliveryAttempt {
  eventId: string;
  type: string;
  endpointId: string;
  attempt: number;
  /** HTTP status, or 0 when the endpoint could not be reached or timed out. */
  status: number;
  /** When the request was sent and when its reply (or failure) came. */
  startedAt: number;
  at: number;
  /** The backoff scheduled before the next attempt (none after a 2xx or the last attempt). */
  retryInMs?: number;
}

export interface WebhookOptions {
  now: () => number;
  /** First retry after this many ms, doubling each time (Stripe retries for days; tests want it fast). */
  retryBaseMs: number;
  maxAttempts: number;
  /** Stripe waits a limited time for a reply; a slower endpoint counts as failed. */
  timeoutMs: number;
  apiVersion: string;
}

/** Stripe's signature scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<payload>" with the endpoint secret>`. */
export function signPayload(payload: string, secret: string, timestampSec: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSec}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSec},v1=${v1}`;
}

/**
 * Events and their delivery to webhook endpoints: signed like Stripe's, retried with exponential
 * backoff on a non-2xx reply or a timeout. For tests the delivery can be held and then released in
 * reverse order and/or twice, or one event re-sent, to prove a receiver is idempotent and order-free.
 */
export class Webhooks {
  readonly events: StripeEvent[] = [];
  private readonly byId = new Map<string, StripeEvent>();
  readonly endpoints = new Map<string, WebhookEndpoint>();
  readonly attempts: DeliveryAttempt[] = [];
  private held: { event: StripeEvent; endpoint: WebhookEndpoint }[] | null = null;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: WebhookOptions) {}

  addEndpoint(p: Params, fixedSecret?: string): WebhookEndpoint {
    allowOnly(p, ['url', 'enabled_events', 'description', 'api_version']);
    if (typeof p['url'] !== 'string' || !/^https?:\/\//.test(p['url'])) throw invalidRequest('Invalid URL: url must be an http(s) URL.', { param: 'url' });
    const events = Array.isArray(p['enabled_events']) ? (p['enabled_events'] as string[]) : typeof p['enabled_events'] === 'object' && p['enabled_events'] ? Object.values(p['enabled_events'] as object) : [];
    if (!events.length) throw invalidRequest('Missing required param: enabled_events.', { param: 'enabled_events', code: 'parameter_missing' });
    const endpoint: WebhookEndpoint = {
      id: newId('we'),
      object: 'webhook_endpoint',
      url: p['url'],
      enabled_events: events.map(String),
      secret: fixedSecret ?? `whsec_${randomBytes(24).toString('hex')}`,
      status: 'enabled',
      created: Math.floor(this.opts.now() / 1000),
    };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  deleteEndpoint(id: string): { id: string; object: 'webhook_endpoint'; deleted: true } {
    if (!this.endpoints.delete(id)) throw missingResource('webhook_endpoint', id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }

  /** Records an event (a snapshot of the object now) and delivers it to every endpoint that wants it. */
  emit(type: string, object: unknown, request: StripeEvent['request'] = { id: null, idempotency_key: null }): StripeEvent {
    const targets = [...this.endpoints.values()].filter((e) => e.enabled_events.includes('*') || e.enabled_events.includes(type));
    const event: StripeEvent = {
      id: newId('evt'),
      object: 'event',
      api_version: this.opts.apiVersion,
      created: Math.floor(this.opts.now() / 1000),
      data: { object: structuredClone(object) },
      livemode: false,
      pending_webhooks: targets.length,
      request,
      type,
    };
    this.events.push(event);
    this.byId.set(event.id, event);
    for (const endpoint of targets) this.schedule(event, endpoint);
    return event;
  }

  retrieve(id: string): StripeEvent {
    const e = this.byId.get(id);
    if (!e) throw missingResource('event', id);
    return e;
  }

  /** Newest first, like Stripe's list; `starting_after` pages on. */
  list(p: Params): { object: 'list'; data: StripeEvent[]; has_more: boolean; url: string } {
    allowOnly(p, ['limit', 'type', 'starting_after', 'created']);
    const limit = p['limit'] === undefined ? 10 : Number(p['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw invalidRequest('This value must be between 1 and 100.', { param: 'limit' });
    let all = [...this.events].reverse();
    if (typeof p['type'] === 'string') {
      const pattern = p['type'];
      all = all.filter((e) => (pattern.endsWith('.*') ? e.type.startsWith(pattern.slice(0, -1)) : e.type === pattern));
    }
    if (typeof p['starting_after'] === 'string') {
      const i = all.findIndex((e) => e.id === p['starting_after']);
      if (i < 0) throw missingResource('event', p['starting_after'], 'starting_after');
      all = all.slice(i + 1);
    }
    return { object: 'list', data: all.slice(0, limit), has_more: all.length > limit, url: '/v1/events' };
  }

  // ---- test controls ----

  /** Queue deliveries instead of sending them, until `release`. */
  hold(): void {
    this.held ??= [];
  }

  /** Sends what was held: in order or reversed, once or twice each. Returns how many deliveries started. */
  release(options: { reverse?: boolean; twice?: boolean } = {}): number {
    const queue = this.held ?? [];
    this.held = null;
    const ordered = options.reverse ? [...queue].reverse() : queue;
    for (const { event, endpoint } of ordered) {
      this.deliver(event, endpoint, 1);
      if (options.twice) this.deliver(event, endpoint, 1);
    }
    return ordered.length * (options.twice ? 2 : 1);
  }

  /** Sends one event again to every endpoint that wants it (as a Stripe dashboard "resend" does). */
  redeliver(eventId: string): void {
    const event = this.retrieve(eventId);
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(event.type)) this.deliver(event, endpoint, 1);
    }
  }

  /** Resolves when no delivery is in flight or waiting for a retry. */
  async idle(): Promise<void> {
    while (this.inFlight.size || this.timers.size) {
      await Promise.all([...this.inFlight]);
      if (this.timers.size) await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private schedule(event: StripeEvent, endpoint: WebhookEndpoint): void {
    if (this.held) this.held.push({ event, endpoint });
    // After the API reply, as Stripe does: a handler that reads the object back sees the new state.
    else this.later(0, () => this.deliver(event, endpoint, 1));
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private deliver(event: StripeEvent, endpoint: WebhookEndpoint, attempt: number): void {
    if (this.closed) return;
    const run = this.send(event, endpoint, attempt).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async send(event: StripeEvent, endpoint: WebhookEndpoint, attempt: number): Promise<void> {
    const payload = JSON.stringify(event, null, 2);
    const startedAt = this.opts.now();
    const signature = signPayload(payload, endpoint.secret, Math.floor(this.opts.now() / 1000));
    let status = 0;
    try {
      const res = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks) stand-in' },
        body: payload,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      status = 0;
    }
    const ok = status >= 200 && status < 300;
    const retryInMs = !ok && attempt < this.opts.maxAttempts ? this.opts.retryBaseMs * 2 ** (attempt - 1) : undefined;
    this.attempts.push({ eventId: event.id, type: event.type, endpointId: endpoint.id, attempt, status, startedAt, at: this.opts.now(), ...(retryInMs ? { retryInMs } : {}) });
    if (ok) {
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
      return;
    }
    if (retryInMs) this.later(retryInMs, () => this.deliver(event, endpoint, attempt + 1));
  }
}
