import * as assert from 'node:assert/strict';
import { decodeJwt, jwtExpiryMs } from '../../src/core/jwt';

const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('jwt', () => {
  it('decodes header and payload without verifying', () => {
    const token = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iss: 'x', exp: 1700000000, aud: 'a' })}.sig`;
    assert.deepEqual(decodeJwt(token), { header: { alg: 'HS256', typ: 'JWT' }, payload: { iss: 'x', exp: 1700000000, aud: 'a' } });
    assert.equal(jwtExpiryMs(token), 1_700_000_000_000);
  });

  const bad: Array<[string, string]> = [
    ['opaque', 'abcdef'],
    ['two parts', `${enc({ a: 1 })}.${enc({ b: 2 })}`],
    ['four parts', 'a.b.c.d'],
    ['not base64 JSON', 'eyJ!.eyJ.x'],
    ['payload is an array', `${enc({ alg: 'none' })}.${enc([1])}.x`],
    ['payload is a string', `${enc({ alg: 'none' })}.${enc('x')}.x`],
  ];
  for (const [name, token] of bad) {
    it(`returns undefined for ${name}`, () => assert.equal(decodeJwt(token), undefined));
  }

  it('jwtExpiryMs is undefined without a numeric exp', () => {
    assert.equal(jwtExpiryMs(`${enc({ alg: 'HS256' })}.${enc({ exp: 'soon' })}.s`), undefined);
  });
});
