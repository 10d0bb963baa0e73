// Command-line options of `studyteam-run`, parsed without side effects. Credentials are never options:
// they come from environment variables only (see cliEnvironment.ts).

export type Reporter = 'spec' | 'junit' | 'json';

export interface RunArgs {
  file: string;
  folder?: string;
  env?: string;
  iterations: number;
  delayMs: number;
  stopOnFailure: boolean;
  reporter: Reporter;
  out?: string;
  vars: Record<string, string>;
  verboseBodies: boolean;
  allowProductionWrites: boolean;
  baseUrl?: string;
  tokenUrl?: string;
  audience?: string;
  /** The workspace whose .vscode/settings.json holds studyteam.environments. Default: the current directory. */
  workspace?: string;
  timeoutMs?: number;
  /** A proxy for every request instead of HTTPS_PROXY/HTTP_PROXY (NO_PROXY still applies). */
  proxy?: string;
  help: boolean;
}

export const USAGE = `Usage: studyteam-run --env <staging|production|sandbox|id> [options]

Runs saved StudyTeam requests (.studyteam/requests.json) and their checks.

Options:
  --file FILE                 saved requests file (default .studyteam/requests.json)
  --folder NAME               run only this folder ("Go-live", or a path "Outer/Inner")
  --env ID                    environment id or name from .vscode/settings.json (studyteam.environments),
                              or staging / production, or sandbox (a local sandbox: give --base-url)
  --base-url URL              API base URL (instead of, or overriding, the settings)
  --token-url URL             token endpoint (default <base-url>/oauth/token)
  --audience TEXT             OAuth audience (default the base URL's origin)
  --workspace DIR             folder holding .vscode/settings.json (default: current directory)
  --var NAME=VALUE            a {{NAME}} value for this run (repeatable; never a secret)
  --iterations N              run the requests N times (default 1)
  --delay MS                  pause between requests (default 0)
  --stop-on-failure           stop at the first failing request
  --timeout MS                time limit of one request (default 30000)
  --proxy URL                 proxy for every request (default: HTTPS_PROXY/HTTP_PROXY/ALL_PROXY,
                              NO_PROXY respected; local hosts are always reached directly)
  --reporter spec|junit|json  report format (default spec)
  --out FILE                  write the report to FILE (a spec summary still goes to stdout)
  --verbose-bodies            print response bodies (redacted) — off by default
  --allow-production-writes   allow POST/PUT/PATCH/DELETE to a production environment
  -h, --help                  this text

Credentials come ONLY from environment variables: STUDYTEAM_<ID>_CLIENT_ID and
STUDYTEAM_<ID>_CLIENT_SECRET (ID = the environment id, upper case, "-" as "_"), else
STUDYTEAM_CLIENT_ID and STUDYTEAM_CLIENT_SECRET.

Exit codes: 0 all passed, 1 a check or request failed, 2 usage, configuration or authentication error.
`;

const FLAGS = new Set(['--stop-on-failure', '--verbose-bodies', '--allow-production-writes', '--help', '-h']);
const WITH_VALUE = new Set(['--file', '--folder', '--env', '--base-url', '--token-url', '--audience', '--workspace', '--out', '--iterations', '--delay', '--timeout', '--reporter', '--var', '--proxy']);
const CREDENTIAL_OPTIONS = new Set(['--client-id', '--client-secret', '--token', '--secret', '--password']);
const SECRETISH = /secret|password|token/i;

function positiveInt(name: string, value: string, min: number): number | string {
  const n = Number(value);
  return Number.isInteger(n) && n >= min ? n : `${name} must be a whole number ≥ ${min}, got "${value}".`;
}

export function parseRunArgs(argv: readonly string[]): { args: RunArgs } | { error: string } {
  const args: RunArgs = { file: '.studyteam/requests.json', iterations: 1, delayMs: 0, stopOnFailure: false, reporter: 'spec', vars: {}, verboseBodies: false, allowProductionWrites: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) return { error: `Unexpected argument "${arg}".` };
    const eq = arg.indexOf('=');
    const name = eq >= 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    if (FLAGS.has(name)) {
      if (eq >= 0 && arg.startsWith('--')) return { error: `${name} takes no value.` };
      if (name === '--stop-on-failure') args.stopOnFailure = true;
      else if (name === '--verbose-bodies') args.verboseBodies = true;
      else if (name === '--allow-production-writes') args.allowProductionWrites = true;
      else args.help = true;
      continue;
    }
    if (CREDENTIAL_OPTIONS.has(name)) {
      return { error: `${name} is not an option: credentials come only from environment variables (STUDYTEAM_CLIENT_ID / STUDYTEAM_CLIENT_SECRET or STUDYTEAM_<ID>_…).` };
    }
    if (!WITH_VALUE.has(name)) return { error: `Unknown option ${name}.` };
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--'))) return { error: `${name} needs a value.` };
    switch (name) {
      case '--file':
        args.file = value;
        break;
      case '--folder':
        args.folder = value;
        break;
      case '--env':
        args.env = value;
        break;
      case '--base-url':
        args.baseUrl = value;
        break;
      case '--token-url':
        args.tokenUrl = value;
        break;
      case '--audience':
        args.audience = value;
        break;
      case '--workspace':
        args.workspace = value;
        break;
      case '--out':
        args.out = value;
        break;
      case '--proxy':
        args.proxy = value;
        break;
      case '--iterations':
      case '--delay':
      case '--timeout': {
        const n = positiveInt(name, value, name === '--delay' ? 0 : 1);
        if (typeof n === 'string') return { error: n };
        if (name === '--iterations') args.iterations = n;
        else if (name === '--delay') args.delayMs = n;
        else args.timeoutMs = n;
        break;
      }
      case '--reporter':
        if (value !== 'spec' && value !== 'junit' && value !== 'json') return { error: `--reporter must be spec, junit or json, got "${value}".` };
        args.reporter = value;
        break;
      case '--var': {
        const at = value.indexOf('=');
        const key = at > 0 ? value.slice(0, at).trim() : '';
        if (!/^[A-Za-z_$][\w.$-]*$/.test(key)) return { error: `--var needs NAME=VALUE, got "${value.slice(0, 40)}".` };
        if (SECRETISH.test(key)) return { error: `--var ${key}: secrets are never taken from arguments (they end up in shell history and CI logs). Credentials come from environment variables.` };
        args.vars[key] = value.slice(at + 1);
        break;
      }
      default:
        return { error: `Unknown option ${name}.` };
    }
  }
  if (!args.help && !args.env && !args.baseUrl) return { error: '--env is required (e.g. --env staging), or give --base-url.' };
  return { args };
}
