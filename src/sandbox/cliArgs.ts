// Command-line options of the sandbox CLI (src/sandbox/cli.ts), parsed without side effects.
import type { SandboxOptions } from './sandboxOptions';

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
      case '--events': {
        const count = Number(value);
        if (!Number.isInteger(count) || count < 0 || count > 1_000_000) return { error: `--events must be a whole number from 0 to 1000000, got "${value}".` };
        options.seedEvents = count;
        break;
      }
      case '--host':
        options.host = value;
        break;
      case '--name':
        options.name = value;
        break;
      default:
        return { error: `Unknown option ${name}. Use --port, --host, --lifetime, --events or --name.` };
    }
  }
  return { options };
}
