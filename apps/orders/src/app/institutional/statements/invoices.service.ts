import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type Stripe from 'stripe';
import { DomainError, type AuthUser } from '@techan/common';
import { yuan } from '../../../domain/institutional/statement';
import { StripeGateway } from '../../payments/stripe.gateway';
import { INST_INVOICE, INST_ORGANISATION, type InvoiceDoc, type OrganisationDoc } from '../../persistence/institutional.schemas';
import { OrganisationsService } from '../organisations/organisations.service';
import { StatementsService } from './statements.service';

export const INVOICE_DAYS_UNTIL_DUE = 30;

/**
 * The monthly Stripe Invoice of an organisation: one per organisation and month (the record's _id),
 * created with `collection_method: send_invoice`, due in 30 days, one item per product and price of
 * the statement. Every Stripe call carries an idempotency key derived from the record, so a retry after
 * a failure half-way continues where it stopped and never bills twice. `invoice.paid` settles it.
 */
@Injectable()
export class InvoicesService {
  private readonly logger = new Logger(InvoicesService.name);

  constructor(
    @InjectModel(INST_INVOICE) private readonly invoices: Model<InvoiceDoc>,
    @InjectModel(INST_ORGANISATION) private readonly orgs: Model<OrganisationDoc>,
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(StatementsService) private readonly statements: StatementsService,
    @Inject(StripeGateway) private readonly gateway: StripeGateway,
  ) {}

  async issue(orgId: string, month: string, by: AuthUser, now: Date): Promise<InvoiceDoc> {
    const org = await this.organisations.get(orgId);
    const statement = await this.statements.build(org, month);
    if (statement.totals.totalFen <= 0) throw new DomainError('NOTHING_TO_INVOICE', `${month} 没有可开票的已签收金额`, 409);
    const id = `inv-${orgId}-${month}`;
    const existing = await this.invoices.findById(id).lean<InvoiceDoc>().exec();
    if (existing && existing.status !== 'creating') throw new DomainError('ALREADY_INVOICED', `${month} 的账单已开具（${existing.stripe.number ?? existing._id}）`, 409);
    if (!existing) {
      await this.invoices.create([{ _id: id, orgId, month, totalFen: statement.totals.totalFen, status: 'creating', stripe: {}, createdBy: by.userId, createdAt: now }]).catch((e: { code?: number }) => {
        if (e.code !== 11000) throw e; // a concurrent request created it: continue with the same keys
      });
    }
    const stripe = this.gateway.stripe;
    const customerId = org.stripeCustomerId ?? (await this.customer(stripe, org));
    const metadata = { techanInvoiceId: id, orgId, month };
    const draft = await stripe.invoices.create(
      { customer: customerId, collection_method: 'send_invoice', days_until_due: INVOICE_DAYS_UNTIL_DUE, currency: 'cny', description: `${org.name} ${month} 月度对账单`, metadata },
      { idempotencyKey: `${id}:create` },
    );
    // One item per product and unit price: the statement's lines summed (the CSV has the detail).
    const items = new Map<string, { description: string; amountFen: number }>();
    for (const l of statement.lines) {
      const key = `${l.skuId}@${l.unitPriceFen}`;
      const item = items.get(key) ?? { description: `${l.nameZh} @ ¥${yuan(l.unitPriceFen)}`, amountFen: 0 };
      item.amountFen += l.amountFen;
      items.set(key, item);
    }
    let i = 0;
    for (const [key, item] of items) {
      if (item.amountFen <= 0) continue;
      await stripe.invoiceItems.create({ customer: customerId, invoice: draft.id, amount: item.amountFen, currency: 'cny', description: item.description, metadata: { line: key } }, { idempotencyKey: `${id}:item:${i++}` });
    }
    const open = await stripe.invoices.finalizeInvoice(draft.id, {}, { idempotencyKey: `${id}:finalize` });
    await stripe.invoices.sendInvoice(open.id, {}, { idempotencyKey: `${id}:send` });
    const updated = await this.invoices
      .findOneAndUpdate(
        { _id: id, status: 'creating' },
        { $set: { status: 'open', totalFen: open.total, stripe: { customerId, invoiceId: open.id, number: open.number ?? undefined, hostedUrl: open.hosted_invoice_url ?? undefined, dueDate: open.due_date ? new Date(open.due_date * 1000) : undefined } } },
        { returnDocument: 'after' },
      )
      .lean<InvoiceDoc>()
      .exec();
    this.logger.log(`invoice ${open.number} for ${orgId} ${month}: ${open.total} fen, due in ${INVOICE_DAYS_UNTIL_DUE} days`);
    return updated ?? ((await this.invoices.findById(id).lean<InvoiceDoc>().exec()) as InvoiceDoc);
  }

  private async customer(stripe: Stripe, org: OrganisationDoc): Promise<string> {
    const c = await stripe.customers.create({ name: org.name, metadata: { orgId: org._id, creditCode: org.creditCode } }, { idempotencyKey: `customer:${org._id}` });
    await this.orgs.updateOne({ _id: org._id }, { $set: { stripeCustomerId: c.id } }).exec();
    return c.id;
  }

  list(orgId: string): Promise<InvoiceDoc[]> {
    return this.invoices.find({ orgId }).sort({ month: -1 }).limit(36).lean<InvoiceDoc[]>().exec();
  }

  /** `invoice.paid`: settles the record once (a redelivered event changes nothing). */
  async onStripeEvent(event: Stripe.Event): Promise<boolean> {
    if (event.type !== 'invoice.paid') return false;
    const inv = event.data.object as Stripe.Invoice;
    const id = inv.metadata?.['techanInvoiceId'];
    if (!id) return false;
    const paidAt = inv.status_transitions?.paid_at ? new Date(inv.status_transitions.paid_at * 1000) : new Date();
    const res = await this.invoices.updateOne({ _id: id, status: { $ne: 'paid' } }, { $set: { status: 'paid', paidAt } }).exec();
    if (res.modifiedCount) this.logger.log(`invoice ${inv.number} (${id}) paid`);
    return res.modifiedCount === 1;
  }
}
