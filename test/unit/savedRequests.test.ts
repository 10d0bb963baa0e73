// The saved-requests model: validation messages, stable serialisation, tree operations.
import { strict as assert } from 'node:assert';
import { allRequests, emptyCollection, findNode, findRequest, SavedRequestsError } from '../../src/core/savedRequests';
import { parseCollection, serializeCollection, validateCollection } from '../../src/core/savedRequestsFile';
import { addNode, appendImported, deleteNode, duplicateNode, moveNode, renameNode, reorderNode, upsertRequest } from '../../src/core/collectionEdits';
import type { SavedCollection, SavedNode } from '../../src/core/savedRequests';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';

function counterIds(): (kind: 'request' | 'folder') => string {
  let n = 0;
  return (kind) => `${kind === 'folder' ? 'f' : 'r'}${++n}`;
}

function sample(): SavedCollection {
  return {
    version: 3,
    items: [
      { kind: 'request', id: 'a', name: 'A', method: 'GET', url: '/a', auth: 'bearer' },
      {
        kind: 'folder',
        id: 'F',
        name: 'Folder',
        children: [
          { kind: 'request', id: 'b', name: 'B', method: 'POST', url: '/b', auth: 'bearer', body: '{}' },
          { kind: 'folder', id: 'G', name: 'Inner', children: [{ kind: 'request', id: 'c', name: 'C', method: 'GET', url: '/c', auth: 'none' }] },
        ],
      },
      { kind: 'request', id: 'd', name: 'D', method: 'DELETE', url: '/d', auth: 'bearer' },
    ],
  };
}

const ids = (nodes: readonly SavedNode[]): string[] => nodes.map((n) => n.id);

describe('savedRequests: validation', () => {
  const cases: Array<{ name: string; input: unknown; expect: RegExp }> = [
    { name: 'not an object', input: [], expect: /JSON object/ },
    { name: 'missing version', input: { items: [] }, expect: /"version" must be 3 \(or 2 or 1/ },
    { name: 'newer version', input: { version: 4, items: [] }, expect: /newer StudyTeam extension/ },
    { name: 'items not a list', input: { version: 1, items: {} }, expect: /items must be a list/ },
    { name: 'unknown kind', input: { version: 1, items: [{ kind: 'x', id: '1', name: 'N' }] }, expect: /items\[0\] \("N"\): "kind" must be/ },
    {
      name: 'bad method names the item',
      input: { version: 1, items: [{ kind: 'request', id: '1', name: 'Sites', method: 'FETCH', url: '/x', auth: 'none' }] },
      expect: /items\[0\] \("Sites"\): "method" must be one of GET.*\(got "FETCH"\)/,
    },
    {
      name: 'bad auth',
      input: { version: 1, items: [{ kind: 'request', id: '1', name: 'S', method: 'GET', url: '/x', auth: 'basic' }] },
      expect: /"auth" must be "bearer" or "none"/,
    },
    {
      name: 'nested path in message',
      input: { version: 1, items: [{ kind: 'folder', id: 'f', name: 'F', children: [{ kind: 'request', id: 'r', name: 'R', method: 'GET', url: '', auth: 'none' }] }] },
      expect: /items\[0\] \("F"\)\.children\[0\] \("R"\): "url" must be/,
    },
    {
      name: 'duplicate ids',
      input: { version: 1, items: [{ kind: 'folder', id: 'x', name: 'F', children: [] }, { kind: 'folder', id: 'x', name: 'G', children: [] }] },
      expect: /id "x" is used more than once/,
    },
    {
      name: 'unknown property',
      input: { version: 1, items: [{ kind: 'request', id: '1', name: 'S', method: 'GET', url: '/x', auth: 'none', color: 'red' }] },
      expect: /unknown property "color"/,
    },
    {
      name: 'header row shape',
      input: { version: 1, items: [{ kind: 'request', id: '1', name: 'S', method: 'GET', url: '/x', auth: 'none', headers: [{ name: 'A', value: 1 }] }] },
      expect: /headers\[0\]\.value must be a string/,
    },
    {
      name: 'a literal bearer token in the file',
      input: {
        version: 1,
        items: [{ kind: 'request', id: '1', name: 'S', method: 'GET', url: '/x', auth: 'none', headers: [{ name: 'Authorization', value: 'Bearer abcdefghijklmnop' }] }],
      },
      expect: /header "Authorization" holds a literal credential.*"auth": "bearer"/,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = validateCollection(c.input);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.errors.join('\n'), c.expect);
    });
  }

  it('accepts the examples and round-trips them exactly', () => {
    const collection: SavedCollection = { version: 3, items: [studyTeamExamples(counterIds())] };
    const text = serializeCollection(collection);
    const parsed = parseCollection(text);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
    assert.deepEqual(parsed.value, collection);
    assert.equal(serializeCollection(parsed.value), text);
  });

  it('reports JSON syntax errors with line and column', () => {
    const result = parseCollection('{\n  "version": 1,\n  "items": [\n    {"kind": "folder",}\n  ]\n}\n');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.line, 4);
      assert.equal(result.column, 23);
      assert.match(result.errors[0], /line 4, column 23: trailing comma/);
    }
  });

  it('treats an empty file as an empty collection', () => {
    assert.deepEqual(parseCollection('  \n'), { ok: true, value: emptyCollection() });
  });
});

