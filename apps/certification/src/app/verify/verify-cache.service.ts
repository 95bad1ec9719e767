import { Inject, Injectable } from '@nestjs/common';
import { CACHE_PREFIX, CERT_CONFIG, VERIFY_CACHE } from '../tokens';
import type { CertificationSettings, VerifyCache } from '../tokens';
import type { CachedVerifyRecord } from './verify-view';


/** A cache read slower than this counts as a miss (Redis down must not stall the public page). */
const READ_TIMEOUT_MS = 200;

/** The verify view of each product, cached in Redis; dropped on every status event for the product. */
@Injectable()
export class VerifyCacheService {
  constructor(
    @Inject(VERIFY_CACHE) private readonly cache: VerifyCache,
    @Inject(CACHE_PREFIX) private readonly prefix: string,
    @Inject(CERT_CONFIG) private readonly settings: CertificationSettings,
  ) {}

  private key(productId: string): string {
    return `${this.prefix}:certification:verify:product:${productId}`;
  }

  async get(productId: string): Promise<CachedVerifyRecord | null> {
    let timer: NodeJS.Timeout | undefined;
    const miss = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), READ_TIMEOUT_MS)));
    const raw = await Promise.race([this.cache.get(this.key(productId)).catch(() => null), miss]);
    clearTimeout(timer);
    return raw ? (JSON.parse(raw) as CachedVerifyRecord) : null;
  }

  /** Best effort and not awaited by readers: the database is the truth, the cache only saves reads. */
  async set(productId: string, record: CachedVerifyRecord): Promise<void> {
    await this.cache.set(this.key(productId), JSON.stringify(record), this.settings.verifyCacheTtlSeconds);
  }

  async invalidate(productId: string): Promise<void> {
    await this.cache.del(this.key(productId));
  }
}
