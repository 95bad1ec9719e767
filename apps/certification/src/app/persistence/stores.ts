import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { Outbox } from '@techan/common';
import type { ClientSession, Connection, Model } from 'mongoose';
import type { Application, Certificate, GiRegistration, MerchantRecords, ProductOrigin } from '../../domain';
import { nextTimedTransition } from '../../domain';
import { MODEL_NAMES } from './schemas';
import { VersionedStore } from './versioned-store';
import type { StoredDoc } from './versioned-store';

export type StoredApplication = Application & { certificateId?: string };
export type StoredCertificate = Certificate & { nextDueAt?: Date };

export interface ProductRecord {
  id: string;
  merchantId: string;
  merchantName?: string;
  name: string;
  gtin?: string;
  origin?: ProductOrigin;
  statusVersion: number;
}

export type StoredMerchantRecords = MerchantRecords & { id: string };

export interface TraceCodeRecord {
  code: string;
  productId: string;
  merchantId: string;
  gtin?: string;
  lot?: string;
  createdAt: Date;
}

/** All persistence of the service, behind one injectable so services stay small. */
@Injectable()
export class Stores {
  readonly applications: VersionedStore<StoredApplication>;
  readonly certificates: VersionedStore<StoredCertificate>;
  readonly records: VersionedStore<StoredMerchantRecords>;

  constructor(
    @InjectConnection() readonly connection: Connection,
    @InjectModel(MODEL_NAMES.product) readonly products: Model<StoredDoc>,
    @InjectModel(MODEL_NAMES.application) applications: Model<StoredDoc>,
    @InjectModel(MODEL_NAMES.certificate) certificates: Model<StoredDoc>,
    @InjectModel(MODEL_NAMES.records) records: Model<StoredDoc>,
    @InjectModel(MODEL_NAMES.traceCode) readonly traceCodes: Model<StoredDoc>,
    @InjectModel(MODEL_NAMES.counter) private readonly counters: Model<StoredDoc>,
    @InjectModel(MODEL_NAMES.giRegistration) private readonly giRegistrations: Model<StoredDoc>,
    private readonly outbox: Outbox,
  ) {
    this.applications = new VersionedStore<StoredApplication>(applications);
    // nextDueAt is derived on every write so the sweeper can find due certificates with one index scan.
    this.certificates = new VersionedStore<StoredCertificate>(certificates, (c) => ({ nextDueAt: nextTimedTransition(c)?.dueAt ?? null }));
    this.records = new VersionedStore<StoredMerchantRecords>(records);
  }

  /**
   * Run `work` in a MongoDB transaction (retried by the driver on transient conflicts); the outbox
   * relay is woken once it commits, so status events leave at once.
   */
  async transaction<T>(work: (session: ClientSession) => Promise<T>): Promise<T> {
    return this.outbox.transaction(work);
  }

  async product(productId: string, session?: ClientSession): Promise<ProductRecord | null> {
    const doc = await this.products.findById(productId, null, { session }).lean<StoredDoc>();
    return doc ? toProduct(doc) : null;
  }

  async upsertProduct(product: Omit<ProductRecord, 'statusVersion'>, session?: ClientSession): Promise<ProductRecord> {
    const { id, ...fields } = product;
    const set = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const doc = await this.products
      .findOneAndUpdate({ _id: id }, { $set: set, $setOnInsert: { statusVersion: 0, version: 0 } }, { upsert: true, returnDocument: 'after', session })
      .lean<StoredDoc>();
    return toProduct(doc as StoredDoc);
  }

  /** Atomically take the next per-product status version (inside the caller's transaction). */
  async nextStatusVersion(productId: string, session: ClientSession): Promise<ProductRecord | null> {
    const doc = await this.products
      .findOneAndUpdate({ _id: productId }, { $inc: { statusVersion: 1 } }, { returnDocument: 'after', session })
      .lean<StoredDoc>();
    return doc ? toProduct(doc) : null;
  }

  /** Next value of a named sequence (certificate numbers per prefix and year). */
  async nextSequence(name: string, session?: ClientSession): Promise<number> {
    const doc = await this.counters
      .findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after', session })
      .lean<{ seq: number }>();
    return (doc as { seq: number }).seq;
  }

  async giRegistration(registrationNumber: string): Promise<GiRegistration | null> {
    const doc = await this.giRegistrations.findById(registrationNumber).lean<StoredDoc>();
    return doc ? toGi(doc) : null;
  }

  async giRegistrationList(): Promise<GiRegistration[]> {
    const docs = await this.giRegistrations.find({}).sort({ name: 1 }).lean<StoredDoc[]>();
    return docs.map(toGi);
  }

  /** Insert or correct a registration (the number is the key). */
  async saveGiRegistration(registration: GiRegistration): Promise<void> {
    const { registrationNumber, ...rest } = registration;
    await this.giRegistrations.replaceOne({ _id: registrationNumber }, { _id: registrationNumber, ...rest }, { upsert: true });
  }

  async traceCodeFor(productId: string, lot: string | undefined, session?: ClientSession): Promise<TraceCodeRecord | null> {
    const doc = await this.traceCodes.findOne({ productId, lot: lot ?? null }, null, { session }).lean<StoredDoc>();
    return doc ? toTrace(doc) : null;
  }

  async traceCode(code: string): Promise<TraceCodeRecord | null> {
    const doc = await this.traceCodes.findById(code).lean<StoredDoc>();
    return doc ? toTrace(doc) : null;
  }

  async traceCodeByGtin(gtin: string, lot: string | undefined): Promise<TraceCodeRecord | null> {
    const doc = await this.traceCodes.findOne({ gtin, lot: lot ?? null }).lean<StoredDoc>();
    return doc ? toTrace(doc) : null;
  }

  async insertTraceCode(record: TraceCodeRecord, session?: ClientSession): Promise<void> {
    const { code, ...rest } = record;
    await this.traceCodes.create([{ _id: code, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) }], { session });
  }
}

function toProduct(doc: StoredDoc): ProductRecord {
  return {
    id: String(doc['_id']),
    merchantId: String(doc['merchantId']),
    ...(doc['merchantName'] ? { merchantName: String(doc['merchantName']) } : {}),
    name: String(doc['name']),
    ...(doc['gtin'] ? { gtin: String(doc['gtin']) } : {}),
    ...(doc['origin'] ? { origin: doc['origin'] as ProductOrigin } : {}),
    statusVersion: Number(doc['statusVersion'] ?? 0),
  };
}

function toGi(doc: StoredDoc): GiRegistration {
  return {
    registrationNumber: String(doc['_id']),
    name: String(doc['name']),
    kind: doc['kind'] as GiRegistration['kind'],
    registrant: String(doc['registrant']),
    protectedArea: doc['protectedArea'] as GiRegistration['protectedArea'],
    registeredAt: doc['registeredAt'] as Date,
  };
}

function toTrace(doc: StoredDoc): TraceCodeRecord {
  return {
    code: String(doc['_id']),
    productId: String(doc['productId']),
    merchantId: String(doc['merchantId']),
    ...(doc['gtin'] ? { gtin: String(doc['gtin']) } : {}),
    ...(doc['lot'] ? { lot: String(doc['lot']) } : {}),
    createdAt: doc['createdAt'] as Date,
  };
}

