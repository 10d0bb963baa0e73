import { strict as assert } from 'node:assert';
import { describeUnresolved, resolveVariables, variableNamesIn, variablesOf } from '../../src/core/variables';
import type { ApiRequest, Environment } from '../../src/core/model';
import { evaluateSystemVariable, formatDate } from '../../src/core/systemVariables';
import type { SystemVariableSource } from '../../src/core/systemVariables';

/** 2024-03-05T14:07:09.042Z, a fixed random and counting UUIDs. */
function fixedSource(random = 0.5): SystemVariableSource {
  let n = 0;
  return { now: () => Date.UTC(2024, 2, 5, 14, 7, 9, 42), random: () => random, uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
}

const env: Environment = {
  id: 'staging',
  name: 'Staging',
  baseUrl: 'https://staging.api.studyteamapp.com',
  production: false,
  variables: { siteId: 'site-1', trialId: 't 1', baseUrl: 'https://evil.example' },
};

describe('variables', () => {
  it('variablesOf: baseUrl plus the environment variables; baseUrl is always the environment\'s', () => {
    assert.deepEqual(variablesOf(env), { siteId: 'site-1', trialId: 't 1', baseUrl: 'https://staging.api.studyteamapp.com' });
  });

  it('resolves {{name}} in url, query, headers and body; leaves unknowns and lists them in order', () => {
    const request: ApiRequest = {
      method: 'POST',
      url: '{{baseUrl}}/rpi/sites/{{ siteId }}/referrals/subjects/{{subjectId}}',
      query: [{ name: 'trial', value: '{{trialId}}' }, { name: 'off', value: '{{disabledVar}}', enabled: false }],
      headers: [{ name: 'X-Site', value: '{{siteId}}' }, { name: 'X-Other', value: '{{other}}' }],
      body: '{"trialId": "{{trialId}}", "x": "{{bodyVar}}"}',
      auth: 'bearer',
    };
    const r = resolveVariables(request, variablesOf(env));
    assert.equal(r.request.url, 'https://staging.api.studyteamapp.com/rpi/sites/site-1/referrals/subjects/{{subjectId}}');
    assert.deepEqual(r.request.query, [{ name: 'trial', value: 't 1' }, { name: 'off', value: '{{disabledVar}}', enabled: false }]);
    assert.deepEqual(r.request.headers, [{ name: 'X-Site', value: 'site-1' }, { name: 'X-Other', value: '{{other}}' }]);
    assert.equal(r.request.body, '{"trialId": "t 1", "x": "{{bodyVar}}"}');
    assert.deepEqual(r.unresolved, ['subjectId', 'other', 'bodyVar']);
    assert.equal(r.request.auth, 'bearer');
  });

  it('treats {param} in the URL path as a path parameter (encoded), not in the query or body', () => {
    const r = resolveVariables({ method: 'GET', url: '/sites/{siteId}/x/{trialId}?q={notPath}', auth: 'none', body: '{"a":{b}}' }, { siteId: 's/1' });
    assert.equal(r.request.url, '/sites/s%2F1/x/{trialId}?q={notPath}');
    assert.deepEqual(r.unresolved, ['trialId']);
    assert.deepEqual(variableNamesIn({ url: '/a/{x}/{{y}}' }), ['y', 'x']);
  });

  it('describes what is missing', () => {
    assert.equal(
      describeUnresolved(['siteId', 'subjectId'], 'Staging'),
      'Missing values for {{siteId}}, {{subjectId}}. Define them as variables of the environment "Staging" or enter them when asked.',
    );
  });

  describe('system variables (REST Client / httpYac)', () => {
    const cases: Array<[string, string | undefined]> = [
      ['$guid|', '00000000-0000-4000-8000-000000000001'],
      ['$uuid|', '00000000-0000-4000-8000-000000000001'],
      ['$randomInt| 1 1000', '500'],
      ['$randomInt| -10 10', '0'],
      ['$randomInt| 10', undefined],
      ['$randomInt| 5 5', undefined],
      ['$timestamp|', String(Date.UTC(2024, 2, 5, 14, 7, 9) / 1000)],
      ['$timestamp| -1 d', String(Date.UTC(2024, 2, 4, 14, 7, 9) / 1000)],
      ['$timestamp| 1 parsec', undefined],
      ['$datetime| iso8601', '2024-03-05T14:07:09.042Z'],
      ['$datetime|', '2024-03-05T14:07:09.042Z'],
      ['$datetime| rfc1123', 'Tue, 05 Mar 2024 14:07:09 GMT'],
      ['$datetime| iso8601 1 y', '2025-03-05T14:07:09.042Z'],
      ['$datetime| iso8601 -3 M', '2023-12-05T14:07:09.042Z'],
      ['$datetime| iso8601 2 h', '2024-03-05T16:07:09.042Z'],
      ['$datetime| "YYYY-MM-DD"', '2024-03-05'],
      ["$datetime| 'DD MMM YYYY, h:mm A [UTC]' 1 w", '12 Mar 2024, 2:07 PM UTC'],
      ['$datetime| iso8601 1', undefined],
      ['$processEnv| HOME', undefined],
      ['$dotenv| X', undefined],
      ['$aadToken|', undefined],
    ];
    for (const [spec, expected] of cases) {
      const [name, args] = spec.split('|');
      it(`{{${name}${args}}} → ${expected ?? 'not supported'}`, () => {
        assert.equal(evaluateSystemVariable(name, args, fixedSource()), expected);
      });
    }

    it('formats local time with its offset (dddd, Z, ZZ)', () => {
      const ms = Date.UTC(2024, 2, 5, 14, 7, 9, 42);
      const local = formatDate(ms, 'dddd Z ZZ', false);
      const offset = -new Date(ms).getTimezoneOffset();
      const sign = offset < 0 ? '-' : '+';
      const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
      const mm = String(Math.abs(offset) % 60).padStart(2, '0');
      assert.match(local, new RegExp(`^[A-Z][a-z]+day \\${sign}${hh}:${mm} \\${sign}${hh}${mm}$`));
      assert.equal(formatDate(ms, 'dddd Z', true), 'Tuesday +00:00');
    });

    it('resolves them at send time, a fresh value per occurrence, and never lists supported ones as missing', () => {
      const request: ApiRequest = {
        method: 'POST',
        url: '/rpi/sites/{{siteId}}/referrals?at={{$timestamp}}',
        headers: [{ name: 'X-Request-Id', value: '{{$guid}}' }],
        body: '{"subjectId": "sub-{{$randomInt 1 1000}}", "other": "{{$guid}}", "when": "{{$datetime iso8601}}"}',
        auth: 'bearer',
      };
      assert.deepEqual(variableNamesIn(request), ['siteId']);
      const r = resolveVariables(request, { siteId: 's1' }, fixedSource(0.25));
      assert.equal(r.request.url, `/rpi/sites/s1/referrals?at=${Date.UTC(2024, 2, 5, 14, 7, 9) / 1000}`);
      assert.deepEqual(r.request.headers, [{ name: 'X-Request-Id', value: '00000000-0000-4000-8000-000000000001' }]);
      assert.equal(
        r.request.body,
        '{"subjectId": "sub-250", "other": "00000000-0000-4000-8000-000000000002", "when": "2024-03-05T14:07:09.042Z"}',
      );
      assert.deepEqual(r.unresolved, []);
      // The real source: two {{$guid}} differ.
      const real = resolveVariables({ method: 'GET', url: '/x', body: '{{$guid}} {{$guid}}', auth: 'none' }, {});
      const [a, b] = real.request.body!.split(' ');
      assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.notEqual(a, b);
    });

    it('reports unsupported ones ({{$processEnv HOME}}) by their full text, and uses a value given for it', () => {
      const request: ApiRequest = { method: 'GET', url: '/x/{{a}}', headers: [{ name: 'X-Home', value: '{{$processEnv HOME}}' }], auth: 'none' };
      assert.deepEqual(variableNamesIn(request), ['a', '$processEnv HOME']);
      const r = resolveVariables(request, { a: '1' }, fixedSource());
      assert.deepEqual(r.unresolved, ['$processEnv HOME']);
      assert.deepEqual(r.request.headers, [{ name: 'X-Home', value: '{{$processEnv HOME}}' }]);
      const given = resolveVariables(request, { a: '1', '$processEnv HOME': '/home/me' }, fixedSource());
      assert.deepEqual(given.unresolved, []);
      assert.deepEqual(given.request.headers, [{ name: 'X-Home', value: '/home/me' }]);
    });
  });
});
