import { strict as assert } from 'node:assert';
import { describeSecretFindings, findSecrets } from '../../src/core/secretGuard';
import type { GuardedRequestParts } from '../../src/core/secretGuard';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQiLCJhdWQiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';

describe('secretGuard', () => {
  const refused: Array<{ name: string; request: GuardedRequestParts; where: RegExp }> = [
    { name: 'literal bearer header', request: { url: '/x', headers: [{ name: 'Authorization', value: 'Bearer abc.def.ghi123' }] }, where: /header "Authorization"/ },
    { name: 'basic header', request: { url: '/x', headers: [{ name: 'authorization', value: 'Basic dXNlcjpwYXNz' }] }, where: /header "authorization"/ },
    { name: 'x-api-key literal', request: { url: '/x', headers: [{ name: 'X-Api-Key', value: 'k-123' }] }, where: /header "X-Api-Key"/ },
    { name: 'JWT in another header', request: { url: '/x', headers: [{ name: 'X-Token', value: JWT }] }, where: /header "X-Token" looks like a token/ },
    { name: 'JWT in query', request: { url: '/x', query: [{ name: 't', value: JWT }] }, where: /query parameter "t"/ },
    { name: 'access_token query', request: { url: '/x', query: [{ name: 'access_token', value: 'abc123' }] }, where: /query parameter "access_token"/ },
    { name: 'JWT in URL', request: { url: `/x?token=${JWT}` }, where: /URL/ },
    { name: 'JWT in body', request: { url: '/x', body: `{"note": "${JWT}"}` }, where: /body/ },
    { name: 'client_secret in body', request: { url: '/x', body: '{"client_secret": "s3cr3t"}' }, where: /body contains a literal secret field/ },
    { name: 'bearer inside body text', request: { url: '/x', body: 'use Bearer abcdefghijklmnop' }, where: /body/ },
  ];
  for (const c of refused) {
    it(`refuses: ${c.name}`, () => {
      const findings = findSecrets(c.request);
      assert.ok(findings.length > 0);
      assert.match(findings.map((f) => `${f.where} ${f.reason}`).join('; '), c.where);
    });
  }
  const allowed: Array<{ name: string; request: GuardedRequestParts }> = [
    { name: 'plain request', request: { url: '/rpi/sites', headers: [{ name: 'Accept', value: 'application/json' }] } },
    { name: 'bearer with a variable', request: { url: '/x', headers: [{ name: 'Authorization', value: 'Bearer {{token}}' }] } },
    { name: 'uuid ids', request: { url: '/rpi/sites/78987437-6a33-40e3-b484-335bbc6dd060', query: [{ name: 'since', value: '2024-01-01T00:00:00Z' }] } },
    { name: 'secret field holding a variable', request: { url: '/x', body: '{"client_secret": "{{secret}}", "name": "Jane"}' } },
  ];
  for (const c of allowed) {
    it(`allows: ${c.name}`, () => assert.deepEqual(findSecrets(c.request), []));
  }
  it('explains the refusal without the value and points to the auth mode', () => {
    const message = describeSecretFindings('List sites', findSecrets({ url: '/x', headers: [{ name: 'Authorization', value: `Bearer ${JWT}` }] }));
    assert.ok(!message.includes(JWT));
    assert.match(message, /"List sites" was not saved: header "Authorization" holds a literal credential.*auth mode to "bearer"/);
  });
});
