// {{variables}} a panel's request needs that the environment does not define: asked for the way the tree's Run asks
// (one input box each), with "Remember for <environment>" for values that are not secrets. Remembered values live in
// memory for this VS Code session only (they can be IDs from real data), one set per environment. Host only.
import * as vscode from 'vscode';
import type { ApiRequest, Environment } from '../core/model';
import { looksLikeToken } from '../core/redaction';
import { resolveVariables, variablesOf } from '../core/variables';
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

export type VariableAnswers = { readonly ok: true; readonly values: Readonly<Record<string, string>> } | { readonly ok: false; readonly missing: readonly string[] };

const JUST_THIS_ONCE = 'Use for this request only';

/**
 * The values for the request's unresolved {{variables}}: the remembered ones, then asked (an input box each); Escape
 * stops asking. Afterwards offers to remember the non-secret answers for the environment.
 */
export async function valuesForVariables(request: ApiRequest, environment: Environment, remembered: RememberedVariables, title: string): Promise<VariableAnswers> {
  const known = remembered.of(environment.id);
  const { unresolved } = resolveVariables(request, { ...variablesOf(environment), ...known });
  if (unresolved.length === 0) return { ok: true, values: known };
  const answers: Record<string, string> = {};
  for (const name of unresolved) {
    const value = await vscode.window.showInputBox({
      title: `StudyTeam: value for {{${name}}}`,
      prompt: `${title} needs {{${name}}} (not defined in ${environment.name}'s variables)`,
      ignoreFocusOut: true,
    });
    if (value === undefined) return { ok: false, missing: unresolved.filter((n) => !(n in answers)) };
    answers[name] = value;
  }
  const rememberable = Object.keys(answers).filter((name) => !isSecretVariable(name, answers[name] ?? ''));
  if (rememberable.length) {
    const remember = `Remember ${rememberable.map((n) => `{{${n}}}`).join(', ')} for ${environment.name}`;
    const pick = await vscode.window.showQuickPick([JUST_THIS_ONCE, remember], {
      title: 'Keep these values?',
      placeHolder: `Remembered values are used by this window's request panels on ${environment.name} until VS Code closes (never written to disk; secrets are never kept)`,
      ignoreFocusOut: true,
    });
    if (pick === remember) remembered.remember(environment.id, answers);
  }
  return { ok: true, values: { ...known, ...answers } };
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
