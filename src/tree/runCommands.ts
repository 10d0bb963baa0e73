// Run Saved Request (the response opens read-only) and Run Folder (several at once, a summary document).
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { Environment, SavedRequest } from '../core/model';
import { allRequests } from '../core/savedRequests';
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
}

export function registerRunCommands(subscriptions: vscode.Disposable[], deps: TreeCommandDeps): void {
  registerTreeCommand(subscriptions, Commands.runSavedRequest, (arg, opts) => runSavedRequest(deps, arg, opts));
  registerTreeCommand(subscriptions, Commands.runFolder, (arg, opts) => runFolder(deps, arg, opts));
}

async function runSavedRequest(deps: TreeCommandDeps, arg: unknown, opts: unknown): Promise<RunResult | undefined> {
  const options = optionsOf(arg, opts);
  const request = await pickRequest(deps, arg, 'Run which saved request?');
  if (!request) return undefined;
  const { result, outcome } = await runOne(deps, request, { variables: variablesOption(options.variables), interactive: options.interactive !== false });
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
  if (!folderId) {
    const picked = await pickFolder(deps, 'Run which folder?', true);
    if (!picked) return undefined;
    folderId = picked.id;
  }
  const folder = folderId ? store.findNode(folderId)?.node : undefined;
  if (folderId && (!folder || folder.kind !== 'folder')) throw new Error(`There is no folder with id "${folderId}".`);
  const name = folder?.name ?? 'All saved requests';
  const requests = allRequests(folder ? [folder] : store.all()).map((r) => r.request);
  if (!requests.length) {
    void vscode.window.showInformationMessage(`"${name}" has no requests to run.`);
    return [];
  }
  const environment = services.environments.active();
  const started = Date.now();
  const results: RunResult[] = new Array<RunResult>(requests.length);
  const variables = variablesOption(options.variables);
  // Production runs one at a time, so each write gets its own confirmation in order.
  const concurrency = environment.production ? 1 : concurrencyOf(options.concurrency);
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `StudyTeam: running "${name}" on ${environment.name}`, cancellable: true },
    async (progress, token) => {
      let next = 0;
      let done = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < requests.length; i = next++) {
          const request = requests[i]!;
          if (token.isCancellationRequested) {
            results[i] = { id: request.id, name: request.name, ok: false, cancelled: true, message: 'cancelled' };
            continue;
          }
          // The environment captured above, for every request: switching environments mid-run must not redirect the rest.
          results[i] = (await runOne(deps, request, { variables, interactive: false, token, environment })).result;
          progress.report({ message: `${++done}/${requests.length} ${request.name}`, increment: 100 / requests.length });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, requests.length) }, worker));
    },
  );
  const failed = results.filter((r) => !r.ok).length;
  services.logger.log('info', 'tree', `ran folder "${name}" on ${environment.name}: ${results.length} request(s), ${failed} failed, ${concurrency} at a time`);
  if (options.show !== false) await deps.documents.show(`Run ${name} (${environment.name}).md`, summaryMarkdown(name, environment.name, results, Date.now() - started), 'markdown');
  return [...results].sort((a, b) => Number(a.ok) - Number(b.ok));
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
  const last = lastRunOf(outcome);
  deps.tree.recordRun(request.id, last);
  deps.services.logger.log('info', 'tree', `ran "${request.name}" on ${outcome.environment.name}: ${describeLastRun(last)}`);
  const result: RunResult = outcome.ok
    ? {
        id: request.id,
        name: request.name,
        ok: outcome.response.status < 400,
        status: outcome.response.status,
        totalMs: outcome.response.timings.totalMs,
        ...(outcome.response.truncated ? { truncated: true } : {}),
      }
    : { id: request.id, name: request.name, ok: false, message: outcome.message, cancelled: outcome.cancelled };
  return { result, outcome };
}

function lastRunOf(outcome: RunOutcome): LastRun {
  if (outcome.ok) {
    return { ok: outcome.response.status < 400, status: outcome.response.status, totalMs: outcome.response.timings.totalMs, environmentName: outcome.environment.name, at: Date.now() };
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

function summaryMarkdown(folderName: string, environmentName: string, results: readonly RunResult[], totalMs: number): string {
  const sorted = [...results].sort((a, b) => Number(a.ok) - Number(b.ok));
  const failed = results.filter((r) => !r.ok).length;
  const truncated = results.filter((r) => r.truncated).length;
  const lines = [
    `# Run "${folderName}" on ${environmentName}`,
    '',
    `${results.length} request(s), ${failed} failed, ${Math.round(totalMs)} ms in total. Failures first.`,
    ...(truncated ? ['', `⚠ ${truncated} response body(ies) ${truncatedNote()}: the status is complete, the body is not.`] : []),
    '',
    '| | Request | Status | Time |',
    '|---|---|---|---|',
    ...sorted.map((r) => {
      const failure = r.cancelled ? 'cancelled' : (r.message ?? 'failed').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
      const status = r.status !== undefined ? `${r.status}${r.truncated ? ' (body truncated)' : ''}` : failure;
      return `| ${r.ok ? '✅' : '❌'} | ${r.name.replace(/\|/g, '\\|')} | ${status} | ${r.totalMs !== undefined ? `${Math.round(r.totalMs)} ms` : '—'} |`;
    }),
    '',
  ];
  return lines.join('\n');
}
