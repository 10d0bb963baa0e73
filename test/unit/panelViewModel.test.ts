import * as assert from 'node:assert/strict';
import type { DraftRequest, DraftRow } from '../../src/panel/protocol';
import { isPersistedPanelState } from '../../src/panel/protocol';
import {
  buildQueryString,
  diskSafeState,
  restoreOmitted,
  childSlice,
  containerSummary,
  draftFromSaved,
  emptyDraft,
  encodeQueryComponent,
  extensionForContentType,
  formatBytes,
  formatDuration,
  formatJson,
  languageForContentType,
  lineColumnAt,
  panelTitle,
  parseQueryString,
  queryRowsFromUrl,
  savedFromDraft,
  splitUrl,
  statusClass,
  toApiRequest,
  urlWithQuery,
  validateJson,
  variableSegments,
} from '../../src/panel/viewModel';

import { blockStarts, ChunkedJsonParser, JSON_TOKEN_KINDS, prettyJsonPrefix, utf8Prefix } from '../../src/panel/largeBody';

const row = (name: string, value: string, enabled = true): DraftRow => ({ name, value, enabled });

describe('panel view model', () => {
  describe('URL ↔ query table', () => {
    const splits: Array<[string, ReturnType<typeof splitUrl>]> = [
      ['/rpi/sites', { base: '/rpi/sites', query: '', hasQuery: false, hash: '' }],
      ['/rpi/sites?', { base: '/rpi/sites', query: '', hasQuery: true, hash: '' }],
      ['/a?x=1&y=2#frag', { base: '/a', query: 'x=1&y=2', hasQuery: true, hash: '#frag' }],
      ['https://h/a?b=c?d', { base: 'https://h/a', query: 'b=c?d', hasQuery: true, hash: '' }],
      ['', { base: '', query: '', hasQuery: false, hash: '' }],
    ];
    for (const [url, expected] of splits) it(`splits ${JSON.stringify(url)}`, () => assert.deepEqual(splitUrl(url), expected));

    it('parses query strings (decoding, + as space, bare names, bad escapes kept)', () => {
      assert.deepEqual(parseQueryString('a=1&b=hello+world&c&d=%E2%9C%93&e=%zz&&'), [
        row('a', '1'),
        row('b', 'hello world'),
        row('c', ''),
        row('d', '✓'),
        row('e', '%zz'),
      ]);
      assert.deepEqual(parseQueryString(''), []);
    });

    it('keeps {{variables}} readable when encoding', () => {
      assert.equal(encodeQueryComponent('{{siteId}}'), '{{siteId}}');
      assert.equal(encodeQueryComponent('a b&{{x}}/'), 'a%20b%26{{x}}%2F');
      assert.equal(buildQueryString([row('site', '{{siteId}}'), row('off', 'x', false), row('', 'nameless')]), 'site={{siteId}}');
    });

    it('URL edits replace enabled rows and keep disabled ones', () => {
      const previous = [row('a', '1'), row('debug', 'true', false)];
      assert.deepEqual(queryRowsFromUrl('/x?a=2&b=3', previous), [row('a', '2'), row('b', '3'), row('debug', 'true', false)]);
      assert.deepEqual(queryRowsFromUrl('/x', previous), [row('debug', 'true', false)]);
    });

    it('table edits rewrite only the query string (hash kept)', () => {
      assert.equal(urlWithQuery('/x?old=1#top', [row('a', '1 2'), row('b', 'z', false)]), '/x?a=1%202#top');
      assert.equal(urlWithQuery('/x?old=1', []), '/x');
      assert.equal(urlWithQuery('{{baseUrl}}/x', [row('page', '2')]), '{{baseUrl}}/x?page=2');
    });

    it('round-trips URL → rows → URL', () => {
      const url = '/rpi/sites?page=2&q=a%20b&site={{siteId}}';
      assert.equal(urlWithQuery(url, queryRowsFromUrl(url, [])), url);
    });
  });

  describe('variables', () => {
    it('segments {{variables}} for the overlay', () => {
      assert.deepEqual(variableSegments('{{baseUrl}}/sites/{{ siteId }}?x=1'), [
        { text: '{{baseUrl}}', variable: 'baseUrl' },
        { text: '/sites/' },
        { text: '{{ siteId }}', variable: 'siteId' },
        { text: '?x=1' },
      ]);
      assert.deepEqual(variableSegments('plain'), [{ text: 'plain' }]);
      assert.deepEqual(variableSegments('{{}} {{a'), [{ text: '{{}} {{a' }]);
    });
  });

  describe('draft → request', () => {
    const draft: DraftRequest = {
      ...emptyDraft(),
      name: 'Create referral',
      method: 'POST',
      url: '/rpi/referrals?notify=true',
      query: [row('notify', 'true'), row('dryRun', '1', false)],
      headers: [row('X-Trace', 'abc'), row('', 'ignored'), row('X-Off', '1', false)],
      body: '{"subject":1}',
    };
    it('sends the path without its query string (the rows carry it) and adds a JSON content type', () => {
      assert.deepEqual(toApiRequest(draft), {
        method: 'POST',
        url: '/rpi/referrals',
        query: [
          { name: 'notify', value: 'true', enabled: true },
          { name: 'dryRun', value: '1', enabled: false },
        ],
        headers: [
          { name: 'X-Trace', value: 'abc', enabled: true },
          { name: 'X-Off', value: '1', enabled: false },
          { name: 'Content-Type', value: 'application/json', enabled: true },
        ],
        body: '{"subject":1}',
        auth: 'bearer',
      });
    });
    it('keeps an explicit content type, drops the body of GET, adds no content type for raw', () => {
      const explicit = toApiRequest({ ...draft, headers: [row('content-type', 'application/vnd.api+json')] });
      assert.deepEqual(explicit.headers, [{ name: 'content-type', value: 'application/vnd.api+json', enabled: true }]);
      const get = toApiRequest({ ...draft, method: 'GET' });
      assert.equal(get.body, undefined);
      const raw = toApiRequest({ ...draft, bodyMode: 'raw', headers: [] });
      assert.equal(raw.headers, undefined);
      assert.equal(raw.body, '{"subject":1}');
    });
    it('saves path + rows, keeps the description, names unnamed requests', () => {
      const saved = savedFromDraft({ ...draft, name: '' }, 'req_1', { id: 'req_1', name: 'Old', method: 'GET', url: '/', auth: 'none', description: 'keep me' });
      assert.equal(saved.name, 'POST /rpi/referrals');
      assert.equal(saved.url, '/rpi/referrals');
      assert.equal(saved.description, 'keep me');
      assert.deepEqual(saved.headers?.map((h) => h.name), ['X-Trace', 'X-Off']);
      assert.deepEqual(draftFromSaved(saved).url, '/rpi/referrals?notify=true');
      assert.deepEqual(draftFromSaved(saved).query, draft.query);
    });
    it('opens saved requests whose URL still carries a query string', () => {
      const d = draftFromSaved({ id: 'r', name: 'n', method: 'GET', url: '/x?a=1', query: [{ name: 'b', value: '2', enabled: false }], auth: 'none' });
      assert.equal(d.url, '/x?a=1');
      assert.deepEqual(d.query, [row('a', '1'), row('b', '2', false)]);
      assert.equal(d.bodyMode, 'json');
      assert.equal(draftFromSaved({ id: 'r', name: 'n', method: 'POST', url: '/x', body: 'a=b', auth: 'none' }).bodyMode, 'raw');
    });
    it('titles', () => {
      assert.equal(panelTitle(emptyDraft()), 'New Request');
      assert.equal(panelTitle({ ...emptyDraft(), url: 'https://api.example.com/rpi/sites?x=1' }), 'GET /rpi/sites');
      assert.equal(panelTitle({ ...emptyDraft(), name: '  Sites ' }), 'Sites');
    });
  });

  describe('JSON', () => {
    it('validates with line and column', () => {
      assert.deepEqual(validateJson('{"a": 1}'), { ok: true });
      const bad = validateJson('{\n  "a": 1,\n  oops\n}');
      assert.equal(bad.ok, false);
      if (!bad.ok) {
        assert.equal(bad.line, 3);
        assert.match(bad.message, /line 3/);
      }
      assert.equal(validateJson('').ok, false);
    });
    it('line/column of an offset', () => {
      assert.deepEqual(lineColumnAt('ab\ncd', 4), { line: 2, column: 2 });
      assert.deepEqual(lineColumnAt('ab', 99), { line: 1, column: 3 });
    });
    it('formats', () => {
      assert.equal(formatJson('{"a":[1,{"b":null}]}'), '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}');
      assert.equal(formatJson('nope'), undefined);
    });
    it('slices children lazily and summarises containers', () => {
      const arr = Array.from({ length: 250 }, (_, i) => i);
      assert.deepEqual(childSlice(arr, 100, 3), [
        ['100', 100],
        ['101', 101],
        ['102', 102],
      ]);
      assert.deepEqual(childSlice({ a: 1, b: 2, c: 3 }, 1, 5), [
        ['b', 2],
        ['c', 3],
      ]);
      assert.deepEqual(childSlice('scalar', 0, 5), []);
      assert.equal(containerSummary(arr), '[ 250 items ]');
      assert.equal(containerSummary({ a: 1 }), '{ 1 key }');
    });
  });

  describe('formatting', () => {
    const sizes: Array<[number, string]> = [
      [0, '0 B'],
      [1023, '1023 B'],
      [1024, '1.0 KB'],
      [15_360, '15 KB'],
      [10 * 1024 * 1024, '10 MB'],
      [1.5 * 1024 * 1024, '1.5 MB'],
      [-1, '—'],
    ];
    for (const [bytes, text] of sizes) it(`${bytes} bytes → ${text}`, () => assert.equal(formatBytes(bytes), text));
    const durations: Array<[number, string]> = [
      [0.4, '0 ms'],
      [143.4, '143 ms'],
      [1500, '1.50 s'],
      [125_000, '2 min 5 s'],
      [Number.NaN, '—'],
    ];
    for (const [ms, text] of durations) it(`${ms} ms → ${text}`, () => assert.equal(formatDuration(ms), text));
    const classes: Array<[number, string]> = [
      [101, 'informational'],
      [200, 'success'],
      [204, 'success'],
      [304, 'redirect'],
      [401, 'client-error'],
      [429, 'client-error'],
      [500, 'server-error'],
      [503, 'server-error'],
      [700, 'unknown'],
    ];
    for (const [status, cls] of classes) it(`status ${status} → ${cls}`, () => assert.equal(statusClass(status), cls));
    const languages: Array<[string, string, string]> = [
      ['application/json; charset=utf-8', '', 'json'],
      ['application/problem+json', '', 'json'],
      ['application/xml', '', 'xml'],
      ['application/atom+xml', '', 'xml'],
      ['text/html', '', 'html'],
      ['text/plain', '{"a":1}', 'plaintext'],
      ['', '{"a":1}', 'json'],
      ['', 'hello', 'plaintext'],
    ];
    for (const [ct, text, lang] of languages) it(`language of ${ct || '(none)'} → ${lang}`, () => assert.equal(languageForContentType(ct, text), lang));
    it('file extensions', () => {
      assert.equal(extensionForContentType('application/json'), 'json');
      assert.equal(extensionForContentType('image/png'), 'png');
      assert.equal(extensionForContentType('application/octet-stream'), 'txt');
    });
  });


  describe('large bodies', () => {
    it('cuts UTF-8 at a character boundary', () => {
      const bytes = new TextEncoder().encode('aé€😀b'); // 1 + 2 + 3 + 4 + 1 bytes
      const cases: Array<[number, string]> = [[0, ''], [1, 'a'], [2, 'a'], [3, 'aé'], [5, 'aé'], [6, 'aé€'], [9, 'aé€'], [10, 'aé€😀'], [11, 'aé€😀b'], [99, 'aé€😀b']];
      for (const [max, expected] of cases) assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(utf8Prefix(bytes, max)), expected, `max ${max}`);
    });

    const kinds = (text: string): Array<[string, string]> => {
      const p = prettyJsonPrefix(text);
      const out: Array<[string, string]> = [];
      for (let i = 0; i < p.tokens.length; i += 3) out.push([p.text.slice(p.tokens[i], p.tokens[i + 1]), JSON_TOKEN_KINDS[p.tokens[i + 2] ?? 0] ?? '?']);
      return out;
    };

    it('pretty-prints complete JSON like JSON.stringify(…, null, 2)', () => {
      for (const value of [{ a: 1, b: [true, null, 'x'], c: {}, d: [], e: { f: { g: -1.5e3 } } }, [1, [2, [3]], { 'k"ey': 'v\\"al' }], 'text', 42]) {
        const text = JSON.stringify(value);
        const p = prettyJsonPrefix(text);
        assert.equal(p.text, JSON.stringify(value, null, 2));
        assert.equal(p.cut, false);
        assert.equal(prettyJsonPrefix(JSON.stringify(value, null, 4)).text, p.text, 'whitespace in the input does not matter');
      }
    });

    it('marks keys, strings, numbers and literals', () => {
      assert.deepEqual(kinds('{"a":"b","n":-1.5,"t":true,"z":null,"arr":["s",2,false]}'), [
        ['"a"', 'key'], ['"b"', 'string'], ['"n"', 'key'], ['-1.5', 'number'], ['"t"', 'key'], ['true', 'boolean'], ['"z"', 'key'], ['null', 'null'],
        ['"arr"', 'key'], ['"s"', 'string'], ['2', 'number'], ['false', 'boolean'],
      ]);
    });

    it('tolerates text cut anywhere (a preview) and says so', () => {
      const full = JSON.stringify([{ id: 1001, name: 'Site "A"', tags: ['x', 'y'], ok: true }, { id: 1002, name: 'B' }]);
      for (let cut = 1; cut < full.length; cut++) {
        const p = prettyJsonPrefix(full.slice(0, cut));
        assert.equal(p.cut, true, `cut at ${cut}`);
        assert.ok(JSON.stringify(full.slice(0, cut)).length > 0 && p.text.replace(/\s/g, '').length >= full.slice(0, cut).replace(/\s/g, '').length - 0, `cut at ${cut}`);
      }
      assert.equal(prettyJsonPrefix('[{"id":1001,"na').text, '[\n  {\n    "id": 1001,\n    "na');
    });

    it('splits text into blocks of whole lines', () => {
      const text = ['a', 'b', 'c', 'd', 'e'].join('\n');
      assert.deepEqual(blockStarts(text, 2), [0, 4, 8]);
      assert.deepEqual(blockStarts(text, 10), [0]);
      assert.deepEqual(blockStarts('', 2), [0]);
      assert.deepEqual(blockStarts('a\nb\n', 2), [0]);
    });

    const parseAll = (text: string, leafLimit: number, yieldEvery = 0): { ok: boolean; value?: unknown; steps: number } => {
      const parser = new ChunkedJsonParser(text, leafLimit);
      let calls = 0;
      for (let steps = 1; ; steps++) {
        const step = parser.step(() => yieldEvery > 0 && ++calls % yieldEvery === 0);
        if (step.done) return step.ok ? { ok: true, value: step.value, steps } : { ok: false, steps };
        assert.ok(step.progress >= 0 && step.progress <= 1);
      }
    };

    it('parses in slices to exactly what JSON.parse gives', () => {
      const big = Array.from({ length: 300 }, (_, i) => ({ id: i, name: `Site ${i} "quoted" \\ \u00e9`, nested: { list: [i, i + 0.5, null, true], empty: {}, none: [] } }));
      const samples: unknown[] = [big, { data: big, meta: { count: 300 } }, { a: { b: { c: big } } }, [], {}, 0, 'text', null, [[[[1]]]], { __proto__: 1, constructor: 2 }];
      for (const value of samples) {
        const text = JSON.stringify(value, null, 1);
        for (const leafLimit of [1, 16, 1024, 1 << 20]) {
          for (const yieldEvery of [0, 2, 7]) {
            const result = parseAll(text, leafLimit, yieldEvery);
            assert.equal(result.ok, true, `${text.slice(0, 40)} leafLimit ${leafLimit}`);
            assert.deepEqual(result.value, JSON.parse(text));
          }
        }
      }
      const proto = parseAll('{"__proto__":{"polluted":true}}', 1).value as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(proto), Object.prototype, '"__proto__" stays an own property');
      assert.deepEqual(Object.keys(proto), ['__proto__']);
      assert.ok(parseAll(JSON.stringify(big), 64, 3).steps > 10, 'it really yields');
    });

    it('rejects invalid JSON like JSON.parse does', () => {
      const bad = ['', '[', '[1,', '[1 2]', '[1,]', '{"a" 1}', '{"a":1,}', '{a:1}', '[1]]', '[1] x', '{"a":1}}', '["unterminated]', '[tru]', '{"a":[1,{"b":2]}', ' '];
      for (const text of bad) {
        for (const leafLimit of [1, 1 << 20]) assert.equal(parseAll(text, leafLimit).ok, false, `${JSON.stringify(text)} leafLimit ${leafLimit}`);
      }
    });
  });
});

