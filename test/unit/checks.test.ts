// Checks and captures: validation (in requests.json, versions 1 and 2), every kind and operator, captures.
import * as assert from 'node:assert/strict';
import { evaluateCaptures, evaluateChecks, displayCaptured, type CheckedResponse, type EvaluationContext } from '../../src/core/checkEvaluation';
import type { Check } from '../../src/core/checks';
import { type SavedCollection } from '../../src/core/savedRequests';
import { parseCollection, serializeCollection, validateCollection } from '../../src/core/savedRequestsFile';
import { upsertRequest } from '../../src/core/collectionEdits';
import { goLiveChecklist } from '../../src/core/goLiveChecklist';
import { REDACTED } from '../../src/core/redaction';

function response(body: unknown, extra: Partial<CheckedResponse> = {}): CheckedResponse {
  return {
    status: 202,
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['x-request-id', 'abc-123'],
      ['set-cookie', 'session=verysecretcookie'],
    ],
    text: typeof body === 'string' ? body : JSON.stringify(body),
    timings: { totalMs: 120 },
    ...extra,
  };
}
const ctx: EvaluationContext = { variables: { subjectId: 'S-1' }, request: { method: 'POST', url: 'http://127.0.0.1/rpi/sites/1/referrals' } };
const BODY = { id: 'ref-9', payload: { referral: [{ subjectId: 'S-1', tags: ['a', 'b'], age: 42, ratio: 0.5, ok: true, none: null }] } };

function one(check: Check, res: CheckedResponse = response(BODY), context: EvaluationContext = ctx) {
  const [result] = evaluateChecks([check], res, context);
  return result!;
}

