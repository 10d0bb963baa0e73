// Run Saved Request (the response opens read-only) and Run Folder (the collection runner: checks, captures
// flowing in order, a results view with failures first whose rows open their responses; several at once when
// nothing is captured).
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { CheckResult } from '../core/checkEvaluation';
import type { RequestRunResult } from '../core/collectionRunner';
import type { ApiResponse, Environment, SavedRequest } from '../core/model';
import type { StoredRunResponse } from '../core/runResultsView';
import { RequestRunner } from '../core/requestRunner';
import { mapServerErrorsOntoBody } from '../core/serverErrors';
import { checkRequestBody } from '../host/bodyValidation';
import { allRequests } from '../core/savedRequests';
import { collectionRunHostModule } from '../host/lazyModules';
import type { RunOutcome } from '../host/services';
import { settings } from '../host/settings';
import { idOf, optionsOf, registerTreeCommand } from './commandDeps';
import type { TreeCommandDeps } from './commandDeps';
import { pickFolder, pickRequest } from './pickers';
import { describeLastRun } from './savedRequestsTree';
import type { LastRun } from './savedRequestsTree';

export interface RunResult {
  readonly id: string;
  readonly name: string;
  readonly ok: boolean;
  readonly status?: number;
  readonly totalMs?: number;
  readonly message?: string;
  readonly cancelled?: boolean;
  /** The body was cut at studyteam.maxResponseSizeMB (the status and headers are complete). */
  readonly truncated?: boolean;
  /** Every check of the request (expected and actual are redacted, short). */
  readonly checks?: ReadonlyArray<{ readonly label: string; readonly passed: boolean; readonly expected: string; readonly actual: string }>;
  /** Problems of the body against the schema of its endpoint (sent anyway), e.g. "Create referral v1". */
  readonly schema?: { readonly title: string; readonly problems: readonly BodyProblem[] };
  /** Run Saved Request: a 400 whose `errors[].path` were located in the body that was sent. */
  readonly serverProblems?: readonly BodyProblem[];
}

/** A problem located in the request body: "line 12 · referral[0].telecom: Must not be empty". */
export interface BodyProblem {
  readonly pathText: string;
  readonly message: string;
  readonly line: number;
}

export function registerRunCommands(subscriptions: vscode.Disposable[], deps: TreeCommandDeps): void {
  registerTreeCommand(subscriptions, Commands.runSavedRequest, (arg, opts) => {
    // The Requests view's Ctrl+Enter passes { selection: true }: run the selected request, or the selected folder.
    const selected = optionsOf(arg, opts).selection === true && idOf(arg) === undefined ? deps.treeView.selection[0] : undefined;
    if (selected?.kind === 'folder') return runFolder(deps, selected.id, opts);
    return runSavedRequest(deps, selected?.id ?? arg, opts);
  });
  registerTreeCommand(subscriptions, Commands.runFolder, (arg, opts) => runFolder(deps, arg, opts));
}

async function runSavedRequest(deps: TreeCommandDeps, arg: unknown, opts: unknown): Promise<RunResult | undefined> {
  const options = optionsOf(arg, opts);
  const request = await pickRequest(deps, arg, 'Run which saved request?');
  if (!request) return undefined;
  const { result, outcome } = await runOne(deps, request, { variables: variablesOption(options.variables), interactive: options.interactive !== false });
  const problems = bodyProblemsText(result);
  if (problems && options.interactive !== false) void vscode.window.showWarningMessage(`StudyTeam: "${request.name}": ${problems}`);
  if (outcome.ok && options.show !== false) {
    const r = outcome.response;
    // A cut body is shown as it arrived (not pretty-printed: it is incomplete), and the title says so.
    const body = r.truncated ? { content: r.text, language: languageOf(r.contentType) } : prettyBody(r.text, r.contentType);
    const truncated = r.truncated ? `, body ${truncatedNote()}` : '';
    await deps.documents.show(`${request.name} — ${r.status} (${Math.round(r.timings.totalMs)} ms${truncated})`, body.content, body.language);
    if (r.truncated) void vscode.window.showWarningMessage(`StudyTeam: the response of "${request.name}" was ${truncatedNote()}; the document shows its first part.`);
  }
  return result;
}

