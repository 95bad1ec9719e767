import { randomBytes } from 'node:crypto';
import { invalidRequest, missingParameter, missingResource, StripeApiError, unexpectedState } from './errors';

/**
 * The stand-in's objects and their state changes, shaped like Stripe's API objects (the fields the
 * SDK's callers read). HTTP, idempotency and webhooks live in server.ts and webhooks.ts.
 */

export type Params = Record<string, unknown>;
export type PaymentMethodType = 'card' | 'alipay' | 'wechat_pay';
export const SUPPORTED_METHODS: readonly PaymentMethodType[] = ['card', 'alipay', 'wechat_pay'];

export interface LineItem {
  name: string;
  unit_amount: number;
  quantity: number;
  currency: string;
}

export interface CheckoutSession {
  id: string;
  object: 'checkout.session';
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer_email: string | null;
  expires_at: number;
  livemode: false;
  metadata: Record<string, string>;
  mode: 'payment';
  payment_intent: string | null;
  allowed_payment_method_types: PaymentMethodType[];
  payment_method_types: PaymentMethodType[];
  payment_status: 'paid' | 'unpaid';
  status: 'open' | 'complete' | 'expired';
  success_url: string | null;
  url: string | null;
}

export interface PaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: 'automatic' | 'automatic_async' | 'manual';
  client_secret: string;
  created: number;
  currency: string;
  last_payment_error: { type: string; code: string; decline_code?: string; message: string } | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  payment_method: string | null;
  allowed_payment_method_types: PaymentMethodType[];
  payment_method_types: PaymentMethodType[];
  status: 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'requires_capture' | 'canceled' | 'succeeded';
}

export interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: 'succeeded';
}

export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

interface SessionRecord {
  session: CheckoutSession;
  lineItems: LineItem[];
  captureMethod: PaymentIntent['capture_method'];
  piMetadata: Record<string, string>;
}

interface ChargeRecord {
  id: string;
  amount: number;
  amountRefunded: number;
}

/** Stripe's test card numbers (https://docs.stripe.com/testing) and what they do here. */
export const TEST_CARDS: Record<string, { outcome: 'success' | 'decline' | 'authenticate'; declineCode?: string; labelZh: string }> = {
  '4242424242424242': { outcome: 'success', labelZh: 'Visa 测试卡：支付成功' },
  '4000000000000002': { outcome: 'decline', declineCode: 'generic_decline', labelZh: '被拒绝的卡' },
  '4000000000009995': { outcome: 'decline', declineCode: 'insufficient_funds', labelZh: '余额不足' },
  '4000002760003184': { outcome: 'authenticate', labelZh: '需要 3D Secure 验证' },
};

/** Test payment-method ids the PaymentIntents API accepts here, as in Stripe test mode. */
const TEST_PAYMENT_METHODS: Record<string, string> = {
  pm_card_visa: '4242424242424242',
  pm_card_chargeDeclined: '4000000000000002',
  pm_card_chargeDeclinedInsufficientFunds: '4000000000009995',
  pm_card_authenticationRequired: '4000002760003184',
};

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
}

export type EventSink = (type: string, object: unknown) => void;

export interface EngineOptions {
  /** Public base URL of the hosted payment page, e.g. http://127.0.0.1:12111 */
  baseUrl: () => string;
  now: () => number;
  emit: EventSink;
}

function str(v: unknown, param: string): string {
  if (typeof v !== 'string') throw invalidRequest(`Invalid string: ${param}`, { param, code: 'parameter_invalid_string' });
  return v;
}

function int(v: unknown, param: string): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw invalidRequest(`Invalid integer: ${String(v)}`, { param, code: 'parameter_invalid_integer' });
  return n;
}

function metadata(v: unknown, param = 'metadata'): Record<string, string> {
  if (v === undefined || v === '') return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidRequest('Invalid object', { param });
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = str(val, `${param}[${k}]`);
  return out;
}

function list(v: unknown, param: string): unknown[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  if (typeof v === 'object' && v !== null) return Object.values(v);
  throw invalidRequest(`Invalid array`, { param });
}

function methods(v: unknown, param: string): PaymentMethodType[] {
  const types = list(v, param).map((x, i) => str(x, `${param}[${i}]`));
  for (const t of types) {
    if (!SUPPORTED_METHODS.includes(t as PaymentMethodType)) {
      throw invalidRequest(`The payment method type "${t}" is invalid (the stand-in supports ${SUPPORTED_METHODS.join(', ')}).`, { param, code: 'parameter_invalid' });
    }
  }
  return types as PaymentMethodType[];
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

/** Only the parameters named are accepted (Stripe refuses unknown ones with parameter_unknown). */
export function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key === 'expand') continue;
    if (!allowed.includes(key)) throw invalidRequest(`Received unknown parameter: ${key}`, { code: 'parameter_unknown', param: key });
  }
}