describe('checks: evaluation', () => {
  const table: Array<[string, Check, boolean]> = [
    ['status equals (pass)', { kind: 'status', op: 'equals', value: 202 }, true],
    ['status equals (fail)', { kind: 'status', op: 'equals', value: 200 }, false],
    ['status oneOf (pass)', { kind: 'status', op: 'oneOf', value: [200, 202] }, true],
    ['status oneOf (fail)', { kind: 'status', op: 'oneOf', value: [200, 201] }, false],
    ['status class (pass)', { kind: 'status', op: 'class', value: '2xx' }, true],
    ['status class (fail)', { kind: 'status', op: 'class', value: '4xx' }, false],
    ['responseTime below (pass)', { kind: 'responseTime', op: 'below', value: 500 }, true],
    ['responseTime below (fail)', { kind: 'responseTime', op: 'below', value: 100 }, false],
    ['header exists (pass, any case)', { kind: 'header', path: 'X-Request-Id', op: 'exists' }, true],
    ['header exists (fail)', { kind: 'header', path: 'location', op: 'exists' }, false],
    ['header equals (pass)', { kind: 'header', path: 'x-request-id', op: 'equals', value: 'abc-123' }, true],
    ['header equals (fail)', { kind: 'header', path: 'x-request-id', op: 'equals', value: 'abc' }, false],
    ['header matches (pass)', { kind: 'header', path: 'content-type', op: 'matches', value: '^application/json' }, true],
    ['header matches (fail)', { kind: 'header', path: 'content-type', op: 'matches', value: 'xml' }, false],
    ['json exists (pass)', { kind: 'json', path: '$.id', op: 'exists' }, true],
    ['json exists null (pass)', { kind: 'json', path: '$.payload.referral[0].none', op: 'exists' }, true],
    ['json exists (fail)', { kind: 'json', path: '$.nope', op: 'exists' }, false],
    ['json equals string (pass)', { kind: 'json', path: '$.payload.referral[0].subjectId', op: 'equals', value: 'S-1' }, true],
    ['json equals variable (pass)', { kind: 'json', path: '$.payload.referral[0].subjectId', op: 'equals', value: '{{subjectId}}' }, true],
    ['json equals number (pass)', { kind: 'json', path: '$.payload.referral[0].age', op: 'equals', value: 42 }, true],
    ['json equals "42" is not 42', { kind: 'json', path: '$.payload.referral[0].age', op: 'equals', value: '42' }, false],
    ['json equals deep (pass)', { kind: 'json', path: '$.payload.referral[0].tags', op: 'equals', value: ['a', 'b'] }, true],
    ['json equals deep order (fail)', { kind: 'json', path: '$.payload.referral[0].tags', op: 'equals', value: ['b', 'a'] }, false],
    ['json equals wildcard list (pass)', { kind: 'json', path: '$.payload.referral[*].subjectId', op: 'equals', value: ['S-1'] }, true],
    ['json matches (pass)', { kind: 'json', path: '$.id', op: 'matches', value: '^ref-\\d+$' }, true],
    ['json matches number as text (pass)', { kind: 'json', path: '$.payload.referral[0].age', op: 'matches', value: '^4' }, true],
    ['json matches (fail)', { kind: 'json', path: '$.id', op: 'matches', value: '^x' }, false],
    ['json type string', { kind: 'json', path: '$.id', op: 'type', value: 'string' }, true],
    ['json type integer', { kind: 'json', path: '$.payload.referral[0].age', op: 'type', value: 'integer' }, true],
    ['json type number takes integers', { kind: 'json', path: '$.payload.referral[0].age', op: 'type', value: 'number' }, true],
    ['json type integer refuses 0.5', { kind: 'json', path: '$.payload.referral[0].ratio', op: 'type', value: 'integer' }, false],
    ['json type boolean', { kind: 'json', path: '$.payload.referral[0].ok', op: 'type', value: 'boolean' }, true],
    ['json type null', { kind: 'json', path: '$.payload.referral[0].none', op: 'type', value: 'null' }, true],
    ['json type array', { kind: 'json', path: '$.payload.referral', op: 'type', value: 'array' }, true],
    ['json type object', { kind: 'json', path: '$.payload', op: 'type', value: 'object' }, true],
    ['json type (fail)', { kind: 'json', path: '$.payload', op: 'type', value: 'array' }, false],
    ['json length array', { kind: 'json', path: '$.payload.referral[0].tags', op: 'length', value: 2 }, true],
    ['json length string', { kind: 'json', path: '$.id', op: 'length', value: 5 }, true],
    ['json length object', { kind: 'json', path: '$.payload', op: 'length', value: 1 }, true],
    ['json length (fail)', { kind: 'json', path: '$.payload.referral', op: 'length', value: 0 }, false],
    ['json length of a number (fail)', { kind: 'json', path: '$.payload.referral[0].age', op: 'length', value: 2 }, false],
  ];
  for (const [name, check, passed] of table) {
    it(name, () => {
      const result = one(check);
      assert.equal(result.passed, passed, JSON.stringify(result));
      if (!passed) {
        assert.ok(result.message && result.message.includes('expected'), result.message);
        assert.ok(result.expected.length > 0 && result.actual.length > 0);
      }
    });
  }

  it('reports expected and actual, with the path', () => {
    const result = one({ kind: 'json', path: '$.payload.referral[0].subjectId', op: 'equals', value: 'S-2' });
    assert.equal(result.path, '$.payload.referral[0].subjectId');
    assert.equal(result.expected, '"S-2"');
    assert.equal(result.actual, '"S-1"');
    assert.equal(result.message, 'json $.payload.referral[0].subjectId equals S-2: expected "S-2", got "S-1"');
  });

  it('a request without checks passes on 2xx and fails otherwise', () => {
    assert.equal(evaluateChecks(undefined, response(BODY), ctx)[0]!.passed, true);
    assert.equal(evaluateChecks([], response(BODY, { status: 204 }), ctx)[0]!.passed, true);
    const failed = evaluateChecks(undefined, response(BODY, { status: 404 }), ctx);
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.passed, false);
    assert.match(failed[0]!.message!, /status class 2xx: expected 2xx, got 404/);
  });

  it('json checks on a non-JSON, empty or truncated body fail with the reason', () => {
    const check: Check = { kind: 'json', path: '$.id', op: 'exists' };
    assert.match(one(check, response('<html>oops</html>')).message!, /not JSON/);
    assert.match(one(check, response('')).message!, /empty/);
    assert.match(one(check, response(BODY, { truncated: true })).message!, /truncated/);
  });

  it('actual values are redacted and shortened; secret-looking headers are masked', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const long = 'x'.repeat(1000);
    assert.equal(one({ kind: 'json', path: '$.t', op: 'equals', value: 'y' }, response({ t: token })).actual.includes(token), false);
    assert.ok(one({ kind: 'json', path: '$.t', op: 'equals', value: 'y' }, response({ t: long })).actual.length <= 200);
    const cookie = one({ kind: 'header', path: 'set-cookie', op: 'equals', value: 'nope' });
    assert.equal(cookie.actual, REDACTED);
  });

  it('schema: no validator → a clear "no schema for this request" failure; with one → its verdict on the sent body', () => {
    const check: Check = { kind: 'schema', op: 'valid' };
    assert.match(one(check).message!, /no schema for this request \(POST \/rpi\/sites\/1\/referrals\)/);
    const schema: EvaluationContext['schema'] = (req) => ({ known: true, errors: req.body === '{"ok":true}' ? [] : ['referral[0].name: Required'] });
    assert.equal(one(check, response(BODY), { ...ctx, schema, request: { ...ctx.request, body: '{"ok":true}' } }).passed, true);
    const bad = one(check, response(BODY), { ...ctx, schema, request: { ...ctx.request, body: '{}' } });
    assert.equal(bad.passed, false);
    assert.match(bad.actual, /referral\[0\]\.name: Required/);
  });
});

