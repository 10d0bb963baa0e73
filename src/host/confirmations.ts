// Every confirmation of the extension (production writes, a moved token or API origin, copying a token,
// removals) goes through the one Confirmations. VS Code refuses to show modal dialogs while extension tests run
// (they resolve as cancelled at once), so integration tests install a responder that sees exactly what the user
// would have been asked.
import * as vscode from 'vscode';

export interface ConfirmationRequest {
  readonly message: string;
  readonly detail?: string;
  /** The label of the confirming button, e.g. "Send to Production". */
  readonly confirmLabel: string;
  /**
   * The safe answer is the default: Cancel is the focused choice and Enter never confirms (a write to production).
   * A VS Code modal always focuses its first button, the confirming one, so this question is a QuickPick whose
   * first item is Cancel; it stays open when focus moves away, and closing it cancels.
   */
  readonly safeDefault?: boolean;
}

export type ConfirmationResponder = (request: ConfirmationRequest) => boolean | Promise<boolean>;

export const CANCEL_LABEL = 'Cancel';

/** A modal question with several answers (e.g. Save / Don't Save); Cancel is always there too. */
export interface ChoiceRequest {
  readonly message: string;
  readonly detail?: string;
  readonly choices: readonly string[];
}

/** The chosen label, or undefined for Cancel. */
export type ChoiceResponder = (request: ChoiceRequest) => string | undefined | Promise<string | undefined>;

export class Confirmations {
  /** Tests only: answers instead of the dialog. */
  responder: ConfirmationResponder | undefined;

  /** Tests only: answers `choose` instead of the modal dialog. */
  chooser: ChoiceResponder | undefined;

  /** Asks a modal question with several answers; undefined when the user cancels. */
  async choose(request: ChoiceRequest): Promise<string | undefined> {
    if (this.chooser) return this.chooser(request);
    const pick = await vscode.window.showWarningMessage(request.message, { modal: true, detail: request.detail }, ...request.choices);
    return pick !== undefined && request.choices.includes(pick) ? pick : undefined;
  }

  async confirm(request: ConfirmationRequest): Promise<boolean> {
    if (this.responder) return this.responder(request);
    if (request.safeDefault) return confirmWithCancelFirst(request);
    const pick = await vscode.window.showWarningMessage(request.message, { modal: true, detail: request.detail }, request.confirmLabel);
    return pick === request.confirmLabel;
  }
}

async function confirmWithCancelFirst(request: ConfirmationRequest): Promise<boolean> {
  const items: Array<vscode.QuickPickItem & { confirmed: boolean }> = [
    { label: `$(close) ${CANCEL_LABEL}`, description: 'nothing is sent', confirmed: false },
    { label: `$(warning) ${request.confirmLabel}`, ...(request.detail ? { detail: request.detail } : {}), confirmed: true },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: request.message,
    placeHolder: `Enter cancels. Choose "${request.confirmLabel}" to go ahead.`,
    ignoreFocusOut: true,
  });
  return pick?.confirmed === true;
}
