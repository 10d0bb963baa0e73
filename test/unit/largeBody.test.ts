import * as assert from 'node:assert/strict';
import { blockStarts, ChunkedJsonParser, JSON_TOKEN_KINDS, prettyJsonPrefix, utf8Prefix } from '../../src/panel/largeBody';

describe('panel: large bodies', () => {
  describe('preview, pretty-print, chunked parse', () => {
    it('cuts UTF-8 at a character boundary', () => {
      const bytes = new TextEncoder().encode('aé€😀b'); // 1 + 2 + 3 + 4 + 1 bytes
      const cases: Array<[number, string]> = [[0, ''], [1, 'a'], [2, 'a'], [3, 'aé'], [5, 'aé'], [6, 'aé€'], [9, 'aé€'], [10, 'aé€😀'], [11, 'aé€😀b'], [99, 'aé€😀b']];
      for (const [max, expected] of cases) assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(utf8Prefix(bytes, max)), expected, `max ${max}`);
    });

    const kinds = (text: string): Array<[string, string]> => {
      const p = prettyJsonPrefix(text);
      const out: Array<[string, string]> = [];
      for (let i = 0; i < p.tokens.length; i += 3) out.push([p.text.slice(p.tokens[i], p.tokens[i + 1]), JSON_TOKEN_KINDS[p.tokens[i + 2] ?? 0] ?? '?']);
      return out;
    };

    it('pretty-prints complete JSON like JSON.stringify(…, null, 2)', () => {
      for (const value of [{ a: 1, b: [true, null, 'x'], c: {}, d: [], e: { f: { g: -1.5e3 } } }, [1, [2, [3]], { 'k"ey': 'v\\"al' }], 'text', 42]) {
        const text = JSON.stringify(value);
        const p = prettyJsonPrefix(text);
        assert.equal(p.text, JSON.stringify(value, null, 2));
        assert.equal(p.cut, false);
        assert.equal(prettyJsonPrefix(JSON.stringify(value, null, 4)).text, p.text, 'whitespace in the input does not matter');
      }
    });

    it('marks keys, strings, numbers and literals', () => {
      assert.deepEqual(kinds('{"a":"b","n":-1.5,"t":true,"z":null,"arr":["s",2,false]}'), [
        ['"a"', 'key'], ['"b"', 'string'], ['"n"', 'key'], ['-1.5', 'number'], ['"t"', 'key'], ['true', 'boolean'], ['"z"', 'key'], ['null', 'null'],
        ['"arr"', 'key'], ['"s"', 'string'], ['2', 'number'], ['false', 'boolean'],
      ]);
    });

    it('tolerates text cut anywhere (a preview) and says so', () => {
      const full = JSON.stringify([{ id: 1001, name: 'Site "A"', tags: ['x', 'y'], ok: true }, { id: 1002, name: 'B' }]);
      for (let cut = 1; cut < full.length; cut++) {
        const p = prettyJsonPrefix(full.slice(0, cut));
        assert.equal(p.cut, true, `cut at ${cut}`);
        assert.ok(JSON.stringify(full.slice(0, cut)).length > 0 && p.text.replace(/\s/g, '').length >= full.slice(0, cut).replace(/\s/g, '').length - 0, `cut at ${cut}`);
      }
      assert.equal(prettyJsonPrefix('[{"id":1001,"na').text, '[\n  {\n    "id": 1001,\n    "na');
    });

    it('splits text into blocks of whole lines', () => {
      const text = ['a', 'b', 'c', 'd', 'e'].join('\n');
      assert.deepEqual(blockStarts(text, 2), [0, 4, 8]);
      assert.deepEqual(blockStarts(text, 10), [0]);
      assert.deepEqual(blockStarts('', 2), [0]);
      assert.deepEqual(blockStarts('a\nb\n', 2), [0]);
    });

    const parseAll = (text: string, leafLimit: number, yieldEvery = 0): { ok: boolean; value?: unknown; steps: number } => {
      const parser = new ChunkedJsonParser(text, leafLimit);
      let calls = 0;
      for (let steps = 1; ; steps++) {
        const step = parser.step(() => yieldEvery > 0 && ++calls % yieldEvery === 0);
        if (step.done) return step.ok ? { ok: true, value: step.value, steps } : { ok: false, steps };
        assert.ok(step.progress >= 0 && step.progress <= 1);
      }
    };

    it('parses in slices to exactly what JSON.parse gives', () => {
      const big = Array.from({ length: 300 }, (_, i) => ({ id: i, name: `Site ${i} "quoted" \\ \u00e9`, nested: { list: [i, i + 0.5, null, true], empty: {}, none: [] } }));
      const samples: unknown[] = [big, { data: big, meta: { count: 300 } }, { a: { b: { c: big } } }, [], {}, 0, 'text', null, [[[[1]]]], { __proto__: 1, constructor: 2 }];
      for (const value of samples) {
        const text = JSON.stringify(value, null, 1);
        for (const leafLimit of [1, 16, 1024, 1 << 20]) {
          for (const yieldEvery of [0, 2, 7]) {
            const result = parseAll(text, leafLimit, yieldEvery);
            assert.equal(result.ok, true, `${text.slice(0, 40)} leafLimit ${leafLimit}`);
            assert.deepEqual(result.value, JSON.parse(text));
          }
        }
      }
      const proto = parseAll('{"__proto__":{"polluted":true}}', 1).value as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(proto), Object.prototype, '"__proto__" stays an own property');
      assert.deepEqual(Object.keys(proto), ['__proto__']);
      assert.ok(parseAll(JSON.stringify(big), 64, 3).steps > 10, 'it really yields');
    });

    it('rejects invalid JSON like JSON.parse does', () => {
      const bad = ['', '[', '[1,', '[1 2]', '[1,]', '{"a" 1}', '{"a":1,}', '{a:1}', '[1]]', '[1] x', '{"a":1}}', '["unterminated]', '[tru]', '{"a":[1,{"b":2]}', ' '];
      for (const text of bad) {
        for (const leafLimit of [1, 1 << 20]) assert.equal(parseAll(text, leafLimit).ok, false, `${JSON.stringify(text)} leafLimit ${leafLimit}`);
      }
    });
  });
});