describe('checks: captures', () => {
  it('captures from JSON, headers and the status; a miss is a failure', () => {
    const { values, failures } = evaluateCaptures(
      [
        { name: 'referralId', from: 'json', path: '$.id' },
        { name: 'tags', from: 'json', path: '$.payload.referral[0].tags' },
        { name: 'age', from: 'json', path: '$.payload.referral[0].age' },
        { name: 'requestId', from: 'header', path: 'X-Request-Id' },
        { name: 'code', from: 'status' },
        { name: 'missing', from: 'json', path: '$.nope' },
        { name: 'nullish', from: 'json', path: '$.payload.referral[0].none' },
        { name: 'loc', from: 'header', path: 'location' },
      ],
      response(BODY),
    );
    assert.deepEqual(
      values.map((v) => [v.name, v.value]),
      [
        ['referralId', 'ref-9'],
        ['tags', '["a","b"]'],
        ['age', '42'],
        ['requestId', 'abc-123'],
        ['code', '202'],
      ],
    );
    assert.deepEqual(failures.map((f) => f.label), ['capture missing ← json $.nope', 'capture nullish ← json $.payload.referral[0].none', 'capture loc ← header location']);
  });

  it('values with secret-looking names are masked when shown', () => {
    const { values } = evaluateCaptures([{ name: 'accessToken', from: 'json', path: '$.id' }, { name: 'referralId', from: 'json', path: '$.id' }], response(BODY));
    assert.equal(displayCaptured(values[0]!), REDACTED);
    assert.equal(displayCaptured(values[1]!), 'ref-9');
  });
});

