import { strict as assert } from 'node:assert';
import { curlCarriesToken, parseCurl, shellWords, toCurl } from '../../src/core/curl';
import type { ApiRequest, Environment } from '../../src/core/model';

const BASE = 'https://staging.api.studyteamapp.com';
const env: Environment = { id: 'staging', name: 'Staging', baseUrl: BASE, production: false, variables: { siteId: 'site-1' } };
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3NpZ25hdHVyZQ';

describe('curl: parse', () => {
  const cases: Array<{ name: string; command: string; expect: Record<string, unknown> }> = [
    {
      name: 'bearer header → auth bearer, URL on the base → path',
      command: `curl ${BASE}/rpi/sites -H 'Authorization: Bearer ${JWT}' -H "Accept: application/json"`,
      expect: { method: 'GET', url: '/rpi/sites', auth: 'bearer', headers: [{ name: 'Accept', value: 'application/json' }] },
    },
    {
      name: 'multi-line with backslashes, -X, quotes with an escaped single quote, query',
      command: `curl -X POST 'https://x.example/a?b=1&c=two%20words' \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{"a": "it'\\''s"}'`,
      expect: {
        method: 'POST',
        url: 'https://x.example/a',
        auth: 'none',
        query: [{ name: 'b', value: '1' }, { name: 'c', value: 'two words' }],
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        body: `{"a": "it's"}`,
      },
    },
    {
      name: '--json sets content-type and accept, implies POST',
      command: `curl --json '{"a":1}' https://h.example/x`,
      expect: {
        method: 'POST',
        url: 'https://h.example/x',
        auth: 'none',
        headers: [{ name: 'Content-Type', value: 'application/json' }, { name: 'Accept', value: 'application/json' }],
        body: '{"a":1}',
      },
    },
    {
      name: 'several -d are joined with & and form-encoded',
      command: 'curl -d a=1 --data b=2 https://h.example/x',
      expect: { method: 'POST', url: 'https://h.example/x', auth: 'none', headers: [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }], body: 'a=1&b=2' },
    },
    {
      name: '-G moves data into the query',
      command: 'curl -G -d limit=5 --url https://h.example/x',
      expect: { method: 'GET', url: 'https://h.example/x', auth: 'none', query: [{ name: 'limit', value: '5' }] },
    },
    {
      name: '-XPUT short form, double-quoted JSON with escapes, ignored flags',
      command: 'curl -sSL -k -XPUT "https://h.example/x" --compressed -H "Content-Type: application/json" -d "{\\"a\\": \\"b\\"}"',
      expect: { method: 'PUT', url: 'https://h.example/x', auth: 'none', headers: [{ name: 'Content-Type', value: 'application/json' }], body: '{"a": "b"}' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parseCurl(c.command, { baseUrl: BASE });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.deepEqual(r.request, c.expect);
    });
  }

  it('drops credentials with warnings that never contain them', () => {
    const r = parseCurl(`curl -u me:pw -b 'session=abc' -H 'X-Api-Key: k123' -H 'Authorization: Basic Zm9vOmJhcg==' https://h.example/x`);
    assert.ok(r.ok);
    assert.equal(r.request.headers, undefined);
    assert.equal(r.request.auth, 'none');
    assert.equal(r.warnings.length, 4);
    assert.ok(!/pw|abc|k123|Zm9v/.test(r.warnings.join(' ')));
  });

  const errors: Array<{ command: string; error: RegExp }> = [
    { command: 'wget https://h.example', error: /not a curl command/ },
    { command: 'curl -H', error: /-H needs a value/ },
    { command: 'curl -X FETCH https://h.example', error: /FETCH is not supported/ },
    { command: "curl 'https://h.example", error: /unterminated single quote/ },
    { command: 'curl -s', error: /no URL/ },
  ];
  for (const c of errors) {
    it(`error: ${c.command}`, () => {
      const r = parseCurl(c.command);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error, c.error);
    });
  }

  it("splits $'…' words", () => {
    assert.deepEqual(shellWords("curl $'a\\nb' c\\ d"), { ok: true, words: ['curl', 'a\nb', 'c d'] });
  });
});

