import { Inject, Injectable } from '@nestjs/common';
import { CERT_CONFIG, VERIFY_CACHE } from '../tokens';
import type { CertificationSettings, VerifyCache } from '../tokens';
import type { CachedVerifyRecord } from './verify-view';

const key = (productId: string) => `certification:verify:product:${productId}`;

/** The verify view of each product, cached in Redis; dropped on every status event for the product. */
@Injectable()
export class VerifyCacheService {
  constructor(
    @Inject(VERIFY_CACHE) private readonly cache: VerifyCache,
    @Inject(CERT_CONFIG) private readonly settings: CertificationSettings,
  ) {}

  async get(productId: string): Promise<CachedVerifyRecord | null> {
    const raw = await this.cache.get(key(productId));
    return raw ? (JSON.parse(raw) as CachedVerifyRecord) : null;
  }

  async set(productId: string, record: CachedVerifyRecord): Promise<void> {
    await this.cache.set(key(productId), JSON.stringify(record), this.settings.verifyCacheTtlSeconds);
  }

  async invalidate(productId: string): Promise<void> {
    await this.cache.del(key(productId));
  }
}