describe('panel view model: webview state on disk', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3NpZ25hdHVyZQ';
  const row = (name: string, value: string, enabled = true): DraftRow => ({ name, value, enabled });
  const draft: DraftRequest = {
    ...emptyDraft(),
    name: 'Hand-typed credentials',
    auth: 'none',
    url: `/rpi/sites?page=2&access=${JWT}`,
    query: [row('page', '2'), row('access', JWT)],
    headers: [
      row('Accept', 'application/json'),
      row('Authorization', 'Basic dXNlcjpwYXNzd29yZA=='),
      row('x-api-key', 'k-1234567890'),
      row(' Cookie ', 'session=abc'),
      row('X-Custom', `Bearer ${JWT}`),
      row('X-Api-Key', '', false),
    ],
    body: '{"firstName": "Zebulon"}',
  };
  const secrets = ['dXNlcjpwYXNzd29yZA==', 'k-1234567890', 'session=abc', JWT, 'Zebulon'];

  it('blanks the body and every credential value (sensitive header names, token-looking header and query values)', () => {
    const safe = diskSafeState({ version: 1, draft, savedId: 'r1' });
    const text = JSON.stringify(safe);
    for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} is not in ${text}`);
    assert.equal(safe.bodyOmitted, true);
    assert.deepEqual(safe.omittedValues, { headers: [1, 2, 3, 4], query: [1] });
    assert.deepEqual(safe.draft.headers.map((h) => [h.name, h.value]), [
      ['Accept', 'application/json'],
      ['Authorization', ''],
      ['x-api-key', ''],
      [' Cookie ', ''],
      ['X-Custom', ''],
      ['X-Api-Key', ''],
    ]);
    assert.equal(safe.draft.url, '/rpi/sites?page=2&access=');
    assert.equal(safe.savedId, 'r1');
    assert.ok(isPersistedPanelState(safe), 'the disk copy passes the protocol guard');
  });

  it('leaves a draft without body or credentials as it is', () => {
    const plain = { version: 1 as const, draft: { ...emptyDraft(), url: '/rpi/sites?page=2', query: [row('page', '2')], headers: [row('Accept', '*/*')] } };
    assert.equal(diskSafeState(plain), plain);
  });

  it('restoreOmitted puts the host\'s in-memory body and values back (hide/reveal), by position or by name', () => {
    const safe = diskSafeState({ version: 1, draft });
    assert.deepEqual(restoreOmitted(safe, draft), { version: 1, draft });
    // The host's copy has its rows in another order: matched by name.
    const reordered: DraftRequest = { ...draft, headers: [...draft.headers].reverse() };
    assert.deepEqual(restoreOmitted(safe, reordered).draft.headers, draft.headers);
    // Nothing in memory (e.g. after a reload): values stay blank, the marks are gone.
    const empty = restoreOmitted(safe, emptyDraft());
    assert.equal(empty.omittedValues, undefined);
    assert.equal(empty.bodyOmitted, undefined);
    assert.ok(!JSON.stringify(empty).includes('k-1234567890'));
  });

  it('the protocol guard rejects malformed omittedValues', () => {
    assert.equal(isPersistedPanelState({ version: 1, draft, omittedValues: { headers: ['1'], query: [] } }), false);
    assert.equal(isPersistedPanelState({ version: 1, draft, omittedValues: true }), false);
  });
});
