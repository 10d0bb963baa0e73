// The ONE message protocol between the Run Folder results view's host side (runResultsPanels.ts) and its webview
// (src/webview/runResults/main.ts), with the guards that check what arrives. Plain TypeScript: no `vscode`, no DOM,
// no Node — both bundles import it. The view holds no response bodies: a row is opened by its key, on the host.
import type { RunResultRow, RunResultsView } from '../core/runResultsView';

/** The results panel's viewType. No serializer is registered for it: it is never restored after a reload. */
export const RUN_RESULTS_VIEW_TYPE = 'studyteam.runResults';

export interface ResultRowInfo extends RunResultRow {
  /** The request's body problems against its endpoint's schema (sent anyway): "line 12 · referral[0].telecom: …". */
  readonly bodyProblems?: { readonly title: string; readonly problems: readonly string[] };
  /** The response is in memory and opens in the request panel (false: over the memory limit, or not answered). */
  readonly responseKept: boolean;
}

export interface RunResultsInfo extends Omit<RunResultsView, 'rows'> {
  readonly rows: readonly ResultRowInfo[];
  /** Responses the run did not keep in memory (over the limit): their rows open the request without its response. */
  readonly responsesNotKept: number;
}

/** The environment Run Again runs on now (the active one): it may differ from the one the run shown ran on. */
export interface ActiveEnvironmentInfo {
  readonly id: string;
  readonly name: string;
}

export type HostToResults =
  /** focusKey: the row last opened, focused when the view comes back (its webview is torn down while hidden). */
  | { readonly type: 'results'; readonly run: RunResultsInfo; readonly active: ActiveEnvironmentInfo; readonly focusKey?: string }
  /** The active environment changed (status bar switcher, settings): Run Again says where it runs now. */
  | { readonly type: 'activeEnvironment'; readonly active: ActiveEnvironmentInfo }
  | { readonly type: 'notice'; readonly message: string };

export type ResultsToHost =
  | { readonly type: 'ready' }
  /** Open this row's response in the request panel. */
  | { readonly type: 'openRow'; readonly key: string }
  | { readonly type: 'runAgain' }
  | { readonly type: 'openMarkdown' }
  | { readonly type: 'copyMarkdown' };

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const isString = (x: unknown): x is string => typeof x === 'string';
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every(isString);

export function isResultsToHost(x: unknown): x is ResultsToHost {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'runAgain':
    case 'openMarkdown':
    case 'copyMarkdown':
      return true;
    case 'openRow':
      return isString(x.key) && x.key.length > 0 && x.key.length < 500;
    default:
      return false;
  }
}

function isRow(x: unknown): x is ResultRowInfo {
  return (
    isRecord(x) &&
    ['key', 'id', 'name', 'folder', 'method', 'path'].every((k) => isString(x[k])) &&
    ['iteration', 'durationMs', 'checksPassed', 'checksFailed'].every((k) => isNumber(x[k])) &&
    (x.status === undefined || isNumber(x.status)) &&
    (x.error === undefined || isString(x.error)) &&
    typeof x.passed === 'boolean' &&
    typeof x.truncated === 'boolean' &&
    typeof x.responseKept === 'boolean' &&
    isStrings(x.failures) &&
    (x.bodyProblems === undefined || (isRecord(x.bodyProblems) && isString(x.bodyProblems.title) && isStrings(x.bodyProblems.problems)))
  );
}

function isRun(x: unknown): x is RunResultsInfo {
  return (
    isRecord(x) &&
    ['title', 'environmentId', 'environmentName', 'origin', 'truncatedNote'].every((k) => isString(x[k])) &&
    ['startedAt', 'finishedAt', 'iterations', 'responsesNotKept'].every((k) => isNumber(x[k])) &&
    typeof x.production === 'boolean' &&
    typeof x.cancelled === 'boolean' &&
    (x.stoppedBecause === undefined || isString(x.stoppedBecause)) &&
    isRecord(x.totals) &&
    ['requests', 'passed', 'failed', 'skipped', 'checksPassed', 'checksFailed', 'durationMs', 'tokenRequests'].every((k) => isNumber((x.totals as Rec)[k])) &&
    Array.isArray(x.rows) &&
    x.rows.every(isRow) &&
    isStrings(x.notRun) &&
    Array.isArray(x.captured) &&
    x.captured.every((c) => isRecord(c) && isString(c.name) && isString(c.value) && isString(c.from))
  );
}

function isActive(x: unknown): x is ActiveEnvironmentInfo {
  return isRecord(x) && isString(x.id) && x.id.length > 0 && isString(x.name);
}

export function isHostToResults(x: unknown): x is HostToResults {
  if (!isRecord(x)) return false;
  if (x.type === 'results') return isRun(x.run) && isActive(x.active) && (x.focusKey === undefined || isString(x.focusKey));
  if (x.type === 'activeEnvironment') return isActive(x.active);
  if (x.type === 'notice') return isString(x.message);
  return false;
}
