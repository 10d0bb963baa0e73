// The "StudyTeam" TestController: folders of .studyteam/requests.json as suites, saved requests as tests
// (with a location in the file, so they also get gutter buttons there). A run uses the active environment
// and the collection runner (captures flowing in order); failures carry expected/actual diffs; the Test
// Explorer's cancel cancels the run; the production guard asks once per run that contains writes.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { RequestRunResult, RunSummary } from '../core/collectionRunner';
import { allRequests, type SavedNode } from '../core/savedRequests';
import type { Confirmations } from '../host/confirmations';
import type { HostServices } from '../host/services';
import type { SavedRequestStore } from '../tree/savedRequestStore';
import type { SavedRequestsTreeProvider } from '../tree/savedRequestsTree';
import { lastRunOfResult } from '../tree/runCommands';
import { RequestRunner } from '../core/requestRunner';
import { collectionRunHostModule } from '../host/lazyModules';

export const TEST_CONTROLLER_ID = 'studyteam';

export interface TestingDeps {
  readonly services: HostServices;
  readonly confirmations: Confirmations;
  readonly store: SavedRequestStore;
  readonly tree: SavedRequestsTreeProvider;
}

/** What the last run reported to the Test Explorer (integration tests read it; nothing here is persisted). */
export interface ReportedRun {
  readonly summary?: RunSummary;
  readonly declined: boolean;
  readonly states: ReadonlyMap<string, 'passed' | 'failed' | 'errored' | 'skipped'>;
  readonly messages: ReadonlyArray<{ readonly testId: string; readonly message: string; readonly expected?: string; readonly actual?: string }>;
}

export interface StudyTeamTesting extends vscode.Disposable {
  readonly controller: vscode.TestController;
  /** The default "Run" profile (what the Test Explorer, the gutter and "Run Tests" use). */
  readonly runProfile: vscode.TestRunProfile;
  /** The test item of a saved request or folder id. */
  item(id: string): vscode.TestItem | undefined;
  /** The last finished run. */
  readonly lastRun: ReportedRun | undefined;
  /** Fires when a run has ended. */
  readonly onDidEndRun: vscode.Event<ReportedRun>;
}

