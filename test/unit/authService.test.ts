import * as assert from 'node:assert/strict';
import { AuthService, tokenCacheKey, type TokenStateChange } from '../../src/core/authService';
import { isStudyTeamError } from '../../src/core/errors';
import type { Environment } from '../../src/core/model';
import { FakeClock, FakeStudyTeam, MemoryCredentials, MemoryLogger, MemoryTokenPersistence, rejectionOf } from './support/fixtureServer';

describe('AuthService', () => {
  let fake: FakeStudyTeam;
  let env: Environment;
  let credentials: MemoryCredentials;
  let clock: FakeClock;
  let logger: MemoryLogger;

  before(async () => {
    fake = await FakeStudyTeam.start();
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.server.requests.length = 0;
    fake.tokenDelayMs = 0;
    fake.failTokenWith = undefined;
    fake.failTokenHeaders = {};
    fake.expiresIn = 900;
    env = fake.environment();
    credentials = new MemoryCredentials({ fake: fake.credentials });
    clock = new FakeClock();
    logger = new MemoryLogger();
  });

  function service(extra: Partial<ConstructorParameters<typeof AuthService>[0]> = {}): AuthService {
    return new AuthService({ credentials, clock, logger, ...extra });
  }

  it('100 concurrent cold callers share exactly one token request', async () => {
    fake.tokenDelayMs = 30;
    const auth = service();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.getToken(env)));
    assert.equal(fake.tokenRequests, 1);
    assert.equal(new Set(tokens.map((t) => t.value)).size, 1);
    assert.equal(auth.tokenRequestCount('fake'), 1);
    assert.equal(auth.tokenRequestCount(), 1);
  });

  it('reuses the cached token for sequential calls', async () => {
    const auth = service();
    for (let i = 0; i < 50; i++) await auth.getToken(env);
    assert.equal(fake.tokenRequests, 1);
  });

  it('refreshes proactively when less than the skew is left (fake clock)', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    clock.advance(900_000 - 61_000);
    assert.equal((await auth.getToken(env)).value, first.value);
    assert.equal(fake.tokenRequests, 1);
    clock.advance(2_000); // 59 s left < 60 s skew
    const second = await auth.getToken(env);
    assert.notEqual(second.value, first.value);
    assert.equal(fake.tokenRequests, 2);
    assert.equal(auth.tokenRequestCount('fake'), 2);
  });

  it('caps the skew at half of a short token lifetime', async () => {
    fake.expiresIn = 10;
    const auth = service();
    await auth.getToken(env);
    clock.advance(4_000);
    await auth.getToken(env);
    assert.equal(fake.tokenRequests, 1);
    clock.advance(2_000);
    await auth.getToken(env);
    assert.equal(fake.tokenRequests, 2);
  });

  it('keeps using a still-valid token when a proactive refresh fails', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    clock.advance(900_000 - 30_000);
    fake.failTokenWith = 503;
    assert.equal((await auth.getToken(env)).value, first.value);
    clock.advance(31_000); // now expired
    await rejectionOf(auth.getToken(env));
  });

  for (const { status, headers, kind, says } of [
    { status: 503, headers: {}, kind: 'server-error', says: /^Fake: the token endpoint failed \(503 server_error: boom\)/ },
    { status: 429, headers: { 'retry-after': '42' }, kind: 'rate-limited', says: /^Fake: token request rate-limited .*Try again in 42 s\./ },
  ] as const) {
    it(`the old token running out during a failing refresh surfaces the refresh's ${status}, with the environment`, async () => {
      const auth = service();
      await auth.getToken(env);
      clock.advance(900_000 - 30_000); // 30 s left: a proactive refresh starts
      fake.failTokenWith = status;
      fake.failTokenHeaders = headers;
      fake.tokenDelayMs = 60;
      const pending = rejectionOf(auth.getToken(env));
      await new Promise((resolve) => setTimeout(resolve, 20)); // the refresh is under way…
      assert.equal(auth.state('fake').kind, 'fetching');
      clock.advance(31_000); // …when the old token expires
      const error = await pending;
      assert.ok(isStudyTeamError(error, kind), String(error));
      assert.match(error.message, says);
      assert.equal(error.environmentName, 'Fake');
      assert.equal(error.status, status);
      if (status === 429) assert.equal(error.retryAfterSeconds, 42);
      assert.equal(fake.tokenRequests, 2);
    });
  }

  it('a credential change never reuses the token', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    credentials.byEnv.set('fake', { ...fake.credentials, clientId: 'other-client' });
    await rejectionOf(auth.getToken(env)); // the fake knows only one client → 401
    credentials.byEnv.set('fake', fake.credentials);
    const again = await auth.getToken(env);
    assert.notEqual(again.value, first.value);
    assert.equal(fake.tokenRequests, 3);
  });

  it('a token URL or audience change never reuses the token', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    const second = await auth.getToken({ ...env, audience: 'https://other-aud' });
    assert.notEqual(second.value, first.value);
    const third = await auth.getToken({ ...env, tokenUrl: `http://localhost:${fake.server.port}/oauth/token` });
    assert.notEqual(third.value, first.value);
    assert.equal(fake.tokenRequests, 3);
    assert.notEqual(tokenCacheKey(env, fake.credentials), tokenCacheKey({ ...env, tokenUrl: 'http://127.0.0.1:1/oauth/token' }, fake.credentials));
  });

  it('a base URL spelled differently for the same identity keeps the token; another API origin never reuses it', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    assert.equal(await auth.getToken({ ...env, baseUrl: `${env.baseUrl}/` }), first, 'same token URL, audience and API origin');
    assert.equal(await auth.getToken(env), first);
    assert.equal(fake.tokenRequests, 1);
    const moved = await auth.getToken({ ...env, baseUrl: env.baseUrl.replace('127.0.0.1', 'localhost') });
    assert.notEqual(moved.value, first.value);
    assert.equal(fake.tokenRequests, 2);
    const back = await auth.getToken(env);
    assert.notEqual(back.value, first.value, 'the first token was dropped with its identity');
    assert.equal(fake.tokenRequests, 3);
  });

  it('invalidate drops only the current token; a stale invalidate is a no-op', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    auth.invalidate(env, first.value);
    assert.equal(auth.peek(env), undefined);
    const second = await auth.getToken(env);
    auth.invalidate(env, first.value); // stale: must not drop the new one
    assert.equal(auth.peek(env)?.value, second.value);
    assert.equal(fake.tokenRequests, 2);
  });

  it('a burst of invalidations with the same token causes one refetch', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    fake.tokenDelayMs = 20;
    const refetched = await Promise.all(
      Array.from({ length: 20 }, async () => {
        auth.invalidate(env, first.value);
        return auth.getToken(env);
      }),
    );
    assert.equal(new Set(refetched.map((t) => t.value)).size, 1);
    assert.equal(fake.tokenRequests, 2);
  });

  it('forceRefresh fetches a new token', async () => {
    const auth = service();
    const first = await auth.getToken(env);
    const second = await auth.getToken(env, { forceRefresh: true });
    assert.notEqual(first.value, second.value);
  });

  it('a failed fetch does not poison the cache: the next call retries', async () => {
    const auth = service();
    fake.failTokenWith = 500;
    const error = await rejectionOf(auth.getToken(env));
    assert.ok(isStudyTeamError(error, 'server-error'));
    assert.equal(auth.state('fake').kind, 'error');
    fake.failTokenWith = undefined;
    const token = await auth.getToken(env);
    assert.ok(token.value);
    assert.equal(fake.tokenRequests, 2);
    assert.equal(auth.state('fake').kind, 'valid');
  });

  it('a cancelled caller does not cancel the shared fetch for others', async () => {
    fake.tokenDelayMs = 80;
    const auth = service();
    const controller = new AbortController();
    const cancelled = auth.getToken(env, { signal: controller.signal });
    const other = auth.getToken(env);
    setTimeout(() => controller.abort(), 10);
    const error = await rejectionOf(cancelled);
    assert.ok(isStudyTeamError(error, 'cancelled'));
    assert.ok((await other).value);
    assert.equal(fake.tokenRequests, 1);
  });

  it('missing credentials → credentials-missing with the setCredentials action, no request', async () => {
    const auth = service({ credentials: new MemoryCredentials() });
    const error = await rejectionOf(auth.getToken(env));
    assert.ok(isStudyTeamError(error, 'credentials-missing'));
    assert.deepEqual(error.actions, ['setCredentials']);
    assert.match(error.message, /^Fake: no client credentials are set/);
    assert.equal(fake.tokenRequests, 0);
  });

  it('persistence: loads on first use, saves after a fetch, deletes on invalidate and clear', async () => {
    const persistence = new MemoryTokenPersistence();
    const key = tokenCacheKey(env, fake.credentials);
    const auth1 = service({ persistence });
    const token = await auth1.getToken(env);
    assert.deepEqual(persistence.tokens.get(key), token);
    assert.ok(!key.includes(fake.credentials.clientSecret));

    const auth2 = service({ persistence }); // "after a reload"
    assert.equal((await auth2.getToken(env)).value, token.value);
    assert.equal(fake.tokenRequests, 1);
    assert.equal(auth2.tokenRequestCount('fake'), 0);

    auth2.invalidate(env, token.value);
    await Promise.resolve();
    assert.equal(persistence.tokens.has(key), false);

    await auth2.getToken(env);
    assert.equal(persistence.tokens.has(key), true);
    await auth2.clear('fake');
    assert.equal(persistence.tokens.size, 0);
    assert.equal(auth2.peek(env), undefined);
    assert.equal(auth2.state('fake').kind, 'none');
  });

  it('ignores an expired persisted token', async () => {
    const persistence = new MemoryTokenPersistence();
    const key = tokenCacheKey(env, fake.credentials);
    persistence.tokens.set(key, { value: 'old', tokenType: 'Bearer', obtainedAt: clock.now() - 1_000_000, expiresAt: clock.now() - 1 });
    const token = await service({ persistence }).getToken(env);
    assert.notEqual(token.value, 'old');
    assert.equal(fake.tokenRequests, 1);
  });

  it('emits state changes: fetching → valid, and none after invalidate', async () => {
    const auth = service();
    const events: TokenStateChange[] = [];
    const sub = auth.onDidChangeState((e) => events.push(e));
    assert.deepEqual(auth.state('fake'), { kind: 'none' });
    const token = await auth.getToken(env);
    auth.invalidate(env, token.value);
    sub.dispose();
    await auth.getToken(env);
    assert.deepEqual(
      events.map((e) => [e.environmentId, e.state.kind]),
      [
        ['fake', 'fetching'],
        ['fake', 'valid'],
        ['fake', 'none'],
      ],
    );
    const valid = events[1].state;
    assert.ok(valid.kind === 'valid' && valid.expiresAt === token.expiresAt);
    clock.advance(901_000);
    assert.equal(auth.state('fake').kind, 'expired');
  });

  it('peek never fetches', async () => {
    const auth = service();
    assert.equal(auth.peek(env), undefined);
    assert.equal(fake.tokenRequests, 0);
  });

  it('counts token requests per environment and keeps environments apart', async () => {
    const other = fake.environment({ id: 'other', name: 'Other' });
    credentials.byEnv.set('other', fake.credentials);
    const auth = service();
    const a = await auth.getToken(env);
    const b = await auth.getToken(other);
    assert.notEqual(a.value, b.value);
    assert.equal(auth.tokenRequestCount('fake'), 1);
    assert.equal(auth.tokenRequestCount('other'), 1);
    assert.equal(auth.tokenRequestCount(), 2);
  });

  it('auth log lines never contain a token or the secret', async () => {
    const auth = service();
    const token = await auth.getToken(env);
    auth.invalidate(env, token.value);
    await auth.getToken(env);
    fake.failTokenWith = 500;
    await rejectionOf(auth.getToken(env, { forceRefresh: true }));
    const text = logger.text();
    assert.match(text, /\[auth\] Fake: requesting token/);
    assert.match(text, /\[auth\] Fake: token invalidated/);
    assert.ok(!text.includes(fake.credentials.clientSecret));
    for (const t of fake.validTokens) assert.ok(!text.includes(t));
    assert.ok(logger.lines.every((l) => l.tag === 'auth'));
  });
});
