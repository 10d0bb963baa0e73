// `node dist/sandbox.js [--port N] [--host H] [--lifetime SECONDS] [--events N] [--name NAME]`
// (--events: how many events of seeded history the feed starts with, default 300)
// Starts a local StudyTeam sandbox and prints ONE JSON line: {"url","clientId","clientSecret","audience"}.
// The credentials are random, local and throwaway. Runs until SIGINT/SIGTERM.
import { parseSandboxArgs } from './cliArgs';
import { SandboxServer } from './sandboxServer';

async function main(): Promise<void> {
  const parsed = parseSandboxArgs(process.argv.slice(2));
  if ('error' in parsed) {
    process.stderr.write(`sandbox: ${parsed.error}\n`);
    process.exitCode = 2;
    return;
  }
  const sandbox = await SandboxServer.start(parsed.options);
  const client = sandbox.clients[0]!;
  process.stdout.write(
    `${JSON.stringify({ url: sandbox.url, clientId: client.clientId, clientSecret: client.clientSecret, audience: client.audience })}\n`,
  );
  const shutdown = (): void => {
    void sandbox.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: could not start (${error instanceof Error ? error.message : String(error)})\n`);
  process.exitCode = 1;
});
