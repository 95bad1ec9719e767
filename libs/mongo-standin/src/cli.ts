import { startMongoStandin } from './lib/server';

/**
 * Runs the stand-in as a process:
 *   npx tsx libs/mongo-standin/src/cli.ts --port 27017 --journal .local/mongo/journal.ndjson
 * Prints `mongo-standin listening <uri>` when ready; SIGINT/SIGTERM stop it and compact the journal.
 */
function parseArgs(argv: string[]): { port?: number; host?: string; journal?: string; replicaSet?: string; lifetime?: number } {
  const out: Record<string, string> = {};
  let lifetime: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const eq = arg.indexOf('=');
    const key = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`missing value for --${key}`);
    if (key === 'setParameter') {
      // mongod's syntax: --setParameter transactionLifetimeLimitSeconds=10
      const [name, n] = value.split('=', 2);
      if (name !== 'transactionLifetimeLimitSeconds' || !(Number(n) >= 1)) throw new Error(`unsupported --setParameter ${value}`);
      lifetime = Number(n);
      continue;
    }
    out[key] = value;
  }
  for (const key of Object.keys(out)) {
    if (!['port', 'host', 'journal', 'replSet'].includes(key)) throw new Error(`unknown option --${key}`);
  }
  return { port: out['port'] ? Number(out['port']) : undefined, host: out['host'], journal: out['journal'], replicaSet: out['replSet'], lifetime };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const running = await startMongoStandin({
    port: args.port,
    host: args.host,
    journalPath: args.journal,
    replicaSetName: args.replicaSet,
    transactionLifetimeLimitSeconds: args.lifetime,
  });
  process.stdout.write(`mongo-standin listening ${running.uri}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.stop().then(
      () => {
        process.stderr.write(`mongo-standin stopped (${signal})\n`);
        process.exit(0);
      },
      (e: unknown) => {
        process.stderr.write(`mongo-standin failed to stop cleanly: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`mongo-standin failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
