import type { BrokerOptions } from '@techan/kafka-standin';

/**
 * Bus security of the local stack (dev/test only): one SASL principal per service, each allowed to
 * write only its own topics (`techan.<service>.`, its events and dead letters), and an `admin`
 * super-user for operators and test probes. Production passwords come from the Kubernetes secret.
 */
export const BUS_SERVICES = ['catalog', 'orders', 'logistics', 'certification'] as const;
export const BUS_ADMIN = 'admin';
export const BUS_MECHANISM = 'scram-sha-256';

/** Fixed, public dev passwords: the local stand-in only listens on 127.0.0.1. */
export const localBusPassword = (principal: string) => `local-${principal}-bus-password`;

export function localBusSecurity(): Pick<BrokerOptions, 'users' | 'superUsers' | 'writeAcls'> {
  const principals = [...BUS_SERVICES, BUS_ADMIN];
  return {
    users: Object.fromEntries(principals.map((p) => [p, localBusPassword(p)])),
    superUsers: [BUS_ADMIN],
    writeAcls: BUS_SERVICES.map((service) => ({ principal: service, topicPrefix: `techan.${service}.` })),
  };
}

/** The variables a service (or a probe acting as `principal`) needs to use the local bus. */
export function localBusEnv(brokers: string, principal: string): Record<string, string> {
  return { KAFKA_BROKERS: brokers, KAFKA_SASL_MECHANISM: BUS_MECHANISM, KAFKA_USERNAME: principal, KAFKA_PASSWORD: localBusPassword(principal) };
}

