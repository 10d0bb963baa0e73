// The JSONPath subset of checks and captures: parsing (and its refusals) and selection on tricky bodies.
import * as assert from 'node:assert/strict';
import { parseJsonPath, selectJsonPath } from '../../src/core/jsonPath';

function select(body: unknown, path: string): unknown {
  const parsed = parseJsonPath(path);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  const found = selectJsonPath(body, parsed.path);
  return found.found ? found.value : Symbol.for('not found');
}
const NOT_FOUND = Symbol.for('not found');

describe('JSONPath subset', () => {
  const body = {
    id: 'r-1',
    payload: { referral: [{ subjectId: 'S-1', name: [{ given: ['Jane', 'Q'] }] }, { subjectId: 'S-2' }] },
    'odd key': { 'a.b': 1, "it's": 2, 'x]y': 3 },
    zero: 0,
    nothing: null,
    empty: [],
    events: [{ eventType: 'v1.patient.created' }, { eventType: 'v1.patient.referralAcknowledged' }, { other: true }],
    $meta: { 'with-dash': 'd' },
  };

  const cases: Array<[string, unknown]> = [
    ['$', body],
    ['$.id', 'r-1'],
    ['$.payload.referral[0].subjectId', 'S-1'],
    ['$.payload.referral[-1].subjectId', 'S-2'],
    ['$.payload.referral[0].name[0].given[1]', 'Q'],
    ["$['odd key']['a.b']", 1],
    ['$["odd key"]["it\'s"]', 2],
    ["$['odd key']['it\\'s']", 2],
    ["$['odd key']['x]y']", 3],
    ['$.zero', 0],
    ['$.nothing', null],
    ['$.empty', []],
    ['$.events[*].eventType', ['v1.patient.created', 'v1.patient.referralAcknowledged']],
    ['$.payload.referral[*].subjectId', ['S-1', 'S-2']],
    ['$.odd key', NOT_FOUND],
    ['$.empty[*]', []],
    ['$.payload.*', [body.payload.referral]],
    ['$.$meta.with-dash', 'd'],
    ['$.missing', NOT_FOUND],
    ['$.payload.referral[5]', NOT_FOUND],
    ['$.id.length', NOT_FOUND],
    ['$.payload.referral.subjectId', NOT_FOUND],
    ['$.missing[*].x', []],
  ];
  for (const [path, expected] of cases) {
    it(`${path}`, () => {
      if (path === '$.odd key') {
        assert.equal(parseJsonPath(path).ok, false);
        return;
      }
      assert.deepEqual(select(body, path), expected);
    });
  }

  it('selects from a top-level array and from scalars', () => {
    assert.equal(select([{ id: 'a' }, { id: 'b' }], '$[1].id'), 'b');
    assert.deepEqual(select([1, 2, 3], '$[*]'), [1, 2, 3]);
    assert.equal(select('text', '$'), 'text');
    assert.equal(select('text', '$[0]'), NOT_FOUND);
  });

  it('does not read inherited properties', () => {
    assert.equal(select({}, '$.constructor'), NOT_FOUND);
    assert.equal(select({ a: {} }, '$.a.toString'), NOT_FOUND);
  });

  const refusals: Array<[string, RegExp]> = [
    ['id', /must start with "\$"/],
    ['$..id', /recursive descent/],
    ['$.events[?(@.x)]', /filters/],
    ['$.events[0:2]', /slices/],
    ['$.events[0,1]', /unions/],
    ['$.events[abc]', /not an index/],
    ["$['open", /unterminated/],
    ['$.events[0', /missing "\]"/],
    ['$.', /expected a property name/],
    ['$x', /unexpected "x"/],
  ];
  for (const [path, message] of refusals) {
    it(`refuses ${path}`, () => {
      const parsed = parseJsonPath(path);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.error, message);
    });
  }
});
