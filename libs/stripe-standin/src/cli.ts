/**
 * Runs the Stripe stand-in as a process (used by tools/local/start.ts when STRIPE_SECRET_KEY is unset):
 *   npx tsx libs/stripe-standin/src/cli.ts --port 12111 --webhook http://127.0.0.1:3002/payments/webhooks/stripe=whsec_…
 * Prints `stripe-standin listening <url>` once ready; SIGINT/SIGTERM stop it.
 */
import { startStripeStandin } from './lib/server';

function args(argv: string[]): { port: number; host: string; webhooks: { url: string; secret: string }[] } {
  const out = { port: 0, host: '127.0.0.1', webhooks: [] as { url: string; secret: string }[] };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') out.port = Number(value);
    else if (flag === '--host') out.host = value;
    else if (flag === '--webhook') {
      const at = value.lastIndexOf('=whsec_');
      if (at < 0) throw new Error('--webhook takes URL=whsec_SECRET');
      out.webhooks.push({ url: value.slice(0, at), secret: value.slice(at + 1) });
    } else throw new Error(`unknown option ${flag}`);
  }
  return out;
}

async function main() {
  const opts = args(process.argv.slice(2));
  const standin = await startStripeStandin(opts);
  process.stdout.write(`stripe-standin listening ${standin.url}\n`);
  const stop = () => void standin.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`stripe-standin: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