describe('savedRequests: serialisation', () => {
  it('uses a fixed key order, 2 spaces and a trailing newline, whatever the input order', () => {
    const scrambled = JSON.parse(
      '{"items":[{"auth":"bearer","url":"/x","method":"GET","name":"X","id":"1","kind":"request","headers":[{"value":"v","name":"h","enabled":false}]}],"version":1}',
    ) as unknown;
    const v = validateCollection(scrambled);
    assert.ok(v.ok);
    assert.equal(
      serializeCollection(v.value),
      [
        '{',
        '  "version": 3,',
        '  "items": [',
        '    {',
        '      "kind": "request",',
        '      "id": "1",',
        '      "name": "X",',
        '      "method": "GET",',
        '      "url": "/x",',
        '      "auth": "bearer",',
        '      "headers": [',
        '        {',
        '          "name": "h",',
        '          "value": "v",',
        '          "enabled": false',
        '        }',
        '      ]',
        '    }',
        '  ]',
        '}',
        '',
      ].join('\n'),
    );
  });
});

describe('savedRequests: tree operations', () => {
  it('finds nodes with their parent and folder path', () => {
    const found = findNode(sample(), 'c');
    assert.equal(found?.parent?.id, 'G');
    assert.deepEqual(found?.folderPath, ['Folder', 'Inner']);
    assert.equal(findRequest(sample(), 'F'), undefined);
    assert.deepEqual(allRequests(sample()).map((r) => r.request.id), ['a', 'b', 'c', 'd']);
  });

  it('adds to the top level, into a folder and at an index, without mutating the input', () => {
    const before = sample();
    const snapshot = JSON.stringify(before);
    const node: SavedNode = { kind: 'request', id: 'n', name: 'N', method: 'GET', url: '/n', auth: 'none' };
    assert.deepEqual(ids(addNode(before, node).items), ['a', 'F', 'd', 'n']);
    const inFolder = addNode(before, node, 'F', 0);
    assert.deepEqual(ids((findNode(inFolder, 'F')!.node as { children: SavedNode[] }).children), ['n', 'b', 'G']);
    assert.equal(JSON.stringify(before), snapshot);
    assert.throws(() => addNode(before, { ...node, id: 'a' }), /already used/);
    assert.throws(() => addNode(before, node, 'a'), /is a request, not a folder/);
    assert.throws(() => addNode(before, node, 'nope'), /no folder with id "nope"/);
  });

  it('renames (trimmed) and refuses empty names', () => {
    assert.equal(findNode(renameNode(sample(), 'b', '  New  '), 'b')?.node.name, 'New');
    assert.throws(() => renameNode(sample(), 'b', ' '), SavedRequestsError);
  });

  it('duplicates a request next to the original and a folder with new ids throughout', () => {
    const r = duplicateNode(sample(), 'a', counterIds());
    assert.deepEqual(ids(r.collection.items), ['a', 'r1', 'F', 'd']);
    assert.equal(findNode(r.collection, 'r1')?.node.name, 'A copy');
    const again = duplicateNode(r.collection, 'a', () => 'z');
    assert.equal(findNode(again.collection, 'z')?.node.name, 'A copy 2');
    const f = duplicateNode(sample(), 'F', counterIds());
    const copy = findNode(f.collection, f.id)!.node;
    assert.equal(copy.kind, 'folder');
    assert.equal(copy.name, 'Folder copy');
    assert.deepEqual(allRequests(f.collection).map((x) => x.request.id), ['a', 'b', 'c', 'r2', 'r4', 'd']);
  });

  it('moves between folders, reorders within a parent and refuses cycles', () => {
    const moved = moveNode(sample(), 'a', 'G');
    assert.deepEqual(findNode(moved, 'a')?.folderPath, ['Folder', 'Inner']);
    assert.deepEqual(ids(moved.items), ['F', 'd']);
    // Drop "d" before "a" (index 0 at the top level).
    assert.deepEqual(ids(moveNode(sample(), 'd', undefined, 0).items), ['d', 'a', 'F']);
    // Same parent, moving down: index counts positions before the move.
    assert.deepEqual(ids(moveNode(sample(), 'a', undefined, 2).items), ['F', 'a', 'd']);
    assert.deepEqual(ids(reorderNode(sample(), 'a', 2).items), ['F', 'd', 'a']);
    assert.throws(() => moveNode(sample(), 'F', 'G'), /into itself or one of its subfolders/);
    assert.throws(() => moveNode(sample(), 'F', 'F'), /into itself/);
  });

  it('deletes a folder with everything in it', () => {
    const after = deleteNode(sample(), 'F');
    assert.deepEqual(allRequests(after).map((r) => r.request.id), ['a', 'd']);
    assert.throws(() => deleteNode(after, 'F'), /no saved request or folder with id "F"/);
  });

  it('upserts in place or adds', () => {
    const replaced = upsertRequest(sample(), { id: 'b', name: 'B2', method: 'PUT', url: '/b2', auth: 'none' });
    assert.deepEqual(findNode(replaced, 'b')?.folderPath, ['Folder']);
    assert.equal(findRequest(replaced, 'b')?.method, 'PUT');
    const added = upsertRequest(sample(), { id: 'new', name: 'N', method: 'GET', url: '/n', auth: 'none' }, 'G');
    assert.deepEqual(findNode(added, 'new')?.folderPath, ['Folder', 'Inner']);
  });

  it('appends imported nodes with fresh ids when they collide', () => {
    const imported: SavedNode[] = [{ kind: 'request', id: 'a', name: 'A again', method: 'GET', url: '/a', auth: 'none' }];
    const out = appendImported(sample(), imported, undefined, () => 'fresh');
    assert.deepEqual(ids(out.items), ['a', 'F', 'd', 'fresh']);
  });
});
