// Imports and requests.json format 3: an imported JSON body (a REST Client file's, a Postman collection's 4-space
// raw body, a one-line curl --json) is laid out in 2 spaces when only whitespace changes, so the file stores it
// as JSON (one field a line, the body schema's help) instead of lines; the server reads the same JSON. Bodies that
// would change otherwise (escapes, number spellings, duplicate keys, an unquoted {{placeholder}}) or are not sent
// as JSON stay byte for byte.
import { strict as assert } from 'node:assert';
import { parseCurl } from '../../src/core/curl';
import { parseHttpFile } from '../../src/core/httpFile';
import type { SavedRequest } from '../../src/core/model';
import { parsePostmanCollection } from '../../src/core/postman';
import { allRequests, requestNode, type SavedNode } from '../../src/core/savedRequests';
import { readableImportedBodies, reindentedJson } from '../../src/core/savedRequestBody';
import { parseCollection, serializeCollection } from '../../src/core/savedRequestsFile';

/** How each request's body is kept in the file written after the import. */
function storedBodies(nodes: readonly SavedNode[]): Array<'json' | 'lines' | 'none'> {
  const text = serializeCollection({ version: 3, items: [...nodes] });
  assert.ok(parseCollection(text).ok, 'the file loads');
  const out: Array<'json' | 'lines' | 'none'> = [];
  const walk = (items: Array<Record<string, unknown>>): void => {
    for (const item of items) {
      if (item.kind === 'folder') walk(item.children as Array<Record<string, unknown>>);
      else out.push(item.body !== undefined ? 'json' : item.bodyLines !== undefined ? 'lines' : 'none');
    }
  };
  walk((JSON.parse(text) as { items: Array<Record<string, unknown>> }).items);
  return out;
}

const bodiesOf = (nodes: readonly SavedNode[]): Array<string | undefined> => allRequests(nodes).map(({ request }) => request.body);

