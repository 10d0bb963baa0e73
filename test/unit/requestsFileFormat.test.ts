// requests.json format 3: a JSON body is stored as JSON, any other body as lines, an empty one not at all.
// Version 1 and 2 files (every body a string) are migrated on the first save without changing a byte of what
// is sent, copied as curl or exported; serialize → parse → serialize is stable; one changed body field is
// one changed line of the file.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthService } from '../../src/core/authService';
import { CollectionRunner } from '../../src/core/collectionRunner';
import { toCurl } from '../../src/core/curl';
import { toHttpFile } from '../../src/core/httpFile';
import type { Environment, SavedRequest } from '../../src/core/model';
import { toPostmanCollection } from '../../src/core/postman';
import { RequestRunner } from '../../src/core/requestRunner';
import { allRequests, requestNode, toSavedRequest, type SavedCollection } from '../../src/core/savedRequests';
import { canonicalJsonValue } from '../../src/core/savedRequestBody';
import { parseCollection, serializeCollection, validateCollection } from '../../src/core/savedRequestsFile';
import { goLiveChecklist } from '../../src/core/goLiveChecklist';
import { studyTeamExamples } from '../../src/core/studyTeamExamples';
import { MemoryCredentials } from './support/fixtureServer';
import { referralBody, type ReferralEntry } from './support/referralBody';

/** A referral-like body as the panel's Format writes it (2-space JSON), {{variables}} inside strings. */
const REFERRAL_JSON = referralBody();

type Stored = 'json' | 'lines' | 'none';
interface Row {
  readonly name: string;
  readonly body: string | undefined;
  readonly stored: Stored;
  readonly contentType?: string;
}

/** The migration table: every kind of body a version 1 or 2 file can hold. */
const ROWS: readonly Row[] = [
  { name: 'JSON body (2-space, placeholders in strings)', body: REFERRAL_JSON, stored: 'json', contentType: 'application/json' },
  { name: 'JSON array body', body: JSON.stringify([{ id: 1 }, { id: 2, tags: ['a', 'b'] }], null, 2), stored: 'json', contentType: 'application/json' },
  { name: 'empty JSON object', body: '{}', stored: 'json', contentType: 'application/json' },
  { name: 'non-ASCII JSON', body: JSON.stringify({ name: 'Zoë Ångström', city: '東京', note: 'café ☕ 🧪', rtl: 'שלום' }, null, 2), stored: 'json', contentType: 'application/json' },
  { name: 'text body with CRLF', body: 'line one\r\nline two\r\n\r\nlast line, no newline', stored: 'lines', contentType: 'text/plain' },
  { name: 'text with a lone CR and tabs', body: 'a\rb\tc\n\td', stored: 'lines', contentType: 'text/plain' },
  { name: 'non-ASCII text', body: 'Grüße aus Köln — 日本語のテキスト\n🙂 second line', stored: 'lines', contentType: 'text/plain; charset=utf-8' },
  { name: 'placeholder in a number position', body: '{\n  "limit": {{limit}},\n  "since": "{{since}}"\n}', stored: 'lines', contentType: 'application/json' },
  { name: 'compact JSON', body: '{"referral":[{"subjectId":"{{subjectId}}","rank":1}]}', stored: 'lines', contentType: 'application/json' },
  { name: '4-space JSON', body: '{\n    "status": "inScreening"\n}', stored: 'lines', contentType: 'application/json' },
  { name: 'JSON with a trailing newline', body: '{\n  "a": 1\n}\n', stored: 'lines', contentType: 'application/json' },
  { name: 'JSON with an escaped character', body: '{\n  "name": "Zo\\u00eb"\n}', stored: 'lines', contentType: 'application/json' },
  { name: 'JSON number that JavaScript would round', body: '[\n  12345678901234567890\n]', stored: 'lines', contentType: 'application/json' },
  { name: 'JSON scalar', body: '42', stored: 'lines', contentType: 'application/json' },
  { name: 'form body', body: 'grant_type=client_credentials&scope=read%20write&name=J%C3%BCrgen', stored: 'lines', contentType: 'application/x-www-form-urlencoded' },
  { name: 'empty body', body: '', stored: 'none' },
  { name: 'no body', body: undefined, stored: 'none' },
];

function requestOf(row: Row, i: number): SavedRequest {
  return {
    id: `req_${i}`,
    name: row.name,
    method: row.body === undefined ? 'GET' : 'POST',
    url: '/rpi/sites/{{siteId}}/referrals',
    auth: 'none',
    ...(row.contentType && { headers: [{ name: 'Content-Type', value: row.contentType }] }),
    ...(row.body !== undefined && { body: row.body }),
  };
}

