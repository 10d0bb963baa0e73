import * as assert from 'node:assert/strict';
import { encodeFormQueryComponent, encodeQueryKeepingVariables, splitPathAndQueryRows, splitUrlParts } from '../../src/core/urlParts';
import { apiRequestFromDraft, buildQueryString, sameSavedForm, draftFromSaved, emptyDraft, panelTitle, parseQueryString, queryRowsFromUrl, savedFromDraft, urlWithQuery } from '../../src/panel/draft';
import type { DraftRequest, DraftRow } from '../../src/panel/protocol';

const row = (name: string, value: string, enabled = true): DraftRow => ({ name, value, enabled });

describe('panel draft', () => {
  describe('URL ↔ query table', () => {
    const splits: Array<[string, ReturnType<typeof splitUrlParts>]> = [
      ['/rpi/sites', { base: '/rpi/sites', query: '', hasQuery: false, hash: '' }],
      ['/rpi/sites?', { base: '/rpi/sites', query: '', hasQuery: true, hash: '' }],
      ['/a?x=1&y=2#frag', { base: '/a', query: 'x=1&y=2', hasQuery: true, hash: '#frag' }],
      ['https://h/a?b=c?d', { base: 'https://h/a', query: 'b=c?d', hasQuery: true, hash: '' }],
      ['', { base: '', query: '', hasQuery: false, hash: '' }],
    ];
    for (const [url, expected] of splits) it(`splits ${JSON.stringify(url)}`, () => assert.deepEqual(splitUrlParts(url), expected));

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
      assert.equal(encodeQueryKeepingVariables('{{siteId}}'), '{{siteId}}');
      assert.equal(encodeQueryKeepingVariables('a b&{{x}}/'), 'a%20b%26{{x}}%2F');
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

  describe('the two URL flavours (src/core/urlParts.ts) differ on purpose', () => {
    it('URL parts keep the query text and the hash; path + rows decode the query and drop the hash', () => {
      assert.deepEqual(splitUrlParts('/a?b=c+d#top'), { base: '/a', query: 'b=c+d', hasQuery: true, hash: '#top' });
      assert.deepEqual(splitPathAndQueryRows('/a?b=c+d#top'), { url: '/a', query: [{ name: 'b', value: 'c d' }] });
    });
    it('the panel percent-encodes a space and a slash; the form flavour writes + and keeps / readable', () => {
      assert.equal(encodeQueryKeepingVariables('a b/c'), 'a%20b%2Fc');
      assert.equal(encodeFormQueryComponent('a b/c'), 'a+b/c');
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
      assert.deepEqual(apiRequestFromDraft(draft), {
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
      const explicit = apiRequestFromDraft({ ...draft, headers: [row('content-type', 'application/vnd.api+json')] });
      assert.deepEqual(explicit.headers, [{ name: 'content-type', value: 'application/vnd.api+json', enabled: true }]);
      const get = apiRequestFromDraft({ ...draft, method: 'GET' });
      assert.equal(get.body, undefined);
      const raw = apiRequestFromDraft({ ...draft, bodyMode: 'raw', headers: [] });
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

  describe('unsaved edits (sameSavedForm)', () => {
    const base: DraftRequest = { ...emptyDraft(), name: 'Sites', url: '/rpi/sites?page=1', query: [row('page', '1')], body: '' };
    it('counts what is saved, not how the panel shows it', () => {
      assert.equal(sameSavedForm(base, { ...base }), true);
      assert.equal(sameSavedForm(base, { ...base, bodyMode: 'raw' }), true, 'the body mode is not saved');
      assert.equal(sameSavedForm(base, { ...base, headers: [row('', '')] }), true, 'an empty header row is not saved');
    });
    const edits: Array<[string, Partial<DraftRequest>]> = [
      ['name', { name: 'Sites 2' }],
      ['method', { method: 'POST' }],
      ['url', { url: '/rpi/events' }],
      ['query value', { query: [row('page', '2')], url: '/rpi/sites?page=2' }],
      ['disabled query row', { query: [row('page', '1'), row('debug', '1', false)] }],
      ['header', { headers: [row('Accept', 'text/csv')] }],
      ['body', { body: '{}' }],
      ['auth', { auth: 'none' }],
    ];
    for (const [what, patch] of edits) it(`an edited ${what} is an unsaved edit`, () => assert.equal(sameSavedForm(base, { ...base, ...patch }), false));
  });
});
