import * as assert from 'node:assert/strict';
import { DEFAULT_ENVIRONMENTS } from '../../src/core/environment';
import { effectiveEnvironments, environmentIdFor, environmentToSetting } from '../../src/environments/environmentSettings';

const qa = { id: 'qa', name: 'QA', baseUrl: 'https://qa.api.example.com', production: false };
const evil = { id: 'evil', name: 'Evil', baseUrl: 'https://evil.example.com', production: false };

describe('environment settings', () => {
  const cases: { name: string; inspected: Parameters<typeof effectiveEnvironments>[0]; trusted: boolean; ids: string[]; scope: string; ignored: boolean; problems: number }[] = [
    { name: 'nothing set → defaults', inspected: {}, trusted: true, ids: ['staging', 'production'], scope: 'default', ignored: false, problems: 0 },
    { name: 'user value', inspected: { globalValue: [qa] }, trusted: true, ids: ['qa'], scope: 'user', ignored: false, problems: 0 },
    { name: 'trusted workspace value wins', inspected: { globalValue: [qa], workspaceValue: [evil] }, trusted: true, ids: ['evil'], scope: 'workspace', ignored: false, problems: 0 },
    { name: 'untrusted workspace value is ignored (user value used)', inspected: { globalValue: [qa], workspaceValue: [evil] }, trusted: false, ids: ['qa'], scope: 'user', ignored: true, problems: 0 },
    { name: 'untrusted workspace folder value is ignored (defaults used)', inspected: { workspaceFolderValue: [evil] }, trusted: false, ids: ['staging', 'production'], scope: 'default', ignored: true, problems: 0 },
    { name: 'invalid entries are skipped with a problem each', inspected: { globalValue: [qa, { id: 'x', name: 'X', baseUrl: 'http://plain.example.com' }, { name: 'no id' }] }, trusted: true, ids: ['qa'], scope: 'user', ignored: false, problems: 2 },
    { name: 'duplicate ids are skipped', inspected: { globalValue: [qa, qa] }, trusted: true, ids: ['qa'], scope: 'user', ignored: false, problems: 1 },
    { name: 'not a list → defaults and a problem', inspected: { globalValue: { id: 'qa' } }, trusted: true, ids: ['staging', 'production'], scope: 'default', ignored: false, problems: 1 },
    { name: 'no valid entry → defaults', inspected: { globalValue: [{ id: 'bad' }] }, trusted: true, ids: ['staging', 'production'], scope: 'default', ignored: false, problems: 2 },
    { name: 'loopback http is allowed', inspected: { globalValue: [{ id: 'local', name: 'Local', baseUrl: 'http://127.0.0.1:8080' }] }, trusted: true, ids: ['local'], scope: 'user', ignored: false, problems: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = effectiveEnvironments(c.inspected, c.trusted);
      assert.deepEqual(result.environments.map((e) => e.id), c.ids);
      assert.equal(result.scope, c.scope);
      assert.equal(result.ignoredUntrustedWorkspaceValue, c.ignored);
      assert.equal(result.problems.length, c.problems, result.problems.join('\n'));
    });
  }

  it('the defaults are the public StudyTeam hosts, production flagged', () => {
    assert.deepEqual(
      DEFAULT_ENVIRONMENTS.map((e) => [e.id, e.baseUrl, e.production]),
      [
        ['staging', 'https://staging.api.studyteamapp.com', false],
        ['production', 'https://api.studyteamapp.com', true],
      ],
    );
  });

  it('serialises an environment for settings.json without undefined members', () => {
    assert.deepEqual(environmentToSetting({ ...qa, variables: { siteId: '1' } }), { id: 'qa', name: 'QA', baseUrl: 'https://qa.api.example.com', production: false, variables: { siteId: '1' } });
    assert.deepEqual(Object.keys(environmentToSetting(qa)), ['id', 'name', 'baseUrl', 'production']);
  });

  it('derives readable unique ids from names', () => {
    assert.equal(environmentIdFor('QA EU', new Set()), 'qa-eu');
    assert.equal(environmentIdFor('QA EU', new Set(['qa-eu'])), 'qa-eu-2');
    assert.equal(environmentIdFor('!!!', new Set()), 'env');
  });
});
