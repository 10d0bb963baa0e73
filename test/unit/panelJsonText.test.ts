import * as assert from 'node:assert/strict';
import { extensionForContentType, languageForContentType } from '../../src/panel/contentType';
import { formatJson, lineColumnAt, validateJson } from '../../src/panel/jsonText';

describe('panel JSON text and content types', () => {
  describe('JSON', () => {
    it('validates with line and column', () => {
      assert.deepEqual(validateJson('{"a": 1}'), { ok: true });
      const bad = validateJson('{\n  "a": 1,\n  oops\n}');
      assert.equal(bad.ok, false);
      if (!bad.ok) {
        assert.equal(bad.line, 3);
        assert.match(bad.message, /line 3/);
      }
      assert.equal(validateJson('').ok, false);
    });
    it('line/column of an offset', () => {
      assert.deepEqual(lineColumnAt('ab\ncd', 4), { line: 2, column: 2 });
      assert.deepEqual(lineColumnAt('ab', 99), { line: 1, column: 3 });
    });
    it('formats', () => {
      assert.equal(formatJson('{"a":[1,{"b":null}]}'), '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}');
      assert.equal(formatJson('nope'), undefined);
    });
  });

  describe('content types', () => {
    const languages: Array<[string, string, string]> = [
      ['application/json; charset=utf-8', '', 'json'],
      ['application/problem+json', '', 'json'],
      ['application/xml', '', 'xml'],
      ['application/atom+xml', '', 'xml'],
      ['text/html', '', 'html'],
      ['text/plain', '{"a":1}', 'plaintext'],
      ['', '{"a":1}', 'json'],
      ['', 'hello', 'plaintext'],
    ];
    for (const [ct, text, lang] of languages) it(`language of ${ct || '(none)'} → ${lang}`, () => assert.equal(languageForContentType(ct, text), lang));
    it('file extensions', () => {
      assert.equal(extensionForContentType('application/json'), 'json');
      assert.equal(extensionForContentType('image/png'), 'png');
      assert.equal(extensionForContentType('application/octet-stream'), 'txt');
    });
  });
});
