import { isAbsolute, resolve } from 'node:path';
import { ConfigError, loadConfig } from '@techan/common';
import { z } from 'zod';

const serviceUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' });
const secret = z.string().min(32, 'must be at least 32 characters');

/** Everything the edge reads from the environment; a bad variable stops start-up with one line naming it. */
export const gatewayConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** The origin people use (scheme://host[:port]); cookies are Secure when it is https, unsafe requests must come from it. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL' }).optional(),
  /** Shared with the services: the edge mints their short-lived bearer tokens with it. */
  JWT_SECRET: secret,
  /** Signs the session cookie; distinct from JWT_SECRET so a service can never forge a session. */
  SESSION_SECRET: secret,
  SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(7 * 24 * 3600).default(8 * 3600),
  /** Lifetime of the JWT passed to a service on each call: short, the edge mints a new one per request. */
  SERVICE_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(300).default(60),
  CATALOG_URL: serviceUrl,
  ORDERS_URL: serviceUrl,
  LOGISTICS_URL: serviceUrl,
  CERTIFICATION_URL: serviceUrl,
  /** The built front end (index.html + assets); relative paths are resolved from the working directory. main.ts defaults it to the copy beside the bundle. */
  WEB_ROOT: z.string().min(1).default('dist/apps/web'),
  /** `demo`: pick a demo user (local stack only). `oidc`: an OpenID Connect provider (production). */
  AUTH_MODE: z.enum(['demo', 'oidc']).default('oidc'),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where the provider puts the user's roles, as a dotted path (Keycloak: realm_access.roles). */
  OIDC_ROLES_CLAIM: z.string().regex(/^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*$/).default('roles'),
  OIDC_SCOPE: z.string().min(1).default('openid profile email'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema> & { PUBLIC_URL: string; WEB_ROOT: string };

/** Parses and cross-checks the environment (OIDC needs its three variables; demo sign-in never on https). */
export function loadGatewayConfig(env: NodeJS.ProcessEnv): GatewayConfig {
  const config = loadConfig(gatewayConfigSchema, env);
  const publicUrl = (config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`).replace(/\/$/, '');
  if (config.AUTH_MODE === 'oidc') {
    const missing = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((k) => !config[k]);
    if (missing.length) throw new ConfigError(`Configuration error: AUTH_MODE=oidc needs ${missing.join(', ')} (or AUTH_MODE=demo on the local stack)`);
  }
  if (config.AUTH_MODE === 'demo' && publicUrl.startsWith('https://') && env['ALLOW_DEMO_SIGN_IN'] !== 'yes') {
    // Anyone could sign in as an operator: refuse on a public https origin unless explicitly allowed.
    throw new ConfigError('Configuration error: AUTH_MODE=demo on an https PUBLIC_URL (set ALLOW_DEMO_SIGN_IN=yes for a demo site)');
  }
  if (config.JWT_SECRET === config.SESSION_SECRET) throw new ConfigError('Configuration error: SESSION_SECRET must differ from JWT_SECRET');
  const webRoot = isAbsolute(config.WEB_ROOT) ? config.WEB_ROOT : resolve(process.cwd(), config.WEB_ROOT);
  return { ...config, PUBLIC_URL: publicUrl, WEB_ROOT: webRoot };
}
