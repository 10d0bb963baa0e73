// What the Run Folder results view shows of a collection run: one row per request (failures first, as the reports
// order them) with its status, time and checks, the environment and origin the run used, when it ran, and what did
// not run. Plain data for the results webview: every text passes through redaction; captured values with
// secret-looking names are masked. Bodies are not part of it (the host keeps them in memory to open a row). No `vscode`.
import { displayCaptured } from './checkEvaluation';
import { failuresFirst, type RequestRunResult, type RunSummary, type RunTotals } from './collectionRunner';
import type { ApiResponse, Environment } from './model';
import { redactText } from './redaction';
import { failureLines, type ReportContext } from './runReports';

/**
 * One request of the run as its row shows it: the fields it shares with the runner's result mean what they mean
 * there (`path` and `error` redacted).
 */
export interface RunResultRow extends Pick<RequestRunResult, 'id' | 'iteration' | 'method' | 'path' | 'status' | 'durationMs' | 'passed' | 'error'> {
  /** `${iteration}:${id}` — unique within a run (a request runs once per iteration). */
  readonly key: string;
  /** The request's name; "(iteration N)" after it when the run had more than one. */
  readonly name: string;
  /** "Go-live / Smoke", or '' at the top level. */
  readonly folder: string;
  readonly checksPassed: number;
  readonly checksFailed: number;
  /** Every failed check ("status equals 202: expected 202, got 400"), or the error. */
  readonly failures: readonly string[];
  /** The body was cut at the size limit (the status and headers are complete). */
  readonly truncated: boolean;
}

export interface RunResultsView {
  /** The folder's name, or "All saved requests". */
  readonly title: string;
  readonly environmentId: string;
  readonly environmentName: string;
  readonly production: boolean;
  /** scheme://host[:port] of the environment's API ('' when its base URL does not parse). */
  readonly origin: string;
  /** Epoch ms: when the run started and ended. */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly iterations: number;
  readonly totals: RunTotals;
  readonly cancelled: boolean;
  readonly stoppedBecause?: string;
  /** How a cut body is described: "truncated at 1 MB (studyteam.maxResponseSizeMB)". */
  readonly truncatedNote: string;
  /** Failures first, then passes (run order within each). */
  readonly rows: readonly RunResultRow[];
  /** Names of planned requests the run never reached ("Create referral (iteration 2)"). */
  readonly notRun: readonly string[];
  /** Values captured during the run (memory only), masked where the name looks secret. */
  readonly captured: ReadonlyArray<{ readonly name: string; readonly value: string; readonly from: string }>;
}

/**
 * What a row of the results view opens: the response as received in that run (or why there is none), with where it
 * came from. Memory only — the request panel shows it and it goes with the results view.
 */
export type StoredRunResponse =
  | { readonly kind: 'response'; readonly response: ApiResponse; readonly environment: Environment; readonly receivedAt: number; readonly label: string }
  | { readonly kind: 'error'; readonly message: string; readonly environment: Environment; readonly label: string };

export interface RunViewContext extends ReportContext {
  readonly baseUrl: string;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export function runResultsView(summary: RunSummary, ctx: RunViewContext): RunResultsView {
  const clean = (text: string): string => redactText(text, ctx.secrets);
  const rows = failuresFirst(summary.results).map((r): RunResultRow => {
    const passed = r.checks.filter((c) => c.passed).length;
    return {
      key: `${r.iteration}:${r.id}`,
      id: r.id,
      name: ctx.iterations > 1 ? `${r.name} (iteration ${r.iteration})` : r.name,
      folder: r.folderPath.join(' / '),
      iteration: r.iteration,
      method: r.method,
      path: clean(r.path),
      ...(r.status !== undefined ? { status: r.status } : {}),
      durationMs: r.durationMs,
      passed: r.passed,
      ...(r.error !== undefined ? { error: clean(r.error) } : {}),
      checksPassed: passed,
      checksFailed: r.checks.length - passed,
      failures: r.passed ? [] : failureLines(r).map(clean),
      truncated: r.truncated === true,
    };
  });
  const ran = new Set(summary.results.map((r) => `${r.iteration}:${r.id}`));
  const notRun: string[] = [];
  for (let iteration = 1; iteration <= ctx.iterations; iteration++) {
    for (const item of ctx.items) {
      if (!ran.has(`${iteration}:${item.request.id}`)) notRun.push(ctx.iterations > 1 ? `${item.request.name} (iteration ${iteration})` : item.request.name);
    }
  }
  return {
    title: ctx.title,
    environmentId: summary.environment.id,
    environmentName: summary.environment.name,
    production: summary.environment.production,
    origin: originOf(ctx.baseUrl),
    startedAt: ctx.startedAt,
    finishedAt: ctx.finishedAt,
    iterations: ctx.iterations,
    totals: summary.totals,
    cancelled: summary.cancelled,
    ...(summary.stoppedBecause !== undefined ? { stoppedBecause: clean(summary.stoppedBecause) } : {}),
    truncatedNote: ctx.truncatedNote ?? 'truncated at the size limit',
    rows,
    notRun,
    captured: summary.results.flatMap((r) => r.captured.map((c) => ({ name: c.name, value: clean(displayCaptured(c)), from: r.name }))),
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
