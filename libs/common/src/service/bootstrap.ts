import { randomUUID } from 'node:crypto';
import type { INestApplication, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { createEventServer, type EventServer } from '../bus/event-transport';
import { ConfigError } from '../config/config';
import { EventBusStatus } from '../health/health';
import { JsonLogger } from '../logging/json-logger';
import { runWithTrace } from '../logging/trace-context';
import { serveOpenApi } from '../openapi/openapi';
import { loadServiceConfig, type ServiceConfig, type ServiceDefinition } from './service-definition';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
const SHUTDOWN_TIMEOUT_MS = 25_000;

/** Request id in and out (`x-request-id`), visible to every log line of the request; one access log line each. */
export function traceRequests(logger: LoggerService) {
  return (req: Request, res: Response, next: NextFunction) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    const started = process.hrtime.bigint();
    runWithTrace(id, () => {
      res.on('finish', () => {
        const entry = { msg: 'request', method: req.method, path: req.originalUrl, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 };
        if (res.statusCode >= 500) logger.error(entry, 'Http');
        else if (res.statusCode >= 400) logger.warn?.(entry, 'Http');
        else logger.verbose?.(entry, 'Http');
      });
      next();
    });
  };
}

/**
 * Wires what every service app needs after creation: request tracing, the event consumer (a
 * hybrid app: HTTP + events) and its health status. Returns the graceful shutdown: stop consuming
 * and finish in-flight handlers first, then close the app (which flushes the outbox).
 */
export async function attachServicePlumbing(
  app: INestApplication,
  definition: ServiceDefinition,
  config: ServiceConfig,
  logger: LoggerService,
): Promise<{ server: EventServer; shutdown: () => Promise<void> }> {
  app.use(traceRequests(logger));
  serveOpenApi(app, definition);
  // Clients behind the ingress are told apart by X-Forwarded-For from trusted hops only (rate limits).
  const trust = /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY.split(',').map((v) => v.trim());
  (app.getHttpAdapter().getInstance() as { set(key: string, value: unknown): void }).set('trust proxy', trust);
  const server = createEventServer(definition, config);
  const status = app.get(EventBusStatus);
  status.server = server;
  status.transport = 'kafka';
  app.connectMicroservice({ strategy: server });
  await app.startAllMicroservices();
  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= (async () => {
      await server.close();
      await app.close();
    })());
  return { server, shutdown };
}

/** The service's `main.ts`: validated config, JSON logs, hybrid app, graceful shutdown on SIGTERM/SIGINT. */
export async function bootstrapService(definition: ServiceDefinition, rootModule: Type<unknown>): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig(definition, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = new JsonLogger(definition.name, config.LOG_LEVEL);
  // rawBody: webhook signatures (Stripe) are computed over the exact bytes received.
  const app = await NestFactory.create(rootModule, { logger, rawBody: true });
  const { shutdown } = await attachServicePlumbing(app, definition, config, logger);
  await app.listen(config.PORT, config.HOST);
  logger.log(
    { msg: `${definition.name} listening`, url: `http://${config.HOST}:${config.PORT}`, health: `http://${config.HOST}:${config.PORT}/health`, events: 'kafka' },
    'Bootstrap',
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log(`${signal}: stopping consumers, finishing in-flight work, flushing the outbox`, 'Bootstrap');
      // Never hang past the orchestrator's grace period (Kubernetes default 30 s), e.g. with a store gone.
      setTimeout(() => {
        logger.error(`graceful shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS} ms; exiting`, 'Bootstrap');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
      shutdown()
        .then(() => process.exit(0))
        .catch((error) => {
          logger.error(error, 'Bootstrap');
          process.exit(1);
        });
    });
  }
}
