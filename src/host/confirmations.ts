// Modal confirmations (production guard, a new token origin, copying a token, removals) go through here.
// VS Code refuses to show modal dialogs while extension tests run (they resolve as cancelled at once), so
// integration tests install a responder that sees exactly what the user would have been asked.
import * as vscode from 'vscode';

export interface ConfirmationRequest {
  readonly message: string;
  readonly detail?: string;
  /** The label of the confirming button, e.g. "Send to Production". */
  readonly confirmLabel: string;
}

export type ConfirmationResponder = (request: ConfirmationRequest) => boolean | Promise<boolean>;

export class Confirmations {
  /** Tests only: answers instead of the modal dialog. */
  responder: ConfirmationResponder | undefined;

  async confirm(request: ConfirmationRequest): Promise<boolean> {
    if (this.responder) return this.responder(request);
    const pick = await vscode.window.showWarningMessage(request.message, { modal: true, detail: request.detail }, request.confirmLabel);
    return pick === request.confirmLabel;
  }
}
