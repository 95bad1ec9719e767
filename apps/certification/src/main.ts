import { Logger } from '@nestjs/common';
import { createCertificationApp } from './app/bootstrap';
import { DEFAULT_SETTINGS } from './app/certification.module';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Configuration error: ${name} is missing`);
  return value;
}

async function bootstrap() {
  const port = Number(process.env['PORT'] ?? 3004);
  const app = await createCertificationApp({
    mongoUrl: required('MONGO_URL'),
    redisUrl: required('REDIS_URL'),
    jwtSecret: required('JWT_SECRET'),
    settings: {
      verifyBaseUrl: process.env['VERIFY_BASE_URL'] ?? `http://127.0.0.1:${port}`,
      verifyCacheTtlSeconds: Number(process.env['VERIFY_CACHE_TTL_SECONDS'] ?? DEFAULT_SETTINGS.verifyCacheTtlSeconds),
      sweepIntervalMs: Number(process.env['SWEEP_INTERVAL_MS'] ?? DEFAULT_SETTINGS.sweepIntervalMs),
      verifyRateLimitPerMinute: Number(process.env['VERIFY_RATE_LIMIT_PER_MINUTE'] ?? DEFAULT_SETTINGS.verifyRateLimitPerMinute),
    },
  });
  await app.listen(port, '127.0.0.1');
  Logger.log(`certification listening on http://127.0.0.1:${port}/api`);
}

bootstrap().catch((error) => {
  Logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
