import * as assert from 'node:assert/strict';
import { emptyDraft } from '../../src/panel/draft';
import { PanelRecords, recordsWithoutTab } from '../../src/panel/panelRecords';
import type { PanelMemento } from '../../src/panel/panelRecords';
import type { PersistedPanelState } from '../../src/panel/protocol';

class MemoryMemento implements PanelMemento {
  readonly values = new Map<string, unknown>();
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }
  update(key: string, value: unknown): Thenable<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.parse(JSON.stringify(value)));
    return Promise.resolve();
  }
}

describe('panel: the host\'s disk-safe copy of open panels (reload fallback)', () => {
  const KEY = 'k-1234567890-abcdef';
  const state: PersistedPanelState = {
    version: 1,
    draft: {
      ...emptyDraft(),
      name: 'Api key',
      url: '/rpi/sites',
      auth: 'none',
      headers: [{ name: 'Accept', value: 'application/json', enabled: true }, { name: 'x-api-key', value: KEY, enabled: true }],
      body: '{"firstName": "Zebulon"}',
    },
  };

  it('keeps the name, URL and non-secret rows, never the body or the credential value', () => {
    const memento = new MemoryMemento();
    const records = new PanelRecords(memento);
    records.put('p1', '● Api key', state);
    const written = JSON.stringify([...memento.values.values()]);
    assert.ok(!written.includes(KEY), 'no credential value');
    assert.ok(!written.includes('Zebulon'), 'no body');
    const kept = records.take('Api key');
    assert.ok(kept);
    assert.equal(kept.draft.name, 'Api key');
    assert.equal(kept.draft.url, '/rpi/sites');
    assert.deepEqual(kept.draft.headers.map((h) => [h.name, h.value]), [['Accept', 'application/json'], ['x-api-key', '']]);
    assert.deepEqual(kept.omittedValues, { headers: [1], query: [] });
    assert.equal(kept.bodyOmitted, true);
  });

  it('matches a title the panel had, with or without the unsaved mark, once, never by "New Request"', () => {
    const records = new PanelRecords(new MemoryMemento());
    records.put('p1', '/rpi/sites', { version: 1, draft: { ...emptyDraft(), url: '/rpi/sites' } });
    records.put('p1', 'Api key', state);
    records.put('p2', 'Other', { ...state, draft: { ...state.draft, name: 'Other' } });
    records.put('p3', 'New Request', { version: 1, draft: emptyDraft() });
    records.put('p3', 'Third', { ...state, draft: { ...state.draft, name: 'Third' } });
    assert.equal(records.take('● /rpi/sites')?.draft.name, 'Api key', 'the newest state of the panel that had that title');
    assert.equal(records.take('Api key'), undefined, 'taken once');
    assert.equal(records.take('New Request'), undefined, 'not by the name every empty panel has');
    assert.equal(records.take('Other')?.draft.name, 'Other');
  });

  it('forgets a closed panel and ignores malformed entries', () => {
    const memento = new MemoryMemento();
    const records = new PanelRecords(memento);
    records.put('p1', 'Api key', state);
    records.remove('p1');
    assert.equal(records.take('Api key'), undefined);
    void memento.update('studyteam.requestPanels', [{ id: 'x', titles: ['Api key'], at: 1, state: { version: 2 } }, 'junk']);
    assert.equal(records.take('Api key'), undefined);
  });

  it('keeps what the saved-requests file refuses out too (a literal api_key query value)', () => {
    const memento = new MemoryMemento();
    new PanelRecords(memento).put('p1', 'Q', { version: 1, draft: { ...emptyDraft(), name: 'Q', url: '/x?api_key=plain-key-42', query: [{ name: 'api_key', value: 'plain-key-42', enabled: true }] } });
    const written = JSON.stringify([...memento.values.values()]);
    assert.ok(!written.includes('plain-key-42'), written);
    assert.ok(written.includes('/x?api_key='), 'the URL stays, without the value');
  });

  it('a rename back to an older title makes it the latest again', () => {
    const records = new PanelRecords(new MemoryMemento());
    records.put('p1', 'A', state);
    records.put('p1', 'B', state);
    records.put('p1', 'A', state);
    assert.deepEqual(records.all().map((r) => r.titles), [['B', 'A']]);
  });

  it('recordsWithoutTab: each restored tab title accounts for one record; the rest had no tab', () => {
    const records = new PanelRecords(new MemoryMemento());
    const named = (name: string): PersistedPanelState => ({ version: 1, draft: { ...emptyDraft(), name } });
    records.put('a', 'Alpha', named('Alpha'));
    records.put('b1', 'Beta', named('Beta'));
    records.put('b2', 'Beta', named('Beta'));
    records.put('c', 'Old name', named('Old name'));
    records.put('c', 'Gamma', named('Gamma'));
    records.put('n', 'New Request', { version: 1, draft: emptyDraft() });
    const ids = (tabs: string[]): string[] => recordsWithoutTab(records.all(), tabs).map((r) => r.id);
    assert.deepEqual(ids([]), ['a', 'b1', 'b2', 'c', 'n'], 'no tab came back: every panel is missing, oldest first');
    assert.deepEqual(ids(['● Beta', 'Alpha']), ['b1', 'c', 'n'], 'one Beta tab stands for the newest Beta');
    assert.deepEqual(ids(['Old name', 'New Request', 'Beta', 'Beta', 'Alpha']), [], 'a tab saved under an older title still counts');
    assert.deepEqual(ids(['Unrelated', 'Unrelated']), ['a', 'b1', 'b2', 'c', 'n']);
  });

  it('takeById hands back a record once', () => {
    const records = new PanelRecords(new MemoryMemento());
    records.put('p1', 'Api key', state);
    records.put('p2', 'Other', state);
    assert.equal(records.takeById('p1')?.draft.url, '/rpi/sites');
    assert.equal(records.takeById('p1'), undefined);
    records.remove('p2', 'nope');
    assert.deepEqual(records.all(), []);
  });

  it('never hands out the record of an open panel; counts the records that had a title', () => {
    const records = new PanelRecords(new MemoryMemento());
    records.put('open', 'Same', state);
    records.put('closed', 'Old', state);
    records.put('closed', 'Same', state);
    assert.equal(records.countTitled('● Same'), 2);
    assert.equal(records.countTitled('Same', new Set(['open'])), 1);
    assert.equal(records.countTitled('Old'), 1);
    assert.ok(records.take('Same', new Set(['open'])));
    assert.deepEqual(records.all().map((r) => r.id), ['open'], 'the closed panel\'s record was taken, the open one stays');
    assert.equal(records.take('Same', new Set(['open'])), undefined);
  });

  it('keeps the editor group a panel is in (a sane view column only)', () => {
    const records = new PanelRecords(new MemoryMemento());
    records.put('p1', 'Api key', state, 2);
    records.put('p2', 'Other', state, -1);
    assert.deepEqual(records.all().map((r) => [r.id, r.column]), [['p1', 2], ['p2', undefined]]);
    records.put('p1', 'Api key', state, 1);
    assert.equal(records.all().find((r) => r.id === 'p1')?.column, 1, 'a move is kept');
  });
});