describe('checks: in requests.json', () => {
  const request = (extra: Record<string, unknown>) => ({ kind: 'request', id: 'r', name: 'Create referral', method: 'POST', url: '/x', auth: 'bearer', ...extra });

  it('version 2 round-trips checks and captures in a fixed key order', () => {
    const raw = {
      version: 2,
      items: [
        request({
          capture: [{ path: '$.id', from: 'json', name: 'referralId' }, { from: 'status', name: 'code' }],
          expect: [{ value: 202, op: 'equals', kind: 'status' }, { op: 'exists', path: '$.id', kind: 'json' }, { kind: 'schema' }],
        }),
      ],
    };
    const parsed = validateCollection(raw);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
    const text = serializeCollection(parsed.value);
    assert.match(text, /"kind": "status",\n\s+"op": "equals",\n\s+"value": 202/);
    assert.match(text, /"name": "referralId",\n\s+"from": "json",\n\s+"path": "\$.id"/);
    assert.match(text, /"kind": "schema",\n\s+"op": "valid"/);
    const again = parseCollection(text);
    assert.ok(again.ok);
    assert.equal(serializeCollection(again.value), text);
  });

  it('a version 1 file loads and is written as version 3', () => {
    const parsed = parseCollection(JSON.stringify({ version: 1, items: [request({})] }));
    assert.ok(parsed.ok);
    assert.match(serializeCollection(parsed.value), /^\{\n  "version": 3,/);
  });

  it('expect in a version 1 file asks for version 2', () => {
    const parsed = validateCollection({ version: 1, items: [request({ expect: [] })] });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.errors.join('\n'), /"expect" needs "version": 2/);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['unknown kind', { kind: 'body', op: 'equals', value: 1 }, /"kind" must be one of status, responseTime, header, json, schema \(got "body"\)/],
    ['wrong op for the kind', { kind: 'status', op: 'matches', value: '2' }, /"op" of a status check must be one of equals, oneOf, class/],
    ['status out of range', { kind: 'status', op: 'equals', value: 99 }, /status code 100–599/],
    ['status class', { kind: 'status', op: 'class', value: '2XX' }, /status class like "2xx"/],
    ['empty oneOf', { kind: 'status', op: 'oneOf', value: [] }, /non-empty list/],
    ['time not positive', { kind: 'responseTime', op: 'below', value: 0 }, /milliseconds above 0/],
    ['bad regex', { kind: 'json', path: '$.id', op: 'matches', value: '(' }, /not a valid regular expression/],
    ['bad JSONPath', { kind: 'json', path: '$..id', op: 'exists' }, /JSONPath "\$\.\.id": recursive descent/],
    ['header without path', { kind: 'header', op: 'exists' }, /"path" must be a header name/],
    ['bad header name', { kind: 'header', path: 'a b', op: 'exists' }, /not a valid header name/],
    ['exists with a value', { kind: 'json', path: '$.id', op: 'exists', value: true }, /"exists" takes no "value"/],
    ['equals without value', { kind: 'json', path: '$.id', op: 'equals' }, /"equals" needs a "value"/],
    ['unknown type', { kind: 'json', path: '$.id', op: 'type', value: 'date' }, /must be one of string, number/],
    ['negative length', { kind: 'json', path: '$.id', op: 'length', value: -1 }, /whole number/],
    ['path on status', { kind: 'status', path: '$.x', op: 'equals', value: 200 }, /a status check has no "path"/],
    ['unknown property', { kind: 'status', op: 'equals', value: 200, extra: 1 }, /unknown property "extra"/],
  ];
  for (const [name, check, message] of invalid) {
    it(`refuses a check: ${name} (the message names the item and row)`, () => {
      const parsed = validateCollection({ version: 2, items: [request({ expect: [{ kind: 'status', op: 'equals', value: 200 }, check] })] });
      assert.equal(parsed.ok, false);
      if (!parsed.ok) {
        assert.match(parsed.errors.join('\n'), message);
        assert.match(parsed.errors.join('\n'), /items\[0\] \("Create referral"\)\.expect\[1\]/);
      }
    });
  }

  const badCaptures: Array<[string, unknown, RegExp]> = [
    ['bad name', { name: '1x', from: 'status' }, /variable name/],
    ['unknown source', { name: 'x', from: 'body' }, /"from" must be "json", "header" or "status"/],
    ['status with path', { name: 'x', from: 'status', path: '$.x' }, /a status capture has no "path"/],
    ['json without path', { name: 'x', from: 'json' }, /JSONPath like/],
  ];
  for (const [name, capture, message] of badCaptures) {
    it(`refuses a capture: ${name}`, () => {
      const parsed = validateCollection({ version: 2, items: [request({ capture: [capture] })] });
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.errors.join('\n'), message);
    });
  }

  it('refuses a name captured twice', () => {
    const parsed = validateCollection({ version: 2, items: [request({ capture: [{ name: 'a', from: 'status' }, { name: 'a', from: 'status' }] })] });
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.errors.join('\n'), /"a" is captured more than once/);
  });

  it('saving a request without checks keeps its saved checks; an empty list clears them', () => {
    const parsed = validateCollection({ version: 2, items: [request({ expect: [{ kind: 'status', op: 'equals', value: 202 }], capture: [{ name: 'c', from: 'status' }] })] });
    assert.ok(parsed.ok);
    const collection: SavedCollection = parsed.value;
    const edited = upsertRequest(collection, { id: 'r', name: 'Renamed', method: 'POST', url: '/y', auth: 'bearer' });
    const kept = edited.items[0]!;
    assert.equal(kept.kind === 'request' && kept.expect?.length, 1);
    assert.equal(kept.kind === 'request' && kept.capture?.length, 1);
    const cleared = upsertRequest(collection, { id: 'r', name: 'R', method: 'POST', url: '/y', auth: 'bearer', expect: [], capture: [] });
    assert.doesNotMatch(serializeCollection(cleared), /expect|capture/);
  });
});

describe('go-live checklist', () => {
  it('is a valid version 2 folder whose checks and captures round-trip', () => {
    let n = 0;
    const folder = goLiveChecklist((kind) => `${kind}-${++n}`);
    const text = serializeCollection({ version: 3, items: [folder] });
    const parsed = parseCollection(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
    assert.equal(serializeCollection(parsed.value), text);
    const requests = folder.children.filter((c) => c.kind === 'request');
    assert.deepEqual(requests.map((r) => r.method), ['GET', 'POST', 'PUT', 'GET']);
    assert.ok(requests.every((r) => r.kind === 'request' && (r.expect?.length ?? 0) >= 2));
  });
});
