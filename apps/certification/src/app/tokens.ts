import type { ClientSession } from 'mongoose';
import type { StatusEventEnvelope } from './status/envelope';

/** Injection tokens of the certification service. */
export const CLOCK = Symbol('CLOCK');
export const STATUS_OUTBOX = Symbol('STATUS_OUTBOX');
export const VERIFY_CACHE = Symbol('VERIFY_CACHE');
export const CERT_CONFIG = Symbol('CERT_CONFIG');

/** Stores an event in the same transaction as the state change; a relay publishes it afterwards. */
export interface StatusOutbox {
  enqueue(event: StatusEventEnvelope, session: ClientSession): Promise<void>;
}

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
