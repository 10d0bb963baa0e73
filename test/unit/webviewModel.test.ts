import * as assert from 'node:assert/strict';
import { formatBytes, formatDuration, sendKeyLabel, statusClass, timeAgo } from '../../src/webview/format';
import { childSlice, containerSummary } from '../../src/webview/jsonModel';
import { variableSegments } from '../../src/webview/variableSegments';

describe('webview view model (pure parts)', () => {
  it('names the Send shortcut as the platform does', () => {
    for (const [platform, label] of [['MacIntel', 'Cmd+Enter'], ['iPad', 'Cmd+Enter'], ['Linux x86_64', 'Ctrl+Enter'], ['Win32', 'Ctrl+Enter'], ['', 'Ctrl+Enter']]) {
      assert.equal(sendKeyLabel(platform!), label, platform);
    }
  });

  describe('variables', () => {
    it('segments {{variables}} for the overlay', () => {
      assert.deepEqual(variableSegments('{{baseUrl}}/sites/{{ siteId }}?x=1'), [
        { text: '{{baseUrl}}', variable: 'baseUrl' },
        { text: '/sites/' },
        { text: '{{ siteId }}', variable: 'siteId' },
        { text: '?x=1' },
      ]);
      assert.deepEqual(variableSegments('plain'), [{ text: 'plain' }]);
      assert.deepEqual(variableSegments('{{}} {{a'), [{ text: '{{}} {{a' }]);
    });
  });

  describe('JSON tree', () => {
    it('slices children lazily and summarises containers', () => {
      const arr = Array.from({ length: 250 }, (_, i) => i);
      assert.deepEqual(childSlice(arr, 100, 3), [
        ['100', 100],
        ['101', 101],
        ['102', 102],
      ]);
      assert.deepEqual(childSlice({ a: 1, b: 2, c: 3 }, 1, 5), [
        ['b', 2],
        ['c', 3],
      ]);
      assert.deepEqual(childSlice('scalar', 0, 5), []);
      assert.equal(containerSummary(arr), '[ 250 items ]');
      assert.equal(containerSummary({ a: 1 }), '{ 1 key }');
    });
  });

  describe('formatting', () => {
    const sizes: Array<[number, string]> = [
      [0, '0 B'],
      [1023, '1023 B'],
      [1024, '1.0 KB'],
      [15_360, '15 KB'],
      [10 * 1024 * 1024, '10 MB'],
      [1.5 * 1024 * 1024, '1.5 MB'],
      [-1, '—'],
    ];
    for (const [bytes, text] of sizes) it(`${bytes} bytes → ${text}`, () => assert.equal(formatBytes(bytes), text));
    const durations: Array<[number, string]> = [
      [0.4, '0 ms'],
      [143.4, '143 ms'],
      [1500, '1.50 s'],
      [125_000, '2 min 5 s'],
      [Number.NaN, '—'],
    ];
    for (const [ms, text] of durations) it(`${ms} ms → ${text}`, () => assert.equal(formatDuration(ms), text));
    const classes: Array<[number, string]> = [
      [101, 'informational'],
      [200, 'success'],
      [204, 'success'],
      [304, 'redirect'],
      [401, 'client-error'],
      [429, 'client-error'],
      [500, 'server-error'],
      [503, 'server-error'],
      [700, 'unknown'],
    ];
    for (const [status, cls] of classes) it(`status ${status} → ${cls}`, () => assert.equal(statusClass(status), cls));
  });

  describe('time ago', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const cases: Array<[number, string]> = [
      [0, 'just now'],
      [44_000, 'just now'],
      [60_000, '1 min ago'],
      [120_000, '2 min ago'],
      [59 * 60_000, '59 min ago'],
      [3 * 3_600_000, '3 h ago'],
      [-5_000, 'just now'],
    ];
    for (const [ago, text] of cases) it(`${ago} ms ago → ${text}`, () => assert.equal(timeAgo(now - ago, now), text));
    it('older than a day: the date', () => assert.match(timeAgo(now - 2 * 86_400_000, now), /^on /));
  });
});