export type PayInput = { method: 'card'; cardNumber: string } | { method: 'alipay' | 'wechat_pay'; approve: boolean };
export type PayOutcome = 'succeeded' | 'authorized' | 'declined' | 'requires_action' | 'abandoned';

export class StripeEngine {
  readonly sessions = new Map<string, SessionRecord>();
  readonly intents = new Map<string, PaymentIntent>();
  readonly refunds = new Map<string, Refund>();
  private readonly charges = new Map<string, ChargeRecord>();

  constructor(private readonly opts: EngineOptions) {}

  private get nowSec(): number {
    return Math.floor(this.opts.now() / 1000);
  }

  // ---- Checkout Sessions ----

  createSession(p: Params): CheckoutSession {
    allowOnly(p, ['mode', 'line_items', 'allowed_payment_method_types', 'payment_method_types', 'payment_intent_data', 'payment_method_options', 'success_url', 'cancel_url', 'client_reference_id', 'metadata', 'expires_at', 'customer_email', 'currency', 'locale']);
    if (p['mode'] !== 'payment') throw p['mode'] === undefined ? missingParameter('mode') : invalidRequest(`The stand-in supports mode=payment only, not ${String(p['mode'])}.`, { param: 'mode' });
    // API 2026-10-28.endive (stripe-node 23) names it allowed_payment_method_types; older versions payment_method_types.
    const typesParam = p['allowed_payment_method_types'] !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
    const types = methods(p[typesParam], typesParam);
    if (!types.length) throw missingParameter('allowed_payment_method_types');
    const rawItems = list(p['line_items'], 'line_items');
    if (!rawItems.length) throw missingParameter('line_items');
    const lineItems = rawItems.map((raw, i) => {
      const item = raw as Params;
      const pd = item['price_data'] as Params | undefined;
      if (!pd) throw invalidRequest('The stand-in supports line_items with price_data only.', { param: `line_items[${i}][price_data]` });
      const product = pd['product_data'] as Params | undefined;
      if (!product?.['name']) throw missingParameter(`line_items[${i}][price_data][product_data][name]`);
      const quantity = int(item['quantity'], `line_items[${i}][quantity]`);
      const unit = int(pd['unit_amount'], `line_items[${i}][price_data][unit_amount]`);
      if (quantity < 1) throw invalidRequest('This value must be greater than or equal to 1.', { param: `line_items[${i}][quantity]` });
      if (unit < 0) throw invalidRequest('This value must be greater than or equal to 0.', { param: `line_items[${i}][price_data][unit_amount]` });
      return { name: str(product['name'], 'name'), unit_amount: unit, quantity, currency: str(pd['currency'], `line_items[${i}][price_data][currency]`).toLowerCase() };
    });
    const currency = lineItems[0].currency;
    if (lineItems.some((l) => l.currency !== currency)) throw invalidRequest('All line_items must have the same currency.', { param: 'line_items' });
    const pid = (p['payment_intent_data'] as Params | undefined) ?? {};
    allowOnly(pid, ['capture_method', 'metadata', 'description']);
    const captureMethod = (pid['capture_method'] ?? 'automatic') as PaymentIntent['capture_method'];
    if (!['automatic', 'automatic_async', 'manual'].includes(captureMethod)) throw invalidRequest('Invalid capture_method', { param: 'payment_intent_data[capture_method]' });
    // As on Stripe: Alipay and WeChat Pay capture at once; they cannot be authorised separately.
    if (captureMethod === 'manual' && types.some((t) => t !== 'card')) {
      throw invalidRequest(`The payment method type(s) ${types.filter((t) => t !== 'card').join(', ')} do not support capture_method=manual.`, { param: 'payment_intent_data[capture_method]' });
    }
    if (types.includes('wechat_pay')) {
      const client = ((p['payment_method_options'] as Params | undefined)?.['wechat_pay'] as Params | undefined)?.['client'];
      if (client !== 'web') throw missingParameter('payment_method_options[wechat_pay][client]');
    }
    const total = lineItems.reduce((s, l) => s + l.unit_amount * l.quantity, 0);
    const expiresAt = p['expires_at'] === undefined ? this.nowSec + 24 * 3600 : int(p['expires_at'], 'expires_at');
    if (expiresAt < this.nowSec + 30 * 60 - 5 || expiresAt > this.nowSec + 24 * 3600) {
      throw invalidRequest('The `expires_at` timestamp must be between 30 minutes and 24 hours from Checkout Session creation.', { param: 'expires_at' });
    }
    const id = newId('cs_test');
    const session: CheckoutSession = {
      id,
      object: 'checkout.session',
      amount_subtotal: total,
      amount_total: total,
      cancel_url: p['cancel_url'] === undefined ? null : str(p['cancel_url'], 'cancel_url'),
      client_reference_id: p['client_reference_id'] === undefined ? null : str(p['client_reference_id'], 'client_reference_id'),
      created: this.nowSec,
      currency,
      customer_email: p['customer_email'] === undefined ? null : str(p['customer_email'], 'customer_email'),
      expires_at: expiresAt,
      livemode: false,
      metadata: metadata(p['metadata']),
      mode: 'payment',
      payment_intent: null,
      allowed_payment_method_types: types,
      payment_method_types: types,
      payment_status: 'unpaid',
      status: 'open',
      success_url: p['success_url'] === undefined ? null : str(p['success_url'], 'success_url'),
      url: `${this.opts.baseUrl()}/pay/${id}`,
    };
    this.sessions.set(id, { session, lineItems, captureMethod, piMetadata: metadata(pid['metadata'], 'payment_intent_data[metadata]') });
    return session;
  }

