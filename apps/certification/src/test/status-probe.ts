import { Controller, Inject, Module } from '@nestjs/common';
import type { INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload } from '@nestjs/microservices';
import { EVENT_TYPES, KafkaEventServer } from '@techan/common';
import { busOptionsFrom } from '@techan/common/testing';
import { testBusEnv } from '@techan/local-stack';
import type { EventEnvelope, ProductStatusChangedV1 } from '@techan/common';
import { ProductStatusProjection } from '../domain';

const PROBE = Symbol('PROBE');

/**
 * A stand-in for a downstream consumer (catalog, orders): its own consumer group on the bus, a
 * projection of product status, and the wall-clock time each event was handled.
 */
export class StatusProbe {
  readonly projection = new ProductStatusProjection();
  readonly handledAt = new Map<string, number>(); // `${productId}@${version}` → performance.now()
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  app?: INestMicroservice;

  handle(event: EventEnvelope<ProductStatusChangedV1>): void {
    this.projection.apply(event.data);
    this.handledAt.set(`${event.data.productId}@${event.data.version}`, performance.now());
    this.waiters = this.waiters.filter((w) => (w.check() ? (w.resolve(), false) : true));
  }

  /** Resolves when `check` holds after some event (or now); rejects after `timeoutMs`. */
  until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`probe: timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({ check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  async close(): Promise<void> {
    await this.app?.close();
  }
}

@Controller()
class ProbeController {
  constructor(@Inject(PROBE) private readonly probe: StatusProbe) {}

  @EventPattern(EVENT_TYPES.ProductStatusChanged)
  onStatus(@Payload() event: EventEnvelope<ProductStatusChangedV1>): void {
    this.probe.handle(event);
  }
}

/** Start a probe consuming the certification service's topic under a new consumer group (as the bus admin). */
export async function startStatusProbe(bus: { prefix: string; group: string }): Promise<StatusProbe> {
  const probe = new StatusProbe();
  @Module({ controllers: [ProbeController], providers: [{ provide: PROBE, useValue: probe }] })
  class ProbeModule {}
  const server = new KafkaEventServer({ ...busOptionsFrom(testBusEnv('admin'), bus.prefix, bus.group), service: bus.group });
  probe.app = await NestFactory.createMicroservice(ProbeModule, { strategy: server, logger: false });
  await probe.app.listen();
  await server.ready();
  return probe;
}
