import { strict as assert } from 'node:assert';
import { offsetToPosition, parseJsonWithLocation } from '../../src/core/jsonLocation';

describe('jsonLocation', () => {
  const cases: Array<{ name: string; text: string; line: number; column: number; message: RegExp }> = [
    { name: 'missing comma', text: '{\n  "a": 1\n  "b": 2\n}', line: 3, column: 3, message: /expected ',' or '}'/ },
    { name: 'trailing comma in array', text: '[1,\n 2,\n]', line: 3, column: 1, message: /trailing comma before '\]'/ },
    { name: 'unquoted key', text: '{ version: 1 }', line: 1, column: 3, message: /property name in double quotes/ },
    { name: 'single quotes', text: "{\"a\": 'x'}", line: 1, column: 7, message: /double quotes/ },
    { name: 'unterminated string', text: '{"a": "x', line: 1, column: 7, message: /unterminated string/ },
    { name: 'garbage after the value', text: '{}\n}', line: 2, column: 1, message: /after the end/ },
    { name: 'empty', text: '   ', line: 1, column: 4, message: /empty/ },
    { name: 'comment', text: '{\n // hi\n}', line: 2, column: 2, message: /comments are not allowed/ },
    { name: 'CRLF lines', text: '{\r\n"a": 1,\r\n}', line: 3, column: 1, message: /trailing comma/ },
    { name: 'after a BOM', text: '\uFEFF{"a" 1}', line: 1, column: 6, message: /expected ':'/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = parseJsonWithLocation(c.text);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.deepEqual([r.line, r.column], [c.line, c.column], r.message);
        assert.match(r.message, c.message);
      }
    });
  }
  it('parses valid JSON (BOM ignored)', () => {
    assert.deepEqual(parseJsonWithLocation('\uFEFF{"a":[1,true,null,"x"]}'), { ok: true, value: { a: [1, true, null, 'x'] } });
  });
  it('maps offsets to 1-based positions', () => {
    assert.deepEqual(offsetToPosition('ab\ncd', 4), { offset: 4, line: 2, column: 2 });
  });
});
