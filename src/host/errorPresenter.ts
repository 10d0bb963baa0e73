// Turns any failure into a notification a person can act on: the core's StudyTeamError already carries an
// actionable, redacted message and the actions that fit; anything else is reduced to a redacted one-liner.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { StudyTeamError, type ErrorAction } from '../core/errors';
import type { Environment } from '../core/model';
import { redactText } from '../core/redaction';

const ACTION_LABELS: Record<ErrorAction, string> = {
  setCredentials: 'Set Credentials…',
  showLog: 'Show Log',
  editEnvironment: 'Edit Environment…',
};

export interface PresentableError {
  readonly message: string;
  readonly actions: readonly ErrorAction[];
  readonly cancelled: boolean;
}

export function presentError(error: unknown, environment?: Environment): PresentableError {
  if (error instanceof StudyTeamError) {
    const actions: ErrorAction[] = [...error.actions];
    if (!actions.includes('showLog')) actions.push('showLog');
    return { message: redactText(error.message), actions, cancelled: error.kind === 'cancelled' };
  }
  const text = error instanceof Error ? error.message : String(error);
  const prefix = environment ? `${environment.name}: ` : '';
  return { message: redactText(`${prefix}${text}`), actions: ['showLog'], cancelled: false };
}

/** Notification texts shown this session (for tests and the leak scan; messages are already redacted). */
export const shownNotifications: string[] = [];

/** Shows the error with its actions; resolves once the notification is closed or an action ran. Never rejects. */
export async function showErrorNotification(error: unknown, environment?: Environment): Promise<void> {
  const presented = presentError(error, environment);
  if (presented.cancelled) return;
  shownNotifications.push(presented.message);
  if (shownNotifications.length > 200) shownNotifications.shift();
  try {
    const pick = await vscode.window.showErrorMessage(`StudyTeam: ${presented.message}`, ...presented.actions.map((a) => ACTION_LABELS[a]));
    const action = presented.actions.find((a) => ACTION_LABELS[a] === pick);
    if (action) await vscode.commands.executeCommand(ACTION_COMMANDS[action], action === 'showLog' ? undefined : environment?.id);
  } catch {
    // The notification or its action failed (e.g. the window is closing): nothing more to tell the user.
  }
}

const ACTION_COMMANDS: Record<ErrorAction, string> = {
  setCredentials: Commands.setCredentials,
  editEnvironment: Commands.editEnvironment,
  showLog: Commands.showLog,
};
