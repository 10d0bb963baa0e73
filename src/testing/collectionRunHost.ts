// Runs saved requests as a collection inside VS Code: the production guard asks ONCE per run that contains
// writes (not once per request), cancellation comes from a CancellationToken, limits from the settings.
// Run Folder and the Test Explorer both come through here; the work is the core's CollectionRunner.
// Its own bundle (dist/collectionRunHost.js), loaded on the first run through src/host/lazyModules.ts, so the
// runner, the check evaluation, the reports and the go-live checklist stay out of dist/extension.js.
import type * as vscode from 'vscode';
import { evaluateChecks, maskCaptured, type CheckedResponse, type CheckResult } from '../core/checkEvaluation';
import type { Check } from '../core/checks';
import { CollectionRunner, containsWrites, failuresFirst, WRITE_METHODS, type CollectionItem, type RequestRunResult, type RunSummary } from '../core/collectionRunner';
import { goLiveChecklist } from '../core/goLiveChecklist';
import type { ApiResponse, Environment, Logger } from '../core/model';
import { markdownReport, specReport, type ReportContext } from '../core/runReports';
import { runResultsView, type RunResultsView, type RunViewContext } from '../core/runResultsView';
import type { SavedNode } from '../core/savedRequests';
import { variablesOf } from '../core/variables';
import type { RequestRunner, RequestRunnerOptions } from '../core/requestRunner';
import type { ConfirmationRequest, Confirmations } from '../host/confirmations';
import type { HostServices } from '../host/services';
import { settings } from '../host/settings';
import { schemaValidatorForChecks } from '../host/bodyValidation';

export interface CollectionRunHostDeps {
  readonly services: HostServices;
  readonly confirmations: Confirmations;
  /** `new RequestRunner(options)` from the caller's bundle (this lazily loaded bundle does not carry the HTTP stack). */
  readonly makeRunner: (options: RequestRunnerOptions) => RequestRunner;
}

export interface HostCollectionRun {
  /** "Go-live" — named in the confirmation and the log. */
  readonly title: string;
  readonly items: readonly CollectionItem[];
  /** Default: the active environment, read once (switching mid-run does not redirect the rest). */
  readonly environment?: Environment;
  readonly variables?: Readonly<Record<string, string>>;
  readonly token?: vscode.CancellationToken;
  readonly concurrency?: number;
  readonly iterations?: number;
  readonly stopOnFailure?: boolean;
  readonly onStart?: (item: CollectionItem, iteration: number) => void;
  readonly onResult?: (result: RequestRunResult) => void;
  /** Each answered request's whole response (Run Folder keeps them in memory for its results view). */
  readonly onResponse?: (result: RequestRunResult, response: ApiResponse) => void;
}

export type HostRunOutcome =
  | { readonly declined: true; readonly environment: Environment }
  | {
      readonly declined: false;
      readonly environment: Environment;
      readonly summary: RunSummary;
      /** The results, failures first. */
      readonly failuresFirst: readonly RequestRunResult[];
      /** The summary document (Run Folder). */
      markdown(context: ReportContext): string;
      /** The console form (the Test Explorer's output), captured values left out. */
      spec(context: ReportContext): string;
      /** What the Run Folder results view shows (rows failures first, redacted). */
      view(context: RunViewContext): RunResultsView;
    };

/** The checks of a single run (Run Saved Request): no captures flow, the schema check reads the body as sent. */
export function checksOfSingleRun(
  expect: readonly Check[] | undefined,
  response: CheckedResponse & { readonly request: { readonly method: string; readonly url: string } },
  environment: Environment,
  variables: Readonly<Record<string, string>> | undefined,
  body: string | undefined,
): CheckResult[] {
  return evaluateChecks(expect, response, {
    variables: { ...variablesOf(environment), ...(variables ?? {}) },
    schema: schemaValidatorForChecks,
    request: { method: response.request.method, url: response.request.url, ...(body !== undefined ? { body } : {}) },
  });
}

/** Adds the go-live checklist folder to the saved requests; returns its id. */
export async function addGoLiveChecklist(store: { load(): Promise<unknown>; addNode(node: SavedNode, parentId?: string): Promise<void> }): Promise<string> {
  const folder = goLiveChecklist();
  await store.load();
  await store.addNode(folder);
  return folder.id;
}

function productionQuestion(env: Environment, run: HostCollectionRun): ConfirmationRequest {
  const writes = run.items.filter((i) => WRITE_METHODS.has(i.request.method));
  const named = writes.slice(0, 4).map((i) => `${i.request.method} ${i.request.name}`).join(', ');
  return {
    message: `${env.name} is a production environment. Run "${run.title}" with ${writes.length} write(s) (${named}${writes.length > 4 ? ', …' : ''})?`,
    detail: 'This changes real data. You are asked once for the whole run. (Setting: studyteam.confirmProductionWrites)',
    confirmLabel: `Run on ${env.name}`,
    safeDefault: true,
  };
}

export async function runCollectionInHost(deps: CollectionRunHostDeps, run: HostCollectionRun): Promise<HostRunOutcome> {
  const { services } = deps;
  const environment = run.environment ?? services.environments.active();
  if (environment.production && containsWrites(run.items) && settings.confirmProductionWrites()) {
    const confirmed = await deps.confirmations.confirm(productionQuestion(environment, run));
    services.logger.log('info', 'http', `${environment.name}: run "${run.title}" with writes on production ${confirmed ? 'confirmed' : 'declined'}`);
    if (!confirmed) return { declined: true, environment };
  }
  // Captured values stay in memory: the log (a file on disk) shows `/{{subjectId}}` where a path carries one.
  const captured = new Map<string, string>();
  const logger: Logger = { log: (level, tag, message) => services.logger.log(level, tag, maskCaptured(message, captured)) };
  // Approved above (or nothing to approve): this run's requests are not asked about one by one.
  const runner = deps.makeRunner({ auth: services.auth, logger, guard: async () => true, timeoutMs: settings.requestTimeoutMs, maxBodyBytes: settings.maxResponseBytes });
  const controller = new AbortController();
  const subscription = run.token?.onCancellationRequested(() => controller.abort());
  if (run.token?.isCancellationRequested) controller.abort();
  try {
    const summary = await new CollectionRunner({ runner, auth: services.auth }).run({
      environment,
      items: run.items,
      variables: run.variables,
      iterations: run.iterations,
      stopOnFailure: run.stopOnFailure,
      schema: schemaValidatorForChecks,
      // Production runs one at a time.
      concurrency: environment.production ? 1 : run.concurrency,
      signal: controller.signal,
      onStart: run.onStart,
      onResponse: run.onResponse,
      onResult: (result) => {
        for (const c of result.captured) if (c.value) captured.set(c.value, c.name);
        run.onResult?.(result);
      },
    });
    const t = summary.totals;
    services.logger.log(
      'info',
      'tree',
      `ran "${run.title}" on ${environment.name}: ${t.requests} request(s), ${t.failed} failed, checks ${t.checksPassed} passed / ${t.checksFailed} failed, ${Math.round(t.durationMs)} ms, ${t.tokenRequests} token request(s)${summary.stoppedBecause ? `; stopped: ${summary.stoppedBecause}` : ''}`,
    );
    const quiet: RunSummary = { ...summary, results: summary.results.map((r) => ({ ...r, captured: [] })) };
    return {
      declined: false,
      environment,
      summary,
      failuresFirst: failuresFirst(summary.results),
      markdown: (context) => markdownReport(summary, context),
      spec: (context) => specReport(quiet, context),
      view: (context) => runResultsView(summary, context),
    };
  } finally {
    subscription?.dispose();
  }
}
