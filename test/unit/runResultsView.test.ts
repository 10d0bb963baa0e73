// The Run Folder results view's model (failures first, redacted, what did not run) and the guards of its webview
// protocol (what crosses in either direction is checked before it is used).
import * as assert from 'node:assert/strict';
import type { CollectionItem, RequestRunResult, RunSummary } from '../../src/core/collectionRunner';
import { runResultsView, type RunViewContext } from '../../src/core/runResultsView';
import { isHostToResults, isResultsToHost, type RunResultsInfo } from '../../src/runResults/runResultsProtocol';

const SECRET = 'cl1ent-s3cret-value';

function result(extra: Partial<RequestRunResult>): RequestRunResult {
  return { id: 'r', name: 'R', folderPath: ['Smoke', 'Sites'], iteration: 1, method: 'GET', path: '/rpi/sites', status: 200, durationMs: 12.4, passed: true, checks: [], captured: [], ...extra };
}

const items: CollectionItem[] = ['a', 'b', 'c', 'd'].map((id) => ({ request: { id, name: id.toUpperCase(), method: 'GET', url: '/x', auth: 'bearer' }, folderPath: ['Smoke'] }));
const summary: RunSummary = {
  environment: { id: 'sandbox', name: 'Sandbox (local)', production: false },
  results: [
    result({ id: 'a', name: 'A', checks: [{ label: 'status is 2xx', passed: true, expected: '2xx', actual: '200' }], captured: [{ name: 'accessToken', value: 'abcdefgh-plain', secret: true }, { name: 'siteId', value: 'site-1', secret: false }] }),
    result({
      id: 'b',
      name: 'B',
      passed: false,
      status: 400,
      truncated: true,
      checks: [
        { label: 'status equals 202', passed: false, expected: '202', actual: '400', message: 'status equals 202: expected 202, got 400' },
        { label: 'json $.m equals x', passed: false, expected: '"x"', actual: `"${SECRET}"`, message: `json $.m equals x: expected "x", got "${SECRET}"` },
        { label: 'header exists', passed: true, expected: 'to exist', actual: 'x' },
      ],
    }),
    result({ id: 'c', name: 'C', passed: false, status: undefined, error: `Sandbox (local): GET /x failed (connection refused) ${SECRET}`, errorKind: 'network' }),
  ],
  totals: { requests: 3, passed: 1, failed: 2, skipped: 1, checksPassed: 2, checksFailed: 2, durationMs: 40, tokenRequests: 1 },
  cancelled: false,
  stoppedBecause: 'stop on failure ("C" failed)',
};
const ctx: RunViewContext = { items, iterations: 1, title: 'Smoke', secrets: [SECRET], truncatedNote: 'truncated at 1 MB (studyteam.maxResponseSizeMB)', baseUrl: 'http://127.0.0.1:4321/api', startedAt: 1000, finishedAt: 1500 };

