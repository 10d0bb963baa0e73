// Reports of a run: failures first, redaction (literal secrets, tokens, secret-looking captures), JUnit shape.
import * as assert from 'node:assert/strict';
import type { CollectionItem, RequestRunResult, RunSummary } from '../../src/core/collectionRunner';
import { jsonReport, junitReport, markdownReport, specReport, type ReportContext } from '../../src/core/runReports';

const SECRET = 'cl1ent-s3cret-value';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlMTIz';

function result(extra: Partial<RequestRunResult>): RequestRunResult {
  return { id: 'r', name: 'R', folderPath: ['Go-live'], iteration: 1, method: 'GET', path: '/rpi/sites', status: 200, durationMs: 12.4, passed: true, checks: [], captured: [], ...extra };
}
const items: CollectionItem[] = ['a', 'b', 'c'].map((id) => ({ request: { id, name: id.toUpperCase(), method: 'GET', url: '/x', auth: 'bearer' }, folderPath: ['Go-live'] }));
const summary: RunSummary = {
  environment: { id: 'staging', name: 'Staging', production: false },
  results: [
    result({ id: 'a', name: 'A', captured: [{ name: 'accessToken', value: 'abcdefgh-plain', secret: true }, { name: 'referralId', value: 'ref-1', secret: false }] }),
    result({
      id: 'b',
      name: 'B',
      passed: false,
      status: 400,
      checks: [
        { label: 'status equals 202', passed: false, expected: '202', actual: '400', message: 'status equals 202: expected 202, got 400' },
        { label: 'json $.t exists', passed: true, expected: 'to exist', actual: `"${JWT}"` },
        { label: 'json $.m equals x', path: '$.m', passed: false, expected: '"x"', actual: `"${SECRET}"`, message: `json $.m equals x: expected "x", got "${SECRET}"` },
      ],
    }),
  ],
  totals: { requests: 2, passed: 1, failed: 1, skipped: 1, checksPassed: 1, checksFailed: 2, durationMs: 40, tokenRequests: 1 },
  cancelled: false,
  stoppedBecause: 'stop on failure ("B" failed)',
};
const ctx: ReportContext = { items, iterations: 1, title: 'Go-live', secrets: [SECRET] };

describe('run reports', () => {
  for (const [name, report] of [
    ['spec', specReport],
    ['junit', junitReport],
    ['json', jsonReport],
    ['markdown', markdownReport],
  ] as const) {
    it(`${name}: no literal secret, token or secret-named capture`, () => {
      const text = report(summary, ctx);
      assert.equal(text.includes(SECRET), false);
      assert.equal(text.includes(JWT), false);
      assert.equal(text.includes('abcdefgh-plain'), false);
      assert.match(text, /‹redacted›/);
    });
  }

  it('spec: failures first with every failed check, then passes, captures and totals', () => {
    const text = specReport(summary, ctx);
    assert.ok(text.indexOf('Failures (1)') < text.indexOf('Passed (1)'));
    assert.match(text, /✗ B — GET \/rpi\/sites → 400 \(12 ms\)\n\s+status equals 202: expected 202, got 400\n\s+json \$\.m equals x: expected "x", got "‹redacted›"/);
    assert.match(text, /referralId = ref-1/);
    assert.match(text, /accessToken = ‹redacted›/);
    assert.match(text, /Stopped early: stop on failure/);
    assert.match(text, /requests: 2 \(1 passed, 1 failed, 1 not run\); checks: 1 passed, 2 failed; time: 40 ms; token requests: 1/);
  });

  it('junit: testsuites > testsuite > testcase with failure, skipped for requests not run', () => {
    const xml = junitReport(summary, ctx);
    assert.match(xml, /<testsuites name="StudyTeam: Go-live \(Staging\)" tests="3" failures="1" errors="0" skipped="1" time="0\.040">/);
    assert.match(xml, /<testsuite name="Go-live" tests="3" failures="1" errors="0" skipped="1" time="0\.025">/);
    assert.match(xml, /<testcase classname="Go-live" name="A" time="0\.012"\/>/);
    assert.match(xml, /<testcase classname="Go-live" name="B" time="0\.012">\n\s+<failure message="status equals 202: expected 202, got 400" type="check">GET \/rpi\/sites → 400\nstatus equals 202/);
    assert.match(xml, /<testcase classname="Go-live" name="C" time="0\.000">\n\s+<skipped message="not run: stop on failure \(&quot;B&quot; failed\)"\/>/);
  });

  it('junit: request errors are <error>, XML specials escaped, invalid characters dropped', () => {
    const broken: RunSummary = { ...summary, stoppedBecause: undefined, results: [result({ id: 'a', name: 'A <"&">\u0001', passed: false, error: 'Staging: GET /x failed (connection refused) & more', errorKind: 'network', status: undefined })] };
    const xml = junitReport(broken, { ...ctx, items: [{ ...items[0]!, request: { ...items[0]!.request, name: 'A <"&">\u0001' } }] });
    assert.match(xml, /name="A &lt;&quot;&amp;&quot;&gt;"/);
    assert.match(xml, /<error message="Staging: GET \/x failed \(connection refused\) &amp; more" type="network">/);
    assert.equal(xml.includes('\u0001'), false);
  });
});
