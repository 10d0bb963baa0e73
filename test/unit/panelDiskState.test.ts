import * as assert from 'node:assert/strict';
import { diskSafeState, restoreOmitted } from '../../src/panel/diskState';
import { emptyDraft } from '../../src/panel/draft';
import { isPersistedPanelState } from '../../src/panel/protocolGuards';
import type { DraftRequest, DraftRow } from '../../src/panel/protocol';

describe('panel: webview state on disk', () => {
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

  it('also blanks what the saved-requests file refuses: literal secret query names, a token inside a header value', () => {
    const d: DraftRequest = {
      ...emptyDraft(),
      url: '/rpi/sites?api_key=plain-key-42&page=1&token={{token}}',
      query: [row('api_key', 'plain-key-42'), row('page', '1'), row('token', '{{token}}')],
      headers: [row('X-Trace', `id=1; auth=Bearer abcdefgh12345678`), row('X-Note', 'plain')],
    };
    const safe = diskSafeState({ version: 1, draft: d });
    const text = JSON.stringify(safe);
    for (const secret of ['plain-key-42', 'abcdefgh12345678']) assert.ok(!text.includes(secret), `${secret} is not in ${text}`);
    assert.deepEqual(safe.omittedValues, { headers: [0], query: [0] });
    assert.equal(safe.draft.url, '/rpi/sites?api_key=&page=1&token={{token}}', 'a {{variable}} reference is not a secret');
    assert.deepEqual(restoreOmitted(safe, d).draft, d, 'hide/reveal puts them back from memory');
  });

  it('the protocol guard rejects malformed omittedValues', () => {
    assert.equal(isPersistedPanelState({ version: 1, draft, omittedValues: { headers: ['1'], query: [] } }), false);
    assert.equal(isPersistedPanelState({ version: 1, draft, omittedValues: true }), false);
  });
});
