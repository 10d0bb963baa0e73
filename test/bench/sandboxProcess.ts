// Child process of the benchmark: hosts one SandboxServer on 127.0.0.1 so the server gets its own
// event loop (and core) instead of sharing the client's. Talks to the parent over the IPC channel
// only; exits when the parent says stop or disconnects. Never prints the credentials.
import { SandboxServer } from '../../src/sandbox/sandboxServer';
import { SEED_EVENTS_ENV, type SandboxChildMessage, type SandboxParentMessage } from './benchSandbox';

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) {
    process.stderr.write('sandboxProcess: start me with child_process.fork (an IPC channel is needed)\n');
    process.exitCode = 2;
    return;
  }
  const seeded = Number(process.env[SEED_EVENTS_ENV]);
  const sandbox = await SandboxServer.start({
    host: '127.0.0.1',
    port: 0,
    name: 'Bench sandbox',
    ...(Number.isInteger(seeded) && seeded >= 0 ? { seedEvents: seeded } : {}),
  });
  const client = sandbox.clients[0]!;
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().finally(() => process.exit(0));
  };
  process.on('message', (raw: unknown) => {
    const message = raw as SandboxParentMessage;
    if (message.type === 'counters') {
      const reply: SandboxChildMessage = { type: 'counters', id: message.id, ...sandbox.counters };
      send(reply);
    } else if (message.type === 'stop') {
      stop();
    }
  });
  process.on('disconnect', stop);
  const ready: SandboxChildMessage = {
    type: 'ready',
    url: sandbox.url,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    audience: client.audience,
  };
  send(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandboxProcess: could not start (${error instanceof Error ? error.message : String(error)})\n`);
  process.exit(1);
});
