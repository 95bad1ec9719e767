import { dirname, join } from 'node:path';
import { ConfigError, JsonLogger } from '@techan/common';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { createGateway } from './gateway';

let config: GatewayConfig;
try {
  // Unless told otherwise, the front end is the copy the build put next to this bundle (…/gateway/web).
  config = loadGatewayConfig({ WEB_ROOT: join(dirname(process.argv[1] ?? '.'), 'web'), ...process.env });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`gateway: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
const logger = new JsonLogger('gateway', config.LOG_LEVEL);
const server = createGateway(config, logger).listen(config.PORT, config.HOST, () => {
  logger.log({ msg: 'gateway listening', url: config.PUBLIC_URL, auth: config.AUTH_MODE, web: config.WEB_ROOT }, 'Bootstrap');
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.log({ msg: 'gateway stopping', signal }, 'Bootstrap');
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
