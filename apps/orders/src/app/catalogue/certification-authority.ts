import { Inject, Injectable } from '@nestjs/common';
import { evaluatePurchasable, ProductStatusChangedV1, SERVICE_CONFIG, type CertificateSnapshot, type NotPurchasableReason, type ServiceConfig } from '@techan/common';

/** Certification did not answer (down, slow, or an answer we cannot read): no money may move on a guess. */
export class AuthorityUnavailable extends Error {}

/**
 * Certification's own records, read over HTTP at the moments money moves (before a card is captured,
 * before an Alipay/WeChat Pay page is offered and when such a payment succeeds) and when an order is
 * placed. The projection this service keeps from status events lags the certifier's reply by the time
 * the event takes to arrive (hundreds of ms under load, seconds while the bus is down); a capture inside
 * that window would sell a product blocked before it. Everything else reads the projection.
 */
@Injectable()
export class CertificationAuthority {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.baseUrl = String(config['CERTIFICATION_URL']).replace(/\/$/, '');
    this.timeoutMs = Number(config['CERTIFICATION_TIMEOUT_MS'] ?? 2_000);
  }

  /** The products certification refuses to sell at `at`, each with its reason (absent = purchasable). */
  async refusals(productIds: readonly string[], at: Date): Promise<Map<string, NotPurchasableReason>> {
    const refused = new Map<string, NotPurchasableReason>();
    for (const [id, certificates] of await this.certificates(productIds)) {
      const verdict = evaluatePurchasable(certificates, at);
      if (!verdict.purchasable) refused.set(id, verdict.reason ?? 'no_certificate');
    }
    return refused;
  }

  /** Each product's certificates as certification records them now (none for a product it never registered). */
  async certificates(productIds: readonly string[]): Promise<Map<string, CertificateSnapshot[]>> {
    const unique = [...new Set(productIds)];
    const answers = await Promise.all(unique.map(async (id) => [id, await this.one(id)] as const));
    return new Map(answers);
  }

  private async one(productId: string): Promise<CertificateSnapshot[]> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/products/${encodeURIComponent(productId)}/status`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new AuthorityUnavailable(`certification unreachable for ${productId}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return [];
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AuthorityUnavailable(`certification answered ${response.status} for ${productId}`);
    }
    const parsed = ProductStatusChangedV1.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success || parsed.data.productId !== productId) throw new AuthorityUnavailable(`certification's status of ${productId} is not readable`);
    return parsed.data.certificates;
  }
}
