// The Run Folder results view's webview: the run's environment and origin, when it ran, its totals, and one row per
// request (failures first) — status icon, method, name, HTTP status, time, checks. A row is focusable; Enter, Space
// or a click asks the host to open that row's response in the request panel (the bodies never come here). No state is
// kept with setState: nothing of a run is written to disk, and the view is not restored after a reload.
import './runResults.css';
import { isHostToResults, type ActiveEnvironmentInfo, type ResultRowInfo, type ResultsToHost, type RunResultsInfo } from '../../runResults/runResultsProtocol';
import { h, ids } from '../dom';
import { formatDuration, statusClass, timeAgo } from '../format';

const vscode = acquireVsCodeApi<never>();
const post = (message: ResultsToHost): void => vscode.postMessage(message);

const app = document.getElementById('app') ?? document.body;
const notice = h('div', { ...ids('notice'), class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });
let shown: RunResultsInfo | undefined;
/** The active environment: where Run Again runs (not necessarily where the run shown ran). */
let active: ActiveEnvironmentInfo | undefined;
/** The key of the row that had focus, kept across a re-render (a new run of the same folder). */
let focusedKey: string | undefined;

const testHooks = { ignoredMessages: 0, handledMessages: 0, run: (): RunResultsInfo | undefined => shown };
if (__STUDYTEAM_TEST_HOOKS__) Object.assign(window, { __studyteamResults: testHooks });

function button(id: string, label: string, message: ResultsToHost, title: string): HTMLButtonElement {
  const b = h('button', { ...ids(id), type: 'button', class: 'secondary-button', title }, label);
  b.addEventListener('click', () => post(message));
  return b;
}

/** "ran 10:42:07 (2 min ago)" — kept true while the view is open. */
function ranText(run: RunResultsInfo): string {
  return `ran ${new Date(run.startedAt).toLocaleTimeString()} (${timeAgo(run.startedAt, Date.now())})`;
}

window.setInterval(() => {
  const ago = document.getElementById('run-ago');
  if (ago && shown) ago.textContent = ranText(shown);
}, 15_000);

