// schemas/requests.schema.json (contributed as jsonValidation for .studyteam/requests.json) agrees with
// the saved-requests loader: what the extension writes passes, version 2's expect/capture included, and
// hand edits the loader rejects are schema problems at the right place.
import { strict as assert } from 'node:assert';
import { Validator, type Schema } from '@cfworker/json-schema';
import requestsSchema from '../../schemas/requests.schema.json';
import { type SavedCollection } from '../../src/core/savedRequests';
import { parseCollection, serializeCollection } from '../../src/core/savedRequestsFile';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';

const validator = new Validator(requestsSchema as unknown as Schema, '7', false);
const leafErrors = (value: unknown): string[] =>
  validator
    .validate(value)
    .errors.filter((e) => !['properties', 'items', '$ref', 'allOf', 'if', 'then', 'else'].includes(e.keyword))
    .map((e) => `${e.instanceLocation} ${e.keyword}`);

describe('requests.json schema', () => {
  it('accepts what the extension writes (the examples, folders, query and headers)', () => {
    const collection: SavedCollection = { version: 3, items: [studyTeamExamples()] };
    assert.deepEqual(leafErrors(JSON.parse(serializeCollection(collection))), []);
  });

  it('accepts version 2 checks and captures the loader accepts', () => {
    const text = JSON.stringify({
      version: 2,
      items: [{
        kind: 'request', id: 'r1', name: 'Create', method: 'POST', url: '/rpi/sites/{{siteId}}/referrals', auth: 'bearer', body: '{}',
        expect: [
          { kind: 'status', op: 'equals', value: 202 },
          { kind: 'status', op: 'class', value: '2xx' },
          { kind: 'responseTime', op: 'below', value: 2000 },
          { kind: 'header', path: 'content-type', op: 'matches', value: 'json' },
          { kind: 'json', path: '$.payload.referral[0].subjectId', op: 'exists' },
          { kind: 'schema', op: 'valid' },
        ],
        capture: [{ name: 'referralId', from: 'json', path: '$.id' }, { name: 'status', from: 'status' }],
      }],
    });
    assert.ok(parseCollection(text).ok, 'the loader accepts it');
    assert.deepEqual(leafErrors(JSON.parse(text)), []);
  });

  const bad: Array<{ name: string; file: unknown; where: string }> = [
    { name: 'an unknown request field', file: { version: 2, items: [{ kind: 'request', id: 'a', name: 'A', method: 'GET', url: '/x', auth: 'bearer', bodyy: '' }] }, where: '#/items/0 additionalProperties' },
    { name: 'an unknown method', file: { version: 2, items: [{ kind: 'request', id: 'a', name: 'A', method: 'FETCH', url: '/x', auth: 'bearer' }] }, where: '#/items/0/method enum' },
    { name: 'an unknown auth', file: { version: 2, items: [{ kind: 'request', id: 'a', name: 'A', method: 'GET', url: '/x', auth: 'basic' }] }, where: '#/items/0/auth enum' },
    { name: 'a folder without children', file: { version: 2, items: [{ kind: 'folder', id: 'f', name: 'F' }] }, where: '#/items/0 required' },
    { name: 'a wrong operator for a status check', file: { version: 2, items: [{ kind: 'request', id: 'a', name: 'A', method: 'GET', url: '/x', auth: 'bearer', expect: [{ kind: 'status', op: 'below', value: 1 }] }] }, where: '#/items/0/expect/0/op enum' },
    { name: 'an unknown version', file: { version: 7, items: [] }, where: '#/version enum' },
  ];
  for (const c of bad) {
    it(`reports ${c.name} (the loader rejects it too)`, () => {
      assert.ok(leafErrors(c.file).includes(c.where), JSON.stringify(leafErrors(c.file)));
      assert.equal(parseCollection(JSON.stringify(c.file)).ok, false);
    });
  }
});
