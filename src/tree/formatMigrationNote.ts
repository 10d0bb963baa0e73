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

export class FormatMigrationNote {
  private shownCount = 0;

  constructor(
    private readonly workspaceState: vscode.Memento,
    private readonly extensionUri: vscode.Uri,
    private readonly fileUri: vscode.Uri,
  ) {}

  /** How often the note was shown in this session (at most once per workspace). */
  get timesShown(): number {
    return this.shownCount;
  }

  /** Shows the note unless this workspace has seen it; resolves once it is dismissed or acted on. */
  async show(migration: FormatMigration): Promise<void> {
    if (this.workspaceState.get<boolean>(FORMAT_NOTE_SHOWN_KEY)) return;
    await this.workspaceState.update(FORMAT_NOTE_SHOWN_KEY, true);
    this.shownCount++;
    const message = formatMigrationMessage(vscode.workspace.asRelativePath(this.fileUri), migration);
    const pick = await vscode.window.showInformationMessage(message, WHAT_CHANGED);
    if (pick === WHAT_CHANGED) await this.openReadmeSection();
  }

  /** Forgets that this workspace has seen the note (tests start from a known state with it). */
  forget(): Thenable<void> {
    return this.workspaceState.update(FORMAT_NOTE_SHOWN_KEY, undefined);
  }

  /** Opens the extension's README at the section on the file format. */
  private async openReadmeSection(): Promise<void> {
    const readme = vscode.Uri.joinPath(this.extensionUri, 'README.md');
    const document = await vscode.workspace.openTextDocument(readme);
    const line = Math.max(0, document.getText().split('\n').findIndex((l) => l.trimEnd() === FORMAT_README_HEADING));
    const at = new vscode.Range(line, 0, line, 0);
    const editor = await vscode.window.showTextDocument(document, { selection: at, preview: true });
    editor.revealRange(at, vscode.TextEditorRevealType.AtTop);
  }
}
