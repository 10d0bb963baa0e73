// Postman v2.1 import/export with a round trip on a real sample collection.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePostmanCollection, POSTMAN_SCHEMA_V21, toPostmanCollection, toPostmanEnvironment } from '../../src/core/postman';
import { allRequests, toSavedRequest } from '../../src/core/savedRequests';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';

const FIXTURES = join(process.cwd(), 'test/fixtures/import');
const BASE = 'https://staging.api.studyteamapp.com';

function counterIds(): (kind: 'request' | 'folder') => string {
  let n = 0;
  return (kind) => `${kind === 'folder' ? 'f' : 'r'}${++n}`;
}

describe('postman: import', () => {
  const text = readFileSync(join(FIXTURES, 'studyteam.postman_collection.json'), 'utf8');
  const r = parsePostmanCollection(text, { baseUrl: BASE, idFactory: counterIds() });
  if (!r.ok) throw new Error(r.error);
  const byName = new Map(allRequests(r.items).map(({ request, folderPath }) => [request.name, { request: toSavedRequest(request), folderPath }]));

  it('keeps folders, the collection name and non-secret variables', () => {
    assert.equal(r.name, 'StudyTeam RPI');
    assert.deepEqual(r.items.map((n) => [n.kind, n.name]), [['folder', 'Sites'], ['folder', 'Events'], ['request', 'Microsite sites']]);
    assert.deepEqual(byName.get('Create referral')?.folderPath, ['Sites']);
    assert.deepEqual(r.variables, { baseUrl: BASE });
    assert.deepEqual(r.warnings, []);
  });

  it('collection bearer auth is inherited; disabled headers are kept disabled', () => {
    assert.deepEqual(byName.get('List sites')?.request, {
      id: 'r2',
      name: 'List sites',
      method: 'GET',
      url: '/rpi/sites',
      auth: 'bearer',
      headers: [{ name: 'Accept', value: 'application/json' }, { name: 'X-Trace', value: 'on', enabled: false }],
    });
  });

  it(':path params become {{variables}}; raw body and description are kept', () => {
    const req = byName.get('Create referral')!.request;
    assert.equal(req.url, '/rpi/sites/{{siteId}}/referrals');
    assert.equal(req.body, '{\n  "subjectId": "sub-1001",\n  "birthDate": "1980-04-12"\n}');
    assert.equal(req.description, 'Sends a made-up test patient.');
    assert.deepEqual(req.headers, [{ name: 'Content-Type', value: 'application/json' }]);
  });

  it('query rows come from url.query (disabled kept)', () => {
    assert.deepEqual(byName.get('Read events')!.request.query, [
      { name: 'eventTypes', value: 'v1.patient.created' },
      { name: 'since', value: '2024-01-01T00:00:00Z' },
      { name: 'limit', value: '50' },
      { name: 'trialIds', value: '', enabled: false },
    ]);
  });

  it('noauth → none, and a literal host on the base URL becomes a path', () => {
    const req = byName.get('Microsite sites')!.request;
    assert.equal(req.auth, 'none');
    assert.equal(req.url, '/microsites-api/v1/{{micrositeId}}/sites/{{trialId}}');
  });

  it('drops literal tokens (request auth, headers, variables) with warnings that do not repeat them', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3NpZ25hdHVyZQ';
    const collection = {
      info: { name: 'x', schema: POSTMAN_SCHEMA_V21 },
      variable: [{ key: 'accessToken', value: token }],
      item: [
        {
          name: 'one',
          request: {
            method: 'GET',
            auth: { type: 'bearer', bearer: [{ key: 'token', value: token }] },
            header: [{ key: 'Authorization', value: `Bearer ${token}` }, { key: 'Cookie', value: 'sid=1' }],
            url: 'https://other.example/x?limit=1',
          },
        },
        { name: 'two', request: { method: 'GET', auth: { type: 'basic' }, url: '{{baseUrl}}/y' } },
      ],
    };
    const out = parsePostmanCollection(collection);
    assert.ok(out.ok);
    if (!out.ok) return;
    const [one, two] = allRequests(out.items).map((x) => toSavedRequest(x.request));
    assert.deepEqual([one.auth, one.url, one.headers, one.query], ['bearer', 'https://other.example/x', undefined, [{ name: 'limit', value: '1' }]]);
    assert.deepEqual([two.auth, two.url], ['none', '/y']);
    assert.deepEqual(out.variables, {});
    assert.equal(out.warnings.length, 4);
    assert.ok(!out.warnings.join('\n').includes(token));
    assert.ok(!JSON.stringify(out.items).includes(token));
  });

  const errors: Array<{ input: unknown; error: RegExp }> = [
    { input: '{nope', error: /not valid JSON/ },
    { input: { item: [] }, error: /not a Postman collection/ },
    { input: { info: { schema: 'https://schema.getpostman.com/json/collection/v1.0.0/collection.json' }, item: [] }, error: /v2\.0\/v2\.1/ },
  ];
  for (const c of errors) {
    it(`error: ${c.error.source}`, () => {
      const out = parsePostmanCollection(c.input);
      assert.equal(out.ok, false);
      if (!out.ok) assert.match(out.error, c.error);
    });
  }
});

