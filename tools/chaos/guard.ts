/**
 * The harness only talks to loopback addresses and to the hosts named in its own variables
 * (MONGO_URL, KAFKA_BROKERS, REDIS_URL, the service URLs): a typo or a URL a server hands back
 * cannot turn it loose on someone else's machine.
 */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Hosts named in the variables (each URL, which may list several hosts, or a host:port list for KAFKA_BROKERS). */
export function namedHosts(env: Record<string, string | undefined>, names: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  for (const name of names) {
    const value = env[name]?.trim();
    if (!value) continue;
    const items = value.includes('://') ? hostsOf(value) : value.split(',').map((i) => i.trim().replace(/:\d+$/, '').toLowerCase());
    for (const h of items) if (h) hosts.add(h);
  }
  return hosts;
}

/** The hosts of a URL's authority (mongodb:// may list several; credentials are skipped). */
function hostsOf(url: string): string[] {
  const withoutScheme = url.replace(/^[a-z+]+:\/\//i, '');
  const authority = withoutScheme.split(/[/?#]/)[0].split('@').pop() ?? '';
  return authority.split(',').map((h) => h.replace(/:\d+$/, '').toLowerCase());
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return LOOPBACK.has(h) || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Throws unless every host of `url` is loopback or one of `allowed`. */
export function assertAllowed(url: string, allowed: Set<string>): void {
  for (const host of hostsOf(url)) {
    if (!isLoopback(host) && !allowed.has(host)) {
      throw new Error(`refusing ${host}: the chaos harness targets only loopback addresses and the hosts named in its variables`);
    }
  }
}
