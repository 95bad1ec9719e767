import { ConfigError } from '@techan/common';
import { loadGatewayConfig } from './config';

const base = {
  PORT: '8080',
  JWT_SECRET: 'j'.repeat(32),
  SESSION_SECRET: 's'.repeat(32),
  CATALOG_URL: 'http://catalog:3001',
  ORDERS_URL: 'http://orders:3002',
  LOGISTICS_URL: 'http://logistics:3003',
  CERTIFICATION_URL: 'http://certification:3004',
};

describe('gateway config', () => {
  it('defaults to OpenID Connect and demands its variables', () => {
    expect(() => loadGatewayConfig(base)).toThrow(/AUTH_MODE=oidc needs OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET/);
    const ok = loadGatewayConfig({ ...base, OIDC_ISSUER: 'https://id.example.cn/realms/techan', OIDC_CLIENT_ID: 'web', OIDC_CLIENT_SECRET: 'x' });
    expect(ok).toMatchObject({ AUTH_MODE: 'oidc', PUBLIC_URL: 'http://127.0.0.1:8080', SERVICE_TOKEN_TTL_SECONDS: 60 });
  });

  it('refuses demo sign-in on a public https origin, equal secrets, bad URLs and long service tokens', () => {
    expect(() => loadGatewayConfig({ ...base, AUTH_MODE: 'demo', PUBLIC_URL: 'https://techan.example.cn' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ ...base, AUTH_MODE: 'demo', SESSION_SECRET: base.JWT_SECRET })).toThrow(/must differ/);
    expect(() => loadGatewayConfig({ ...base, AUTH_MODE: 'demo', CATALOG_URL: 'ftp://x' })).toThrow(/CATALOG_URL is invalid/);
    expect(() => loadGatewayConfig({ ...base, AUTH_MODE: 'demo', SERVICE_TOKEN_TTL_SECONDS: '3600' })).toThrow(/SERVICE_TOKEN_TTL_SECONDS/);
  });
});
