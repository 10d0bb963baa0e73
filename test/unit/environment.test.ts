import * as assert from 'node:assert/strict';
import {
  apiOriginOf,
  audienceOf,
  DEFAULT_ENVIRONMENTS,
  isLoopbackHost,
  isPlainHttpHost,
  resolveRequestTarget,
  resolveRequestUrl,
  shortEnvironmentName,
  tokenUrlOf,
  validateEnvironment,
} from '../../src/core/environment';
import { isStudyTeamError } from '../../src/core/errors';
import type { Environment } from '../../src/core/model';

const staging: Environment = { id: 'staging', name: 'Staging', baseUrl: 'https://staging.api.studyteamapp.com', production: false };

describe('environment', () => {
  it('has Staging and Production defaults', () => {
    assert.deepEqual(
      DEFAULT_ENVIRONMENTS.map((e) => [e.id, e.name, e.baseUrl, e.production]),
      [
        ['staging', 'Staging', 'https://staging.api.studyteamapp.com', false],
        ['production', 'Production', 'https://api.studyteamapp.com', true],
      ],
    );
  });

  it('shortens names for narrow places, keeping production visible', () => {
    const cases: Array<[string, boolean, string]> = [
      ['Sandbox (local)', false, 'Sandbox'],
      ['Staging', false, 'Staging'],
      ['Production', true, 'Production'],
      ['Events Prod (production)', true, 'Events Prod'],
      ['Acme EU', true, 'Acme EU (prod)'],
      ['Acme EU (live)', true, 'Acme EU (prod)'],
      ['(local)', false, '(local)'],
    ];
    for (const [name, production, expected] of cases) assert.equal(shortEnvironmentName({ name, production }), expected, name);
  });

  it('derives token URL, audience and API origin', () => {
    assert.equal(tokenUrlOf(staging), 'https://staging.api.studyteamapp.com/oauth/token');
    assert.equal(tokenUrlOf({ ...staging, baseUrl: 'https://x.example/api/' }), 'https://x.example/api/oauth/token');
    assert.equal(tokenUrlOf({ ...staging, tokenUrl: 'https://auth.example/oauth/token' }), 'https://auth.example/oauth/token');
    assert.equal(audienceOf(staging), 'https://staging.api.studyteamapp.com');
    assert.equal(audienceOf({ ...staging, audience: 'urn:studyteam' }), 'urn:studyteam');
    assert.equal(apiOriginOf({ ...staging, baseUrl: 'https://x.example:8443/api' }), 'https://x.example:8443');
  });

  const loopback: Array<[string, boolean]> = [
    ['localhost', true],
    ['LOCALHOST', true],
    ['api.localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['::1', true],
    ['localhost.evil.com', false],
    ['128.0.0.1', false],
    ['example.com', false],
  ];
  for (const [host, expected] of loopback) {
    it(`isLoopbackHost(${host}) = ${expected}`, () => assert.equal(isLoopbackHost(host), expected));
  }

  // Exactly the hosts VS Code's proxy support never proxies (localhost, 127.0.0.1, ::1).
  const plainHttp: Array<[string, boolean]> = [
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['::1', true],
    ['127.0.0.2', false],
    ['127.1.2.3', false],
    ['api.localhost', false],
    ['0.0.0.0', false],
    ['example.com', false],
  ];
  for (const [host, expected] of plainHttp) {
    it(`isPlainHttpHost(${host}) = ${expected}`, () => assert.equal(isPlainHttpHost(host), expected));
  }

  const valid: Array<[string, unknown, Partial<Environment>]> = [
    ['https', { id: 'staging', name: 'Staging', baseUrl: 'https://staging.api.studyteamapp.com/' }, { baseUrl: 'https://staging.api.studyteamapp.com', production: false }],
    ['http loopback', { id: 'local-1', name: 'Local', baseUrl: 'http://127.0.0.1:4010', production: false }, { baseUrl: 'http://127.0.0.1:4010' }],
    ['http localhost', { id: 'local-2', name: 'Local', baseUrl: 'http://localhost:4010' }, { baseUrl: 'http://localhost:4010' }],
    ['http [::1]', { id: 'local-3', name: 'Local', baseUrl: 'http://[::1]:4010', tokenUrl: 'http://LOCALHOST:4011/oauth/token' }, { baseUrl: 'http://[::1]:4010', tokenUrl: 'http://localhost:4011/oauth/token' }],
    ['https on 127.0.0.2', { id: 'local-4', name: 'Local', baseUrl: 'https://127.0.0.2:8443' }, { baseUrl: 'https://127.0.0.2:8443' }],
    ['production + token URL', { id: 'prod', name: 'P', baseUrl: 'https://a.example', tokenUrl: 'https://auth.example/oauth/token', production: true }, { tokenUrl: 'https://auth.example/oauth/token', production: true }],
  ];
  for (const [name, input, expected] of valid) {
    it(`validateEnvironment accepts ${name}`, () => {
      const result = validateEnvironment(input);
      assert.ok(result.ok, JSON.stringify(result));
      for (const [k, v] of Object.entries(expected)) assert.deepEqual((result.value as unknown as Record<string, unknown>)[k], v);
    });
  }

  const invalid: Array<[string, unknown, RegExp]> = [
    ['not an object', 'x', /must be an object/],
    ['bad id', { id: 'Staging One', name: 'S', baseUrl: 'https://a.example' }, /id "Staging One" may only contain/],
    ['empty name', { id: 's', name: ' ', baseUrl: 'https://a.example' }, /name must not be empty/],
    ['missing baseUrl', { id: 's', name: 'S' }, /baseUrl is required/],
    ['plain http remote', { id: 's', name: 'S', baseUrl: 'http://api.example.com' }, /must use https:\/\/ \(api\.example\.com\): plain http is only allowed for localhost, 127\.0\.0\.1 and \[::1\]/],
    ['plain http to 127.0.0.2 (VS Code would proxy it)', { id: 's', name: 'S', baseUrl: 'http://127.0.0.2:4010' }, /baseUrl must use https:\/\/ \(127\.0\.0\.2:4010\).*never sends through a proxy.*clear text/],
    ['plain http to a *.localhost name', { id: 's', name: 'S', baseUrl: 'http://api.localhost:4010' }, /baseUrl must use https:\/\//],
    ['plain http token URL on 127.1.2.3', { id: 's', name: 'S', baseUrl: 'http://127.0.0.1:4010', tokenUrl: 'http://127.1.2.3:4011/oauth/token' }, /tokenUrl must use https:\/\/ \(127\.1\.2\.3:4011\)/],
    ['not a URL', { id: 's', name: 'S', baseUrl: 'staging' }, /is not a valid URL/],
    ['credentials in URL', { id: 's', name: 'S', baseUrl: 'https://u:p@a.example' }, /must not contain a user name or password/],
    ['ftp', { id: 's', name: 'S', baseUrl: 'ftp://a.example' }, /must use https/],
    ['http token URL', { id: 's', name: 'S', baseUrl: 'https://a.example', tokenUrl: 'http://auth.example/t' }, /tokenUrl must use https/],
    ['production not boolean', { id: 's', name: 'S', baseUrl: 'https://a.example', production: 'yes' }, /production must be true or false/],
  ];
  for (const [name, input, message] of invalid) {
    it(`validateEnvironment rejects ${name}`, () => {
      const result = validateEnvironment(input);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.errors.join('\n'), message);
    });
  }

  const urls: Array<[string, string, Array<{ name: string; value: string; enabled?: boolean }> | undefined, string]> = [
    ['path', '/rpi/sites', undefined, 'https://staging.api.studyteamapp.com/rpi/sites'],
    ['path without slash', 'rpi/sites', undefined, 'https://staging.api.studyteamapp.com/rpi/sites'],
    ['absolute', 'https://other.example/x?a=1', undefined, 'https://other.example/x?a=1'],
    ['query rows (enabled only)', '/rpi/events', [{ name: 'eventTypes', value: 'a,b' }, { name: 'limit', value: '10', enabled: false }, { name: 'since', value: '2025-01-01T00:00:00Z' }], 'https://staging.api.studyteamapp.com/rpi/events?eventTypes=a%2Cb&since=2025-01-01T00%3A00%3A00Z'],
    ['query appended to an existing query', '/x?a=1', [{ name: 'b', value: '2 3' }], 'https://staging.api.studyteamapp.com/x?a=1&b=2+3'],
  ];
  for (const [name, input, query, expected] of urls) {
    it(`resolveRequestUrl: ${name}`, () => assert.equal(resolveRequestUrl(staging, input, query).href, expected));
  }

  it('resolveRequestUrl joins under a base path', () => {
    assert.equal(resolveRequestUrl({ ...staging, baseUrl: 'https://a.example/api/' }, '/rpi/sites').href, 'https://a.example/api/rpi/sites');
  });

  it('resolveRequestUrl rejects garbage with invalid-request', () => {
    assert.throws(() => resolveRequestUrl(staging, 'http://'), (e: unknown) => isStudyTeamError(e, 'invalid-request'));
  });

  it('resolveRequestTarget answers as resolveRequestUrl (href, origin, pathname), the second time from its cache', () => {
    for (const [, input, query, expected] of urls) {
      for (let i = 0; i < 2; i++) {
        const target = resolveRequestTarget(staging, input, query);
        const url = resolveRequestUrl(staging, input, query);
        assert.deepEqual({ ...target }, { href: url.href, origin: url.origin, pathname: url.pathname });
        assert.equal(target.href, expected);
      }
    }
    assert.equal(resolveRequestTarget(staging, '/rpi/sites'), resolveRequestTarget(staging, '/rpi/sites'), 'remembered');
    assert.ok(Object.isFrozen(resolveRequestTarget(staging, '/rpi/sites')));
  });

  it('resolveRequestTarget keeps apart what resolves differently: base URL, query rows, their enabled flag, look-alike keys', () => {
    const other = { ...staging, baseUrl: 'https://other.example' };
    assert.equal(resolveRequestTarget(other, '/rpi/sites').origin, 'https://other.example');
    assert.equal(resolveRequestTarget(staging, '/rpi/sites').origin, 'https://staging.api.studyteamapp.com');
    assert.equal(resolveRequestTarget(staging, '/x', [{ name: 'a', value: '1' }]).href, 'https://staging.api.studyteamapp.com/x?a=1');
    assert.equal(resolveRequestTarget(staging, '/x', [{ name: 'a', value: '2' }]).href, 'https://staging.api.studyteamapp.com/x?a=2');
    assert.equal(resolveRequestTarget(staging, '/x', [{ name: 'a', value: '2', enabled: false }]).href, 'https://staging.api.studyteamapp.com/x');
    // A path that spells out what a query row would add to a naive key is still its own target.
    assert.equal(resolveRequestTarget(staging, '/x1:a1:1').href, 'https://staging.api.studyteamapp.com/x1:a1:1');
    assert.equal(resolveRequestTarget(staging, '/x', [{ name: '1:a1', value: '1' }]).href, 'https://staging.api.studyteamapp.com/x?1%3Aa1=1');
  });

  it('resolveRequestTarget throws invalid-request every time for garbage (never remembered)', () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(() => resolveRequestTarget(staging, 'http://'), (e: unknown) => isStudyTeamError(e, 'invalid-request'));
      assert.throws(() => resolveRequestTarget(staging, 'ftp://a.example/x'), (e: unknown) => isStudyTeamError(e, 'invalid-request'));
    }
  });
});
