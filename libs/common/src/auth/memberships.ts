import { Controller, Global, Inject, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { getConnectionToken } from '@nestjs/mongoose';
import { Schema, type ClientSession, type Connection, type Model } from 'mongoose';
import type { MerchantUpsertedV1 } from '../contracts/catalog.events';
import type { EventEnvelope } from '../contracts/envelope';
import { EVENT_TYPES } from '../contracts/registry';
import { Inbox } from '../outbox/outbox';

/**
 * Server-side membership: which organisations a user acts for, resolved on every request from the
 * owning service's events, not from a list frozen into the token at sign-in. A user who registers an
 * enterprise (or is granted one) acts for it in every service as soon as the event arrives.
 *
 * One collection holds every kind of organisation: merchants (catalog's merchant-upserted events) and
 * institutional buyer organisations (orders owns them: it applies its own changes to this directory in
 * the transaction that makes them, and may publish a buyer-org event for the other services, applied
 * here with `kind: 'buyer_org'`).
 */
export const MEMBERSHIP_RESOLVER = Symbol('MEMBERSHIP_RESOLVER');

export interface Memberships {
  merchantIds: string[];
  buyerOrgIds: string[];
}

export interface MembershipResolver {
  resolve(userId: string): Promise<Memberships>;
}

export type OrganisationKind = 'merchant' | 'buyer_org';

export interface OrganisationMembership {
  kind: OrganisationKind;
  orgId: string;
  name: string;
  status: string;
  memberUserIds: string[];
  updatedAt: Date;
}

interface MembershipDoc extends Omit<OrganisationMembership, 'memberUserIds'> {
  _id: string;
  members: string[];
}

/** Statuses in which members do not act for the organisation (a refused registration). */
const INACTIVE_STATUSES = ['rejected'];

const MembershipSchema = new Schema<MembershipDoc>(
  {
    _id: String,
    kind: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    status: { type: String, required: true },
    members: { type: [String], default: [] },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'memberships' },
);
MembershipSchema.index({ members: 1 });

export class MembershipDirectory implements MembershipResolver {
  private readonly model: Model<MembershipDoc>;

  constructor(connection: Connection) {
    this.model = (connection.models['Membership'] as Model<MembershipDoc>) ?? connection.model<MembershipDoc>('Membership', MembershipSchema);
  }

  /** Applies an organisation's member list if it is newer than the one held (reorder-safe). Returns whether it changed. */
  async apply(org: OrganisationMembership, session?: ClientSession): Promise<boolean> {
    const _id = `${org.kind}:${org.orgId}`;
    const held = await this.model.findById(_id, { updatedAt: 1 }, { session }).lean().exec();
    if (held && held.updatedAt.getTime() >= org.updatedAt.getTime()) return false;
    await this.model
      .updateOne(
        { _id },
        { $set: { kind: org.kind, orgId: org.orgId, name: org.name, status: org.status, members: [...new Set(org.memberUserIds)], updatedAt: org.updatedAt } },
        { upsert: true, session },
      )
      .exec();
    return true;
  }

  async resolve(userId: string): Promise<Memberships> {
    const docs = await this.model.find({ members: userId, status: { $nin: INACTIVE_STATUSES } }, { kind: 1, orgId: 1 }).lean().exec();
    return {
      merchantIds: docs.filter((d) => d.kind === 'merchant').map((d) => d.orgId),
      buyerOrgIds: docs.filter((d) => d.kind === 'buyer_org').map((d) => d.orgId),
    };
  }

  /** The organisation's name as its owner last published it (e.g. a merchant's company name). */
  async name(kind: OrganisationKind, orgId: string): Promise<string | undefined> {
    return (await this.model.findById(`${kind}:${orgId}`, { name: 1 }).lean().exec())?.name;
  }
}

export function merchantMembership(data: MerchantUpsertedV1): OrganisationMembership {
  return { kind: 'merchant', orgId: data.merchantId, name: data.name, status: data.status, memberUserIds: data.memberUserIds, updatedAt: new Date(data.updatedAt) };
}

/** Keeps the directory in line with catalog's merchant-upserted events (inbox: applied once). */
@Controller()
export class MerchantMembershipConsumer {
  constructor(
    @Inject(MembershipDirectory) private readonly directory: MembershipDirectory,
    @Inject(Inbox) private readonly inbox: Inbox,
  ) {}

  @EventPattern(EVENT_TYPES.MerchantUpserted)
  async onMerchantUpserted(@Payload() event: EventEnvelope<MerchantUpsertedV1>) {
    await this.inbox.once(event, (session) => this.directory.apply(merchantMembership(event.data), session).then(() => undefined));
  }
}

/**
 * Import in a service's app module (after CoreModule) to resolve memberships server-side: the global
 * AuthGuard then adds the user's organisations to `user.merchantIds` / `user.buyerOrgIds`, so
 * `assertActsForMerchant` and friends keep working unchanged. `consumeMerchants: false` for the
 * service that owns merchants (catalog), which reads its own data.
 */
@Global()
@Module({})
export class MembershipModule {
  static forRoot(options: { consumeMerchants?: boolean } = {}): DynamicModule {
    return {
      module: MembershipModule,
      controllers: options.consumeMerchants === false ? [] : [MerchantMembershipConsumer],
      providers: [
        { provide: MembershipDirectory, inject: [getConnectionToken()], useFactory: (connection: Connection) => new MembershipDirectory(connection) },
        { provide: MEMBERSHIP_RESOLVER, useExisting: MembershipDirectory },
      ],
      exports: [MembershipDirectory, MEMBERSHIP_RESOLVER],
    };
  }
}

@Injectable()
export class NoMemberships implements MembershipResolver {
  async resolve(): Promise<Memberships> {
    return { merchantIds: [], buyerOrgIds: [] };
  }
}