describe('run results view', () => {
  const view = runResultsView(summary, ctx);

  it('failures first (run order within each), each row with its status, time, checks and failed-check lines', () => {
    assert.deepEqual(view.rows.map((r) => [r.key, r.name, r.status, r.passed, r.checksPassed, r.checksFailed, r.truncated]), [
      ['1:b', 'B', 400, false, 1, 2, true],
      ['1:c', 'C', undefined, false, 0, 0, false],
      ['1:a', 'A', 200, true, 1, 0, false],
    ]);
    assert.deepEqual(view.rows[0]!.failures, ['status equals 202: expected 202, got 400', 'json $.m equals x: expected "x", got "‹redacted›"']);
    assert.equal(view.rows[2]!.folder, 'Smoke / Sites');
    assert.deepEqual(view.rows[2]!.failures, [], 'a pass lists no failures');
  });

  it('says where and when it ran, and what did not run', () => {
    assert.equal(view.environmentName, 'Sandbox (local)');
    assert.equal(view.origin, 'http://127.0.0.1:4321');
    assert.deepEqual([view.startedAt, view.finishedAt], [1000, 1500]);
    assert.deepEqual(view.notRun, ['D']);
    assert.equal(view.truncatedNote, 'truncated at 1 MB (studyteam.maxResponseSizeMB)');
    assert.equal(view.stoppedBecause, 'stop on failure ("C" failed)');
  });

  it('nothing secret: literal secrets redacted in errors and checks, secret-named captures masked', () => {
    const text = JSON.stringify(view);
    assert.equal(text.includes(SECRET), false);
    assert.equal(text.includes('abcdefgh-plain'), false);
    assert.deepEqual(view.captured, [
      { name: 'accessToken', value: '‹redacted›', from: 'A' },
      { name: 'siteId', value: 'site-1', from: 'A' },
    ]);
  });

  it('iterations: each row is keyed and named by its iteration', () => {
    const twice = runResultsView({ ...summary, results: [result({ id: 'a', name: 'A' }), result({ id: 'a', name: 'A', iteration: 2 })] }, { ...ctx, items: items.slice(0, 1), iterations: 2 });
    assert.deepEqual(twice.rows.map((r) => [r.key, r.name]), [['1:a', 'A (iteration 1)'], ['2:a', 'A (iteration 2)']]);
    assert.deepEqual(twice.notRun, []);
  });
});

describe('run results protocol guards', () => {
  const run: RunResultsInfo = { ...runResultsView(summary, ctx), rows: runResultsView(summary, ctx).rows.map((r) => ({ ...r, responseKept: r.status !== undefined })), responsesNotKept: 0 };

  it('accepts what the host sends, rejects anything malformed', () => {
    const active = { id: 'sandbox', name: 'Sandbox (local)' };
    assert.equal(isHostToResults({ type: 'results', run, active }), true);
    assert.equal(isHostToResults({ type: 'notice', message: 'Copied.' }), true);
    assert.equal(isHostToResults({ type: 'results', run: { ...run, rows: [{ ...run.rows[0], status: '400' }] }, active }), false);
    assert.equal(isHostToResults({ type: 'results', run: { ...run, rows: [{ ...run.rows[0], responseKept: undefined }] }, active }), false);
    assert.equal(isHostToResults({ type: 'results', run: { ...run, totals: { ...run.totals, failed: 'x' } }, active }), false);
    assert.equal(isHostToResults({ type: 'other' }), false);
    assert.equal(isHostToResults({ type: 'results', run, active, focusKey: '1:b' }), true);
    assert.equal(isHostToResults({ type: 'results', run, active, focusKey: 7 }), false);
    // Where Run Again runs: required with the run, and on its own when the active environment changes.
    assert.equal(isHostToResults({ type: 'results', run }), false);
    for (const bad of [undefined, null, 'sandbox', {}, { id: 'sandbox' }, { name: 'Sandbox' }, { id: '', name: 'X' }, { id: 7, name: 'X' }, { id: 'x', name: 7 }, [active]]) {
      assert.equal(isHostToResults({ type: 'results', run, active: bad }), false, JSON.stringify(bad));
      assert.equal(isHostToResults({ type: 'activeEnvironment', active: bad }), false, JSON.stringify(bad));
    }
    assert.equal(isHostToResults({ type: 'activeEnvironment', active: { id: 'sandbox-prod', name: 'Prod sandbox' } }), true);
    assert.equal(isHostToResults({ type: 'activeEnvironment' }), false);
  });

  it('accepts what the webview sends, rejects anything else', () => {
    for (const m of [{ type: 'ready' }, { type: 'openRow', key: '1:b' }, { type: 'runAgain' }, { type: 'openMarkdown' }, { type: 'copyMarkdown' }]) assert.equal(isResultsToHost(m), true, JSON.stringify(m));
    for (const m of [null, 'ready', { type: 'openRow' }, { type: 'openRow', key: '' }, { type: 'openRow', key: 7 }, { type: 'send' }]) assert.equal(isResultsToHost(m), false, JSON.stringify(m));
  });
});
