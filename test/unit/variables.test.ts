import { strict as assert } from 'node:assert';
import { describeUnresolved, resolveVariables, variableNamesIn, variablesOf } from '../../src/core/variables';
import type { ApiRequest, Environment } from '../../src/core/model';

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
});
