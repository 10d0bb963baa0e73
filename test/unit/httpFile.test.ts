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

  it('reads every request, the file variables and no warnings', () => {
    assert.deepEqual([...byName.keys()], ['listSites', 'createReferral', 'readEvents', 'Microsite sites (no auth!)', 'Update subject status']);
    assert.deepEqual(parsed.variables, { baseUrl: BASE, siteId: '78987437-6a33-40e3-b484-335bbc6dd060' });
    assert.deepEqual(parsed.warnings, []);
  });

  it('maps Authorization: Bearer {{token}} to auth bearer and drops the header', () => {
    assert.deepEqual(byName.get('listSites'), {
      id: 'r1',
      name: 'listSites',
      method: 'GET',
      url: '/rpi/sites',
      auth: 'bearer',
      headers: [{ name: 'Accept', value: 'application/json' }],
    });
  });

  it('keeps path variables, the description and the body', () => {
    const r = byName.get('createReferral')!;
    assert.equal(r.url, '/rpi/sites/{{siteId}}/referrals');
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

  it('makes URLs on the base URL relative; no Authorization → auth none', () => {
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
    assert.match(r.warnings[0], /Skipped "broken": no request line/);
    assert.match(r.warnings[1], /method TRACE is not supported/);
  });
});

describe('httpFile: export and round trip', () => {
  it('round-trips the sample file: export → import gives the same requests, and the export is stable', () => {
    const text = readFileSync(join(FIXTURES, 'studyteam.http'), 'utf8');
    const first = parseHttpFile(text, { baseUrl: BASE, idFactory: counterIds() });
    const exported = toHttpFile(first.items, { baseUrl: BASE, variables: first.variables });
    const second = parseHttpFile(exported, { baseUrl: BASE, idFactory: counterIds() });
    assert.deepEqual(second.items, first.items);
    assert.deepEqual(second.warnings, []);
    assert.equal(toHttpFile(second.items, { baseUrl: BASE, variables: second.variables }), exported);
  });

  it('writes @baseUrl, ### separators, # @name, {{baseUrl}} URLs and a bearer line for bearer requests only', () => {
    const examples: SavedNode[] = [studyTeamExamples(counterIds())];
    const out = toHttpFile(examples, { baseUrl: BASE });
    assert.match(out, /^@baseUrl = https:\/\/staging\.api\.studyteamapp\.com$/m);
    assert.match(out, /^### List sites\n# @name List sites\n# @folder StudyTeam examples\n# @description .*\nGET \{\{baseUrl\}\}\/rpi\/sites\nAuthorization: Bearer \{\{token\}\}$/m);
    assert.match(out, /GET \{\{baseUrl\}\}\/rpi\/events\?eventTypes=v1\.patient\.created,v1\.patient\.referralAcknowledged&since=2024-01-01T00:00:00Z&limit=50/);
    const microsite = out.slice(out.indexOf('### Microsite sites'));
    assert.ok(!/Authorization/i.test(microsite.split('\n').filter((l) => !l.startsWith('#')).join('\n')));
    // Folders survive the round trip through # @folder.
    const back = parseHttpFile(out, { baseUrl: BASE, idFactory: counterIds() });
    assert.deepEqual(withoutIds(back.items), withoutIds(examples));
  });
});
