// The one-time note after a save rewrote an older requests.json (version 1 or 2) in format 3: it names the
// file, says what changed and that older versions of the extension cannot read it, and offers the README
// section. Shown once per workspace (a workspaceState flag), and only when a migration really happened.
import * as vscode from 'vscode';
import type { FormatMigration } from './savedRequestStore';

export const FORMAT_NOTE_SHOWN_KEY = 'studyteam.requestsFileFormat3NoteShown';
export const WHAT_CHANGED = 'What changed';
/** The README heading the note's action opens. */
export const FORMAT_README_HEADING = '#### The saved-requests file';

export function formatMigrationMessage(fileLabel: string, migration: FormatMigration): string {
  return (
    `StudyTeam saved ${fileLabel} in file format ${migration.toVersion} (it was format ${migration.fromVersion}): JSON bodies are now stored as JSON, ` +
    `other bodies as lines, so diffs show the changed line. Older versions of the extension can't read it.`
  );
}

/** Shows the note for the first migration in this workspace; resolves once it is dismissed or acted on. */
export async function showFormatMigrationNote(
  deps: { readonly workspaceState: vscode.Memento; readonly extensionUri: vscode.Uri; readonly fileUri: vscode.Uri },
  migration: FormatMigration,
): Promise<void> {
  if (deps.workspaceState.get<boolean>(FORMAT_NOTE_SHOWN_KEY)) return;
  await deps.workspaceState.update(FORMAT_NOTE_SHOWN_KEY, true);
  const message = formatMigrationMessage(vscode.workspace.asRelativePath(deps.fileUri), migration);
  const pick = await vscode.window.showInformationMessage(message, WHAT_CHANGED);
  if (pick === WHAT_CHANGED) await openReadmeSection(deps.extensionUri);
}

/** Opens the extension's README at the section on the file format. */
async function openReadmeSection(extensionUri: vscode.Uri): Promise<void> {
  const readme = vscode.Uri.joinPath(extensionUri, 'README.md');
  const document = await vscode.workspace.openTextDocument(readme);
  const line = Math.max(0, document.getText().split('\n').findIndex((l) => l.trimEnd() === FORMAT_README_HEADING));
  const at = new vscode.Range(line, 0, line, 0);
  const editor = await vscode.window.showTextDocument(document, { selection: at, preview: true });
  editor.revealRange(at, vscode.TextEditorRevealType.AtTop);
}
