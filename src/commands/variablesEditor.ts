// An editor for an environment's non-secret {{variables}}: a QuickPick that lists every variable with its value,
// with Add, and per variable Edit value / Rename / Remove; Save writes them all at once, Escape changes nothing.
// Secret-looking names or values are refused (settings are plain text, shared through git).
import * as vscode from 'vscode';
import { isSecretVariable } from '../core/postman';

type Row = vscode.QuickPickItem & { readonly action: 'save' | 'add' | 'variable'; readonly name?: string };

const NAME = /^[A-Za-z_][\w.-]*$/;

function nameProblem(name: string, others: readonly string[]): string | undefined {
  const n = name.trim();
  if (!NAME.test(n)) return 'A name starts with a letter or _ and has letters, digits, _ . - (used as {{name}}).';
  if (n === 'baseUrl') return 'baseUrl is the environment\'s base URL; change it with Edit Environment.';
  if (others.includes(n)) return `There is already a variable "${n}".`;
  if (isSecretVariable(n, '')) return `"${n}" sounds like a secret. Secrets never go into variables (settings are plain text): use Set Credentials for client credentials; the token is added by the "bearer" auth mode.`;
  return undefined;
}

function valueProblem(name: string, value: string): string | undefined {
  return isSecretVariable(name, value) ? 'This looks like a token or credential. Secrets never go into variables: settings are plain text.' : undefined;
}

/** Edits a copy of `variables`; the new set on Save, undefined when dismissed. */
export async function editVariables(environmentName: string, variables: Readonly<Record<string, string>>): Promise<Record<string, string> | undefined> {
  const vars: Record<string, string> = { ...variables };
  let dirty = false;
  for (;;) {
    const names = Object.keys(vars).sort((a, b) => a.localeCompare(b));
    const rows: Row[] = [
      ...names.map((name): Row => ({ label: `{{${name}}}`, description: vars[name], action: 'variable', name })),
      { label: '', kind: vscode.QuickPickItemKind.Separator, action: 'add' },
      { label: '$(add) Add variable…', action: 'add' },
      { label: `$(check) Save${dirty ? '' : ' (no changes)'}`, description: `to ${environmentName}`, action: 'save' },
    ];
    const pick = await vscode.window.showQuickPick(rows, {
      title: `${environmentName}: variables${dirty ? ' ●' : ''}`,
      placeHolder: names.length ? 'Pick a variable to edit, rename or remove — or Add, then Save' : 'No variables yet — Add one, then Save',
      matchOnDescription: true,
      ignoreFocusOut: true,
    });
    if (!pick) return undefined;
    if (pick.action === 'save') return vars;
    if (pick.action === 'add') {
      const name = await vscode.window.showInputBox({ title: `${environmentName}: new variable`, prompt: 'Name (used as {{name}} in requests)', ignoreFocusOut: true, validateInput: (v) => nameProblem(v, Object.keys(vars)) });
      if (name === undefined) continue;
      const value = await vscode.window.showInputBox({ title: `${environmentName}: {{${name.trim()}}}`, prompt: 'Value (not secret: settings are plain text)', ignoreFocusOut: true, validateInput: (v) => valueProblem(name.trim(), v) });
      if (value === undefined) continue;
      vars[name.trim()] = value;
      dirty = true;
      continue;
    }
    const name = pick.name!;
    const what = await vscode.window.showQuickPick(['Edit Value…', 'Rename…', 'Remove'], { title: `${environmentName}: {{${name}}} = ${vars[name]}` });
    if (what === 'Edit Value…') {
      const value = await vscode.window.showInputBox({ title: `${environmentName}: {{${name}}}`, value: vars[name], ignoreFocusOut: true, validateInput: (v) => valueProblem(name, v) });
      if (value !== undefined && value !== vars[name]) {
        vars[name] = value;
        dirty = true;
      }
    } else if (what === 'Rename…') {
      const renamed = await vscode.window.showInputBox({ title: `${environmentName}: rename {{${name}}}`, value: name, ignoreFocusOut: true, validateInput: (v) => (v.trim() === name ? undefined : nameProblem(v, Object.keys(vars))) });
      if (renamed !== undefined && renamed.trim() !== name) {
        vars[renamed.trim()] = vars[name]!;
        delete vars[name];
        dirty = true;
      }
    } else if (what === 'Remove') {
      delete vars[name];
      dirty = true;
    }
  }
}
