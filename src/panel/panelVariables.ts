// {{variables}} a panel's request needs that the environment does not define: asked for the way the tree's Run asks
// (one input box each), with "Remember for <environment>" for values that are not secrets. Remembered values live in
// memory for this VS Code session only (they can be IDs from real data), one set per environment. Host only.
import * as vscode from 'vscode';
import type { ApiRequest, Environment } from '../core/model';
import { resolveVariables, variablesOf } from '../core/variables';
import type { RememberedVariables } from './rememberedVariables';
import { isSecretVariable } from './rememberedVariables';

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