async function runFolder(deps: TreeCommandDeps, arg: unknown, opts: unknown): Promise<RunResult[] | undefined> {
  const { services, store } = deps;
  const options = optionsOf(arg, opts);
  let folderId = idOf(arg);
  // `all: true` (Run Again in the results of all saved requests): no question.
  if (!folderId && options.all !== true) {
    const picked = await pickFolder(deps, 'Run which folder?', true);
    if (!picked) return undefined;
    folderId = picked.id;
  }
  const folder = folderId ? store.findNode(folderId)?.node : undefined;
  if (folderId && (!folder || folder.kind !== 'folder')) throw new Error(`There is no folder with id "${folderId}".`);
  const name = folder?.name ?? 'All saved requests';
  const items = allRequests(folder ? [folder] : store.all()).map((r) => ({ request: r.request, folderPath: r.folderPath }));
  if (!items.length) {
    void vscode.window.showInformationMessage(`"${name}" has no requests to run.`);
    return [];
  }
  // The environment read once: switching environments mid-run must not redirect the rest.
  const environment = services.environments.active();
  const iterations = typeof options.iterations === 'number' && options.iterations >= 1 ? Math.floor(options.iterations) : 1;
  const show = options.show !== false;
  const kept = new KeptResponses(`Run Folder "${name}"`, environment);
  const startedAt = Date.now();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `StudyTeam: running "${name}" on ${environment.name}`, cancellable: true },
    (progress, token) => {
      let done = 0;
      const total = items.length * iterations;
      return collectionRunHostModule().runCollectionInHost({ ...deps, makeRunner: (o) => new RequestRunner(o) }, {
        title: name,
        items,
        environment,
        variables: variablesOption(options.variables),
        token,
        concurrency: concurrencyOf(options.concurrency),
        iterations,
        stopOnFailure: options.stopOnFailure === true,
        ...(show ? { onResponse: (r: RequestRunResult, response: ApiResponse) => kept.add(r, response) } : {}),
        onResult: (r) => {
          deps.tree.recordRun(r.id, lastRunOfResult(r, environment));
          progress.report({ message: `${++done}/${total} ${r.name}`, increment: 100 / total });
        },
      });
    },
  );
  if (outcome.declined) {
    return items.map((i) => ({ id: i.request.id, name: i.request.name, ok: false, message: `${environment.name}: not run (declined)` }));
  }
  const summary = outcome.summary;
  // Each body checked against its schema once (a check per result would repeat it per iteration, and the view and report again).
  const requests = items.map((i) => i.request);
  const schemas = new Map(requests.flatMap((r) => {
    const schema = schemaProblemsOf(r);
    return schema ? [[r.id, schema] as const] : [];
  }));
  if (show) {
    // The results view (a rendered table whose rows open their responses); the Markdown summary is its export.
    const context = { items, iterations, title: name, truncatedNote: truncatedNote() };
    for (const r of summary.results) if (r.error !== undefined) kept.addError(r);
    deps.runResults.show({
      folderId: folder?.id,
      view: outcome.view({ ...context, baseUrl: environment.baseUrl, startedAt, finishedAt: Date.now() }),
      markdown: outcome.markdown(context) + schemaProblemsMarkdown(requests, schemas),
      requests: new Map(requests.map((r) => [r.id, r])),
      responses: kept.byKey,
      bodyProblems: new Map([...schemas].map(([id, schema]) => [id, { title: schema.title, problems: schema.problems.map(describeProblem) }])),
      responsesNotKept: kept.notKept,
    });
  }
  const ran = new Set(summary.results.map((r) => `${r.iteration}:${r.id}`));
  const notRun: RunResult[] = [];
  for (let iteration = 1; iteration <= iterations; iteration++) {
    for (const i of items) if (!ran.has(`${iteration}:${i.request.id}`)) notRun.push({ id: i.request.id, name: i.request.name, ok: false, cancelled: summary.cancelled, message: summary.cancelled ? 'cancelled' : `not run: ${summary.stoppedBecause ?? 'stopped'}` });
  }
  return [...outcome.failuresFirst.map((r) => withSchemaProblems(toRunResult(r), schemas.get(r.id))), ...notRun];
}