  retrieveSession(id: string): CheckoutSession {
    return this.sessionRecord(id).session;
  }

  sessionRecord(id: string): SessionRecord {
    const rec = this.sessions.get(id);
    if (!rec) throw missingResource('checkout.session', id);
    this.expireIfDue(rec);
    return rec;
  }

  lineItems(id: string): LineItem[] {
    return this.sessionRecord(id).lineItems;
  }

  expireSession(id: string): CheckoutSession {
    const rec = this.sessionRecord(id);
    if (rec.session.status !== 'open') {
      throw invalidRequest(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${rec.session.status}".`);
    }
    this.expire(rec);
    return rec.session;
  }

  /** Expires every open session past its expires_at (Stripe does this on its own). */
  sweepExpired(): void {
    for (const rec of this.sessions.values()) this.expireIfDue(rec);
  }

  private expireIfDue(rec: SessionRecord): void {
    if (rec.session.status === 'open' && rec.session.expires_at <= this.nowSec) this.expire(rec);
  }

  private expire(rec: SessionRecord): void {
    rec.session.status = 'expired';
    rec.session.url = null;
    const pi = rec.session.payment_intent ? this.intents.get(rec.session.payment_intent) : undefined;
    if (pi && ['requires_payment_method', 'requires_action', 'requires_confirmation'].includes(pi.status)) this.cancelIntentNow(pi, 'abandoned');
    this.opts.emit('checkout.session.expired', rec.session);
  }

  /** What the hosted page does when the shopper submits it. */
  pay(sessionId: string, input: PayInput): PayOutcome {
    const rec = this.sessionRecord(sessionId);
    const s = rec.session;
    if (s.status !== 'open') throw invalidRequest(`This Checkout Session is ${s.status}.`, { code: 'checkout_session_not_open' });
    if (!s.payment_method_types.includes(input.method)) throw invalidRequest(`This session does not accept ${input.method}.`);
    const pi = s.payment_intent ? (this.intents.get(s.payment_intent) as PaymentIntent) : this.newIntent(s.amount_total, s.currency, rec.captureMethod, [input.method], rec.piMetadata);
    s.payment_intent = pi.id;
    if (pi.status === 'requires_action') throw invalidRequest('This payment is waiting for authentication.');
    if (input.method === 'card') {
      const outcome = this.confirmCard(pi, input.cardNumber.replace(/\s+/g, ''));
      if (outcome === 'authorized' || outcome === 'succeeded') this.completeSession(rec);
      return outcome;
    }
    if (!input.approve) {
      this.fail(pi, { type: 'card_error', code: 'payment_method_provider_decline', message: '付款已在钱包中取消' });
      return 'declined';
    }
    pi.payment_method = newId('pm');
    this.succeed(pi, pi.amount);
    this.completeSession(rec);
    return 'succeeded';
  }

  /** The 3D Secure step of a card that needs authentication (4000 0027 6000 3184). */
  authenticate(sessionId: string, ok: boolean): PayOutcome {
    const rec = this.sessionRecord(sessionId);
    const pi = rec.session.payment_intent ? this.intents.get(rec.session.payment_intent) : undefined;
    if (!pi || pi.status !== 'requires_action') throw invalidRequest('Nothing to authenticate for this session.');
    if (!ok) {
      this.fail(pi, { type: 'card_error', code: 'payment_intent_authentication_failure', message: '3D Secure 验证失败' });
      return 'declined';
    }
    this.authorizeOrCapture(pi);
    this.completeSession(rec);
    return pi.capture_method === 'manual' ? 'authorized' : 'succeeded';
  }

  private completeSession(rec: SessionRecord): void {
    const pi = this.intents.get(rec.session.payment_intent as string) as PaymentIntent;
    rec.session.status = 'complete';
    rec.session.url = null;
    rec.session.payment_status = pi.status === 'succeeded' ? 'paid' : 'unpaid';
    this.opts.emit('checkout.session.completed', rec.session);
  }

  // ---- PaymentIntents ----

  createIntent(p: Params): PaymentIntent {
    allowOnly(p, ['amount', 'currency', 'allowed_payment_method_types', 'payment_method_types', 'payment_method', 'confirm', 'capture_method', 'metadata', 'description']);
    if (p['amount'] === undefined) throw missingParameter('amount');
    if (p['currency'] === undefined) throw missingParameter('currency');
    const amount = int(p['amount'], 'amount');
    if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', { param: 'amount' });
    const typesParam = p['allowed_payment_method_types'] !== undefined ? 'allowed_payment_method_types' : 'payment_method_types';
    const types = p[typesParam] === undefined ? (['card'] as PaymentMethodType[]) : methods(p[typesParam], typesParam);
    const capture = (p['capture_method'] ?? 'automatic') as PaymentIntent['capture_method'];
    const pi = this.newIntent(amount, str(p['currency'], 'currency').toLowerCase(), capture, types, metadata(p['metadata']));
    if (p['confirm'] === 'true' || p['confirm'] === true) {
      const pm = p['payment_method'] === undefined ? undefined : str(p['payment_method'], 'payment_method');
      const card = pm ? TEST_PAYMENT_METHODS[pm] : undefined;
      if (!pm) throw missingParameter('payment_method');
      if (!card) throw missingResource('payment_method', pm, 'payment_method');
      const outcome = this.confirmCard(pi, card);
      if (outcome === 'declined') {
        throw new StripeApiError(402, { ...(pi.last_payment_error as NonNullable<PaymentIntent['last_payment_error']>), type: 'card_error', payment_intent: pi });
      }
    }
    return pi;
  }

  retrieveIntent(id: string): PaymentIntent {
    const pi = this.intents.get(id);
    if (!pi) throw missingResource('payment_intent', id);
    return pi;
  }

  captureIntent(id: string, p: Params): PaymentIntent {
    allowOnly(p, ['amount_to_capture', 'metadata']);
    const pi = this.retrieveIntent(id);
    if (pi.status !== 'requires_capture') {
      throw unexpectedState(`This PaymentIntent could not be captured because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, pi);
    }
    const amount = p['amount_to_capture'] === undefined ? pi.amount_capturable : int(p['amount_to_capture'], 'amount_to_capture');
    if (amount < 1 || amount > pi.amount_capturable) throw invalidRequest('The amount_to_capture must be between 1 and the amount capturable.', { param: 'amount_to_capture', code: 'amount_too_large' });
    Object.assign(pi.metadata, metadata(p['metadata']));
    this.succeed(pi, amount);
    return pi;
  }

  cancelIntent(id: string, p: Params): PaymentIntent {
    allowOnly(p, ['cancellation_reason']);
    const pi = this.retrieveIntent(id);
    if (!['requires_payment_method', 'requires_capture', 'requires_confirmation', 'requires_action'].includes(pi.status)) {
      throw unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`, pi);
    }
    const reason = p['cancellation_reason'] === undefined ? null : str(p['cancellation_reason'], 'cancellation_reason');
    if (reason && !['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'].includes(reason)) throw invalidRequest('Invalid cancellation_reason', { param: 'cancellation_reason' });
    this.cancelIntentNow(pi, reason);
    return pi;
  }

  private cancelIntentNow(pi: PaymentIntent, reason: string | null): void {
    pi.status = 'canceled';
    pi.canceled_at = this.nowSec;
    pi.cancellation_reason = reason;
    pi.amount_capturable = 0;
    this.opts.emit('payment_intent.canceled', pi);
  }

  private newIntent(amount: number, currency: string, capture: PaymentIntent['capture_method'], types: PaymentMethodType[], meta: Record<string, string>): PaymentIntent {
    const id = newId('pi');
    const pi: PaymentIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: capture,
      client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
      created: this.nowSec,
      currency,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: { ...meta },
      payment_method: null,
      allowed_payment_method_types: types,
      payment_method_types: types,
      status: 'requires_payment_method',
    };
    this.intents.set(id, pi);
    this.opts.emit('payment_intent.created', pi);
    return pi;
  }

