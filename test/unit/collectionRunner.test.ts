// The collection runner against a real HTTP server on 127.0.0.1:0: captures flowing, iterations,
// stop-on-failure, delays, cancellation, token economy, fatal auth errors, redaction of results.
import * as assert from 'node:assert/strict';
import { AuthService } from '../../src/core/authService';
import { maskCaptured } from '../../src/core/checkEvaluation';
import { CollectionRunner, containsWrites, failuresFirst, type CollectionItem } from '../../src/core/collectionRunner';
import type { Environment } from '../../src/core/model';
import { RequestRunner } from '../../src/core/requestRunner';
import { FixtureServer, MemoryCredentials, sendJson } from './support/fixtureServer';
import type { SavedRequest } from '../../src/core/model';

const CREDENTIALS = { clientId: 'runner-client', clientSecret: 'runner-secret-value-xyz' };

/** A tiny go-live API: token, sites, referrals (202 {id, payload}), subject update, events. */
async function startApi(): Promise<FixtureServer & { referrals: Map<string, string> }> {
  const referrals = new Map<string, string>();
  let n = 0;
  const server = await FixtureServer.start((req, res, body) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/oauth/token') return sendJson(res, JSON.parse(body).client_secret === CREDENTIALS.clientSecret ? 200 : 401, JSON.parse(body).client_secret === CREDENTIALS.clientSecret ? { access_token: 'tok-abcdefgh', token_type: 'Bearer', expires_in: 900 } : { error: 'access_denied' });
    if (req.headers.authorization !== 'Bearer tok-abcdefgh') return sendJson(res, 401, { message: 'Unauthorized' });
    if (url.pathname === '/slow') return void setTimeout(() => sendJson(res, 200, { n: url.searchParams.get('n') }), 100);
    if (url.pathname === '/rpi/sites') return sendJson(res, 200, [{ id: 'site-1', trials: [{ id: 'trial-1', sponsorSiteId: 'sp-1' }] }]);
    const create = /^\/rpi\/sites\/([^/]+)\/referrals$/.exec(url.pathname);
    if (create && req.method === 'POST') {
      const payload = JSON.parse(body) as { referral: Array<{ subjectId: string }> };
      const id = `ref-${++n}`;
      referrals.set(payload.referral[0]!.subjectId, id);
      return sendJson(res, 202, { id, payload }, { location: `/rpi/referrals/${id}` });
    }
    const update = /^\/rpi\/sites\/([^/]+)\/referrals\/subjects\/([^/]+)$/.exec(url.pathname);
    if (update && req.method === 'PUT') {
      if (!referrals.has(update[2]!)) return sendJson(res, 404, { message: 'Not found' });
      return sendJson(res, 202, { id: referrals.get(update[2]!), subjectId: update[2] });
    }
    if (url.pathname === '/rpi/events') return sendJson(res, 200, { pagination: { hasNextPage: false }, events: [...referrals.values()].map((id) => ({ id: `e-${id}`, eventType: 'v1.patient.created', message: { referralId: id } })) });
    sendJson(res, 404, { message: 'nope' });
  });
  return Object.assign(server, { referrals });
}

const goLive: SavedRequest[] = [
  { id: 'sites', name: 'List sites', method: 'GET', url: '/rpi/sites', auth: 'bearer', expect: [{ kind: 'status', op: 'equals', value: 200 }, { kind: 'json', path: '$[0].id', op: 'exists' }], capture: [{ name: 'siteId', from: 'json', path: '$[0].id' }] },
  {
    id: 'create',
    name: 'Create referral',
    method: 'POST',
    url: '/rpi/sites/{{siteId}}/referrals',
    auth: 'bearer',
    body: '{"referral":[{"subjectId":"{{subjectId}}"}]}',
    expect: [{ kind: 'status', op: 'equals', value: 202 }, { kind: 'json', path: '$.payload.referral[0].subjectId', op: 'equals', value: '{{subjectId}}' }],
    capture: [{ name: 'referralId', from: 'json', path: '$.id' }, { name: 'sessionToken', from: 'header', path: 'location' }],
  },
  { id: 'update', name: 'Update subject', method: 'PUT', url: '/rpi/sites/{{siteId}}/referrals/subjects/{{subjectId}}', auth: 'bearer', body: '{"status":"inScreening"}', expect: [{ kind: 'json', path: '$.id', op: 'equals', value: '{{referralId}}' }] },
  { id: 'events', name: 'Read events', method: 'GET', url: '/rpi/events', auth: 'bearer', query: [{ name: 'eventTypes', value: 'v1.patient.created' }], expect: [{ kind: 'json', path: '$.events[*].message.referralId', op: 'length', value: 1 }] },
];
const items = (requests: SavedRequest[]): CollectionItem[] => requests.map((request) => ({ request, folderPath: ['Go-live'] }));