describe('imports: JSON bodies laid out in 2 spaces so requests.json stores them as JSON', () => {
  describe('reindentedJson: only whitespace between tokens may change', () => {
    const same: Array<[string, string]> = [
      ['one line', '{"referral":[{"subjectId":"{{subjectId}}","rank":1}]}'],
      ['4-space with CRLF (Postman)', '{\r\n    "status": "inScreening",\r\n    "ixrsSubjectId": null\r\n}'],
      ['tabs and a trailing newline', '{\n\t"a": [1, 2.5, -3e-7],\n\t"b": {"c": true}\n}\n'],
      ['inline objects (REST Client style)', '{\n  "primaryTrial": { "id": "{{trialId}}", "sponsorSiteId": "s 1" }\n}'],
      ['spaces inside strings kept', '{ "text" : "a  b\\n  c", "k y": "x" }'],
      ['non-ASCII', '{"name":"Zoë Ångström","city":"東京"}'],
      ['an array', '[ {"id": 1}, {"id": 2} ]'],
      ['already 2-space', '{\n  "a": 1\n}'],
    ];
    for (const [name, text] of same) {
      it(`${name}: the 2-space layout of the same JSON`, () => {
        const out = reindentedJson(text);
        assert.ok(out !== undefined);
        assert.equal(out, JSON.stringify(JSON.parse(text), null, 2));
        assert.equal(out.replace(/\s+/g, ''), text.replace(/\s+/g, ''), 'every character but whitespace is where it was');
      });
    }
    const kept: Array<[string, string]> = [
      ['an escape that JSON.stringify would write differently', '{"name": "Zo\\u00eb"}'],
      ['an escaped slash', '{"url": "a\\/b"}'],
      ['a number JavaScript would round', '{"n": 12345678901234567890}'],
      ['a number spelled another way', '{"n": 1.0}'],
      ['an exponent', '{"n": 1E3}'],
      ['a duplicate key', '{"a": 1, "a": 2}'],
      ['integer-like keys out of order', '{"b": 1, "1": 2}'],
      ['an unquoted {{placeholder}}', '{\n    "limit": {{limit}}\n}'],
      ['a scalar', ' 42 '],
      ['text', 'grant_type=client_credentials'],
      ['a byte order mark', '\uFEFF{"a": 1}'],
      ['empty', ''],
    ];
    for (const [name, text] of kept) {
      it(`${name}: left as it is (undefined)`, () => assert.equal(reindentedJson(text), undefined));
    }
  });

  it('.http import (REST Client, inline objects): the referral body is stored as JSON, the same JSON value', () => {
    const file = [
      '### Create referral',
      'POST https://api.example.com/rpi/sites/s1/referrals',
      'Content-Type: application/json',
      '',
      '{',
      '  "referral": [',
      '    { "subjectId": "rc-{{$randomInt 1 1000}}", "primaryTrial": { "id": "{{trialId}}" }, "sex": "female" }',
      '  ]',
      '}',
      '',
      '### Note',
      'POST https://api.example.com/notes',
      'Content-Type: text/plain',
      '',
      '{ "not": "sent as JSON" }',
    ].join('\n');
    const parsed = parseHttpFile(file, { baseUrl: 'https://api.example.com' });
    assert.deepEqual(storedBodies(parsed.items), ['lines', 'lines'], 'as the parser gives them: lines');
    const { nodes, names } = readableImportedBodies(parsed.items);
    assert.deepEqual(names, ['Create referral']);
    assert.deepEqual(storedBodies(nodes), ['json', 'lines'], 'the JSON body as JSON; a text/plain body byte for byte');
    const [before, after] = [bodiesOf(parsed.items), bodiesOf(nodes)];
    assert.deepEqual(JSON.parse(after[0]!), JSON.parse(before[0]!));
    assert.equal(after[1], before[1]);
  });

  it('Postman import: a 4-space CRLF raw JSON body is stored as JSON; urlencoded and raw text stay as they were', () => {
    const collection = {
      info: { name: 'Team', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
      item: [
        {
          name: 'Update subject',
          request: {
            method: 'PUT',
            url: 'https://api.example.com/rpi/sites/s1/referrals/subjects/x',
            body: { mode: 'raw', raw: '{\r\n    "status": "inScreening",\r\n    "limit": 5\r\n}', options: { raw: { language: 'json' } } },
          },
        },
        { name: 'Form', request: { method: 'POST', url: 'https://api.example.com/form', body: { mode: 'urlencoded', urlencoded: [{ key: 'a', value: '{ }' }] } } },
        { name: 'Text', request: { method: 'POST', url: 'https://api.example.com/t', header: [{ key: 'Content-Type', value: 'text/plain' }], body: { mode: 'raw', raw: '{\r\n    "a": 1\r\n}' } } },
      ],
    };
    const parsed = parsePostmanCollection(collection, { baseUrl: 'https://api.example.com' });
    assert.ok(parsed.ok);
    const { nodes, names } = readableImportedBodies(parsed.items);
    assert.deepEqual(names, ['Update subject']);
    assert.deepEqual(storedBodies(nodes), ['json', 'lines', 'lines']);
    assert.equal(bodiesOf(nodes)[0], '{\n  "status": "inScreening",\n  "limit": 5\n}');
    assert.deepEqual(bodiesOf(nodes).slice(1), bodiesOf(parsed.items).slice(1));
  });

  it('curl import: --json and a JSON Content-Type are laid out; -d without one (sent as a form by curl) is not', () => {
    const json = parseCurl(`curl --json '{"referral":[{"subjectId":"{{subjectId}}"}]}' https://api.example.com/rpi/sites/s1/referrals`, { baseUrl: 'https://api.example.com' });
    const header = parseCurl(`curl -X PUT -H 'Content-Type: application/merge-patch+json' -d '{"status":"inScreening"}' https://api.example.com/x`, { baseUrl: 'https://api.example.com' });
    const form = parseCurl(`curl -d '{"status":"inScreening"}' https://api.example.com/x`, { baseUrl: 'https://api.example.com' });
    const number = parseCurl(`curl --json '{"limit":{{limit}}}' https://api.example.com/x`, { baseUrl: 'https://api.example.com' });
    const nodes = [json, header, form, number].map((p, i) => {
      assert.ok(p.ok);
      return requestNode({ ...p.request, id: `r${i}`, name: `R${i}` } as SavedRequest);
    });
    const readable = readableImportedBodies(nodes);
    assert.deepEqual(readable.names, ['R0', 'R1']);
    assert.deepEqual(storedBodies(readable.nodes), ['json', 'json', 'lines', 'lines']);
    assert.deepEqual(bodiesOf(readable.nodes).slice(2), bodiesOf(nodes).slice(2), 'the form body and the unquoted placeholder byte for byte');
  });

  it('a disabled Content-Type row does not count; folders are walked; nothing changes when nothing needs to', () => {
    const request = (id: string, body: string, contentType?: { value: string; enabled?: boolean }): SavedNode =>
      requestNode({ id, name: id, method: 'POST', url: '/x', auth: 'none', body, ...(contentType && { headers: [{ name: 'content-type', ...contentType }] }) });
    const nodes: SavedNode[] = [
      { kind: 'folder', id: 'f', name: 'F', children: [request('a', '{"a":1}', { value: 'text/plain', enabled: false }), request('b', '{\n  "b": 2\n}')] },
    ];
    const { nodes: out, names } = readableImportedBodies(nodes);
    assert.deepEqual(names, ['a'], 'b is already in the 2-space layout');
    assert.deepEqual(bodiesOf(out), ['{\n  "a": 1\n}', '{\n  "b": 2\n}']);
    assert.deepEqual(bodiesOf(nodes), ['{"a":1}', '{\n  "b": 2\n}'], 'the input is not modified');
  });
});
