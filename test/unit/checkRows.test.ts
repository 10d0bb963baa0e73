// The request panel's Checks tab rows ↔ checks and captures, with the file's validation messages.
import * as assert from 'node:assert/strict';
import { captureRowErrors, checkRowErrors, checksFromRows, rowsFromCaptures, rowsFromChecks } from '../../src/core/checkRows';
import { goLiveChecklist } from '../../src/core/goLiveChecklist';
import { validateSavedRequest } from '../../src/core/savedRequestsFile';
import { draftFromSaved, savedFromDraft } from '../../src/panel/draft';
import { isDraftRequest } from '../../src/panel/protocolGuards';

describe('Checks tab rows', () => {
  const requests = goLiveChecklist().children.flatMap((c) => (c.kind === 'request' ? [c] : []));

  it('round-trips every check and capture of the go-live checklist through rows', () => {
    for (const r of requests) {
      const back = checksFromRows(rowsFromChecks(r.expect), rowsFromCaptures(r.capture));
      assert.deepEqual(back.errors, []);
      assert.deepEqual(back.expect, r.expect);
      assert.deepEqual(back.capture, r.capture ?? []);
    }
  });

  it('reads typed values as the file would hold them', () => {
    const rows = [
      { kind: 'status', path: '', op: 'equals', value: '202' },
      { kind: 'status', path: '', op: 'oneOf', value: '[200, 202]' },
      { kind: 'status', path: '', op: 'class', value: '2xx' },
      { kind: 'json', path: '$.code', op: 'equals', value: '"42"' },
      { kind: 'json', path: '$.name', op: 'equals', value: 'Jane' },
      { kind: 'json', path: '$.id', op: 'matches', value: '^\\d+$' },
      { kind: 'header', path: 'x-n', op: 'equals', value: '7' },
    ];
    assert.deepEqual(checksFromRows(rows, []).expect.map((c) => ('value' in c ? c.value : undefined)), [202, [200, 202], '2xx', '42', 'Jane', '^\\d+$', '7']);
  });

  it('gives the file validation messages, per row', () => {
    assert.match(checkRowErrors({ kind: 'status', path: '', op: 'equals', value: 'abc' }, 1).join(), /Check 2: "value" must be a status code 100–599/);
    assert.match(checkRowErrors({ kind: 'json', path: '$..x', op: 'exists', value: '' }, 0).join(), /recursive descent/);
    assert.match(captureRowErrors({ name: '1bad', from: 'json', path: '$.id' }, 0).join(), /Capture 1: "name" must be a variable name/);
    const dup = checksFromRows([], [{ name: 'a', from: 'status', path: '' }, { name: 'a', from: 'status', path: '' }]);
    assert.match(dup.errors.join(), /"a" is captured more than once/);
  });

  it('the panel draft carries the rows; saving writes them back (and the store validates them)', () => {
    const create = requests[1]!;
    const draft = draftFromSaved(create);
    assert.equal(isDraftRequest(draft), true);
    assert.equal(draft.checks?.length, create.expect?.length);
    const saved = savedFromDraft(draft, create.id, create);
    assert.deepEqual(saved.expect, create.expect);
    assert.deepEqual(saved.capture, create.capture);
    const broken = savedFromDraft({ ...draft, checks: [{ kind: 'status', path: '', op: 'equals', value: '99' }] }, create.id, create);
    const checked = validateSavedRequest(broken, '"Referral is accepted"');
    assert.equal(checked.ok, false);
    if (!checked.ok) assert.match(checked.errors.join(), /expect\[0\]: "value" must be a status code 100–599/);
    // A draft without rows (an editor that never showed the tab) leaves the saved checks alone.
    const { checks: _c, captures: _k, ...noRows } = draft;
    void _c;
    void _k;
    assert.equal(savedFromDraft(noRows, create.id, create).expect, undefined);
    assert.equal(isDraftRequest({ ...draft, checks: [{ kind: 1 }] }), false);
  });
});