  private confirmCard(pi: PaymentIntent, cardNumber: string): PayOutcome {
    pi.payment_method = newId('pm');
    const known = TEST_CARDS[cardNumber];
    if (!known) {
      const code = luhn(cardNumber) ? 'card_declined' : 'incorrect_number';
      this.fail(pi, { type: 'card_error', code, ...(code === 'card_declined' ? { decline_code: 'test_mode_live_card' } : {}), message: code === 'incorrect_number' ? '卡号不正确' : '测试模式下只能使用测试卡' });
      return 'declined';
    }
    if (known.outcome === 'decline') {
      this.fail(pi, { type: 'card_error', code: 'card_declined', decline_code: known.declineCode, message: known.declineCode === 'insufficient_funds' ? '余额不足，银行卡被拒绝' : '您的银行卡被拒绝' });
      return 'declined';
    }
    if (known.outcome === 'authenticate') {
      pi.status = 'requires_action';
      pi.last_payment_error = null;
      this.opts.emit('payment_intent.requires_action', pi);
      return 'requires_action';
    }
    this.authorizeOrCapture(pi);
    return pi.capture_method === 'manual' ? 'authorized' : 'succeeded';
  }

  private authorizeOrCapture(pi: PaymentIntent): void {
    pi.last_payment_error = null;
    if (pi.capture_method === 'manual') {
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      pi.latest_charge = this.newCharge(pi.amount).id;
      this.opts.emit('payment_intent.amount_capturable_updated', pi);
    } else {
      this.succeed(pi, pi.amount);
    }
  }

