// The one error path: turns any failure into a notification a person can act on. The core's StudyTeamError and
// SavedRequestsError carry a message and the actions that fit; anything else is reduced to a redacted one-liner.
// Every notification shown is recorded (redacted) for the tests and the leak scan. The request panel shows the
// same message and actions inline (presentError, ERROR_ACTION_LABELS, runErrorAction).
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { StudyTeamError, type ErrorAction } from '../core/errors';
import type { Environment } from '../core/model';
import { redactText } from '../core/redaction';
import { SavedRequestsError } from '../core/savedRequests';

export const ERROR_ACTION_LABELS: Readonly<Record<ErrorAction, string>> = {
  setCredentials: 'Set Credentials…',
  showLog: 'Show Log',
  editEnvironment: 'Edit Environment…',
  editAudience: 'Edit audience…',
};

const ACTION_COMMANDS: Readonly<Record<ErrorAction, string>> = {
  setCredentials: Commands.setCredentials,
  editEnvironment: Commands.editEnvironment,
  editAudience: Commands.editEnvironment,
  showLog: Commands.showLog,
};

/** Second argument of studyteam.editEnvironment that opens the audience field directly ("Edit audience…"). */
export const EDIT_AUDIENCE = 'audience';

export interface PresentableError {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  readonly cancelled: boolean;
}

export function presentError(error: unknown, environment?: Environment): PresentableError {
  if (error instanceof StudyTeamError || error instanceof SavedRequestsError) {
    const actions: ErrorAction[] = [...error.actions];
    if (!actions.includes('showLog')) actions.push('showLog');
    return { message: redactText(error.message), actions, cancelled: error instanceof StudyTeamError && error.kind === 'cancelled' };
  }
  const text = error instanceof Error ? error.message : String(error);
  const prefix = environment && !text.startsWith(`${environment.name}:`) ? `${environment.name}: ` : '';
  return { message: redactText(`${prefix}${text}`), actions: ['showLog'], cancelled: false };
}

/** Runs an error action (the notification's button, or the panel's): the command, for the environment it concerns. */
export async function runErrorAction(action: ErrorAction, environment?: Environment): Promise<void> {
  if (action === 'showLog') await vscode.commands.executeCommand(ACTION_COMMANDS[action]);
  else if (action === 'editAudience') await vscode.commands.executeCommand(ACTION_COMMANDS[action], environment?.id, EDIT_AUDIENCE);
  else await vscode.commands.executeCommand(ACTION_COMMANDS[action], environment?.id);
}

/** An action that only fits one place (e.g. "Open File" on an invalid requests.json), shown before the usual ones. */
export interface ExtraErrorAction {
  readonly label: string;
  run(): unknown;
}

/** Notification texts shown this session (for tests and the leak scan; messages are already redacted). */
export const shownNotifications: string[] = [];

/**
 * Shows the error (an Error, a StudyTeamError, or a sentence) with its actions; resolves once the notification is
 * closed or an action ran. Never rejects. Cancellations are not shown.
 */
export async function showErrorNotification(error: unknown, environment?: Environment, extraActions: readonly ExtraErrorAction[] = []): Promise<void> {
  const presented = presentError(error, environment);
  if (presented.cancelled) return;
  shownNotifications.push(presented.message);
  if (shownNotifications.length > 200) shownNotifications.shift();
  try {
    const labels = [...extraActions.map((a) => a.label), ...presented.actions.map((a) => ERROR_ACTION_LABELS[a])];
    const pick = await vscode.window.showErrorMessage(`StudyTeam: ${presented.message}`, ...labels);
    const extra = extraActions.find((a) => a.label === pick);
    if (extra) await extra.run();
    const action = presented.actions.find((a) => ERROR_ACTION_LABELS[a] === pick);
    if (action) await runErrorAction(action, environment);
  } catch {
    // The notification or its action failed (e.g. the window is closing): nothing more to tell the user.
  }
}