/** Response bodies one run keeps in memory for its results view, at most (the rest are counted, not kept). */
const KEEP_RESPONSE_BYTES = 256 * 1024 * 1024;

/** The responses (and errors) of one Run Folder, by row key, for its results view: memory only. */
class KeptResponses {
  readonly byKey = new Map<string, StoredRunResponse>();
  notKept = 0;
  private bytes = 0;

  constructor(
    private readonly label: string,
    private readonly environment: Environment,
  ) {}

  add(r: RequestRunResult, response: ApiResponse): void {
    if (this.bytes + response.body.length > KEEP_RESPONSE_BYTES) {
      this.notKept++;
      return;
    }
    this.bytes += response.body.length;
    this.byKey.set(`${r.iteration}:${r.id}`, { kind: 'response', response, environment: this.environment, receivedAt: Date.now(), label: this.label });
  }

  addError(r: RequestRunResult): void {
    const key = `${r.iteration}:${r.id}`;
    if (!this.byKey.has(key)) this.byKey.set(key, { kind: 'error', message: r.error ?? 'not answered', environment: this.environment, label: this.label });
  }
}

/** The schema problems of a request's body (checked as saved: {{variables}} are not judged). */
function schemaProblemsOf(request: SavedRequest): RunResult['schema'] {
  const check = checkRequestBody(request);
  return check && check.problems.length > 0 ? { title: check.schemaTitle, problems: check.problems.map(bodyProblem) } : undefined;
}

function withSchemaProblems(result: RunResult, schema: RunResult['schema']): RunResult {
  return schema ? { ...result, schema } : result;
}

function bodyProblem(p: { pathText: string; message: string; line: number }): BodyProblem {
  return { pathText: p.pathText, message: p.message, line: p.line };
}

const describeProblem = (p: BodyProblem): string => `line ${p.line} · ${p.pathText}: ${p.message}`;

/** "2 problems against Create referral v1 (sent anyway): line 12 · …; the server rejected: line 5 · …", or undefined. */
function bodyProblemsText(result: RunResult): string | undefined {
  const parts: string[] = [];
  if (result.schema) {
    const n = result.schema.problems.length;
    parts.push(`${n} problem${n === 1 ? '' : 's'} against ${result.schema.title} (sent anyway): ${result.schema.problems.map(describeProblem).join('; ')}`);
  }
  if (result.serverProblems?.length) parts.push(`the server rejected: ${result.serverProblems.map(describeProblem).join('; ')}`);
  return parts.length ? parts.join(' — ') : undefined;
}

/** A "Body problems" section for the Run Folder report (empty when every body fits its schema). */
function schemaProblemsMarkdown(requests: readonly SavedRequest[], schemas: ReadonlyMap<string, NonNullable<RunResult['schema']>>): string {
  const lines: string[] = [];
  for (const request of requests) {
    const schema = schemas.get(request.id);
    if (!schema) continue;
    lines.push(`**${request.name}** (${schema.title}, sent anyway)`, '', ...schema.problems.map((p) => `- ${describeProblem(p)}`), '');
  }
  return lines.length ? `\n## Body problems\n\n${lines.join('\n')}` : '';
}

function toRunResult(r: RequestRunResult): RunResult {
  const failed = r.checks.filter((c) => !c.passed);
  return {
    id: r.id,
    name: r.name,
    ok: r.passed,
    ...(r.status !== undefined ? { status: r.status } : {}),
    totalMs: r.durationMs,
    ...(r.truncated ? { truncated: true } : {}),
    ...(r.error ? { message: r.error } : failed.length ? { message: failed.map((c) => c.message ?? c.label).join('; ') } : {}),
    ...(r.errorKind === 'cancelled' ? { cancelled: true } : {}),
    checks: r.checks.map((c) => ({ label: c.label, passed: c.passed, expected: c.expected, actual: c.actual })),
  };
}

