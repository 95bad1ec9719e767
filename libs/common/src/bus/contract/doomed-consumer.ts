/**
 * A contract-suite consumer in a process of its own, so that the suite can kill it with SIGKILL as a
 * real crash would: no LeaveGroup, no commit, sockets closed by the kernel. It never finishes handling
 * events whose subject starts with the given prefix (it "dies" mid-handler) and tells the parent on
 * stdout which events it holds. Other events are acknowledged (a new group replays older tests' events).
 *
 * Started by `kafkaHarness().consumeInChild`; its settings come in the CONTRACT_CONSUMER variable.
 */
import type { EventEnvelope } from '../../contracts/envelope';
import { EVENT_TYPES } from '../../contracts/registry';
import { KafkaEventServer, type KafkaServerOptions } from '../kafka.server';

interface DoomedSettings {
  options: KafkaServerOptions;
  holdPrefix: string;
}

async function main() {
  const { options, holdPrefix } = JSON.parse(process.env['CONTRACT_CONSUMER'] ?? '') as DoomedSettings;
  const server = new KafkaEventServer(options);
  server.addHandler(
    EVENT_TYPES.ProductUpserted,
    async (event: EventEnvelope) => {
      if (!event.subject.startsWith(holdPrefix)) return;
      process.stdout.write(`holding ${event.id}\n`);
      await new Promise(() => undefined);
    },
    true,
  );
  server.listen(() => undefined);
  await server.ready();
  process.stdout.write('ready\n');
}

main().catch((error) => {
  process.stderr.write(`doomed consumer failed: ${error}\n`);
  process.exit(1);
});
