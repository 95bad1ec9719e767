import { startMongoStandin } from './lib/server';

/**
 * Runs the stand-in as a process:
 *   npx tsx libs/mongo-standin/src/cli.ts --port 27017 --journal .local/mongo/journal.ndjson
 * Prints `mongo-standin listening <uri>` when ready; SIGINT/SIGTERM stop it and compact the journal.
 */
function parseArgs(argv: string[]): { port?: number; host?: string; journal?: string; replicaSet?: string } {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2);
    out[key] = inline ?? argv[++i];
    if (out[key] === undefined) throw new Error(`missing value for --${key}`);
  }
  for (const key of Object.keys(out)) {
    if (!['port', 'host', 'journal', 'replSet'].includes(key)) throw new Error(`unknown option --${key}`);
  }
  return { port: out['port'] ? Number(out['port']) : undefined, host: out['host'], journal: out['journal'], replicaSet: out['replSet'] };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const running = await startMongoStandin({
    port: args.port,
    host: args.host,
    journalPath: args.journal,
    replicaSetName: args.replicaSet,
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
