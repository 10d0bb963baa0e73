import * as assert from 'node:assert/strict';
import { Headers } from 'node-fetch';
import { decodeText, headerEntries, type FetchHeadersLike } from '../../src/core/http';

describe('http: headerEntries and decodeText', () => {
  const pairs: Array<[string, string]> = [
    ['X-Trace', 'b'],
    ['Set-Cookie', 'a=1'],
    ['content-type', 'application/json'],
    ['set-cookie', 'b=2'],
    ['Accept', 'x'],
  ];

  it('node-fetch Headers: every value of every header, lower-case names, in raw() order', () => {
    const headers = new Headers(pairs) as unknown as FetchHeadersLike;
    const fromRaw: Array<[string, string]> = [];
    for (const [name, values] of Object.entries(headers.raw!())) for (const value of values) fromRaw.push([name, value]);
    assert.deepEqual(headerEntries(headers), fromRaw);
    assert.deepEqual(headerEntries(headers), [
      ['accept', 'x'],
      ['content-type', 'application/json'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['x-trace', 'b'],
    ]);
  });

  it('headers with raw() only, or forEach only, give the same entries', () => {
    const headers = new Headers(pairs) as unknown as FetchHeadersLike;
    const rawOnly: FetchHeadersLike = { get: (n) => headers.get(n), raw: () => headers.raw!(), forEach: () => assert.fail('not used') };
    assert.deepEqual(headerEntries(rawOnly), headerEntries(headers));
    const forEachOnly: FetchHeadersLike = { get: () => null, forEach: (callback) => callback('1', 'X-One') };
    assert.deepEqual(headerEntries(forEachOnly), [['x-one', '1']]);
  });

  it('decodeText: the named charset, each time a different content type comes (not the previous answer)', () => {
    const cafe = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const utf8 = Buffer.from('café');
    assert.equal(decodeText(utf8, 'text/plain; charset=utf-8'), 'café');
    assert.equal(decodeText(cafe, 'text/plain; charset=iso-8859-1'), 'café');
    assert.equal(decodeText(cafe, 'text/plain; charset=iso-8859-1'), 'café');
    assert.equal(decodeText(utf8, 'application/json'), 'café');
    assert.equal(decodeText(cafe, 'text/plain; Charset="ISO-8859-1"'), 'café');
    assert.equal(decodeText(utf8, 'text/plain; charset=no-such-charset'), 'café');
    assert.equal(decodeText(Buffer.alloc(0), 'text/plain; charset=iso-8859-1'), '');
  });
});
