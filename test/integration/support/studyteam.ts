// Shared helpers for integration tests: the extension's API, modal dialogs, polling.
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../../src/api';

export const EXTENSION_ID = 'studyteam.studyteam-vscode';

/** The sandbox the every-command test runs against (its token requests are not activation's). */
export const COMMANDS_SANDBOX_ID = 'commands-sandbox';
/** Environments the events suite (events.test.ts, which may run before the activation check) follows. */
export const EVENTS_TEST_ENVIRONMENT_IDS: readonly string[] = ['events-sbx', 'events-prod', 'events-persist', 'events-big'];

export async function studyTeamApi(): Promise<StudyTeamApi> {
  const extension = vscode.extensions.getExtension<StudyTeamApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  if (!('services' in api)) throw new Error('the extension did not return its test API: is it running in ExtensionMode.Test?');
  // Closing a request panel with unsaved edits asks Save / Don't Save / Cancel, and Cancel reopens it. Modals resolve
  // as cancelled at once in extension tests, so tests that close edited panels in passing (closeAllEditors) discard
  // them; the tests of that question install their own answer (withChoice).
  api.confirmations.chooser ??= (request) => (request.choices.includes("Don't Save") ? "Don't Save" : undefined);
  return api;
}

/** Runs `action` while modal questions with several answers (Save / Don't Save / Cancel) are answered `answer`. */
export async function withChoice<T>(api: StudyTeamApi, answer: string | undefined, action: () => Thenable<T> | Promise<T>): Promise<{ result: T; asked: string[] }> {
  const asked: string[] = [];
  const previous = api.confirmations.chooser;
  api.confirmations.chooser = (request) => {
    asked.push(`${request.message}\n${request.detail ?? ''}\n[${request.choices.join('|')}]`);
    return answer;
  };
  try {
    return { result: await action(), asked };
  } finally {
    api.confirmations.chooser = previous;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitUntil<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await sleep(50);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
}

/**
 * Runs `action` while the extension's confirmations answer `answer` (VS Code does not show modal dialogs during
 * extension tests); returns what the user would have been asked.
 */
export async function withConfirmation<T>(api: StudyTeamApi, answer: boolean, action: () => Thenable<T> | Promise<T>): Promise<{ result: T; asked: string[] }> {
  const asked: string[] = [];
  const previous = api.confirmations.responder;
  api.confirmations.responder = (request) => {
    asked.push(`${request.message}\n${request.detail ?? ''}\n[${request.confirmLabel}]`);
    return answer;
  };
  try {
    return { result: await action(), asked };
  } finally {
    api.confirmations.responder = previous;
  }
}