  private succeed(pi: PaymentIntent, amount: number): void {
    pi.status = 'succeeded';
    pi.amount_capturable = 0;
    pi.amount_received = amount;
    if (pi.latest_charge) (this.charges.get(pi.latest_charge) as ChargeRecord).amount = amount;
    else pi.latest_charge = this.newCharge(amount).id;
    this.opts.emit('payment_intent.succeeded', pi);
  }

  private fail(pi: PaymentIntent, error: NonNullable<PaymentIntent['last_payment_error']>): void {
    pi.status = 'requires_payment_method';
    pi.last_payment_error = error;
    this.opts.emit('payment_intent.payment_failed', pi);
  }

  private newCharge(amount: number): ChargeRecord {
    const charge = { id: newId('ch'), amount, amountRefunded: 0 };
    this.charges.set(charge.id, charge);
    return charge;
  }

  // ---- Refunds ----

  createRefund(p: Params): Refund {
    allowOnly(p, ['payment_intent', 'amount', 'reason', 'metadata']);
    if (p['payment_intent'] === undefined) throw missingParameter('payment_intent');
    const piId = str(p['payment_intent'], 'payment_intent');
    const pi = this.intents.get(piId);
    if (!pi) throw missingResource('payment_intent', piId, 'payment_intent');
    if (pi.status !== 'succeeded' || !pi.latest_charge) {
      throw invalidRequest(`This PaymentIntent (${piId}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
    }
    const charge = this.charges.get(pi.latest_charge) as ChargeRecord;
    const left = charge.amount - charge.amountRefunded;
    if (left === 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = p['amount'] === undefined ? left : int(p['amount'], 'amount');
    if (amount < 1) throw invalidRequest('This value must be greater than or equal to 1.', { param: 'amount' });
    if (amount > left) {
      throw invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, { code: 'amount_too_large', param: 'amount' });
    }
    const reason = p['reason'] === undefined ? null : str(p['reason'], 'reason');
    if (reason && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) throw invalidRequest('Invalid reason', { param: 'reason' });
    charge.amountRefunded += amount;
    const refund: Refund = {
      id: newId('re'),
      object: 'refund',
      amount,
      charge: charge.id,
      created: this.nowSec,
      currency: pi.currency,
      metadata: metadata(p['metadata']),
      payment_intent: pi.id,
      reason,
      status: 'succeeded',
    };
    this.refunds.set(refund.id, refund);
    this.opts.emit('refund.created', refund);
    this.opts.emit('charge.refunded', { id: charge.id, object: 'charge', amount: charge.amount, amount_refunded: charge.amountRefunded, refunded: charge.amountRefunded === charge.amount, payment_intent: pi.id, currency: pi.currency });
    return refund;
  }

  retrieveRefund(id: string): Refund {
    const r = this.refunds.get(id);
    if (!r) throw missingResource('refund', id);
    return r;
  }
}