describe('collection runner', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let env: Environment;
  let auth: AuthService;
  let runner: CollectionRunner;
  before(async () => {
    api = await startApi();
  });
  after(() => api.stop());
  beforeEach(() => {
    api.requests.length = 0;
    api.referrals.clear();
    env = { id: 'local', name: 'Local', baseUrl: api.url, production: false };
    auth = new AuthService({ credentials: new MemoryCredentials({ local: CREDENTIALS }) });
    runner = new CollectionRunner({ runner: new RequestRunner({ auth }), auth });
  });

  it('runs in order with captures flowing into later requests, one token request', async () => {
    const summary = await runner.run({ environment: env, items: items(goLive), variables: { subjectId: 'SUBJ-1' } });
    assert.deepEqual(summary.results.map((r) => [r.name, r.status, r.passed]), [
      ['List sites', 200, true],
      ['Create referral', 202, true],
      ['Update subject', 202, true],
      ['Read events', 200, true],
    ], JSON.stringify(summary.results, null, 1));
    assert.equal(api.requests.find((r) => r.method === 'PUT')?.path, '/rpi/sites/site-1/referrals/subjects/SUBJ-1');
    assert.deepEqual(summary.results[1]!.captured.map((c) => [c.name, c.value, c.secret]), [
      ['referralId', 'ref-1', false],
      ['sessionToken', '/rpi/referrals/ref-1', true],
    ]);
    assert.equal(summary.totals.tokenRequests, 1);
    assert.equal(summary.totals.checksPassed, 6);
    assert.equal(summary.totals.checksFailed, 0);
    assert.equal(summary.results[3]!.path, '/rpi/events');
    assert.equal(summary.fatal, undefined);
  });

  it('reports every failed check and goes on; failures first in the summary order helper', async () => {
    const broken: SavedRequest[] = [
      { ...goLive[0]!, expect: [{ kind: 'status', op: 'equals', value: 201 }, { kind: 'json', path: '$[0].id', op: 'equals', value: 'site-2' }, { kind: 'header', path: 'content-type', op: 'matches', value: 'json' }] },
      goLive[1]!,
    ];
    const summary = await runner.run({ environment: env, items: items(broken), variables: { subjectId: 'S' } });
    assert.equal(summary.results.length, 2);
    const first = summary.results[0]!;
    assert.equal(first.passed, false);
    assert.deepEqual(first.checks.filter((c) => !c.passed).map((c) => [c.label, c.expected, c.actual]), [
      ['status equals 201', '201', '200'],
      ['json $[0].id equals site-2', '"site-2"', '"site-1"'],
    ]);
    assert.equal(summary.results[1]!.passed, true, 'the capture from the failed request still flows');
    assert.deepEqual(failuresFirst([...summary.results].reverse()).map((r) => r.name), ['List sites', 'Create referral']);
    assert.equal(summary.totals.failed, 1);
    assert.equal(summary.totals.checksFailed, 2);
  });

  it('stopOnFailure stops after the first failing request; the rest is skipped', async () => {
    const failing = [{ ...goLive[0]!, expect: [{ kind: 'status' as const, op: 'equals' as const, value: 500 }] }, ...goLive.slice(1)];
    const summary = await runner.run({ environment: env, items: items(failing), variables: { subjectId: 'S' }, stopOnFailure: true });
    assert.equal(summary.results.length, 1);
    assert.equal(summary.totals.skipped, 3);
    assert.match(summary.stoppedBecause!, /stop on failure/);
    assert.equal(api.requests.filter((r) => r.path !== '/oauth/token').length, 1);
  });

  it('iterations repeat the list with fresh captures; still one token request', async () => {
    let n = 0;
    const summary = await runner.run({
      environment: env,
      items: items(goLive.slice(0, 3)),
      variables: { subjectId: 'S' },
      iterations: 3,
      onStart: () => void n++,
    });
    assert.equal(summary.results.length, 9);
    assert.equal(n, 9);
    assert.deepEqual(summary.results.map((r) => r.iteration), [1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const ids = summary.results.filter((r) => r.name === 'Create referral').map((r) => r.captured[0]!.value);
    assert.equal(new Set(ids).size, 3, 'each iteration created its own referral');
    assert.ok(summary.results.every((r) => r.passed), 'each update used its own iteration\'s referralId');
    assert.equal(summary.totals.tokenRequests, 1);
  });

  it('onResponse hands over each answered response (whole body) before its onResult; none for a request not sent', async () => {
    const order: string[] = [];
    const bodies = new Map<string, string>();
    const summary = await runner.run({
      environment: env,
      items: items([goLive[2]!, goLive[0]!]),
      onResponse: (r, response) => {
        order.push(`response ${r.id}`);
        bodies.set(r.id, new TextDecoder().decode(response.body));
        assert.equal(response.status, r.status);
      },
      onResult: (r) => order.push(`result ${r.id}`),
    });
    assert.deepEqual(order, ['result update', 'response sites', 'result sites']);
    assert.deepEqual(JSON.parse(bodies.get('sites')!), [{ id: 'site-1', trials: [{ id: 'trial-1', sponsorSiteId: 'sp-1' }] }]);
    assert.equal(summary.results[0]!.body, undefined, 'the result itself keeps no body');
  });

  it('waits delayMs between requests', async () => {
    const started = performance.now();
    await runner.run({ environment: env, items: items(goLive.slice(0, 1)), iterations: 3, delayMs: 60 });
    assert.ok(performance.now() - started >= 115, 'two pauses of 60 ms');
  });

  it('a missing variable fails that request (not sent) and the run goes on', async () => {
    const summary = await runner.run({ environment: env, items: items([goLive[2]!, goLive[0]!]) });
    assert.equal(summary.results[0]!.passed, false);
    assert.match(summary.results[0]!.error!, /Missing values for \{\{siteId\}\}, \{\{subjectId\}\}/);
    assert.equal(summary.results[1]!.passed, true);
    assert.equal(api.requests.filter((r) => r.method === 'PUT').length, 0);
  });

  it('a failed capture fails the request with its reason', async () => {
    const summary = await runner.run({ environment: env, items: items([{ ...goLive[0]!, capture: [{ name: 'x', from: 'json', path: '$[3].id' }] }]) });
    assert.equal(summary.results[0]!.passed, false);
    assert.match(summary.results[0]!.checks.find((c) => !c.passed)!.message!, /capture x ← json \$\[3\]\.id: nothing at/);
  });

  it('a refused token stops the run as fatal (one token request, nothing else sent)', async () => {
    const badAuth = new AuthService({ credentials: new MemoryCredentials({ local: { clientId: 'runner-client', clientSecret: 'wrong-secret-value' } }) });
    const bad = new CollectionRunner({ runner: new RequestRunner({ auth: badAuth }), auth: badAuth });
    const summary = await bad.run({ environment: env, items: items(goLive), variables: { subjectId: 'S' } });
    assert.equal(summary.fatal?.kind, 'token-rejected');
    assert.equal(summary.results.length, 1);
    assert.equal(summary.totals.skipped, 3);
    assert.equal(summary.totals.tokenRequests, 1);
    assert.equal(JSON.stringify(summary).includes('wrong-secret-value'), false);
  });

  it('cancellation stops the run', async () => {
    const controller = new AbortController();
    const summary = await runner.run({ environment: env, items: items(goLive), variables: { subjectId: 'S' }, signal: controller.signal, onResult: () => controller.abort() });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.results.length, 1);
  });

  it('concurrency (nothing captured): several at once, results in list order, one token request', async () => {
    const slow = Array.from({ length: 6 }, (_, i): SavedRequest => ({ id: `s${i}`, name: `Slow ${i}`, method: 'GET', url: `/slow?n=${i}`, auth: 'bearer', expect: [{ kind: 'json', path: '$.n', op: 'equals', value: String(i) }] }));
    const started = performance.now();
    const summary = await runner.run({ environment: env, items: items(slow), concurrency: 6 });
    assert.ok(performance.now() - started < 450, 'six 100 ms answers at once');
    assert.deepEqual(summary.results.map((r) => r.name), slow.map((r) => r.name));
    assert.ok(summary.results.every((r) => r.passed));
    assert.equal(summary.totals.tokenRequests, 1);
    // With a capture in the list the run stays strictly in order (captures need it).
    const ordered = await runner.run({ environment: env, items: items([goLive[0]!, ...slow.slice(0, 3)]), concurrency: 6 });
    assert.deepEqual(ordered.results.map((r) => r.name), ['List sites', 'Slow 0', 'Slow 1', 'Slow 2']);
  });

  it('containsWrites spots POST/PUT/PATCH/DELETE', () => {
    assert.equal(containsWrites(items([goLive[0]!, goLive[3]!])), false);
    assert.equal(containsWrites(items(goLive)), true);
  });
});

describe('maskCaptured (log lines of a run)', () => {
  it('replaces path segments equal to a captured value, raw or encoded, and nothing else', () => {
    const captured = new Map([
      ['1001', 'siteId'],
      ['golive-ab c', 'subjectId'],
    ]);
    assert.equal(
      maskCaptured('Sandbox: PUT /rpi/sites/1001/referrals/subjects/golive-ab%20c → 202 in 1001 ms, /10010', captured),
      'Sandbox: PUT /rpi/sites/{{siteId}}/referrals/subjects/{{subjectId}} → 202 in 1001 ms, /10010',
    );
    assert.equal(maskCaptured('GET /rpi/sites/1001?x=1 → 200', captured), 'GET /rpi/sites/{{siteId}}?x=1 → 200');
  });
});
