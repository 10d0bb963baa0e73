import * as assert from 'node:assert/strict';
import { extensionForContentType, languageForContentType } from '../../src/panel/contentType';
import { formatJson, validateJson } from '../../src/panel/jsonText';

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
    const wordy: Array<[string, string, RegExp]> = [
      ['trailing comma', '{\n  "name": "Ada",\n  "family": "Lovelace",\n}', /^trailing comma after "family" on line 3 \(remove it, or add another value\)$/],
      ['trailing comma in an array', '[1,\n 2,\n]', /^trailing comma on line 2/],
      ['missing comma', '{\n  "a": 1\n  "b": 2\n}', /^expected ',' or '\}' but found .* on line 3, column 3$/],
      ['single quotes', "{\"a\": 'b'}", /strings must use double quotes on line 1/],
      ['empty', '  ', /^the body is empty/],
    ];
    for (const [what, text, expected] of wordy) it(`says what is wrong in words, with the line: ${what}`, () => {
      const result = validateJson(text);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.message, expected);
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
