// Which environment and credentials `studyteam-run` uses: the workspace's .vscode/settings.json
// (studyteam.environments, JSONC) or the built-in Staging/Production, optionally overridden by
// --base-url/--token-url/--audience; `sandbox` is a local sandbox whose URL the caller passes. Credentials
// come only from environment variables. No `vscode`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ENVIRONMENTS, isLoopbackHost, validateEnvironment } from '../core/environment';
import { describeJsonError } from '../core/jsonLocation';
import { parseJsonc } from '../core/jsonc';
import type { ClientCredentials, Environment } from '../core/model';
import type { RunArgs } from './runArgs';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The production API host: anything sent there is treated as production whatever the settings say. */
const PRODUCTION_HOST = 'api.studyteamapp.com';

/** studyteam.environments of a workspace's .vscode/settings.json; [] when there is no such file or key. */
export function workspaceEnvironments(workspace: string): Environment[] {
  const file = join(workspace, '.vscode', 'settings.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = parseJsonc(text);
  if (!parsed.ok) throw new ConfigError(`${file}: ${describeJsonError(parsed)}`);
  const settings = parsed.value as Record<string, unknown> | null;
  const list = settings && typeof settings === 'object' ? settings['studyteam.environments'] : undefined;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new ConfigError(`${file}: "studyteam.environments" must be a list.`);
  return list.map((raw, i) => {
    const checked = validateEnvironment(raw);
    if (!checked.ok) throw new ConfigError(`${file}: studyteam.environments[${i}]: ${checked.errors.join(' ')}`);
    return checked.value;
  });
}

function isProductionUrl(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === PRODUCTION_HOST;
  } catch {
    return false;
  }
}

export function resolveEnvironment(args: RunArgs, cwd: string, processEnv: NodeJS.ProcessEnv): Environment {
  const wanted = args.env ?? 'cli';
  let base: Environment | undefined;
  if (wanted === 'sandbox') {
    const url = args.baseUrl ?? processEnv.STUDYTEAM_SANDBOX_URL;
    if (!url) throw new ConfigError('--env sandbox needs the sandbox URL: --base-url http://127.0.0.1:PORT (or STUDYTEAM_SANDBOX_URL). Start one with `node dist/sandbox.js`.');
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      throw new ConfigError(`--base-url "${url}" is not a valid URL.`);
    }
    if (!isLoopbackHost(host)) throw new ConfigError(`--env sandbox only runs against a local sandbox (127.0.0.1/localhost), not ${host}.`);
    base = { id: 'sandbox', name: 'Sandbox', baseUrl: url, production: false };
  } else {
    const configured = workspaceEnvironments(args.workspace ?? cwd);
    const pool = [...configured, ...DEFAULT_ENVIRONMENTS.filter((d) => !configured.some((c) => c.id === d.id))];
    base = pool.find((e) => e.id === wanted) ?? pool.find((e) => e.name.toLowerCase() === wanted.toLowerCase());
    if (!base && !args.baseUrl) {
      throw new ConfigError(`Unknown environment "${wanted}". Known: ${pool.map((e) => e.id).join(', ')} (from .vscode/settings.json studyteam.environments and the built-in ones), or give --base-url.`);
    }
  }
  const candidate = {
    id: base?.id ?? (/^[a-z0-9][a-z0-9-]*$/.test(wanted) ? wanted : 'cli'),
    name: base?.name ?? wanted,
    baseUrl: args.baseUrl ?? base!.baseUrl,
    ...((args.tokenUrl ?? (args.baseUrl ? undefined : base?.tokenUrl)) ? { tokenUrl: args.tokenUrl ?? base?.tokenUrl } : {}),
    ...((args.audience ?? (args.baseUrl ? undefined : base?.audience)) ? { audience: args.audience ?? base?.audience } : {}),
    production: base?.production ?? false,
    ...(base?.variables ? { variables: base.variables } : {}),
  };
  const checked = validateEnvironment(candidate);
  if (!checked.ok) throw new ConfigError(`Environment "${candidate.name}": ${checked.errors.join(' ')}`);
  const env = checked.value;
  // Never let an override hide production: the production host is production.
  return isProductionUrl(env.baseUrl) && !env.production ? { ...env, production: true } : env;
}

/** STUDYTEAM_<ID>_CLIENT_ID: the id upper-cased, anything but letters and digits as "_". */
export function credentialVariableNames(environmentId: string): { id: string; secret: string } {
  const key = environmentId.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return { id: `STUDYTEAM_${key}_CLIENT_ID`, secret: `STUDYTEAM_${key}_CLIENT_SECRET` };
}

/** Per-environment variables first, then the generic pair; undefined when neither pair is complete. */
export function credentialsFromProcessEnv(env: Environment, processEnv: NodeJS.ProcessEnv): ClientCredentials | undefined {
  const names = credentialVariableNames(env.id);
  const pairs: Array<[string | undefined, string | undefined]> = [
    [processEnv[names.id], processEnv[names.secret]],
    [processEnv.STUDYTEAM_CLIENT_ID, processEnv.STUDYTEAM_CLIENT_SECRET],
  ];
  for (const [clientId, clientSecret] of pairs) if (clientId && clientSecret) return { clientId, clientSecret };
  return undefined;
}
