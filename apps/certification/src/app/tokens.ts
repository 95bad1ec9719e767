
/** Injection tokens of the certification service. */
export const CLOCK = Symbol('CLOCK');
export const VERIFY_CACHE = Symbol('VERIFY_CACHE');
export const CERT_CONFIG = Symbol('CERT_CONFIG');
/** Prefix of this service's Redis keys (the event prefix: isolates test runs sharing a Redis). */
export const CACHE_PREFIX = Symbol('CACHE_PREFIX');

/** Shared cache for the public verify endpoint (Redis in the service, a Map in unit tests). */
export interface VerifyCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
}

export interface CertificationSettings {
  /** Public base URL the QR codes point at, e.g. https://verify.techan.cn */
  verifyBaseUrl: string;
  verifyCacheTtlSeconds: number;
  sweepIntervalMs: number;
  /** Requests per minute per client on the public verify endpoints. */
  verifyRateLimitPerMinute: number;
}
