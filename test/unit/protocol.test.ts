import * as assert from 'node:assert/strict';
import { isHostMessage, isPersistedPanelState, isWebviewMessage } from '../../src/panel/protocolGuards';
import type { DraftRequest, EnvironmentInfo, HostToWebview, ResponseInfo, ResponsePreview, WebviewToHost } from '../../src/panel/protocol';

const draft: DraftRequest = {
  name: 'List sites',
  method: 'GET',
  url: '/rpi/sites?page=1',
  query: [{ name: 'page', value: '1', enabled: true }],
  headers: [{ name: 'Accept', value: 'application/json', enabled: false }],
  body: '',
  bodyMode: 'json',
  auth: 'bearer',
};

const response: ResponseInfo = {
  status: 200,
  statusText: 'OK',
  headers: [['content-type', 'application/json']],
  contentType: 'application/json',
  body: new TextEncoder().encode('{"ok":true}'),
  bodyKind: 'text',
  size: 11,
  truncated: false,
  totalMs: 12.5,
  retried: false,
  request: { method: 'GET', url: 'http://127.0.0.1:1/rpi/sites', headers: [['authorization', 'Bearer ‹redacted›']], bodyBytes: 0 },
  environmentId: 'sandbox',
  environmentName: 'Sandbox (local)',
  origin: 'http://127.0.0.1:1',
  receivedAt: 1_764_547_200_000,
};

const { body: _body, ...meta } = response;
const preview: ResponsePreview = { ...meta, size: 10_485_800, head: new TextEncoder().encode('[{"id":1001,"name":"Site') };

const metrics: WebviewToHost = { type: 'metrics', seq: 3, stage: 'firstPaint', clickToPaintMs: 900.5, receiveToPaintMs: 120, bodyBytes: 10_485_800, paintedBytes: 262_144 };

const environment: EnvironmentInfo = { id: 'sandbox', name: 'Sandbox (local)', baseUrl: 'http://127.0.0.1:1', production: false, variables: [{ name: 'baseUrl', source: 'environment', value: 'http://127.0.0.1:1' }, { name: 'siteId', source: 'remembered' }] };

/** Deep copy with one path replaced (value undefined → property removed). */
function withPath(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let target = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete target[last];
  else target[last] = replacement;
  return copy;
}

