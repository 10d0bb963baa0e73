// Values for {{variables}} the user chose to remember in the request panel (per environment, this session, in
// memory only), which variables count as secrets (never remembered, never shown), and what the webview may know of
// the variables. No `vscode`: unit-tested in plain Node.
import { looksLikeToken } from '../core/redaction';
import type { VariableInfo } from './protocol';

/** Variable names that say they hold a secret: never remembered. */
const SECRET_NAME = /secret|token|password|passwd|api[-_]?key|credential|auth/i;

export function isSecretVariable(name: string, value: string): boolean {
  return SECRET_NAME.test(name) || looksLikeToken(value);
}

/** Values the user chose to remember, per environment id, for this session. */
export class RememberedVariables {
  private readonly byEnvironment = new Map<string, Record<string, string>>();

  of(environmentId: string): Readonly<Record<string, string>> {
    return this.byEnvironment.get(environmentId) ?? {};
  }

  remember(environmentId: string, values: Readonly<Record<string, string>>): void {
    const kept = Object.entries(values).filter(([name, value]) => !isSecretVariable(name, value));
    if (kept.length) this.byEnvironment.set(environmentId, { ...this.of(environmentId), ...Object.fromEntries(kept) });
  }
}

/** What the webview may know of the variables (hover, completion): names, sources, and values that are not secrets. */
export function variableInfos(environment: Readonly<Record<string, string>>, remembered: Readonly<Record<string, string>>): VariableInfo[] {
  const out = new Map<string, VariableInfo>();
  const add = (values: Readonly<Record<string, string>>, source: VariableInfo['source']): void => {
    for (const [name, value] of Object.entries(values)) out.set(name, { name, source, ...(isSecretVariable(name, value) ? {} : { value }) });
  };
  add(environment, 'environment');
  add(remembered, 'remembered');
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}
