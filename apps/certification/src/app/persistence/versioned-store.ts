import type { ClientSession, Model } from 'mongoose';

/** Another writer changed the record between our read and our write. */
export class ConcurrentModificationError extends Error {
  constructor(readonly collection: string, readonly id: string) {
    super(`${collection} ${id} was changed by someone else; reload and try again`);
    this.name = 'ConcurrentModificationError';
  }
}

export interface Versioned<T> {
  value: T;
  version: number;
}

type Doc = Record<string, unknown> & { _id: string; version: number };
/** Documents are handled as plain records; the domain types give them their shape. */
export type StoredDoc = Record<string, unknown>;

/**
 * Stores domain objects `{ id, ... }` as documents `{ _id, ..., version }` and writes them only by
 * compare-and-set on `{ _id, version }`: a transition computed from a stale read never lands.
 */
export class VersionedStore<T extends { id: string }> {
  constructor(
    private readonly model: Model<StoredDoc>,
    private readonly extra: (value: T) => Record<string, unknown> = () => ({}),
  ) {}

  get collection(): string {
    return this.model.collection.collectionName;
  }

  async get(id: string, session?: ClientSession): Promise<Versioned<T> | null> {
    const doc = (await this.model.findById(id, null, { session }).lean()) as Doc | null;
    return doc ? fromDoc<T>(doc) : null;
  }

  async find(filter: Record<string, unknown>, options: { session?: ClientSession; sort?: Record<string, 1 | -1>; limit?: number } = {}): Promise<Versioned<T>[]> {
    let query = this.model.find(filter, null, { session: options.session });
    if (options.sort) query = query.sort(options.sort);
    if (options.limit) query = query.limit(options.limit);
    const docs = (await query.lean()) as unknown as Doc[];
    return docs.map((d) => fromDoc<T>(d));
  }

  async insert(value: T, session?: ClientSession): Promise<Versioned<T>> {
    await this.model.create([this.toDoc(value, 1)], { session });
    return { value, version: 1 };
  }

  /** Replace the whole document if nobody wrote since `expectedVersion`; throws otherwise. */
  async replace(value: T, expectedVersion: number, session?: ClientSession): Promise<Versioned<T>> {
    const result = await this.model.replaceOne({ _id: value.id, version: expectedVersion }, this.toDoc(value, expectedVersion + 1), { session });
    if (result.matchedCount !== 1) throw new ConcurrentModificationError(this.collection, value.id);
    return { value, version: expectedVersion + 1 };
  }

  private toDoc(value: T, version: number): Doc {
    const { id, ...rest } = value;
    const doc: Doc = { _id: id, ...stripUndefined(rest), ...this.extra(value), version };
    return doc;
  }
}

function fromDoc<T>(doc: Doc): Versioned<T> {
  const { _id, version, ...rest } = doc;
  delete (rest as Record<string, unknown>)['createdAt'];
  delete (rest as Record<string, unknown>)['updatedAt'];
  return { value: { id: _id, ...stripNull(rest) } as unknown as T, version };
}

function stripUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** Optional fields stored as null (e.g. `nextDueAt` with nothing due) come back as absent. */
function stripNull(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}