/** A file as an older extension wrote it: every body a JSON string. */
function oldFile(version: 1 | 2, rows: readonly Row[]): string {
  const items = rows.map((row, i) => {
    const r = requestOf(row, i);
    return { kind: 'request', id: r.id, name: r.name, method: r.method, url: r.url, auth: r.auth, ...(r.headers && { headers: r.headers }), ...(r.body !== undefined && r.body !== '' && { body: r.body }) };
  });
  return `${JSON.stringify({ version, items }, null, 2)}\n`;
}

function loaded(text: string): SavedCollection {
  const parsed = parseCollection(text);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.errors.join('\n'));
  return parsed.value;
}
const requestsOf = (c: SavedCollection): SavedRequest[] => allRequests(c).map(({ request }) => toSavedRequest(request));
const bodyOf = (r: SavedRequest): string => r.body ?? '';

describe('requests.json format 3: migration from versions 1 and 2', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'studyteam-format-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const version of [1, 2] as const) {
    it(`a version ${version} file (real file on disk) is read as before and written as version 3, body by body`, () => {
      const path = join(dir, `v${version}.json`);
      writeFileSync(path, oldFile(version, ROWS));
      const parsed = parseCollection(readFileSync(path, 'utf8'));
      assert.ok(parsed.ok && parsed.fileVersion === version, 'the loader reports the version it read');
      const before = requestsOf(parsed.value);
      writeFileSync(path, serializeCollection(parsed.value));
      const written = readFileSync(path, 'utf8');
      const file = JSON.parse(written) as { version: number; items: Array<Record<string, unknown>> };
      assert.equal(file.version, 3);
      ROWS.forEach((row, i) => {
        const item = file.items[i];
        const stored: Stored = item.body !== undefined ? 'json' : item.bodyLines !== undefined ? 'lines' : 'none';
        assert.equal(stored, row.stored, `${row.name}: stored as ${stored}`);
        if (stored === 'json') assert.equal(typeof item.body, 'object');
        if (stored === 'lines') assert.deepEqual(item.bodyLines, bodyOf(before[i]).split('\n'));
        assert.ok(!(item.body !== undefined && item.bodyLines !== undefined));
      });
      const after = parseCollection(written);
      assert.ok(after.ok && after.fileVersion === 3);
      const migrated = requestsOf(after.value);
      ROWS.forEach((row, i) => {
        assert.equal(bodyOf(migrated[i]), row.body ?? '', `${row.name}: the body text is byte for byte the same`);
        assert.deepEqual({ ...migrated[i], body: undefined }, { ...before[i], body: undefined }, `${row.name}: nothing else changed (ids included)`);
      });
    });
  }

  it('a CRLF body keeps its "\\r" at the end of each line in bodyLines', () => {
    const text = serializeCollection({ version: 3, items: [requestNode(requestOf(ROWS[4], 0))] });
    assert.match(text, /"bodyLines": \[\n\s+"line one\\r",\n\s+"line two\\r",\n\s+"\\r",\n\s+"last line, no newline"\n\s+\]/);
  });

  it('writes a JSON body as a JSON value after headers and before expect, non-ASCII as is', () => {
    const request = { ...requestOf(ROWS[3], 0), expect: [{ kind: 'status' as const, op: 'equals' as const, value: 200 }] };
    const text = serializeCollection({ version: 3, items: [requestNode(request)] });
    const keys = Object.keys((JSON.parse(text) as { items: Array<Record<string, unknown>> }).items[0]);
    assert.deepEqual(keys, ['kind', 'id', 'name', 'method', 'url', 'auth', 'headers', 'body', 'expect']);
    assert.match(text, /\n {6}"body": \{\n {8}"name": "Zoë Ångström",\n {8}"city": "東京",/);
  });

  it('a file that is exactly what an older extension wrote round-trips through version 3 to the same request objects', () => {
    const v2 = loaded(oldFile(2, ROWS));
    const v3 = loaded(serializeCollection(v2));
    assert.deepEqual(
      requestsOf(v3).map((r) => ({ ...r, body: r.body || undefined })),
      requestsOf(v2).map((r) => ({ ...r, body: r.body || undefined })),
    );
  });
});

