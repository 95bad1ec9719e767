import { z } from 'zod';
import { baseConfigSchema, loadConfig } from '../config/config';
import type { EventType } from '../contracts/registry';

export type ServiceName = 'catalog' | 'orders' | 'logistics' | 'certification';

/** What the shared plumbing needs to know about a service. */
export interface ServiceDefinition {
  name: ServiceName;
  defaultPort: number;
  /** Event types this service publishes (their Kafka topics are created at start-up). */
  publishes: EventType[];
  /** Service-specific configuration variables (zod shape), validated with the base ones. */
  extraConfig?: z.ZodRawShape;
  /** Path prefix of the service's HTTP API when it is not the root (the catalog's `/catalog`); its OpenAPI document is served there too. */
  apiPrefix?: string;
}

export const serviceConfigSchema = baseConfigSchema.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Namespace of the bus: `techan` = production topic and group names; tests pass their own to isolate themselves. */
  EVENT_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('techan'),
  /**
   * Express `trust proxy`: which hops may set X-Forwarded-For, so per-client limits see the client and
   * not the ingress. `loopback` locally; behind the Kubernetes ingress `loopback, uniquelocal` (pod IPs).
   */
  TRUST_PROXY: z.string().regex(/^[a-z0-9.,:/ ]+$/i).default('loopback'),
});
export type ServiceConfig = z.infer<typeof serviceConfigSchema> & Record<string, unknown>;

export function loadServiceConfig(definition: ServiceDefinition, env: NodeJS.ProcessEnv): ServiceConfig {
  const schema = serviceConfigSchema.extend(definition.extraConfig ?? {});
  return loadConfig(schema, env, {
    PORT: String(definition.defaultPort),
    MONGO_DB: `techan-${definition.name}`,
  } as never) as ServiceConfig;
}