describe('postman: export and round trip', () => {
  it('round-trips the sample collection: import → export → import gives the same requests', () => {
    const text = readFileSync(join(FIXTURES, 'studyteam.postman_collection.json'), 'utf8');
    const first = parsePostmanCollection(text, { baseUrl: BASE, idFactory: counterIds() });
    assert.ok(first.ok);
    if (!first.ok) return;
    const exported = toPostmanCollection(first.items, { name: first.name, baseUrl: BASE, postmanId: 'fixed' });
    const second = parsePostmanCollection(JSON.stringify(exported, null, 2), { baseUrl: BASE, idFactory: counterIds() });
    assert.ok(second.ok);
    if (!second.ok) return;
    assert.deepEqual(second.items, first.items);
    assert.deepEqual(second.variables, { baseUrl: BASE });
  });

  it('writes v2.1 with {{baseUrl}} URLs, collection bearer {{token}} and noauth where auth is none', () => {
    const out = toPostmanCollection([studyTeamExamples(counterIds())], { name: 'StudyTeam', baseUrl: BASE, postmanId: 'fixed' }) as {
      info: { schema: string };
      auth: { type: string; bearer: Array<{ value: string }> };
      item: Array<{ item: Array<{ name: string; request: { auth?: { type: string }; url: { raw: string; host: string[]; path: string[] } } }> }>;
      variable: Array<{ key: string; value: string }>;
    };
    assert.equal(out.info.schema, POSTMAN_SCHEMA_V21);
    assert.deepEqual(out.auth.type, 'bearer');
    assert.equal(out.auth.bearer[0].value, '{{token}}');
    const [list, , , , events, microsite] = out.item[0].item;
    assert.equal(list.request.url.raw, '{{baseUrl}}/rpi/sites');
    assert.deepEqual(list.request.url.host, ['{{baseUrl}}']);
    assert.deepEqual(list.request.url.path, ['rpi', 'sites']);
    assert.equal(list.request.auth, undefined);
    assert.match(events.request.url.raw, /^\{\{baseUrl\}\}\/rpi\/events\?eventTypes=/);
    assert.deepEqual(microsite.request.auth, { type: 'noauth' });
    assert.deepEqual(out.variable.map((v) => v.key), ['baseUrl', 'token']);
    assert.equal(out.variable[1].value, '');
    const back = parsePostmanCollection(out, { baseUrl: BASE, idFactory: counterIds() });
    assert.ok(back.ok);
    if (back.ok) assert.deepEqual(back.items, [studyTeamExamples(counterIds())]);
  });
});

describe('postman: environment file', () => {
  it('carries baseUrl, the non-secret variables and an empty secret token', () => {
    const out = toPostmanEnvironment({
      name: 'Staging',
      baseUrl: BASE,
      variables: { siteId: '1001', trialId: 'TR-1001', apiToken: 'abc', other: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', baseUrl: 'https://evil.example' },
      postmanId: 'fixed',
      exportedAt: '2026-01-01T00:00:00.000Z',
    });
    assert.deepEqual(out, {
      id: 'fixed',
      name: 'Staging',
      values: [
        { key: 'baseUrl', value: BASE, type: 'default', enabled: true },
        { key: 'siteId', value: '1001', type: 'default', enabled: true },
        { key: 'trialId', value: 'TR-1001', type: 'default', enabled: true },
        { key: 'token', value: '', type: 'secret', enabled: true },
      ],
      _postman_variable_scope: 'environment',
      _postman_exported_at: '2026-01-01T00:00:00.000Z',
      _postman_exported_using: 'StudyTeam for VS Code',
    });
  });

  it('the collection has no baseUrl value when none is given (a temporary sandbox URL stays out of it)', () => {
    const out = toPostmanCollection([studyTeamExamples(counterIds())], { name: 'StudyTeam', postmanId: 'fixed' }) as { variable: Array<{ key: string }> };
    assert.deepEqual(out.variable.map((v) => v.key), ['token']);
    assert.ok(!JSON.stringify(out).includes('127.0.0.1'));
  });
});

