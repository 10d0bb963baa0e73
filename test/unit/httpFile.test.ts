// .http / .rest import and export, with a round trip on a real REST Client style sample file.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHttpFile, toHttpFile } from '../../src/core/httpFile';
import { allRequests, toSavedRequest } from '../../src/core/savedRequests';
import type { SavedNode } from '../../src/core/savedRequests';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';

const FIXTURES = join(process.cwd(), 'test/fixtures/import');
const BASE = 'https://staging.api.studyteamapp.com';

function counterIds(): (kind: 'request' | 'folder') => string {
  let n = 0;
  return (kind) => `${kind === 'folder' ? 'f' : 'r'}${++n}`;
}

function withoutIds(nodes: readonly SavedNode[]): unknown {
  return JSON.parse(JSON.stringify(nodes, (key, value: unknown) => (key === 'id' ? undefined : value)));
}

describe('httpFile: import', () => {
  const text = readFileSync(join(FIXTURES, 'studyteam.http'), 'utf8');
  const parsed = parseHttpFile(text, { baseUrl: BASE, idFactory: counterIds() });
  const byName = new Map(allRequests(parsed.items).map(({ request }) => [request.name, toSavedRequest(request)]));

  it('reads every request (### text is the name, # @name only a fallback), the file variables and no warnings', () => {
    assert.deepEqual([...byName.keys()], ['List sites', 'Create referral', 'readEvents', 'Microsite sites (no auth!)', 'Update subject status']);
    assert.deepEqual(parsed.variables, { baseUrl: BASE, siteId: '78987437-6a33-40e3-b484-335bbc6dd060' });
    assert.deepEqual(parsed.warnings, []);
  });

  it('maps Authorization: Bearer {{token}} to auth bearer and drops the header', () => {
    assert.deepEqual(byName.get('List sites'), {
      id: 'r1',
      name: 'List sites',
      method: 'GET',
      url: '/rpi/sites',
      auth: 'bearer',
      headers: [{ name: 'Accept', value: 'application/json' }],
    });
  });

  it('resolves file variables at import, keeps the description and the body', () => {
    const r = byName.get('Create referral')!;
    assert.equal(r.url, '/rpi/sites/78987437-6a33-40e3-b484-335bbc6dd060/referrals');
    assert.equal(r.description, 'Sends a made-up test patient to a site.');
    assert.deepEqual(r.headers, [{ name: 'Content-Type', value: 'application/json' }]);
    assert.deepEqual(JSON.parse(r.body!), { subjectId: 'sub-1001', name: [{ given: ['Jane'], family: 'Testpatient' }], birthDate: '1980-04-12' });
  });

  it('reads multi-line queries, // @name and commented-out headers (disabled)', () => {
    const r = byName.get('readEvents')!;
    assert.equal(r.url, '/rpi/events');
    assert.deepEqual(r.query, [
      { name: 'eventTypes', value: 'v1.patient.created' },
      { name: 'since', value: '2024-01-01T00:00:00Z' },
      { name: 'limit', value: '50' },
    ]);
    assert.deepEqual(r.headers, [{ name: 'X-Debug', value: '1', enabled: false }]);
  });

  it('makes URLs on the base URL relative; the microsites call has auth none', () => {
    const r = byName.get('Microsite sites (no auth!)')!;
    assert.equal(r.url, '/microsites-api/v1/1682c0a1-6c64-4453-aa10-f6bdf73d6f69/sites/d27b1d88-90d2-43c5-b295-15f2207cb81f');
    assert.equal(r.auth, 'none');
    assert.deepEqual(r.headers, [{ name: 'Origin', value: 'https://example.com' }]);
  });

  it('drops literal tokens with a warning that does not repeat them', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3NpZ25hdHVyZQ';
    const r = parseHttpFile(`GET https://h.example/x\nAuthorization: Bearer ${token}\nX-Token: ${token}\n`);
    const req = allRequests(r.items)[0].request;
    assert.equal(req.auth, 'bearer');
    assert.equal(req.headers, undefined);
    assert.equal(r.warnings.length, 2);
    assert.ok(!r.warnings.join('\n').includes(token));
  });

  it('skips blocks without a request line or with an unsupported method, naming them', () => {
    const r = parseHttpFile('### Broken\n# @name broken\nthis is not a request\n\n### Trace\nTRACE https://h.example/\n\n### ok\nGET /fine\n');
    assert.deepEqual(allRequests(r.items).map((x) => x.request.name), ['ok']);
    assert.match(r.warnings[0], /Skipped "Broken": no request line/);
    assert.match(r.warnings[1], /method TRACE is not supported/);
  });
});

