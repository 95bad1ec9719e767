import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseForm } from 'qs';
import { invalidRequest, StripeApiError } from './errors';
import { StripeEngine, type Params, type PayInput, type PayOutcome, type StripeEvent } from './engine';
import { closedPage, paymentPage } from './page';
import { Webhooks, type WebhookEndpoint } from './webhooks';
import { InvoiceApi } from './invoices';

export interface StripeStandinOptions {
  port?: number;
  host?: string;
  /** Webhook endpoints registered at start (as `stripe listen --forward-to` would), each with a fixed secret. */
  webhooks?: { url: string; secret: string; events?: string[] }[];
  retryBaseMs?: number;
  maxWebhookAttempts?: number;
  webhookTimeoutMs?: number;
  /** Injected clock (ms), for expiry tests. */
  now?: () => number;
}

export interface RunningStripeStandin {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  host: string;
  port: number;
  /** Options for `new Stripe(key, …)` that point the SDK here. */
  sdkOptions: { host: string; port: number; protocol: 'http' };
  engine: StripeEngine;
  invoicing: InvoiceApi;
  webhooks: Webhooks;
  /** Pays a session as the hosted page would (tests, benchmarks). */
  pay(sessionId: string, input: PayInput): PayOutcome;
  addWebhook(url: string, secret?: string, events?: string[]): WebhookEndpoint;
  stop(): Promise<void>;
}

const API_VERSION = '2025-11-17.clover';
const SECRET_KEY = /^Bearer (sk|rk)_test_[A-Za-z0-9_]+$/;

