import { randomBytes } from 'node:crypto';
import { invalidRequest, missingParameter, missingResource, unknownParameter } from './errors';
import type { Params } from './engine';

/**
 * Customers, invoice items and Invoices with `collection_method: send_invoice` — the part of Stripe
 * Billing that institutional buyers' monthly invoices use (issue 12). Draft → finalize (open, due
 * date) → send → paid (`pay` with `paid_out_of_band`, as a bank transfer is recorded) or void;
 * `invoice.finalized`, `invoice.sent`, `invoice.paid` and `invoice.voided` go out as webhooks.
 * Kept apart from engine.ts (checkout); server.ts routes `/v1/customers`, `/v1/invoiceitems` and
 * `/v1/invoices` here. Anything else is refused loudly.
 */
export interface Customer {
  id: string;
  object: 'customer';
  created: number;
  email: string | null;
  name: string | null;
  metadata: Record<string, string>;
  livemode: false;
}

export interface InvoiceLine {
  id: string;
  object: 'line_item';
  amount: number;
  currency: string;
  description: string | null;
  quantity: number;
  metadata: Record<string, string>;
}

export interface Invoice {
  id: string;
  object: 'invoice';
  number: string | null;
  customer: string;
  collection_method: 'send_invoice' | 'charge_automatically';
  currency: string;
  created: number;
  description: string | null;
  due_date: number | null;
  days_until_due: number | null;
  status: 'draft' | 'open' | 'paid' | 'void';
  subtotal: number;
  total: number;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  hosted_invoice_url: string | null;
  metadata: Record<string, string>;
  lines: { object: 'list'; data: InvoiceLine[]; has_more: false; url: string };
  status_transitions: { finalized_at: number | null; paid_at: number | null; voided_at: number | null };
  paid_out_of_band: boolean;
  livemode: false;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

function only(p: Params, allowed: string[]): void {
  for (const k of Object.keys(p)) if (!allowed.includes(k)) throw unknownParameter(k);
}

function metadata(p: Params): Record<string, string> {
  const m = p['metadata'];
  if (m === undefined) return {};
  if (typeof m !== 'object' || m === null) throw invalidRequest('Invalid metadata', { param: 'metadata' });
  return Object.fromEntries(Object.entries(m as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function int(p: Params, key: string, required = true): number | undefined {
  const v = p[key];
  if (v === undefined) {
    if (required) throw missingParameter(key);
    return undefined;
  }
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw invalidRequest(`Invalid integer: ${String(v)}`, { param: key });
  return n;
}

export class InvoiceApi {
  readonly customers = new Map<string, Customer>();
  readonly invoices = new Map<string, Invoice>();
  private sequence = 0;

  constructor(private readonly opts: { now: () => number; baseUrl: () => string; emit: (type: string, object: unknown) => void }) {}

  private secs(): number {
    return Math.floor(this.opts.now() / 1000);
  }

  /** Routes `/v1/<a>/<b>/<c>`; undefined when the path is not an invoicing one. */
  route(method: string, a: string | undefined, b: string | undefined, c: string | undefined, p: Params): unknown {
    if (a === 'customers') {
      if (method === 'POST' && !b) return this.createCustomer(p);
      if (method === 'GET' && b && !c) return this.customer(b);
    }
    if (a === 'invoiceitems' && method === 'POST' && !b) return this.createItem(p);
    if (a === 'invoices') {
      if (method === 'POST' && !b) return this.createInvoice(p);
      if (method === 'GET' && !b) return this.list(p);
      if (method === 'GET' && b && !c) return this.invoice(b);
      if (method === 'POST' && b && c === 'finalize') return this.finalize(b, p);
      if (method === 'POST' && b && c === 'send') return this.send(b, p);
      if (method === 'POST' && b && c === 'pay') return this.pay(b, p);
      if (method === 'POST' && b && c === 'void') return this.void(b, p);
    }
    return undefined;
  }

  createCustomer(p: Params): Customer {
    only(p, ['name', 'email', 'metadata', 'description']);
    const c: Customer = { id: newId('cus'), object: 'customer', created: this.secs(), email: (p['email'] as string) ?? null, name: (p['name'] as string) ?? null, metadata: metadata(p), livemode: false };
    this.customers.set(c.id, c);
    return c;
  }

  customer(id: string): Customer {
    const c = this.customers.get(id);
    if (!c) throw missingResource('customer', id);
    return c;
  }

  invoice(id: string): Invoice {
    const inv = this.invoices.get(id);
    if (!inv) throw missingResource('invoice', id);
    return inv;
  }

  list(p: Params): unknown {
    only(p, ['customer', 'status', 'limit']);
    const data = [...this.invoices.values()].filter((i) => (!p['customer'] || i.customer === p['customer']) && (!p['status'] || i.status === p['status']));
    return { object: 'list', data: data.slice(0, int(p, 'limit', false) ?? 10), has_more: false, url: '/v1/invoices' };
  }

  createInvoice(p: Params): Invoice {
    only(p, ['customer', 'collection_method', 'days_until_due', 'currency', 'description', 'metadata', 'auto_advance', 'pending_invoice_items_behavior']);
    if (!p['customer']) throw missingParameter('customer');
    this.customer(p['customer'] as string);
    const method = (p['collection_method'] as string) ?? 'charge_automatically';
    if (method !== 'send_invoice') throw invalidRequest('The stand-in implements collection_method=send_invoice only.', { param: 'collection_method' });
    const days = int(p, 'days_until_due', true) as number;
    if (days < 0) throw invalidRequest('days_until_due must be non-negative', { param: 'days_until_due' });
    const id = newId('in');
    const inv: Invoice = {
      id,
      object: 'invoice',
      number: null,
      customer: p['customer'] as string,
      collection_method: 'send_invoice',
      currency: ((p['currency'] as string) ?? 'cny').toLowerCase(),
      created: this.secs(),
      description: (p['description'] as string) ?? null,
      due_date: null,
      days_until_due: days,
      status: 'draft',
      subtotal: 0,
      total: 0,
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      hosted_invoice_url: null,
      metadata: metadata(p),
      lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
      status_transitions: { finalized_at: null, paid_at: null, voided_at: null },
      paid_out_of_band: false,
      livemode: false,
    };
    this.invoices.set(id, inv);
    return inv;
  }

  /** An invoice item on a draft invoice (the stand-in requires `invoice`: pending items are not pooled). */
  createItem(p: Params): unknown {
    only(p, ['customer', 'invoice', 'amount', 'currency', 'description', 'metadata', 'quantity']);
    if (!p['invoice']) throw invalidRequest('The stand-in needs `invoice` on invoice items (create the draft invoice first).', { param: 'invoice' });
    const inv = this.invoice(p['invoice'] as string);
    if (p['customer'] && p['customer'] !== inv.customer) throw invalidRequest('The invoice belongs to another customer.', { param: 'customer' });
    if (inv.status !== 'draft') throw invalidRequest(`You can only add invoice items to draft invoices; this one is ${inv.status}.`, { param: 'invoice' });
    const amount = int(p, 'amount') as number;
    const currency = ((p['currency'] as string) ?? inv.currency).toLowerCase();
    if (currency !== inv.currency) throw invalidRequest('The currency must match the invoice.', { param: 'currency' });
    const line: InvoiceLine = { id: newId('il'), object: 'line_item', amount, currency, description: (p['description'] as string) ?? null, quantity: 1, metadata: metadata(p) };
    inv.lines.data.push(line);
    inv.subtotal = inv.total = inv.amount_due = inv.amount_remaining = inv.lines.data.reduce((s, l) => s + l.amount, 0);
    return { id: newId('ii'), object: 'invoiceitem', amount, currency, customer: inv.customer, invoice: inv.id, description: line.description, metadata: line.metadata };
  }

  finalize(id: string, p: Params): Invoice {
    only(p, ['auto_advance']);
    const inv = this.invoice(id);
    if (inv.status !== 'draft') throw invalidRequest(`This invoice is already finalized, you can't re-finalize a non-draft invoice.`, { code: 'invoice_not_editable' });
    inv.status = inv.total === 0 ? 'paid' : 'open';
    inv.number = `TECHAN-${String(++this.sequence).padStart(4, '0')}`;
    inv.status_transitions.finalized_at = this.secs();
    inv.due_date = inv.created + (inv.days_until_due ?? 0) * 86_400;
    inv.hosted_invoice_url = `${this.opts.baseUrl()}/invoice/${inv.id}`;
    this.opts.emit('invoice.finalized', inv);
    return inv;
  }

  send(id: string, p: Params): Invoice {
    only(p, []);
    const inv = this.invoice(id);
    if (inv.status !== 'open') throw invalidRequest('Only open invoices can be sent.', { code: 'invoice_not_editable' });
    this.opts.emit('invoice.sent', inv);
    return inv;
  }

  /** Records a payment outside Stripe (bank transfer); the stand-in has no card or bank rails for invoices. */
  pay(id: string, p: Params): Invoice {
    only(p, ['paid_out_of_band']);
    const inv = this.invoice(id);
    if (String(p['paid_out_of_band']) !== 'true') throw invalidRequest('The stand-in records invoice payments with paid_out_of_band=true only.', { param: 'paid_out_of_band' });
    if (inv.status === 'paid') throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
    if (inv.status !== 'open') throw invalidRequest(`This invoice can't be paid: it is ${inv.status}.`, { code: 'invoice_not_editable' });
    inv.status = 'paid';
    inv.paid_out_of_band = true;
    inv.amount_paid = inv.total;
    inv.amount_remaining = 0;
    inv.status_transitions.paid_at = this.secs();
    this.opts.emit('invoice.paid', inv);
    return inv;
  }

  void(id: string, p: Params): Invoice {
    only(p, []);
    const inv = this.invoice(id);
    if (inv.status !== 'open') throw invalidRequest('Only open invoices can be voided.', { code: 'invoice_not_editable' });
    inv.status = 'void';
    inv.status_transitions.voided_at = this.secs();
    this.opts.emit('invoice.voided', inv);
    return inv;
  }
}
