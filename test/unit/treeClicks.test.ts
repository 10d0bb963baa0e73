import * as assert from 'node:assert/strict';
import { DOUBLE_CLICK_MS, TreeClicks } from '../../src/tree/treeClicks';

describe('tree clicks: single or double', () => {
  let now = 0;
  const clicks = (): TreeClicks => new TreeClicks(() => now);

  // [description, clicks as [row, ms since the previous click], expected kinds]
  const cases: Array<[string, Array<[string, number]>, string[]]> = [
    ['one click', [['a', 0]], ['single']],
    ['two quick clicks on one row', [['a', 0], ['a', 200]], ['single', 'double']],
    ['the second just inside the window', [['a', 0], ['a', DOUBLE_CLICK_MS]], ['single', 'double']],
    ['the second too late', [['a', 0], ['a', DOUBLE_CLICK_MS + 1]], ['single', 'single']],
    ['quick clicks on two rows', [['a', 0], ['b', 100]], ['single', 'single']],
    ['a, b, then b quickly', [['a', 0], ['b', 100], ['b', 100]], ['single', 'single', 'double']],
    ['a third quick click starts over', [['a', 0], ['a', 100], ['a', 100]], ['single', 'double', 'single']],
    ['two double clicks in a row', [['a', 0], ['a', 100], ['a', 100], ['a', 100]], ['single', 'double', 'single', 'double']],
  ];
  for (const [description, sequence, expected] of cases) {
    it(description, () => {
      now = 1_000_000;
      const c = clicks();
      const kinds = sequence.map(([row, gap]) => {
        now += gap;
        return c.click(row);
      });
      assert.deepEqual(kinds, expected);
    });
  }
});