interface Idempotent {
  fingerprint: string;
  status: number;
  body: string;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw invalidRequest('Request body too large.', {}, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${Math.random().toString(36).slice(2, 16)}`, 'stripe-version': API_VERSION, ...headers });
  res.end(body);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** Canonical form of parameters, so the same body in another key order is "the same parameters". */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * An HTTP stand-in for the part of Stripe's API that Techan uses, for tests and the local start
 * (dev/test only: the project is tagged type:local-stack). Unknown routes and parameters are refused
 * the way Stripe refuses them, so a call it does not implement fails loudly instead of passing.
 */
export async function startStripeStandin(options: StripeStandinOptions = {}): Promise<RunningStripeStandin> {
  const now = options.now ?? Date.now;
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';
  const webhooks = new Webhooks({
    now,
    retryBaseMs: options.retryBaseMs ?? 500,
    maxAttempts: options.maxWebhookAttempts ?? 8,
    timeoutMs: options.webhookTimeoutMs ?? 10_000,
    apiVersion: API_VERSION,
  });
  let currentRequest: StripeEvent['request'] = { id: null, idempotency_key: null };
  const engine = new StripeEngine({ baseUrl: () => baseUrl, now, emit: (type, object) => webhooks.emit(type, object, currentRequest) });
  // Invoicing (institutional buyers' monthly invoices) lives in invoices.ts.
  const invoicing = new InvoiceApi({ now, baseUrl: () => baseUrl, emit: (type, object) => webhooks.emit(type, object, currentRequest) });
  const idempotency = new Map<string, Idempotent>();
  const inProgress = new Set<string>();

  function api(method: string, path: string, p: Params): unknown {
    const parts = path.split('/').filter(Boolean); // ['v1', ...]
    const [, a, b, c, d] = parts;
    if (method === 'POST' && a === 'checkout' && b === 'sessions' && !c) return engine.createSession(p);
    if (method === 'GET' && a === 'checkout' && b === 'sessions' && c && !d) return engine.retrieveSession(c);
    if (method === 'POST' && a === 'checkout' && b === 'sessions' && c && d === 'expire') return engine.expireSession(c);
    if (method === 'GET' && a === 'checkout' && b === 'sessions' && c && d === 'line_items') {
      return { object: 'list', data: engine.lineItems(c).map((l, i) => ({ id: `li_${i}`, object: 'item', description: l.name, quantity: l.quantity, amount_total: l.unit_amount * l.quantity, currency: l.currency })), has_more: false };
    }
    if (method === 'POST' && a === 'payment_intents' && !b) return engine.createIntent(p);
    if (method === 'GET' && a === 'payment_intents' && b && !c) return engine.retrieveIntent(b);
    if (method === 'POST' && a === 'payment_intents' && b && c === 'capture') return engine.captureIntent(b, p);
    if (method === 'POST' && a === 'payment_intents' && b && c === 'cancel') return engine.cancelIntent(b, p);
    if (method === 'POST' && a === 'refunds' && !b) return engine.createRefund(p);
    if (method === 'GET' && a === 'refunds' && b && !c) return engine.retrieveRefund(b);
    if (method === 'GET' && a === 'events' && !b) return webhooks.list(p);
    if (method === 'GET' && a === 'events' && b && !c) return webhooks.retrieve(b);
    if (method === 'POST' && a === 'webhook_endpoints' && !b) return webhooks.addEndpoint(p);
    if (method === 'DELETE' && a === 'webhook_endpoints' && b && !c) return webhooks.deleteEndpoint(b);
    const invoiced = invoicing.route(method, a, b, c, p);
    if (invoiced !== undefined) return invoiced;
    throw invalidRequest(`Unrecognized request URL (${method}: ${path}). The Stripe stand-in does not implement it (libs/stripe-standin/README.md).`, {}, 404);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    if (!SECRET_KEY.test(req.headers.authorization ?? '')) {
      send(res, 401, JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided: the stand-in accepts test keys (sk_test_…) only.' } }));
      return;
    }
    const method = req.method ?? 'GET';
    const raw = method === 'POST' ? await readBody(req) : query;
    const params = parseForm(raw, { depth: 10, arrayLimit: 200, parameterLimit: 2000 }) as Params;
    const key = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
    const fingerprint = `${method} ${path} ${canonical(params)}`;
    if (key) {
      const seen = idempotency.get(key);
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          send(res, 400, JSON.stringify({ error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.` } }));
          return;
        }
        send(res, seen.status, seen.body, { 'idempotent-replayed': 'true', 'idempotency-key': key });
        return;
      }
      if (inProgress.has(key)) {
        send(res, 409, JSON.stringify({ error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' + key } }));
        return;
      }
      inProgress.add(key);
    }
    let status = 200;
    let body: string;
    let ran = true;
    try {
      currentRequest = { id: `req_${Math.random().toString(36).slice(2, 16)}`, idempotency_key: key ?? null };
      body = JSON.stringify(api(method, path, params));
    } catch (e) {
      if (!(e instanceof StripeApiError)) throw e;
      status = e.status;
      body = JSON.stringify({ error: e.body });
      // A parameter that failed validation: the request never ran (Stripe then saves nothing for the key).
      ran = !(e.body.type === 'invalid_request_error' && e.body.param !== undefined);
    } finally {
      currentRequest = { id: null, idempotency_key: null };
      if (key) inProgress.delete(key);
    }
    // Stripe keeps the result of a request that ran, success or error, for the key; not of one whose
    // parameters failed validation ("no idempotent result is saved"), so it may be sent again corrected.
    if (key && ran) idempotency.set(key, { fingerprint, status, body });
    send(res, status, body, key ? { 'idempotency-key': key } : {});
  }

  async function handlePage(req: IncomingMessage, res: ServerResponse, sessionId: string): Promise<void> {
    let rec;
    try {
      rec = engine.sessionRecord(sessionId);
    } catch {
      html(res, 404, '<!doctype html><meta charset="utf-8"><title>未找到</title><p>没有这个付款页面。</p>');
      return;
    }
    const s = rec.session;
    if (s.status !== 'open' && req.method !== 'POST') return html(res, 200, closedPage(s));
    if (req.method === 'GET') return html(res, 200, paymentPage(s, rec.lineItems, s.payment_intent ? engine.intents.get(s.payment_intent) : undefined));
    const form = parseForm(await readBody(req)) as Record<string, string>;
    if (s.status !== 'open') return html(res, 409, closedPage(s));
    let outcome: PayOutcome;
    try {
      if (form['action'] === 'cancel') {
        res.writeHead(303, { location: s.cancel_url ?? '/' });
        res.end();
        return;
      }
      if (form['action'] === 'authenticate') outcome = engine.authenticate(sessionId, form['result'] === 'ok');
      else if (form['method'] === 'card') outcome = engine.pay(sessionId, { method: 'card', cardNumber: form['card'] ?? '' });
      else if (form['method'] === 'alipay' || form['method'] === 'wechat_pay') outcome = engine.pay(sessionId, { method: form['method'], approve: form['approve'] === 'yes' });
      else return html(res, 400, paymentPage(s, rec.lineItems, undefined, '请选择付款方式'));
    } catch (e) {
      return html(res, 400, paymentPage(s, rec.lineItems, undefined, e instanceof Error ? e.message : '付款失败'));
    }
    const pi = s.payment_intent ? engine.intents.get(s.payment_intent) : undefined;
    if (outcome === 'succeeded' || outcome === 'authorized') {
      res.writeHead(303, { location: (s.success_url ?? '/').replace('{CHECKOUT_SESSION_ID}', s.id) });
      res.end();
      return;
    }
    html(res, outcome === 'declined' ? 402 : 200, paymentPage(s, rec.lineItems, pi, outcome === 'declined' ? pi?.last_payment_error?.message : undefined));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [path, query] = [url.pathname, (req.url ?? '').split('?')[1] ?? ''];
    const page = /^\/pay\/([A-Za-z0-9_]+)$/.exec(path);
    const work = path.startsWith('/v1/') ? handleApi(req, res, path, query) : page ? handlePage(req, res, page[1]) : Promise.resolve(send(res, 404, JSON.stringify({ error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path}).` } })));
    work.catch((e: unknown) => {
      if (e instanceof StripeApiError) return send(res, e.status, JSON.stringify({ error: e.body }));
      process.stderr.write(`stripe-standin: ${e instanceof Error ? e.stack : String(e)}\n`);
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: { type: 'api_error', message: 'The stand-in failed; see its log.' } }));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host}:${port}`;
  const sweeper = setInterval(() => engine.sweepExpired(), 1000);
  sweeper.unref();
  for (const w of options.webhooks ?? []) webhooks.addEndpoint({ url: w.url, enabled_events: w.events ?? ['*'] }, w.secret);

  return {
    url: baseUrl,
    host,
    port,
    sdkOptions: { host, port, protocol: 'http' },
    engine,
    invoicing,
    webhooks,
    pay: (sessionId, input) => engine.pay(sessionId, input),
    addWebhook: (url, secret, events = ['*']) => webhooks.addEndpoint({ url, enabled_events: events }, secret),
    stop: async () => {
      clearInterval(sweeper);
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