describe('requests.json format 3: reading hand-edited files', () => {
  const base = { kind: 'request', id: 'r', name: 'Create', method: 'POST', url: '/x', auth: 'none' };
  const file = (extra: Record<string, unknown>, version = 3): unknown => ({ version, items: [{ ...base, ...extra }] });
  const bodyText = (extra: Record<string, unknown>, version = 3): string | undefined => {
    const v = validateCollection(file(extra, version));
    assert.ok(v.ok, v.ok ? '' : v.errors.join('\n'));
    return requestsOf(v.value)[0].body;
  };

  it('a JSON body in any layout is read as its 2-space text (what the panel shows and Run sends)', () => {
    assert.equal(bodyText({ body: { a: 1, b: [true, null, 'x'] } }), '{\n  "a": 1,\n  "b": [\n    true,\n    null,\n    "x"\n  ]\n}');
    assert.equal(bodyText({ body: [] }), '[]');
  });

  it('"body" as a string is still accepted as raw text', () => {
    assert.equal(bodyText({ body: 'raw {{x}} text' }), 'raw {{x}} text');
  });

  it('"bodyLines" are joined with "\\n"', () => {
    assert.equal(bodyText({ bodyLines: ['a\r', 'b', ''] }), 'a\r\nb\n');
  });

  const bad: Array<{ name: string; extra: Record<string, unknown>; version?: number; message: RegExp }> = [
    { name: 'body and bodyLines together', extra: { body: { a: 1 }, bodyLines: ['x'] }, message: /items\[0\] \("Create"\) has both "body" and "bodyLines": keep one/ },
    { name: 'a number body', extra: { body: 42 }, message: /"body" must be a JSON object or array, or text in a string; for a body that is just 42, write "bodyLines": \["42"\]/ },
    { name: 'a boolean body', extra: { body: true }, message: /just true, write "bodyLines": \["true"\]/ },
    { name: 'a null body', extra: { body: null }, message: /just null, write "bodyLines": \["null"\]/ },
    { name: 'bodyLines not a list', extra: { bodyLines: 'a\nb' }, message: /"bodyLines" must be a list of strings/ },
    { name: 'a bodyLines entry not a string', extra: { bodyLines: ['a', 2] }, message: /"bodyLines"\[1\] must be a string/ },
    { name: 'bodyLines in a version 2 file', extra: { bodyLines: ['a'] }, version: 2, message: /"bodyLines" needs "version": 3/ },
    { name: 'a JSON body in a version 2 file', extra: { body: { a: 1 } }, version: 2, message: /a JSON "body" \(not a string\) needs "version": 3/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.name} with a clear message`, () => {
      const v = validateCollection(file(c.extra, c.version));
      assert.equal(v.ok, false);
      if (!v.ok) assert.match(v.errors.join('\n'), c.message);
    });
  }

  it('refuses a file from a newer extension, as before', () => {
    const v = validateCollection({ version: 4, items: [] });
    assert.ok(!v.ok && /schema version 4, written by a newer StudyTeam extension/.test(v.errors[0]));
  });

  it('a secret in a JSON body is refused like one in a text body', () => {
    const v = validateCollection(file({ body: { grant_type: 'client_credentials', client_secret: 'sup3r-s3cret-value-123' } }));
    assert.ok(!v.ok && /body contains a literal secret field/.test(v.errors.join('\n')), JSON.stringify(v));
  });

  describe('an unquoted {{placeholder}} typed into a JSON "body" (the file is no longer JSON)', () => {
    const fileWith = (bodyLine: string): string =>
      `${JSON.stringify({ version: 3, items: [{ ...base, body: { a: 'PLACE' } }] }, null, 2)}\n`.replace('"a": "PLACE"', bodyLine);
    const cases: Array<[string, string, number]> = [
      ['a number', '"limit": {{limit}}', 19],
      ['a boolean, spaces inside', '"active": {{ active }}', 20],
      ['an array item', '"ids": [{{first}}, 2]', 18],
    ];
    for (const [name, line, column] of cases) {
      it(`${name}: the error names the line, the placeholder, and both ways to write it`, () => {
        const parsed = parseCollection(fileWith(line));
        assert.ok(!parsed.ok);
        assert.equal(parsed.line, 12);
        assert.equal(parsed.column, column);
        const placeholder = /\{\{[^}]*\}\}/.exec(line)![0];
        assert.match(parsed.errors[0], new RegExp(`^line 12, column ${column}: .* — ${placeholder.replace(/[{}]/g, '\\$&')} is not in quotes`));
        assert.ok(parsed.errors[0].includes(`write "${placeholder}" (in quotes)`) && parsed.errors[0].includes('"bodyLines"'), parsed.errors[0]);
      });
    }
    it('other syntax errors get no placeholder hint (a quoted placeholder, a missing comma)', () => {
      for (const line of ['"a": "{{x}}" "b": 1', '"a": {{x}']) {
        const parsed = parseCollection(fileWith(line));
        assert.ok(!parsed.ok);
        assert.doesNotMatch(parsed.errors[0], /not in quotes/, parsed.errors[0]);
      }
    });
  });
});

describe('requests.json format 3: what is sent, copied and exported does not change', () => {
  let server: http.Server;
  const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }> = [];
  let env: Environment;
  const vars = { siteId: 'S-1', subjectId: 'SUBJ-7', trialId: 'T-1', sponsorSiteId: 'SP-1', limit: '25', since: '2025-01-01' };

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env = { id: 'local', name: 'Local', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, production: false };
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** Sends every request of the collection through Run Folder's path (CollectionRunner → RequestRunner) and returns the raw requests. */
  async function send(collection: SavedCollection): Promise<typeof received> {
    received.length = 0;
    const auth = new AuthService({ credentials: new MemoryCredentials({}) });
    const runner = new CollectionRunner({ runner: new RequestRunner({ auth }), auth });
    const summary = await runner.run({ environment: env, items: allRequests(collection), variables: vars });
    assert.equal(summary.totals.failed, 0, JSON.stringify(summary.results.map((r) => r.error)));
    return received.map((r) => ({ ...r, headers: { ...r.headers, host: undefined } }));
  }

  for (const version of [1, 2] as const) {
    it(`every row sends byte for byte the same request before and after migrating a version ${version} file`, async () => {
      const before = loaded(oldFile(version, ROWS));
      const after = loaded(serializeCollection(before));
      const sentBefore = await send(before);
      const sentAfter = await send(after);
      assert.equal(sentAfter.length, ROWS.length);
      ROWS.forEach((row, i) => {
        assert.ok(sentAfter[i].body.equals(sentBefore[i].body), `${row.name}: same bytes on the wire`);
        assert.deepEqual(sentAfter[i], sentBefore[i], `${row.name}: same method, URL and headers`);
      });
      // And the bytes are the old file's text with the variables filled in, e.g. the unquoted number placeholder.
      assert.equal(sentAfter[7].body.toString('utf8'), '{\n  "limit": 25,\n  "since": "2025-01-01"\n}');
      assert.equal(sentAfter[4].body.toString('utf8'), 'line one\r\nline two\r\n\r\nlast line, no newline');
      assert.ok(sentAfter[3].body.equals(Buffer.from(ROWS[3].body!, 'utf8')));
    });
  }

  it('copy as curl, .http export and Postman export are the same before and after migration', () => {
    const before = loaded(oldFile(2, ROWS));
    const after = loaded(serializeCollection(before));
    const curl = (c: SavedCollection): string[] => requestsOf(c).map((r) => toCurl(r, env));
    assert.deepEqual(curl(after), curl(before));
    assert.equal(toHttpFile(after.items, { baseUrl: env.baseUrl }), toHttpFile(before.items, { baseUrl: env.baseUrl }));
    const postman = (c: SavedCollection): string => JSON.stringify(toPostmanCollection(c.items, { name: 'x', postmanId: 'fixed' }));
    assert.equal(postman(after), postman(before));
  });
});

describe('requests.json format 3: stability and diffs', () => {
  it('serialize → parse → serialize is identical for the migration table', () => {
    const text = serializeCollection(loaded(oldFile(2, ROWS)));
    assert.equal(serializeCollection(loaded(text)), text);
  });

  it('serialize → parse → serialize is identical, and every body comes back exactly, for 300 random collections', () => {
    const random = seeded(20261201);
    for (let n = 0; n < 300; n++) {
      const collection = randomCollection(random);
      const text = serializeCollection(collection);
      const back = loaded(text);
      assert.equal(serializeCollection(back), text, `collection ${n}`);
      const want = requestsOf(collection).map((r) => r.body || undefined);
      assert.deepEqual(requestsOf(back).map((r) => r.body || undefined), want, `collection ${n}: bodies`);
      for (const r of requestsOf(collection)) {
        const json = r.body ? canonicalJsonValue(r.body) : undefined;
        if (json !== undefined) assert.ok(text.includes(`"body": ${JSON.stringify(json, null, 2).split('\n')[0]}`));
      }
    }
  });

  it('changing one field of a JSON body changes exactly one line of the file', () => {
    const edits: Array<(r: ReferralEntry) => void> = [
      (r) => (r.campaignCode = 'SPRING-2026'),
      (r) => (r.birthDate = '1981-05-13'),
      (r) => (r.telecom[0]!.rank = 2),
    ];
    for (const edit of edits) {
      const request = { ...requestOf(ROWS[0], 0), auth: 'bearer' as const };
      const before = serializeCollection({ version: 3, items: [requestNode(request)] });
      const after = serializeCollection({ version: 3, items: [requestNode({ ...request, body: referralBody(edit) })] });
      assert.deepEqual(changedLines(before, after).length, 1, `${before}\n---\n${after}`);
    }
  });

  it('changing one line of a text body changes exactly one line of the file', () => {
    const request = requestOf(ROWS[4], 0);
    const before = serializeCollection({ version: 3, items: [requestNode(request)] });
    const after = serializeCollection({ version: 3, items: [requestNode({ ...request, body: request.body!.replace('line two', 'line 2') })] });
    assert.deepEqual(changedLines(before, after), [{ before: '        "line two\\r",', after: '        "line 2\\r",' }]);
  });
});

/** The lines that differ between two texts of the same length in lines (else the whole length difference shows). */
function changedLines(a: string, b: string): Array<{ before: string; after: string }> {
  const x = a.split('\n');
  const y = b.split('\n');
  assert.equal(x.length, y.length, 'same number of lines');
  return x.flatMap((line, i) => (line === y[i] ? [] : [{ before: line, after: y[i] }]));
}

// ---------------------------------------------------------------------------------------------------
// Random collections (a seeded generator, so a failure can be reproduced)

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['a', 'Zoë', '東京', '🧪', '{{subjectId}}', ' ', '\t', '"', '\\', '\r', '\n', '\r\n', '{', '}', '[', ']', ',', ':', '=', '&', '\u2028', '0', '-1.5e3'];

function randomText(random: () => number, max = 12): string {
  let out = '';
  const n = Math.floor(random() * max);
  for (let i = 0; i < n; i++) out += PIECES[Math.floor(random() * PIECES.length)];
  return out;
}

function randomJson(random: () => number, depth = 0): unknown {
  const r = random();
  if (depth > 3 || r < 0.3) {
    const scalars = [randomText(random, 4), Math.floor(random() * 1000) - 500, random() * 10, true, false, null, '{{limit}}'];
    return scalars[Math.floor(random() * scalars.length)];
  }
  if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => randomJson(random, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 5); i > 0; i--) obj[randomText(random, 3) || `k${i}`] = randomJson(random, depth + 1);
  return obj;
}

function randomBody(random: () => number): string | undefined {
  const r = random();
  if (r < 0.1) return undefined;
  if (r < 0.15) return '';
  const value = randomJson(random);
  if (r < 0.55) return JSON.stringify(value, null, 2);
  if (r < 0.7) return JSON.stringify(value);
  if (r < 0.75) return JSON.stringify(value, null, 4);
  if (r < 0.8) return JSON.stringify(value, null, 2).replace('\n', '\r\n');
  return randomText(random, 30);
}

function randomCollection(random: () => number): SavedCollection {
  let id = 0;
  const node = (depth: number): SavedCollection['items'][number] => {
    if (depth < 2 && random() < 0.25) {
      return { kind: 'folder', id: `f${++id}`, name: `Folder ${id}`, children: Array.from({ length: Math.floor(random() * 4) }, () => node(depth + 1)) };
    }
    const body = randomBody(random);
    return requestNode({ id: `r${++id}`, name: `Request ${id}`, method: 'POST', url: '/x', auth: 'bearer', ...(body !== undefined && { body }) });
  };
  return { version: 3, items: Array.from({ length: 1 + Math.floor(random() * 6) }, () => node(0)) };
}

describe('requests.json format 3: the ready-made folders', () => {
  it('the StudyTeam examples and the go-live checklist keep every body as JSON in the file', () => {
    for (const folder of [studyTeamExamples(), goLiveChecklist()]) {
      const text = serializeCollection({ version: 3, items: [folder] });
      const file = JSON.parse(text) as { items: Array<{ children: Array<Record<string, unknown>> }> };
      const withBodies = file.items[0].children.filter((c) => c.body !== undefined || c.bodyLines !== undefined);
      assert.ok(withBodies.length >= 2, folder.name);
      for (const item of withBodies) assert.equal(typeof item.body, 'object', `${folder.name} / ${String(item.name)}: stored as JSON`);
    }
  });
});
