// Turns the `studyteam.environments` setting (as inspected per scope) into validated environments.
// Pure and vscode-free so it is unit-tested in plain Node.
import { DEFAULT_ENVIRONMENTS, validateEnvironment } from '../core/environment';
import type { Environment } from '../core/model';

export interface InspectedEnvironments {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export type EnvironmentScope = 'default' | 'user' | 'workspace';

export interface EffectiveEnvironments {
  readonly environments: readonly Environment[];
  /** Where the list came from. */
  readonly scope: EnvironmentScope;
  /** One line per rejected entry, e.g. `environments[2] ("QA"): baseUrl must use https`. */
  readonly problems: readonly string[];
  /** True when a workspace value exists but was ignored because the workspace is not trusted. */
  readonly ignoredUntrustedWorkspaceValue: boolean;
}

/**
 * Workspace (and folder) values win over user values, but only in a trusted workspace: in restricted mode a
 * cloned repository must not be able to point the token request (and so the client secret) at its own host.
 */
export function effectiveEnvironments(inspected: InspectedEnvironments, workspaceTrusted: boolean): EffectiveEnvironments {
  const workspaceValue = inspected.workspaceFolderValue ?? inspected.workspaceValue;
  const ignoredUntrustedWorkspaceValue = workspaceValue !== undefined && !workspaceTrusted;
  let raw: unknown;
  let scope: EnvironmentScope;
  if (workspaceValue !== undefined && workspaceTrusted) {
    raw = workspaceValue;
    scope = 'workspace';
  } else if (inspected.globalValue !== undefined) {
    raw = inspected.globalValue;
    scope = 'user';
  } else {
    return { environments: DEFAULT_ENVIRONMENTS, scope: 'default', problems: [], ignoredUntrustedWorkspaceValue };
  }
  if (!Array.isArray(raw)) {
    return {
      environments: DEFAULT_ENVIRONMENTS,
      scope: 'default',
      problems: [`studyteam.environments (${scope} settings) must be a list of environments; using the defaults.`],
      ignoredUntrustedWorkspaceValue,
    };
  }
  const environments: Environment[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, index) => {
    const label = describeEntry(entry, index);
    const result = validateEnvironment(entry);
    if (!result.ok) {
      problems.push(`${label}: ${result.errors.join('; ')}`);
    } else if (seen.has(result.value.id)) {
      problems.push(`${label}: duplicate id "${result.value.id}"`);
    } else {
      seen.add(result.value.id);
      environments.push(result.value);
    }
  });
  if (environments.length === 0) {
    problems.push('No valid environment in studyteam.environments; using the defaults.');
    return { environments: DEFAULT_ENVIRONMENTS, scope: 'default', problems, ignoredUntrustedWorkspaceValue };
  }
  return { environments, scope, problems, ignoredUntrustedWorkspaceValue };
}

function describeEntry(entry: unknown, index: number): string {
  const name = entry && typeof entry === 'object' && typeof (entry as { name?: unknown }).name === 'string' ? ` ("${(entry as { name: string }).name}")` : '';
  return `environments[${index}]${name}`;
}

/** Plain JSON form of an environment for settings.json (no undefined members, stable key order). */
export function environmentToSetting(env: Environment): Record<string, unknown> {
  const out: Record<string, unknown> = { id: env.id, name: env.name, baseUrl: env.baseUrl };
  if (env.tokenUrl) out.tokenUrl = env.tokenUrl;
  if (env.audience) out.audience = env.audience;
  out.production = env.production;
  if (env.variables && Object.keys(env.variables).length) out.variables = { ...env.variables };
  return out;
}

/** A readable, unique id from a name: "QA EU" → "qa-eu", "qa-eu-2", … */
export function environmentIdFor(name: string, taken: ReadonlySet<string>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'env';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