/** What the tree shows after a collection run: check mark or cross, status, time, checks passed. */
export function lastRunOfResult(r: RequestRunResult, environment: Environment): LastRun {
  const passed = r.checks.filter((c) => c.passed).length;
  return {
    ok: r.passed,
    ...(r.status !== undefined ? { status: r.status } : {}),
    totalMs: r.durationMs,
    ...(r.error ? { note: r.errorKind === 'cancelled' ? 'cancelled' : 'failed' } : {}),
    environmentName: environment.name,
    at: Date.now(),
    checks: { passed, failed: r.checks.length - passed },
  };
}

function variablesOption(value: unknown): Record<string, string> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, string>) : undefined;
}

/** The `concurrency` option of Run Folder, else the setting; 1 to 50. */
function concurrencyOf(option: unknown): number {
  if (typeof option === 'number' && Number.isFinite(option)) return Math.min(50, Math.max(1, Math.floor(option)));
  return settings.runFolderConcurrency();
}

async function runOne(
  deps: TreeCommandDeps,
  request: SavedRequest,
  options: { variables?: Record<string, string>; interactive: boolean; token?: vscode.CancellationToken; environment?: Environment },
): Promise<{ result: RunResult; outcome: RunOutcome }> {
  const outcome = await deps.services.runRequest(request, {
    title: request.name,
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.variables ? { variables: options.variables } : {}),
    showProgress: options.interactive,
    notifyErrors: options.interactive,
    token: options.token,
  });
  // The request's checks (without a run's captures: a single run has none to flow), so the tree's mark agrees with Run Folder.
  const checks = outcome.ok
    ? collectionRunHostModule().checksOfSingleRun(request.expect, outcome.response, outcome.environment, options.variables, request.body)
    : [];
  const schema = schemaProblemsOf(request);
  const server = outcome.ok && outcome.response.status === 400 && request.body ? mapServerErrorsOntoBody(request.body, outcome.response.text) : undefined;
  const last = lastRunOf(outcome, checks);
  deps.tree.recordRun(request.id, last);
  deps.services.logger.log('info', 'tree', `ran "${request.name}" on ${outcome.environment.name}: ${describeLastRun(last)}`);
  const failed = checks.filter((c) => !c.passed);
  const result: RunResult = outcome.ok
    ? {
        id: request.id,
        name: request.name,
        ok: failed.length === 0,
        status: outcome.response.status,
        totalMs: outcome.response.timings.totalMs,
        ...(outcome.response.truncated ? { truncated: true } : {}),
        ...(failed.length ? { message: failed.map((c) => c.message ?? c.label).join('; ') } : {}),
        checks: checks.map((c) => ({ label: c.label, passed: c.passed, expected: c.expected, actual: c.actual })),
      }
    : { id: request.id, name: request.name, ok: false, message: outcome.message, cancelled: outcome.cancelled };
  return { result: { ...result, ...(schema && { schema }), ...(server && { serverProblems: server.map(bodyProblem) }) }, outcome };
}

function lastRunOf(outcome: RunOutcome, checks: readonly CheckResult[]): LastRun {
  if (outcome.ok) {
    const passed = checks.filter((c) => c.passed).length;
    return {
      ok: passed === checks.length,
      status: outcome.response.status,
      totalMs: outcome.response.timings.totalMs,
      environmentName: outcome.environment.name,
      at: Date.now(),
      checks: { passed, failed: checks.length - passed },
    };
  }
  return { ok: false, note: outcome.cancelled ? 'cancelled' : 'failed', environmentName: outcome.environment.name, at: Date.now() };
}

/** "truncated at 50 MB (studyteam.maxResponseSizeMB)". */
function truncatedNote(): string {
  const mb = settings.maxResponseBytes() / (1024 * 1024);
  return `truncated at ${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB (studyteam.maxResponseSizeMB)`;
}

function languageOf(contentType: string): string {
  if (/json/i.test(contentType)) return 'json';
  if (/html/i.test(contentType)) return 'html';
  if (/xml/i.test(contentType)) return 'xml';
  return 'plaintext';
}

function prettyBody(text: string, contentType: string): { content: string; language: string } {
  const language = languageOf(contentType);
  if (language === 'json') {
    try {
      return { content: JSON.stringify(JSON.parse(text), null, 2), language };
    } catch {
      return { content: text, language };
    }
  }
  return { content: text, language };
}
