import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { MembershipDirectory } from '@techan/common';
import type { Clock } from '../../domain';
import { normaliseTraceCode } from '../../domain';
import { DeliveryTraceService } from '../delivery-trace/delivery-trace';
import { Stores } from '../persistence/stores';
import type { TraceCodeRecord } from '../persistence/stores';
import { CLOCK } from '../tokens';
import { VerifyCacheService } from './verify-cache.service';
import type { VerifyView } from './verify-view';
import { toCachedRecord, toVerifyView } from './verify-view';

const CODE_CACHE_LIMIT = 50_000;

/** Public verification by trace code or by GTIN and lot. */
@Injectable()
export class VerifyService {
  /** Trace codes never change once issued, so their lookup is cached in-process. */
  private readonly codes = new Map<string, TraceCodeRecord>();

  constructor(
    private readonly stores: Stores,
    private readonly cache: VerifyCacheService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly directory: MembershipDirectory,
    private readonly deliveries: DeliveryTraceService,
  ) {}

  async byCode(input: string): Promise<VerifyView> {
    const code = normaliseTraceCode(input);
    if (!code) throw new NotFoundException('追溯码格式无效');
    const trace = this.codes.get(code) ?? (await this.remember(await this.stores.traceCode(code)));
    if (!trace) throw new NotFoundException('未找到该追溯码，请核对或谨防假冒');
    return this.view(trace);
  }

  async byGtin(gtin: string, lot: string | undefined): Promise<VerifyView> {
    const trace = (await this.stores.traceCodeByGtin(gtin, lot)) ?? (lot ? await this.stores.traceCodeByGtin(gtin, undefined) : null);
    if (!trace) throw new NotFoundException('未找到该商品条码的认证记录');
    return this.view({ ...trace, ...(lot ? { lot } : {}) });
  }

  private async view(trace: TraceCodeRecord): Promise<VerifyView> {
    let record = await this.cache.get(trace.productId);
    if (!record) {
      const product = await this.stores.product(trace.productId);
      if (!product) throw new NotFoundException('产品不存在');
      const certificates = await this.stores.certificates.find({ productId: trace.productId });
      // The company name as the product registration gave it, else as the catalogue last announced it.
      const merchantName = product.merchantName ?? (await this.directory.name('merchant', product.merchantId));
      record = toCachedRecord({ ...product, merchantName }, certificates.map((c) => c.value));
      void this.cache.set(trace.productId, record).catch(() => undefined);
    }
    const coldChain = await this.deliveries.latest(trace.productId);
    return { ...toVerifyView(record, { code: trace.code, lot: trace.lot }, this.clock.now()), ...(coldChain.length ? { coldChain } : {}) };
  }

  private async remember(trace: TraceCodeRecord | null): Promise<TraceCodeRecord | null> {
    if (!trace) return null;
    if (this.codes.size >= CODE_CACHE_LIMIT) this.codes.clear();
    this.codes.set(trace.code, trace);
    return trace;
  }
}
