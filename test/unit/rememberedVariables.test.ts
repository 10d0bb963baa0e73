import * as assert from 'node:assert/strict';
import { isSecretVariable, RememberedVariables, variableInfos } from '../../src/panel/rememberedVariables';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlX3NpZ25hdHVyZQ';

describe('panel: remembered variables', () => {
  const secrets: Array<[string, string]> = [
    ['apiToken', 'abc'],
    ['clientSecret', 'abc'],
    ['password', 'abc'],
    ['x_api_key', 'abc'],
    ['authHeader', 'abc'],
    ['anything', JWT],
  ];
  for (const [name, value] of secrets) it(`${name}=${value.slice(0, 8)}… is a secret`, () => assert.equal(isSecretVariable(name, value), true));
  it('ordinary ids are not secrets', () => {
    assert.equal(isSecretVariable('siteId', '1001'), false);
    assert.equal(isSecretVariable('subjectId', 'SUBJ-1'), false);
  });

  it('remembers non-secret values per environment, never the secret ones', () => {
    const memory = new RememberedVariables();
    memory.remember('sandbox', { siteId: '1001', apiToken: 'nope', other: JWT });
    memory.remember('staging', { siteId: '2002' });
    assert.deepEqual(memory.of('sandbox'), { siteId: '1001' });
    assert.deepEqual(memory.of('staging'), { siteId: '2002' });
    memory.remember('sandbox', { subjectId: 'S-1', siteId: '1002' });
    assert.deepEqual(memory.of('sandbox'), { siteId: '1002', subjectId: 'S-1' });
    assert.deepEqual(memory.of('production'), {});
  });

  it('tells the webview names and sources, values only when they are not secrets; remembered wins', () => {
    assert.deepEqual(variableInfos({ baseUrl: 'http://127.0.0.1:1', siteId: '1', token: 'abc' }, { siteId: '2' }), [
      { name: 'baseUrl', source: 'environment', value: 'http://127.0.0.1:1' },
      { name: 'siteId', source: 'remembered', value: '2' },
      { name: 'token', source: 'environment' },
    ]);
  });
});
