// Read-only virtual documents (scheme `studyteam-view`). Unlike untitled documents they are never backed up by
// hot exit, so responses (patient data) and token details never reach the disk unless the user saves them.
import * as vscode from 'vscode';

export const READONLY_SCHEME = 'studyteam-view';

export class ReadonlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;
  private seq = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(READONLY_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '(This view is no longer available: run the request again.)';
  }

  /** Opens `content` as a read-only document titled `title`; returns its URI. */
  async show(title: string, content: string, language?: string, options?: { preview?: boolean; viewColumn?: vscode.ViewColumn }): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: READONLY_SCHEME, path: `/${++this.seq}/${title.replace(/[\\/]/g, '-')}` });
    this.contents.set(uri.toString(), content);
    while (this.contents.size > 20) this.contents.delete(this.contents.keys().next().value as string);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (language && doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    await vscode.window.showTextDocument(doc, { preview: options?.preview ?? true, viewColumn: options?.viewColumn });
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.contents.clear();
  }
}