describe('panel protocol guards', () => {
  const validWebview: WebviewToHost[] = [
    { type: 'ready' },
    { type: 'ready', state: { version: 1, draft } },
    { type: 'stateChanged', state: { version: 1, draft, savedId: 'req_1' } },
    { type: 'send', seq: 1, draft },
    { type: 'cancel', seq: 0 },
    { type: 'save', draft },
    { type: 'copyCurl', draft, includeToken: false },
    { type: 'responseAction', action: 'openInEditor' },
    { type: 'responseAction', action: 'saveToFile' },
    { type: 'responseAction', action: 'copyBody' },
    { type: 'errorAction', action: 'setCredentials' },
    { type: 'switchEnvironment' },
    { type: 'clearResponse' },
    { type: 'saveAs', draft },
    { type: 'revert' },
    { type: 'keepOpen' },
    metrics,
    { ...metrics, stage: 'fullTree', paintedBytes: 10_485_800 },
    { type: 'loadFullBody', seq: 3 },
  ];

  const validHost: HostToWebview[] = [
    { type: 'init', state: { version: 1, draft }, environment },
    { type: 'init', state: { version: 1, draft, savedId: 'req_1' }, environment, response, inFlightSeq: 4 },
    { type: 'environment', environment: { ...environment, production: true } },
    { type: 'sending', seq: 3 },
    { type: 'response', seq: 3, response },
    { type: 'response', seq: 3, response: { ...response, contentType: 'image/png', body: new Uint8Array([137, 80, 78, 71]), bodyKind: 'image' } },
    { type: 'error', seq: 3, cancelled: false, message: 'Staging: token request rejected.', actions: [{ id: 'setCredentials', label: 'Set Credentials…' }], environmentId: 'staging', environmentName: 'Staging' },
    { type: 'error', seq: 3, cancelled: true, message: 'Cancelled', actions: [], environmentId: 'staging', environmentName: 'Staging' },
    { type: 'saved', savedId: 'req_1', name: 'List sites' },
    { type: 'notice', level: 'info', message: 'Copied.' },
    { type: 'savedState', savedId: 'req_1', dirty: true },
    { type: 'savedState', dirty: false },
    { type: 'draft', state: { version: 1, draft } },
    { type: 'editorSettings', tabMovesFocus: true },
    { type: 'init', state: { version: 1, draft }, environment, tabMovesFocus: false },
    { type: 'responsePreview', seq: 3, preview },
    { type: 'init', state: { version: 1, draft }, environment, preview, responseSeq: 3 },
    { type: 'init', state: { version: 1, draft }, environment, error: { cancelled: false, message: 'Staging: 503', actions: [], environmentId: 'staging', environmentName: 'Staging' } },
    { type: 'bodyProblems', kind: 'schema', bodyFingerprint: '1a2b3c4d:120', title: 'Create referral v1', problems: [{ pathText: 'referral[0].telecom', message: 'Must not be empty', line: 7, column: 18, offset: 140 }] },
    { type: 'bodyProblems', kind: 'server', bodyFingerprint: '1a2b3c4d:120', title: '', problems: [] },
    { type: 'previewTab', preview: true },
    { type: 'previewTab', preview: false },
  ];

  for (const message of validWebview) {
    it(`accepts webview message ${JSON.stringify(message).slice(0, 70)}`, () => {
      assert.equal(isWebviewMessage(message), true);
      assert.equal(isHostMessage(message), false, 'not a host message');
    });
  }
  for (const message of validHost) {
    it(`accepts host message ${JSON.stringify(message).slice(0, 70)}`, () => {
      assert.equal(isHostMessage(message), true);
      assert.equal(isWebviewMessage(message), false, 'not a webview message');
    });
  }

  it('accepts huge strings (a 10 MB body, a long URL)', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    assert.equal(isHostMessage({ type: 'response', seq: 1, response: { ...response, body: new Uint8Array(10 * 1024 * 1024) } }), true);
    assert.equal(isWebviewMessage({ type: 'send', seq: 1, draft: { ...draft, url: `/a?${big}`, body: big } }), true);
  });

  it('ignores extra properties without reading them', () => {
    assert.equal(isWebviewMessage({ type: 'cancel', seq: 1, extra: { deep: true } }), true);
  });

  const notObjects: unknown[] = [undefined, null, 0, 'send', true, [], [{ type: 'ready' }], () => undefined];
  for (const value of notObjects) {
    it(`rejects non-message ${String(value)}`, () => {
      assert.equal(isWebviewMessage(value), false);
      assert.equal(isHostMessage(value), false);
    });
  }

  const unknownTypes: unknown[] = [{}, { type: 'launchMissiles' }, { type: 1 }, { type: null }, { type: 'READY' }, { type: 'toString' }, { type: '__proto__' }, { type: 'constructor' }];
  for (const value of unknownTypes) {
    it(`rejects unknown type ${JSON.stringify(value)}`, () => {
      assert.equal(isWebviewMessage(value), false);
      assert.equal(isHostMessage(value), false);
    });
  }

  it('host and webview message types do not cross over', () => {
    assert.equal(isHostMessage({ type: 'send', seq: 1, draft }), false);
    assert.equal(isWebviewMessage({ type: 'response', seq: 1, response }), false);
  });

  // [description, valid message, path to break, bad value (undefined = remove)]
  const webviewBreaks: Array<[string, WebviewToHost, Array<string | number>, unknown]> = [
    ['send without seq', { type: 'send', seq: 1, draft }, ['seq'], undefined],
    ['send with string seq', { type: 'send', seq: 1, draft }, ['seq'], '1'],
    ['send with negative seq', { type: 'send', seq: 1, draft }, ['seq'], -1],
    ['send with fractional seq', { type: 'send', seq: 1, draft }, ['seq'], 1.5],
    ['send with NaN seq', { type: 'send', seq: 1, draft }, ['seq'], Number.NaN],
    ['send without draft', { type: 'send', seq: 1, draft }, ['draft'], undefined],
    ['send with draft as string', { type: 'send', seq: 1, draft }, ['draft'], 'GET /'],
    ['draft with unknown method', { type: 'send', seq: 1, draft }, ['draft', 'method'], 'TRACE'],
    ['draft with lower-case method', { type: 'send', seq: 1, draft }, ['draft', 'method'], 'get'],
    ['draft with numeric url', { type: 'send', seq: 1, draft }, ['draft', 'url'], 42],
    ['draft without name', { type: 'send', seq: 1, draft }, ['draft', 'name'], undefined],
    ['draft with query object', { type: 'send', seq: 1, draft }, ['draft', 'query'], { page: '1' }],
    ['draft with query row missing enabled', { type: 'send', seq: 1, draft }, ['draft', 'query', 0, 'enabled'], undefined],
    ['draft with query row enabled "yes"', { type: 'send', seq: 1, draft }, ['draft', 'query', 0, 'enabled'], 'yes'],
    ['draft with header row value number', { type: 'send', seq: 1, draft }, ['draft', 'headers', 0, 'value'], 1],
    ['draft with header row null', { type: 'send', seq: 1, draft }, ['draft', 'headers', 0], null],
    ['draft with body null', { type: 'send', seq: 1, draft }, ['draft', 'body'], null],
    ['draft with bodyMode xml', { type: 'send', seq: 1, draft }, ['draft', 'bodyMode'], 'xml'],
    ['draft with auth basic', { type: 'send', seq: 1, draft }, ['draft', 'auth'], 'basic'],
    ['ready with bad state version', { type: 'ready', state: { version: 1, draft } }, ['state', 'version'], 2],
    ['ready with state null', { type: 'ready', state: { version: 1, draft } }, ['state'], null],
    ['stateChanged without state', { type: 'stateChanged', state: { version: 1, draft } }, ['state'], undefined],
    ['stateChanged with empty savedId', { type: 'stateChanged', state: { version: 1, draft } }, ['state', 'savedId'], ''],
    ['stateChanged with numeric savedId', { type: 'stateChanged', state: { version: 1, draft } }, ['state', 'savedId'], 7],
    ['cancel without seq', { type: 'cancel', seq: 1 }, ['seq'], undefined],
    ['save without draft', { type: 'save', draft }, ['draft'], undefined],
    ['copyCurl without includeToken', { type: 'copyCurl', draft, includeToken: false }, ['includeToken'], undefined],
    ['copyCurl with includeToken "true"', { type: 'copyCurl', draft, includeToken: false }, ['includeToken'], 'true'],
    ['responseAction unknown', { type: 'responseAction', action: 'copyBody' }, ['action'], 'deleteEverything'],
    ['errorAction unknown', { type: 'errorAction', action: 'showLog' }, ['action'], 'runShell'],
    ['metrics with string', metrics, ['clickToPaintMs'], '1'],
    ['metrics with Infinity', metrics, ['receiveToPaintMs'], Number.POSITIVE_INFINITY],
    ['metrics with negative', metrics, ['bodyBytes'], -5],
    ['metrics missing paintedBytes', metrics, ['paintedBytes'], undefined],
    ['metrics without seq', metrics, ['seq'], undefined],
    ['metrics with unknown stage', metrics, ['stage'], 'lastPaint'],
    ['metrics with the old field only', metrics, ['clickToPaintMs'], undefined],
    ['loadFullBody without seq', { type: 'loadFullBody', seq: 3 }, ['seq'], undefined],
    ['loadFullBody with string seq', { type: 'loadFullBody', seq: 3 }, ['seq'], '3'],
  ];
  for (const [description, valid, path, bad] of webviewBreaks) {
    it(`rejects webview message: ${description}`, () => {
      assert.equal(isWebviewMessage(valid), true, 'the unbroken message is valid');
      assert.equal(isWebviewMessage(withPath(valid, path, bad)), false);
    });
  }

  const bodyProblems: HostToWebview = { type: 'bodyProblems', kind: 'schema', bodyFingerprint: 'f:1', title: 'Create referral v1', problems: [{ pathText: 'a', message: 'b', line: 1, column: 1, offset: 0 }] };
  const hostBreaks: Array<[string, HostToWebview, Array<string | number>, unknown]> = [
    ['init without environment', validHost[0] as HostToWebview, ['environment'], undefined],
    ['previewTab without preview', { type: 'previewTab', preview: true }, ['preview'], undefined],
    ['previewTab with preview "yes"', { type: 'previewTab', preview: true }, ['preview'], 'yes'],
    ['init with environment production "no"', validHost[0] as HostToWebview, ['environment', 'production'], 'no'],
    ['init with variables not objects', validHost[0] as HostToWebview, ['environment', 'variables'], ['baseUrl']],
    ['init with a variable of unknown source', validHost[0] as HostToWebview, ['environment', 'variables', 0, 'source'], 'file'],
    ['init with a variable value not a string', validHost[0] as HostToWebview, ['environment', 'variables', 0, 'value'], 5],
    ['init with bad response', validHost[1] as HostToWebview, ['response', 'status'], '200'],
    ['init with negative inFlightSeq', validHost[1] as HostToWebview, ['inFlightSeq'], -1],
    ['response with status 42', validHost[4] as HostToWebview, ['response', 'status'], 42],
    ['response with status 200.5', validHost[4] as HostToWebview, ['response', 'status'], 200.5],
    ['response without body', validHost[4] as HostToWebview, ['response', 'body'], undefined],
    ['response with body as a string', validHost[4] as HostToWebview, ['response', 'body'], '{"ok":true}'],
    ['response with body as a number array', validHost[4] as HostToWebview, ['response', 'body'], [123, 125]],
    ['response with body as an ArrayBuffer', validHost[4] as HostToWebview, ['response', 'body'], new ArrayBuffer(2)],
    ['response with header triple', validHost[4] as HostToWebview, ['response', 'headers', 0], ['a', 'b', 'c']],
    ['response with header number', validHost[4] as HostToWebview, ['response', 'headers', 0, 1], 5],
    ['response with bodyKind video', validHost[5] as HostToWebview, ['response', 'bodyKind'], 'video'],
    ['response without bodyKind', validHost[5] as HostToWebview, ['response', 'bodyKind'], undefined],
    ['response with negative size', validHost[4] as HostToWebview, ['response', 'size'], -1],
    ['response with truncated missing', validHost[4] as HostToWebview, ['response', 'truncated'], undefined],
    ['response with request method bad', validHost[4] as HostToWebview, ['response', 'request', 'method'], 'FETCH'],
    ['response with request headers object', validHost[4] as HostToWebview, ['response', 'request', 'headers'], { a: 'b' }],
    ['response without environmentName', validHost[4] as HostToWebview, ['response', 'environmentName'], undefined],
    ['response without environmentId', validHost[4] as HostToWebview, ['response', 'environmentId'], undefined],
    ['response without origin', validHost[4] as HostToWebview, ['response', 'origin'], undefined],
    ['response with receivedAt as a string', validHost[4] as HostToWebview, ['response', 'receivedAt'], 'now'],
    ['error without environmentName', validHost[6] as HostToWebview, ['environmentName'], undefined],
    ['savedState with dirty as a string', validHost[10] as HostToWebview, ['dirty'], 'yes'],
    ['savedState with an empty savedId', validHost[10] as HostToWebview, ['savedId'], ''],
    ['draft with a bad state', validHost[12] as HostToWebview, ['state', 'version'], 2],
    ['editorSettings without tabMovesFocus', validHost[13] as HostToWebview, ['tabMovesFocus'], undefined],
    ['init with tabMovesFocus as a string', validHost[14] as HostToWebview, ['tabMovesFocus'], 'true'],
    ['init with an error and a response', validHost[1] as HostToWebview, ['error'], { cancelled: false, message: 'x', actions: [], environmentId: 'staging', environmentName: 'Staging' }],
    ['error with unknown action', validHost[6] as HostToWebview, ['actions', 0, 'id'], 'format'],
    ['error with action label missing', validHost[6] as HostToWebview, ['actions', 0, 'label'], undefined],
    ['error without cancelled', validHost[6] as HostToWebview, ['cancelled'], undefined],
    ['error with message object', validHost[6] as HostToWebview, ['message'], { text: 'x' }],
    ['saved with empty id', validHost[8] as HostToWebview, ['savedId'], ''],
    ['notice with level warn', validHost[9] as HostToWebview, ['level'], 'warn'],
    ['sending with seq string', validHost[3] as HostToWebview, ['seq'], 'x'],
    ['preview without head', { type: 'responsePreview', seq: 3, preview }, ['preview', 'head'], undefined],
    ['preview with head as a string', { type: 'responsePreview', seq: 3, preview }, ['preview', 'head'], '[{"id":1001'],
    ['preview with head as long as the body', { type: 'responsePreview', seq: 3, preview }, ['preview', 'size'], 24],
    ['preview of an image', { type: 'responsePreview', seq: 3, preview }, ['preview', 'bodyKind'], 'image'],
    ['preview with status string', { type: 'responsePreview', seq: 3, preview }, ['preview', 'status'], '200'],
    ['preview without seq', { type: 'responsePreview', seq: 3, preview }, ['seq'], undefined],
    ['init with a preview and a response', { type: 'init', state: { version: 1, draft }, environment, preview, responseSeq: 3 }, ['response'], response],
    ['init with a bad preview', { type: 'init', state: { version: 1, draft }, environment, preview, responseSeq: 3 }, ['preview', 'head'], [1, 2]],
    ['bodyProblems of an unknown kind', bodyProblems, ['kind'], 'lint'],
    ['bodyProblems with a line as a string', bodyProblems, ['problems', 0, 'line'], '7'],
    ['bodyProblems with a negative offset', bodyProblems, ['problems', 0, 'offset'], -1],
    ['bodyProblems without a fingerprint', bodyProblems, ['bodyFingerprint'], undefined],
    ['init with negative responseSeq', { type: 'init', state: { version: 1, draft }, environment, preview, responseSeq: 3 }, ['responseSeq'], -3],
  ];
  for (const [description, valid, path, bad] of hostBreaks) {
    it(`rejects host message: ${description}`, () => {
      assert.equal(isHostMessage(valid), true, 'the unbroken message is valid');
      assert.equal(isHostMessage(withPath(valid, path, bad)), false);
    });
  }

  it('persisted state is the draft only', () => {
    assert.equal(isPersistedPanelState({ version: 1, draft }), true);
    assert.equal(isPersistedPanelState({ version: 1 }), false);
    assert.equal(isPersistedPanelState(undefined), false);
    assert.equal(isPersistedPanelState({ version: '1', draft }), false);
    assert.equal(isPersistedPanelState({ version: 1, draft: { ...draft, body: '' }, bodyOmitted: true }), true);
    assert.equal(isPersistedPanelState({ version: 1, draft, bodyOmitted: false }), false);
    assert.equal(isPersistedPanelState({ version: 1, draft, bodyOmitted: 'yes' }), false);
  });
});
