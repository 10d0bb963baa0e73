import * as assert from 'node:assert/strict';
import { looksLikeToken, redactHeaders, redactText } from '../../src/core/redaction';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGllbnQiLCJleHAiOjE3MDAwMDAwMDB9.abcDEF123_-xyz';

describe('redaction', () => {
  const cases: Array<[string, string, string, string[]?]> = [
    ['Bearer value', 'authorization: Bearer abc.def-ghi', 'authorization: Bearer ‹redacted›'],
    ['Basic value', 'Authorization: Basic dXNlcjpwYXNz', 'Authorization: Basic ‹redacted›'],
    ['other auth scheme in a header line', 'Authorization: Token abc123', 'Authorization: ‹redacted›'],
    ['JWT anywhere', `token was ${JWT}!`, 'token was ‹redacted›!'],
    ['client_secret JSON field', '{"client_id":"abc","client_secret":"s3cr\\"et"}', '{"client_id":"abc","client_secret":"‹redacted›"}'],
    ['access_token JSON field', '{"access_token": "opaque123", "token_type":"Bearer"}', '{"access_token": "‹redacted›", "token_type":"Bearer"}'],
    ['client_secret form field', 'grant_type=client_credentials&client_secret=abc%2Bdef&client_id=x', 'grant_type=client_credentials&client_secret=‹redacted›&client_id=x'],
    ['literal secret', 'oops my-literal-secret leaked', 'oops ‹redacted› leaked', ['my-literal-secret']],
    ['URL-encoded literal secret', 'x=a%2Bb%2Fc%3D', 'x=‹redacted›', ['a+b/c=']],
    ['short "secrets" are ignored', 'abc', 'abc', ['ab']],
    ['plain text untouched', 'GET /rpi/sites → 200', 'GET /rpi/sites → 200'],
  ];
  for (const [name, input, expected, secrets] of cases) {
    it(`redactText: ${name}`, () => assert.equal(redactText(input, secrets), expected));
  }

  it('redactHeaders keeps the shape (tuples)', () => {
    assert.deepEqual(
      redactHeaders([
        ['Authorization', 'Bearer abc'],
        ['Cookie', 'sid=1'],
        ['x-api-key', 'k'],
        ['accept', 'application/json'],
      ]),
      [
        ['Authorization', 'Bearer ‹redacted›'],
        ['Cookie', '‹redacted›'],
        ['x-api-key', '‹redacted›'],
        ['accept', 'application/json'],
      ],
    );
  });

  it('redactHeaders keeps the shape (record, multi-valued)', () => {
    assert.deepEqual(redactHeaders({ authorization: 'Bearer x', 'set-cookie': ['a=1', 'b=2'], host: 'h', missing: undefined }), {
      authorization: 'Bearer ‹redacted›',
      'set-cookie': ['‹redacted›', '‹redacted›'],
      host: 'h',
      missing: undefined,
    });
  });

  const tokens: Array<[string, boolean]> = [
    [JWT, true],
    [`Bearer ${JWT}`, true],
    ['Bearer 0123456789abcdef', true],
    ['bearer short', false],
    ['{{token}}', false],
    ['application/json', false],
    ['a.b.c', false],
  ];
  for (const [value, expected] of tokens) {
    it(`looksLikeToken(${value.slice(0, 20)}) = ${expected}`, () => assert.equal(looksLikeToken(value), expected));
  }
});
