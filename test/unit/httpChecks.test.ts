// Checks and captures through .http export/import (httpYac-style comment lines), Postman export (a test script) and the Postman import note.
import * as assert from 'node:assert/strict';
import type { Capture, Check } from '../../src/core/checks';
import { goLiveChecklist } from '../../src/core/goLiveChecklist';
import { httpCheckLines, parseHttpCheckLine } from '../../src/core/httpChecks';
import { parseHttpFile, toHttpFile } from '../../src/core/httpFile';
import { parsePostmanCollection, toPostmanCollection } from '../../src/core/postman';
import { postmanTestScript } from '../../src/core/postmanChecks';
import { allRequests } from '../../src/core/savedRequests';

const checks: Check[] = [
  { kind: 'status', op: 'equals', value: 202 },
  { kind: 'status', op: 'class', value: '2xx' },
  { kind: 'status', op: 'oneOf', value: [200, 202] },
  { kind: 'responseTime', op: 'below', value: 1500 },
  { kind: 'header', path: 'content-type', op: 'matches', value: 'json' },
  { kind: 'header', path: 'location', op: 'exists' },
  { kind: 'header', path: 'x-id', op: 'equals', value: 'abc' },
  { kind: 'json', path: '$.payload.referral[0].subjectId', op: 'equals', value: '{{subjectId}}' },
  { kind: 'json', path: "$['odd key'][1]", op: 'exists' },
  { kind: 'json', path: '$.count', op: 'equals', value: 3 },
  { kind: 'json', path: '$.code', op: 'equals', value: '42' },
  { kind: 'json', path: '$.obj', op: 'equals', value: { a: [1, 'x'] } },
  { kind: 'json', path: '$.id', op: 'matches', value: '^ref-\\d+$' },
  { kind: 'json', path: '$.events', op: 'type', value: 'array' },
  { kind: 'json', path: '$.n', op: 'type', value: 'integer' },
  { kind: 'json', path: '$.events', op: 'length', value: 2 },
  { kind: 'json', path: '$.events[*].id', op: 'length', value: 2 },
  { kind: 'schema', op: 'valid' },
];
const captures: Capture[] = [
  { name: 'referralId', from: 'json', path: '$.id' },
  { name: 'loc', from: 'header', path: 'location' },
  { name: 'code', from: 'status' },
];

describe('checks in .http files', () => {
  it('writes httpYac assertions behind a comment mark, and a StudyTeam line where httpYac has no form', () => {
    const lines = httpCheckLines({ expect: checks, capture: captures });
    assert.ok(lines.every((l) => l.startsWith('# ')));
    assert.ok(lines.includes('# ?? status == 202'));
    assert.ok(lines.includes('# ?? duration < 1500'));
    assert.ok(lines.includes('# ?? header content-type matches json'));
    assert.ok(lines.includes('# ?? js response.parsedBody.payload.referral[0].subjectId == {{subjectId}}'));
    assert.ok(lines.includes('# ?? js response.parsedBody["odd key"][1] exists'));
    assert.ok(lines.includes('# ?? js response.parsedBody.code == "42"'), 'a string that looks like a number stays a string');
    assert.ok(lines.includes('# ?? js response.parsedBody.events.length == 2'));
    assert.ok(lines.includes('# ?? js response.parsedBody.events isArray'));
    assert.ok(lines.includes('# @expect {"kind":"status","op":"class","value":"2xx"}'));
    assert.ok(lines.includes('# @capture referralId = json $.id'));
    assert.ok(lines.includes('# @capture code = status'));
  });

  it('reads every line back to the same checks and captures', () => {
    const back = httpCheckLines({ expect: checks, capture: captures }).map((l) => parseHttpCheckLine(l.slice(1)));
    assert.deepEqual(back.filter((b) => b && 'check' in b).map((b) => (b as { check: Check }).check), checks);
    assert.deepEqual(back.filter((b) => b && 'capture' in b).map((b) => (b as { capture: Capture }).capture), captures);
  });

  it('round-trips the go-live checklist through export and import', () => {
    const folder = goLiveChecklist();
    const text = toHttpFile([folder]);
    assert.match(text, /### Referral is accepted\n# @name [^\n]+\n# @folder Go-live checklist\n# @description [^\n]+\n# \?\? status == 202\n/);
    const imported = parseHttpFile(text, { baseUrl: 'https://staging.api.studyteamapp.com' });
    const before = allRequests([folder]).map((r) => [r.request.expect, r.request.capture]);
    const after = allRequests(imported.items).map((r) => [r.request.expect, r.request.capture]);
    assert.deepEqual(after, before);
    assert.deepEqual(imported.warnings, []);
  });

  it('an assertion StudyTeam cannot read is a warning, not a silent drop', () => {
    const text = '### X\n# ?? js response.parsedBody.items.filter(x => x) exists\n# ?? status >= 200\nGET https://staging.api.studyteamapp.com/rpi/sites\n';
    const imported = parseHttpFile(text);
    assert.equal(imported.warnings.length, 2, imported.warnings.join('\n'));
    assert.match(imported.warnings[1]!, /"\?\? status >= 200" is not an assertion StudyTeam reads/);
  });
});

describe('Postman tests on import', () => {
  it('says that Postman test scripts cannot be converted', () => {
    const result = parsePostmanCollection(
      JSON.stringify({
        info: { name: 'C', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [
          { name: 'With tests', event: [{ listen: 'test', script: { exec: ['pm.test("ok", () => pm.response.to.have.status(200));'] } }], request: { method: 'GET', url: 'https://x.example/a' } },
          { name: 'Empty script', event: [{ listen: 'test', script: { exec: [''] } }], request: { method: 'GET', url: 'https://x.example/b' } },
        ],
      }),
    );
    assert.ok(result.ok);
    if (result.ok) {
      assert.equal(result.warnings.length, 1, result.warnings.join('\n'));
      assert.match(result.warnings[0]!, /"With tests": its Postman tests \(JavaScript\) cannot be converted — add checks/);
    }
  });
});

describe('checks in Postman exports', () => {
  it('become a "test" script: one pm.test per check, captures as pm.variables, valid JavaScript', () => {
    const lines = postmanTestScript(checks, captures);
    assert.equal(lines.length, checks.length + captures.length);
    assert.ok(lines.includes('pm.test("status equals 202", () => { pm.response.to.have.status(202); });'));
    assert.ok(lines.some((l) => l.includes('pm.expect(_.get(json, ["payload","referral",0,"subjectId"])).to.eql(pm.variables.replaceIn("{{subjectId}}"))')));
    assert.ok(lines.some((l) => l.includes('_.get(json, ["odd key",1])')));
    assert.ok(lines.includes('// StudyTeam check not expressible here: json $.events[*].id length 2'));
    assert.ok(lines.includes('// StudyTeam check not expressible here: schema valid'));
    assert.ok(lines.some((l) => l.startsWith('{ const json = pm.response.json(); const v = _.get(json, ["id"]); pm.variables.set("referralId"')));
    // eslint-disable-next-line no-new-func
    assert.doesNotThrow(() => new Function('pm', '_', lines.join('\n')));
  });

  it('the collection item carries the script; importing it back says tests cannot be converted', () => {
    const collection = toPostmanCollection([goLiveChecklist()], { name: 'Go-live', postmanId: 'x' });
    const text = JSON.stringify(collection);
    assert.match(text, /"listen":"test"/);
    const back = parsePostmanCollection(text);
    assert.ok(back.ok);
    if (back.ok) assert.equal(back.warnings.filter((w) => /Postman tests \(JavaScript\) cannot be converted/.test(w)).length, 4);
  });
});