/** "Run Again" on the run's own environment; "Run Again on <active>" once another one is active. */
function updateRunAgain(): void {
  const b = document.getElementById('run-again');
  if (!b || !shown) return;
  const other = active !== undefined && active.id !== shown.environmentId ? active : undefined;
  b.textContent = other ? `Run Again on ${other.name}` : 'Run Again';
  b.title = other ? `Run "${shown.title}" again on the active environment, ${other.name} (this run was on ${shown.environmentName})` : `Run "${shown.title}" again on the active environment`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function header(run: RunResultsInfo): HTMLElement {
  const t = run.totals;
  const when = new Date(run.startedAt);
  const source = h(
    'p',
    { ...ids('run-source'), class: 'run-source' },
    h('span', { class: 'env-name' }, run.environmentName),
    run.production ? h('span', { class: 'env-badge' }, 'PRODUCTION') : null,
    run.origin ? h('span', { class: 'origin' }, run.origin) : null,
    h('span', { ...ids('run-ago'), class: 'metric', title: when.toLocaleString() }, ranText(run)),
    h('span', { class: 'metric' }, `took ${formatDuration(run.finishedAt - run.startedAt)}`),
  );
  const totals = h(
    'p',
    { ...ids('run-totals'), class: t.failed ? 'totals failed' : 'totals' },
    `${plural(t.requests, 'request')}: ${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} not run` : ''} · checks: ${t.checksPassed} passed, ${t.checksFailed} failed · ${plural(t.tokenRequests, 'token request')}`,
  );
  const notes: HTMLElement[] = [];
  if (run.stoppedBecause) notes.push(h('p', { class: 'warning' }, `Stopped early: ${run.stoppedBecause}`));
  const truncated = run.rows.filter((r) => r.truncated).length;
  if (truncated) notes.push(h('p', { ...ids('truncated-note'), class: 'warning' }, `⚠ ${plural(truncated, 'response body', 'response bodies')} ${run.truncatedNote}: the status is complete, the body is not.`));
  if (run.notRun.length) notes.push(h('p', { ...ids('not-run'), class: 'warning' }, `Not run: ${run.notRun.join(', ')}`));
  if (run.responsesNotKept) notes.push(h('p', { class: 'hint' }, `${plural(run.responsesNotKept, 'response was', 'responses were')} not kept (over the memory limit for one run): those rows open the request without it.`));
  const actions = h(
    'div',
    { class: 'actions' },
    button('run-again', 'Run Again', { type: 'runAgain' }, `Run "${run.title}" again on the active environment`),
    button('open-markdown', 'Open as Markdown', { type: 'openMarkdown' }, 'The summary as a read-only Markdown document'),
    button('copy-markdown', 'Copy as Markdown', { type: 'copyMarkdown' }, 'Copy the summary (no bodies) as Markdown'),
  );
  return h(
    'header',
    { class: 'run-header' },
    h('h1', { ...ids('run-title') }, `Run results: ${run.title} — ${run.environmentName}`),
    source,
    totals,
    ...notes,
    actions,
    h('p', { class: 'hint' }, 'Enter or click a row to open its response in the request panel. Responses are kept in memory only, while this view is open.'),
  );
}

function checksText(row: ResultRowInfo): string {
  const total = row.checksPassed + row.checksFailed;
  if (row.error !== undefined && total === 0) return 'not answered';
  return row.checksFailed ? `${row.checksPassed}/${total} passed, ${row.checksFailed} failed` : `${row.checksPassed}/${total} passed`;
}

function rowElement(row: ResultRowInfo): HTMLTableRowElement {
  const status = row.status === undefined ? '—' : String(row.status);
  const label = `${row.passed ? 'Passed' : 'Failed'}: ${row.method} ${row.name}, ${row.status === undefined ? 'no answer' : `status ${row.status}`}, ${formatDuration(row.durationMs)}, checks ${checksText(row)}${row.truncated ? ', body truncated' : ''}. Press Enter to open the response.`;
  const details: HTMLElement[] = [];
  if (row.failures.length) details.push(h('ul', { class: 'failures' }, ...row.failures.map((f) => h('li', {}, f))));
  if (row.bodyProblems) {
    details.push(h('p', { class: 'body-problems' }, `Body problems against ${row.bodyProblems.title} (sent anyway):`), h('ul', { class: 'failures' }, ...row.bodyProblems.problems.map((p) => h('li', {}, p))));
  }
  const tr = h(
    'tr',
    { class: `result-row ${row.passed ? 'passed' : 'failed'}`, tabindex: 0, 'data-key': row.key, 'data-testid': `row-${row.key}`, 'aria-label': label, title: row.folder ? `${row.folder} / ${row.name}` : row.name },
    h('td', { class: 'icon', 'aria-hidden': 'true' }, row.passed ? '✓' : '✗'),
    h('td', { class: 'method' }, row.method),
    h('td', { class: 'name' }, h('span', { class: 'request-name' }, row.name), ' ', h('span', { class: 'path' }, row.path), ...details),
    h('td', { class: `status ${row.status === undefined ? 'unknown' : statusClass(row.status)}` }, status, row.truncated ? h('span', { class: 'truncated' }, ' (body truncated)') : null),
    h('td', { class: 'time' }, formatDuration(row.durationMs)),
    h('td', { class: row.checksFailed || row.error !== undefined ? 'checks failed' : 'checks' }, row.error !== undefined && row.checksPassed + row.checksFailed === 0 ? row.error : checksText(row)),
  );
  tr.addEventListener('click', () => open(row.key));
  tr.addEventListener('focus', () => (focusedKey = row.key));
  return tr;
}

function table(run: RunResultsInfo): HTMLElement {
  return h(
    'table',
    { ...ids('results'), class: 'results', 'aria-label': `Results of ${run.title}` },
    h('thead', {}, h('tr', {}, h('th', { class: 'icon' }, h('span', { class: 'sr-only' }, 'Result')), h('th', {}, 'Method'), h('th', {}, 'Request'), h('th', {}, 'Status'), h('th', {}, 'Time'), h('th', {}, 'Checks'))),
    h('tbody', {}, ...run.rows.map(rowElement)),
  );
}

function captured(run: RunResultsInfo): HTMLElement | null {
  if (!run.captured.length) return null;
  return h(
    'section',
    { class: 'captured' },
    h('h2', {}, 'Captured values (memory only, never saved)'),
    h('ul', {}, ...run.captured.map((c) => h('li', {}, h('code', {}, c.name), ' = ', h('code', {}, c.value), ` (from "${c.from}")`))),
  );
}

function render(run: RunResultsInfo): void {
  shown = run;
  document.body.classList.toggle('production', run.production);
  app.replaceChildren(header(run), notice, table(run), ...[captured(run)].filter((x): x is HTMLElement => x !== null));
  updateRunAgain();
  const rows = rowsOf();
  const again = focusedKey === undefined ? undefined : rows.find((r) => r.dataset.key === focusedKey);
  // The first row takes focus: failures come first, so the first thing to look at is one keystroke away.
  (again ?? rows[0])?.focus();
}

function rowsOf(): HTMLTableRowElement[] {
  return [...document.querySelectorAll<HTMLTableRowElement>('tr.result-row')];
}

function open(key: string): void {
  post({ type: 'openRow', key });
}

function showNotice(message: string): void {
  notice.textContent = message;
  notice.hidden = false;
}

document.addEventListener('keydown', (e) => {
  const row = (e.target as HTMLElement | null)?.closest?.('tr.result-row') as HTMLTableRowElement | null;
  if (!row) return;
  const rows = rowsOf();
  const index = rows.indexOf(row);
  let next: HTMLTableRowElement | undefined;
  if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    if (row.dataset.key) open(row.dataset.key);
    return;
  }
  if (e.key === 'ArrowDown') next = rows[index + 1];
  else if (e.key === 'ArrowUp') next = rows[index - 1];
  else if (e.key === 'Home') next = rows[0];
  else if (e.key === 'End') next = rows[rows.length - 1];
  else return;
  e.preventDefault();
  next?.focus();
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostToResults(event.data)) {
    testHooks.ignoredMessages++;
    console.warn('[studyteam] ignored a malformed message');
    return;
  }
  testHooks.handledMessages++;
  const message = event.data;
  if (message.type === 'results') {
    // A fresh webview (the view was hidden) knows no focused row: the host says which row was opened last.
    focusedKey ??= message.focusKey;
    active = message.active;
    render(message.run);
  } else if (message.type === 'activeEnvironment') {
    active = message.active;
    updateRunAgain();
  } else showNotice(message.message);
});

post({ type: 'ready' });