describe('curl: toCurl', () => {
  const request: ApiRequest = {
    method: 'POST',
    url: '/rpi/sites/{{siteId}}/referrals',
    query: [{ name: 'dry run', value: 'yes' }, { name: 'off', value: 'x', enabled: false }],
    headers: [{ name: 'Content-Type', value: 'application/json' }],
    body: `{"name": "O'Brien"}`,
    auth: 'bearer',
  };

  it('reads the token from $STUDYTEAM_TOKEN by default and resolves variables', () => {
    assert.equal(
      toCurl(request, env),
      [
        'curl -X POST',
        `'${BASE}/rpi/sites/site-1/referrals?dry+run=yes'`,
        `-H "authorization: Bearer $STUDYTEAM_TOKEN"`,
        `-H 'Content-Type: application/json'`,
        `--data-raw '{"name": "O'\\''Brien"}'`,
      ].join(' \\\n  '),
    );
  });

  it('shows the token only when given explicitly', () => {
    assert.match(toCurl(request, env, { token: 'tok-123' }), /-H 'authorization: Bearer tok-123'/);
  });

  it('auth none sends no authorization; GET has no -X', () => {
    const out = toCurl({ method: 'GET', url: '/microsites-api/v1/m/sites/t', auth: 'none' }, env);
    assert.equal(out, `curl \\\n  ${BASE}/microsites-api/v1/m/sites/t`);
  });

  it('round-trips through parseCurl', () => {
    const back = parseCurl(toCurl(request, env), { baseUrl: BASE });
    assert.ok(back.ok);
    assert.deepEqual(back.request, {
      method: 'POST',
      url: '/rpi/sites/site-1/referrals',
      auth: 'bearer',
      query: [{ name: 'dry run', value: 'yes' }],
      headers: [{ name: 'Content-Type', value: 'application/json' }],
      body: `{"name": "O'Brien"}`,
    });
  });

  it('never puts the token into a curl for a URL off the environment\'s API origin (the runner does not send it there)', () => {
    const thirdParty: ApiRequest = { method: 'GET', url: 'https://collector.example.net/ingest', auth: 'bearer' };
    const out = toCurl(thirdParty, env, { token: 'tok-live-123' });
    assert.ok(!out.includes('tok-live-123'), out);
    assert.ok(!/authorization/i.test(out.split('\n').slice(1).join('\n')), out);
    assert.equal(
      out,
      [
        `# bearer token not included: https://collector.example.net is not Staging's API origin (${BASE})`,
        'curl \\\n  https://collector.example.net/ingest',
      ].join('\n'),
    );
    assert.equal(curlCarriesToken(thirdParty, env), false);
    // Same host, other port or scheme: another origin too.
    assert.ok(!toCurl({ ...thirdParty, url: 'http://staging.api.studyteamapp.com/rpi/sites' }, env, { token: 'tok-live-123' }).includes('tok-live-123'));
    // An absolute URL on the API origin keeps it; and the comment line does not stop parseCurl.
    assert.match(toCurl({ ...thirdParty, url: `${BASE}/rpi/sites` }, env, { token: 'tok-live-123' }), /-H 'authorization: Bearer tok-live-123'/);
    assert.equal(curlCarriesToken({ ...thirdParty, url: '/rpi/sites' }, env), true);
    const back = parseCurl(out, { baseUrl: BASE });
    assert.ok(back.ok);
    assert.equal(back.request.url, 'https://collector.example.net/ingest');
  });

  it('adds content-type: application/json for a JSON-looking body without one, like the runner', () => {
    const out = toCurl({ method: 'POST', url: '/rpi/x', auth: 'none', body: '  [{"a": 1}]' }, env);
    assert.match(out, /-H 'content-type: application\/json' \\\n  --data-raw/);
    const given = toCurl({ method: 'POST', url: '/rpi/x', auth: 'none', headers: [{ name: 'Content-Type', value: 'text/plain' }], body: '{"a": 1}' }, env);
    assert.ok(!given.includes('application/json'), given);
    const disabled = toCurl({ method: 'POST', url: '/rpi/x', auth: 'none', headers: [{ name: 'Content-Type', value: 'text/plain', enabled: false }], body: '{}' }, env);
    assert.match(disabled, /content-type: application\/json/);
    assert.ok(!toCurl({ method: 'POST', url: '/rpi/x', auth: 'none', body: 'a=1' }, env).includes('content-type'));
  });

  it('HEAD uses --head, not -X HEAD (which makes curl wait for a body)', () => {
    const out = toCurl({ method: 'HEAD', url: '/rpi/sites', auth: 'none' }, env);
    assert.equal(out, `curl --head \\\n  ${BASE}/rpi/sites`);
    assert.ok(!out.includes('-X'));
    const back = parseCurl(out, { baseUrl: BASE });
    assert.ok(back.ok);
    assert.equal(back.request.method, 'HEAD');
  });
});