/** 0-based line of `"id": "<id>"` in the file text, for the test's location (gutter buttons). */
function lineOfId(text: string, id: string): number | undefined {
  const at = text.indexOf(`"id": ${JSON.stringify(id)}`);
  if (at < 0) return undefined;
  let line = 0;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function registerTesting(subscriptions: vscode.Disposable[], deps: TestingDeps): StudyTeamTesting {
  const controller = vscode.tests.createTestController(TEST_CONTROLLER_ID, 'StudyTeam');
  const ended = new vscode.EventEmitter<ReportedRun>();
  let lastRun: ReportedRun | undefined;
  const { store } = deps;

  const rebuild = async (): Promise<void> => {
    let text = '';
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(store.fileUri));
    } catch {
      // no file yet: tests without a location
    }
    const make = (node: SavedNode): vscode.TestItem => {
      const item = controller.createTestItem(node.id, node.name, store.fileUri);
      const line = lineOfId(text, node.id);
      if (line !== undefined) item.range = new vscode.Range(line, 0, line, 0);
      if (node.kind === 'folder') item.children.replace(node.children.map(make));
      else item.description = `${node.method} ${node.url}${node.expect?.length ? ` · ${node.expect.length} check(s)` : ''}`;
      return item;
    };
    controller.items.replace(store.snapshot().items.map(make));
  };
  controller.resolveHandler = async () => {
    await store.load();
    await rebuild();
  };
  controller.refreshHandler = async () => {
    await store.reload();
    await rebuild();
  };
  const changes = store.onDidChange(() => void rebuild());

  const runHandler = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    await store.load();
    const included = request.include ? new Set(request.include.map((t) => t.id)) : undefined;
    const excluded = new Set((request.exclude ?? []).map((t) => t.id));
    const collection = store.snapshot();
    const selected = allRequests(collection).filter(({ request: r }) => {
      const ancestors = ancestorIds(collection.items, r.id) ?? [];
      if ([r.id, ...ancestors].some((id) => excluded.has(id))) return false;
      return !included || [r.id, ...ancestors].some((id) => included.has(id));
    });
    const environment = deps.services.environments.active();
    // Not persisted: VS Code would otherwise store messages and output (excerpts of answers) on disk.
    const run = controller.createTestRun(request, `StudyTeam: ${environment.name}`, false);
    const testOf = (id: string): vscode.TestItem | undefined => findItem(controller.items, id);
    const states = new Map<string, 'passed' | 'failed' | 'errored' | 'skipped'>();
    const messages: Array<{ testId: string; message: string; expected?: string; actual?: string }> = [];
    for (const { request: r } of selected) {
      const item = testOf(r.id);
      if (item) run.enqueued(item);
    }
    const report = (result: RequestRunResult): void => {
      deps.tree.recordRun(result.id, lastRunOfResult(result, environment));
      const item = testOf(result.id);
      if (!item) return;
      // Captured values stay in memory (they can identify a patient): the output names them only.
      if (result.captured.length) run.appendOutput(`${result.name}: captured ${result.captured.map((c) => `{{${c.name}}}`).join(', ')} (values in memory only)\r\n`, undefined, item);
      if (result.passed) {
        states.set(result.id, 'passed');
        return run.passed(item, result.durationMs);
      }
      const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
      if (result.error) {
        states.set(result.id, result.errorKind === 'cancelled' ? 'skipped' : 'errored');
        messages.push({ testId: result.id, message: result.error });
        const message = new vscode.TestMessage(result.error);
        if (location) message.location = location;
        return result.errorKind === 'cancelled' ? run.skipped(item) : run.errored(item, message, result.durationMs);
      }
      states.set(result.id, 'failed');
      const failed = result.checks.filter((c) => !c.passed).map((c) => {
        messages.push({ testId: result.id, message: c.message ?? c.label, expected: c.expected, actual: c.actual });
        const message = vscode.TestMessage.diff(c.message ?? c.label, c.expected, c.actual);
        if (location) message.location = location;
        return message;
      });
      run.failed(item, failed, result.durationMs);
    };
    let summary: RunSummary | undefined;
    let declined = false;
    try {
      const outcome = await collectionRunHostModule().runCollectionInHost({ ...deps, makeRunner: (o) => new RequestRunner(o) }, {
        title: request.include?.length === 1 ? request.include[0]!.label : 'StudyTeam tests',
        items: selected.map((s) => ({ request: s.request, folderPath: s.folderPath })),
        environment,
        token,
        onStart: (item) => {
          const test = testOf(item.request.id);
          if (test) run.started(test);
        },
        onResult: report,
      });
      declined = outcome.declined;
      if (!outcome.declined) {
        summary = outcome.summary;
        run.appendOutput(outcome.spec({ items: selected, iterations: 1, title: 'StudyTeam tests' }).replace(/\r?\n/g, '\r\n'));
      } else {
        run.appendOutput(`${environment.name}: run declined at the production confirmation; nothing was sent.\r\n`);
      }
    } finally {
      for (const { request: r } of selected) {
        if (states.has(r.id)) continue;
        states.set(r.id, 'skipped');
        const item = testOf(r.id);
        if (item) run.skipped(item);
      }
      run.end();
      lastRun = { ...(summary ? { summary } : {}), declined, states, messages };
      ended.fire(lastRun);
    }
  };
  const profile = controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, runHandler, true);
  const addChecklist = vscode.commands.registerCommand(Commands.addGoLiveChecklist, () => collectionRunHostModule().addGoLiveChecklist(store));
  void rebuild();

  const testing: StudyTeamTesting = {
    controller,
    runProfile: profile,
    item: (id) => findItem(controller.items, id),
    get lastRun() {
      return lastRun;
    },
    onDidEndRun: ended.event,
    dispose: () => {
      changes.dispose();
      addChecklist.dispose();
      profile.dispose();
      ended.dispose();
      controller.dispose();
    },
  };
  subscriptions.push(testing);
  return testing;
}

function findItem(items: vscode.TestItemCollection, id: string): vscode.TestItem | undefined {
  const direct = items.get(id);
  if (direct) return direct;
  let found: vscode.TestItem | undefined;
  items.forEach((item) => {
    found ??= findItem(item.children, id);
  });
  return found;
}

/** Ids of the folders around `id`, outermost first; undefined when `id` is not in `nodes`. */
function ancestorIds(nodes: readonly SavedNode[], id: string, path: readonly string[] = []): string[] | undefined {
  for (const node of nodes) {
    if (node.id === id) return [...path];
    if (node.kind === 'folder') {
      const found = ancestorIds(node.children, id, [...path, node.id]);
      if (found) return found;
    }
  }
  return undefined;
}