describe('httpFile: import of an ordinary REST Client file (runs against the active environment)', () => {
  const text = readFileSync(join(FIXTURES, 'restclient-events.http'), 'utf8');
  const SANDBOX = 'http://127.0.0.1:4010';
  const parsed = parseHttpFile(text, { baseUrl: SANDBOX, environmentName: 'Sandbox (local)', idFactory: counterIds() });
  const requests = allRequests(parsed.items).map(({ request }) => toSavedRequest(request));
  const byName = new Map(requests.map((r) => [r.name, r]));

  it('names requests after their ### line', () => {
    assert.deepEqual([...byName.keys()], ['List sites', 'Create referral', 'Read events', 'Study website sites']);
  });

  it('keeps every file variable: resolved into the requests, {{host}} as the API address (relative URLs)', () => {
    assert.deepEqual(requests.map((r) => r.url), ['/rpi/sites', '/rpi/sites/1001/referrals', '/rpi/events', '/microsites-api/v1/hfo3-study/sites/TR-1001']);
    assert.deepEqual(byName.get('List sites')!.headers, [{ name: 'Accept', value: 'application/json' }]);
    assert.deepEqual(byName.get('Read events')!.query, [
      { name: 'eventTypes', value: 'v1.patient.created' },
      { name: 'since', value: '2024-01-01T00:00:00.000Z' },
      { name: 'limit', value: '10' },
    ]);
    const body = byName.get('Create referral')!.body!;
    assert.match(body, /"id": "TR-1001"/);
    assert.ok(!/\{\{(trialId|siteId|json|host)\}\}/.test(JSON.stringify(requests)), 'no file variable left unresolved');
  });

  it('uses the environment token for API calls without an Authorization header, never for the microsites call', () => {
    assert.deepEqual(requests.map((r) => r.auth), ['bearer', 'bearer', 'bearer', 'none']);
    assert.ok(!(byName.get('Study website sites')!.headers ?? []).some((h) => /authorization/i.test(h.name)));
  });

  it('keeps system variables for send time', () => {
    const r = byName.get('Create referral')!;
    assert.deepEqual(r.headers, [{ name: 'Content-Type', value: 'application/json' }, { name: 'X-Request-Id', value: '{{$guid}}' }]);
    assert.match(r.body!, /"subjectId": "rc-\{\{\$randomInt 1 1000\}\}"/);
    assert.match(r.body!, /"subjectCreatedAt": "\{\{\$datetime iso8601\}\}"/);
  });

  it('lists every change it made, and what it left out', () => {
    assert.deepEqual(parsed.changes, [
      'Set to use Sandbox (local)\'s token (auth bearer), as every StudyTeam API call needs one, though the file had no Authorization header: "List sites", "Create referral".',
      'Kept {{$guid}} (a new value each time the request is sent).',
      'Kept {{$randomInt 1 1000}} (a new value each time the request is sent).',
      'Kept {{$datetime iso8601}} (a new value each time the request is sent).',
      'File variables resolved into the requests at import (a saved folder has no variables of its own): @json, @siteId, @trialId, @since, @micrositeId.',
      '@host (https://staging.api.studyteamapp.com) is the API\'s address: URLs on it became relative, so they run against the active environment.',
    ]);
    assert.deepEqual(parsed.warnings, ['Not imported: @token (looks like a secret; saved requests never hold one — bearer requests use the environment\'s token).']);
  });

  const changeCases: Array<[string, string, RegExp, (r: ReturnType<typeof toSavedRequest>) => void]> = [
    [
      '{{$processEnv NAME}} is refused and becomes {{NAME}}',
      'GET /rpi/sites/{{$processEnv %SITE_ID}}',
      /\{\{\$processEnv SITE_ID\}\} is refused .* it became \{\{SITE_ID\}\}/,
      (r) => assert.equal(r.url, '/rpi/sites/{{SITE_ID}}'),
    ],
    [
      'chained response variables become ordinary variables',
      'GET /rpi/sites/{{listSites.response.body.$[0].id}}',
      /refers to another request's response .* became \{\{listSites_id\}\}/,
      (r) => assert.equal(r.url, '/rpi/sites/{{listSites_id}}'),
    ],
    ['unsupported system variables are reported', 'GET /x\nX-A: {{$aadToken}}', /\{\{\$aadToken\}\} is not supported/, (r) => assert.equal(r.headers![0].value, '{{$aadToken}}')],
    ['{{host}} outside the URL becomes {{baseUrl}}', '@host = https://api.studyteamapp.com\nGET {{host}}/x\nOrigin: {{host}}', /\{\{host\}\} became \{\{baseUrl\}\}/, (r) => assert.equal(r.headers![0].value, '{{baseUrl}}')],
    ['a base URL with a path prefix keeps it', '@baseUrl = https://staging.api.studyteamapp.com/rpi\nGET {{baseUrl}}/sites', /is the API's address/, (r) => assert.equal(r.url, '/rpi/sites')],
    ['# @prompt is asked at send time', '# @prompt siteId Which site?\nGET /rpi/sites/{{siteId}}', /@prompt siteId Which site\?: you are asked for \{\{siteId\}\}/, (r) => assert.equal(r.auth, 'bearer')],
    ['variables that use variables', '@a = https://api.studyteamapp.com\n@b = {{a}}/rpi\n@c = {{d}}\n@d = {{c}}\nGET {{b}}/sites?x={{c}}', /@c refers to itself/, (r) => assert.deepEqual([r.url, r.query], ['/rpi/sites', [{ name: 'x', value: '{{c}}' }]])],
    ['# @auth none is honoured', '# @auth none\nGET /rpi/sites', /^$/, (r) => assert.equal(r.auth, 'none')],
    ['other hosts keep their URL and auth', 'GET https://example.com/x', /^$/, (r) => assert.deepEqual([r.url, r.auth], ['https://example.com/x', 'none'])],
  ];
  for (const [title, source, change, check] of changeCases) {
    it(title, () => {
      const r = parseHttpFile(source, { baseUrl: SANDBOX, idFactory: counterIds() });
      const req = toSavedRequest(allRequests(r.items)[0].request);
      check(req);
      if (change.source === '^$') return;
      assert.ok(r.changes.some((c) => change.test(c)), `a change matching ${change}; got ${JSON.stringify(r.changes)}`);
    });
  }
});

describe('httpFile: export and round trip', () => {
  it('round-trips the sample file: export → import gives the same requests, and the export is stable', () => {
    const text = readFileSync(join(FIXTURES, 'studyteam.http'), 'utf8');
    const first = parseHttpFile(text, { baseUrl: BASE, idFactory: counterIds() });
    const exported = toHttpFile(first.items, { baseUrl: BASE });
    const second = parseHttpFile(exported, { baseUrl: BASE, idFactory: counterIds() });
    assert.deepEqual(second.items, first.items);
    assert.deepEqual(second.warnings, []);
    assert.equal(toHttpFile(second.items, { baseUrl: BASE }), exported);
  });

  it('writes @baseUrl, ### separators, # @name, {{baseUrl}} URLs and a bearer line for bearer requests only', () => {
    const examples: SavedNode[] = [studyTeamExamples(counterIds())];
    const out = toHttpFile(examples, { baseUrl: BASE });
    assert.match(out, /^@baseUrl = https:\/\/staging\.api\.studyteamapp\.com$/m);
    assert.match(out, /^### List sites\n# @name listSites\n# @folder StudyTeam examples\n# @description .*\nGET \{\{baseUrl\}\}\/rpi\/sites\nAuthorization: Bearer \{\{token\}\}$/m);
    assert.match(out, /GET \{\{baseUrl\}\}\/rpi\/events\?eventTypes=v1\.patient\.created,v1\.patient\.referralAcknowledged&since=2024-01-01T00:00:00\.000Z&limit=50&trialIds=\{\{trialId\}\}/);
    const microsite = out.slice(out.indexOf('### Microsite sites'));
    assert.ok(!/Authorization/i.test(microsite.split('\n').filter((l) => !l.startsWith('#')).join('\n')));
    // Folders survive the round trip through # @folder.
    const back = parseHttpFile(out, { baseUrl: BASE, idFactory: counterIds() });
    assert.deepEqual(withoutIds(back.items), withoutIds(examples));
  });
});
