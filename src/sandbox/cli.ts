// `node dist/sandbox.js [--port N] [--host H] [--lifetime SECONDS] [--name NAME]`
// Starts a local StudyTeam sandbox and prints ONE JSON line: {"url","clientId","clientSecret","audience"}.
// The credentials are random, local and throwaway. Runs until SIGINT/SIGTERM.
import { SandboxServer, type SandboxOptions } from './sandboxServer';

export function parseSandboxArgs(argv: readonly string[]): { options: SandboxOptions } | { error: string } {
  const options: SandboxOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) return { error: `${name} needs a value.` };
    switch (name) {
      case '--port': {
        const port = Number(value);
        if (!Number.isInteger(port) || port < 0 || port > 65535) return { error: `--port must be 0..65535, got "${value}".` };
        options.port = port;
        break;
      }
      case '--lifetime': {
        const seconds = Number(value);
        if (!Number.isInteger(seconds) || seconds < 1) return { error: `--lifetime must be a whole number of seconds ≥ 1, got "${value}".` };
        options.tokenLifetimeSeconds = seconds;
        break;
      }
      case '--host':
        options.host = value;
        break;
      case '--name':
        options.name = value;
        break;
      default:
        return { error: `Unknown option ${name}. Use --port, --host, --lifetime or --name.` };
    }
  }
  return { options };
}

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
