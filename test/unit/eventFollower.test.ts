import * as assert from 'node:assert/strict';
import { AuthService } from '../../src/core/authService';
import type { FeedEvent, FeedFilter } from '../../src/core/eventFeed';
import { EventFollower, type EventFollowerOptions, type FollowerChange } from '../../src/core/eventFollower';
import type { Environment } from '../../src/core/model';
import { RequestRunner } from '../../src/core/requestRunner';
import { FeedFixture } from './support/feedFixture';
import { FixtureServer, MemoryCredentials, MemoryLogger, refusedPort, sendJson } from './support/fixtureServer';

const POLL_MS = 30_000;
const FROM_BEGINNING: FeedFilter = { eventTypes: ['v1.patient.created', 'v1.patient.referralAcknowledged'], trialIds: [], start: { kind: 'beginning' } };

/** A sleep that records every delay; back-off waits end at once, poll waits only on refresh/stop. */
class RecordingSleep {
  readonly delays: number[] = [];
  readonly sleep = (ms: number, signal: AbortSignal): Promise<void> => {
    this.delays.push(ms);
    if (ms !== POLL_MS || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('EventFollower (reporting-events feed)', () => {
  let feed: FeedFixture;
  let env: Environment;
  let auth: AuthService;
  let runner: RequestRunner;
  let logger: MemoryLogger;
  let sleeper: RecordingSleep;
  const followers: EventFollower[] = [];

  before(async () => {
    feed = await FeedFixture.start();
  });
  after(async () => {
    await feed.stop();
  });
  beforeEach(() => {
    feed.events.length = 0;
    feed.pageSize = 100;
    feed.overlap = 0;
    feed.omitNextOnLastPage = false;
    feed.override = undefined;
    feed.nextPageBase = undefined;
    feed.delayPageAfter = undefined;
    feed.fake.server.requests.length = 0;
    feed.fake.revokeAll();
    env = feed.fake.environment();
    logger = new MemoryLogger();
    auth = new AuthService({ credentials: new MemoryCredentials({ fake: feed.fake.credentials }), logger });
    runner = new RequestRunner({ auth, logger });
    sleeper = new RecordingSleep();
  });
  afterEach(async () => {
    await Promise.all(followers.splice(0).map((f) => f.stop()));
  });

  function follower(extra: Partial<EventFollowerOptions> = {}): EventFollower {
    const f = new EventFollower({ runner, environment: env, filter: FROM_BEGINNING, pollMs: POLL_MS, maxKept: 5000, sleep: sleeper.sleep, logger, ...extra });
    followers.push(f);
    return f;
  }

  const ids = (events: readonly FeedEvent[]): string[] => events.map((e) => e.id);
  const caughtUp = (f: EventFollower) => () => f.status.kind === 'waiting';

  it('pages through nextPage to the end, in feed order, with the filter in the first URL, then waits to poll', async () => {
    feed.add(250);
    const f = follower();
    const changes: FollowerChange[] = [];
    f.onDidChange((c) => changes.push(c));
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.deepEqual(ids(f.events()), ids(feed.events));
    const requests = feed.feedRequests();
    assert.equal(requests.length, 3);
    assert.equal(requests[0].searchParams.get('eventTypes'), 'v1.patient.created,v1.patient.referralAcknowledged');
    assert.equal(requests[0].searchParams.get('since'), null, 'from the beginning sends no since');
    assert.equal(requests[1].searchParams.get('after'), 'evt-99');
    assert.equal(requests[2].searchParams.get('after'), 'evt-199');
    assert.ok(feed.fake.server.requests.filter((r) => r.path.startsWith('/rpi/events')).every((r) => /^Bearer tok-1-/.test(String(r.headers.authorization))));
    assert.equal(feed.fake.tokenRequests, 1);
    assert.deepEqual(f.stats(), { pages: 3, accepted: 250, duplicates: 0, dropped: 0, malformed: 0 });
    assert.equal(f.position()?.lastEventId, 'evt-249');
    assert.equal(new URL(f.position()!.pageUrl).searchParams.get('after'), 'evt-249');
    const waiting = f.status;
    assert.ok(waiting.kind === 'waiting' && waiting.nextAttemptAt > Date.now() + POLL_MS - 5000);
    assert.deepEqual(sleeper.delays, [POLL_MS]);
    assert.equal(changes.flatMap((c) => c.added).length, 250);

    // A poll (Refresh) from the last position picks up only what was appended.
    feed.add(3);
    f.refresh();
    await until(() => f.events().length === 253 && f.status.kind === 'waiting', 'the poll');
    assert.equal(feed.feedRequests()[3].searchParams.get('after'), 'evt-249');
    assert.deepEqual(ids(f.events().slice(-3)), ['evt-250', 'evt-251', 'evt-252']);
  });

  it('"from now" and "since" send since; trial ids are sent as trialIds', async () => {
    const f = follower({ filter: { eventTypes: ['v1.patient.created'], trialIds: ['t-1', 't-2'], start: { kind: 'since', time: '2024-05-01T00:00:00.000Z' } } });
    f.start();
    await until(caughtUp(f), 'caught up');
    const first = feed.feedRequests()[0];
    assert.equal(first.searchParams.get('since'), '2024-05-01T00:00:00.000Z');
    assert.equal(first.searchParams.get('trialIds'), 't-1,t-2');
    assert.equal(first.searchParams.get('eventTypes'), 'v1.patient.created');
    const before = Date.now();
    const g = follower({ filter: { ...FROM_BEGINNING, start: { kind: 'now' } } });
    g.start();
    await until(caughtUp(g), 'caught up');
    const since = Date.parse(feed.feedRequests()[1].searchParams.get('since') ?? '');
    assert.ok(since >= before - 1000 && since <= Date.now());
  });

  it('resumes from a saved position: nothing already seen comes back, new events do', async () => {
    feed.add(150);
    const first = follower();
    first.start();
    await until(caughtUp(first), 'caught up');
    await first.stop();
    const saved = JSON.parse(JSON.stringify(first.position()));
    assert.ok(!JSON.stringify(saved).includes('secret-note'), 'the position holds no message');
    feed.add(20);
    feed.fake.server.requests.length = 0;
    const resumed = follower({ position: saved });
    resumed.start();
    await until(caughtUp(resumed), 'caught up');
    assert.deepEqual(ids(resumed.events()), ids(feed.events.slice(150)));
    assert.equal(feed.feedRequests()[0].searchParams.get('after'), 'evt-149');
  });

  it('resuming on a last page that has no nextPage skips events up to the saved last event id', async () => {
    feed.add(30);
    feed.omitNextOnLastPage = true;
    const first = follower();
    first.start();
    await until(caughtUp(first), 'caught up');
    await first.stop();
    // The saved URL is the first page itself (no nextPage to move to): it returns all 30 again, plus 2 new.
    feed.add(2);
    const resumed = follower({ position: first.position() });
    resumed.start();
    await until(caughtUp(resumed), 'caught up');
    assert.deepEqual(ids(resumed.events()), ['evt-30', 'evt-31']);
    assert.equal(resumed.stats().duplicates, 30);
  });

  it('dedupes by id across overlapping pages', async () => {
    feed.add(250);
    feed.overlap = 10;
    const f = follower();
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.deepEqual(ids(f.events()), ids(feed.events));
    assert.ok(f.stats().duplicates >= 20, `duplicates ${f.stats().duplicates}`);
    assert.equal(new Set(ids(f.events())).size, 250);
  });

  it('keeps the feed order when publishedTime goes backwards', async () => {
    feed.add(5, { publishedTime: (i) => new Date(Date.UTC(2024, 4, 1) - i * 3_600_000).toISOString() });
    const f = follower();
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.deepEqual(ids(f.events()), ['evt-0', 'evt-1', 'evt-2', 'evt-3', 'evt-4']);
  });

  it('tolerates an empty page, a page without pagination, malformed entries and unknown event types', async () => {
    let call = 0;
    feed.override = (url, res) => {
      call++;
      if (call === 1) sendJson(res, 200, { pagination: { hasNextPage: true, nextPage: `${feed.url}/rpi/events?eventTypes=x&p=2` }, events: [] });
      else if (call === 2) {
        sendJson(res, 200, {
          events: [{ id: 'u-1', publishedTime: '2024-05-01T00:00:00Z', eventType: 'v1.patient.contactAttempt', message: { contactAttemptDate: '2024-05-02' } }, { nope: true }, 'junk'],
        });
      } else sendJson(res, 200, { pagination: { hasNextPage: false }, events: [] });
      assert.ok(url);
      return true;
    };
    const f = follower();
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.equal(call, 2, 'a page without pagination is the last one');
    assert.deepEqual(f.events(), [{ id: 'u-1', publishedTime: '2024-05-01T00:00:00Z', eventType: 'v1.patient.contactAttempt', message: { contactAttemptDate: '2024-05-02' } }]);
    assert.equal(f.stats().malformed, 2);
    assert.equal(new URL(f.position()!.pageUrl).searchParams.get('p'), '2', 'polling goes on from the last URL');
    f.refresh();
    await until(() => call === 3 && f.status.kind === 'waiting', 'the poll');
    assert.equal(f.events().length, 1);
  });

  it('400 for a bad event type: a clear error, following stops, no retry loop', async () => {
    feed.override = (url, res) => {
      sendJson(res, 400, { message: `Unknown event type: ${url.searchParams.get('eventTypes')}` });
      return true;
    };
    const f = follower({ filter: { ...FROM_BEGINNING, eventTypes: ['v1.patient.bogus'] } });
    f.start();
    await until(() => f.status.kind === 'failed', 'failure');
    const status = f.status;
    assert.ok(status.kind === 'failed');
    assert.equal(status.error.kind, 'invalid-request');
    assert.equal(status.error.status, 400);
    assert.match(status.error.message, /^Fake: the events feed rejected the filter \(400\): Unknown event type: v1\.patient\.bogus\. Check the event types/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(feed.feedRequests().length, 1);
    assert.equal(f.running, false);
  });

  it('401 mid-feed costs one token refresh and one retry; a persistent 401 stops with a credentials error', async () => {
    feed.add(150);
    const f = follower();
    // The token is revoked server-side right after the first page.
    f.onDidChange((c) => c.added.length && f.events().length === 100 && feed.fake.revokeAll());
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.equal(f.events().length, 150);
    assert.equal(feed.feedRequests().length, 3, 'page 1, page 2 (401), page 2 again');
    assert.equal(feed.fake.tokenRequests, 2);

    feed.fake.always401 = true;
    const savedHandler = feed.override;
    feed.override = (_url, res) => {
      sendJson(res, 401, { message: 'Unauthorized' });
      return true;
    };
    const g = follower();
    g.start();
    await until(() => g.status.kind === 'failed', 'failure');
    const status = g.status;
    assert.ok(status.kind === 'failed' && status.error.kind === 'token-rejected');
    assert.match(status.error.message, /refused the token \(401\): Unauthorized even after one token refresh/);
    feed.fake.always401 = false;
    feed.override = savedHandler;
  });

  it('429 with Retry-After waits that long; without it, exponential back-off; the next attempt time is exposed', async () => {
    feed.add(3);
    let call = 0;
    const statuses: string[] = [];
    feed.override = (_url, res) => {
      call++;
      if (call === 1) sendJson(res, 429, { message: 'slow down' }, { 'retry-after': '7' });
      else if (call <= 4) sendJson(res, call === 4 ? 503 : 429, { message: 'busy' });
      else return false;
      return true;
    };
    const f = follower({ backoff: { baseMs: 1000, maxMs: 60_000 } });
    f.onDidChange((c) => {
      if (c.status.kind === 'backoff') statuses.push(`${c.status.attempt}:${Math.round((c.status.nextAttemptAt - Date.now()) / 1000)}`);
    });
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.deepEqual(sleeper.delays, [7000, 2000, 4000, 8000, POLL_MS]);
    assert.deepEqual(statuses, ['1:7', '2:2', '3:4', '4:8']);
    assert.equal(f.events().length, 3);
  });

  it('network errors back off too, and a failed page is retried from the same position', async () => {
    const port = await refusedPort();
    const dead: Environment = { ...env, baseUrl: `http://127.0.0.1:${port}` };
    const f = follower({ environment: dead, backoff: { baseMs: 500, maxMs: 1500 } });
    const messages: string[] = [];
    f.onDidChange((c) => {
      if (c.status.kind === 'backoff') messages.push(c.status.message);
    });
    f.start();
    await until(() => sleeper.delays.length >= 4, 'four back-offs');
    await f.stop();
    assert.deepEqual(sleeper.delays.slice(0, 4), [500, 1000, 1500, 1500]);
    assert.match(messages[0], /connection refused/);
    assert.equal(f.status.kind, 'stopped');
  });

  it('a nextPage on another origin stops with a clear error: no token goes there and there is no loop', async () => {
    const other = await FixtureServer.start((_req, res) => sendJson(res, 200, { pagination: { hasNextPage: false }, events: [] }));
    try {
      feed.add(120);
      feed.nextPageBase = other.url;
      const f = follower();
      f.start();
      await until(() => f.status.kind === 'failed', 'failure');
      const status = f.status;
      assert.ok(status.kind === 'failed' && status.error.kind === 'cross-origin');
      assert.match(status.error.message, new RegExp(`next page points to ${other.url.replace(/[.]/g, '\\.')}, not to Fake's API \\(${feed.url.replace(/[.]/g, '\\.')}\\); the token is not sent there`));
      assert.equal(other.requests.length, 0);
      assert.equal(feed.feedRequests().length, 1);
      assert.equal(f.events().length, 100, "the good page's events are kept");
      assert.equal(new URL(f.position()!.pageUrl).origin, feed.url, 'the saved position never points elsewhere');
      // A saved position on another origin is refused before anything is sent.
      const g = follower({ position: { pageUrl: `${other.url}/rpi/events?after=x` } });
      g.start();
      await until(() => g.status.kind === 'failed', 'failure');
      assert.equal(other.requests.length, 0);
    } finally {
      await other.stop();
    }
  });

  it('stop mid-page cancels the request and takes none of its events', async () => {
    feed.add(150);
    feed.delayPageAfter = { afterId: 'evt-99', ms: 1500 };
    const f = follower();
    f.start();
    await until(() => f.events().length === 100 && feed.feedRequests().length === 2, 'the second page in flight');
    const t0 = Date.now();
    await f.stop();
    assert.ok(Date.now() - t0 < 500, 'stop does not wait for the slow page');
    assert.equal(f.status.kind, 'stopped');
    await new Promise((r) => setTimeout(r, 1600));
    assert.equal(f.events().length, 100);
    assert.equal(new URL(f.position()!.pageUrl).searchParams.get('after'), 'evt-99');
    // Starting again continues from there.
    feed.delayPageAfter = undefined;
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.deepEqual(ids(f.events()), ids(feed.events));
  });

  it('bounds memory: keeps the newest maxKept events and counts the dropped ones; Clear keeps the position', async () => {
    feed.add(230);
    const f = follower({ maxKept: 50 });
    const dropped: number[] = [];
    f.onDidChange((c) => c.dropped && dropped.push(c.dropped));
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.deepEqual(ids(f.events()), ids(feed.events.slice(180)));
    assert.equal(f.stats().dropped, 180);
    assert.deepEqual(dropped, [50, 100, 30]);
    f.clear();
    assert.equal(f.events().length, 0);
    f.refresh();
    await until(() => feed.feedRequests().length === 4 && f.status.kind === 'waiting', 'the poll');
    assert.equal(f.events().length, 0, 'nothing seen comes back after Clear');
  });

  it('logs counts and statuses, never a message', async () => {
    feed.add(12);
    const f = follower();
    f.start();
    await until(caughtUp(f), 'caught up');
    assert.ok(!logger.text().includes('secret-note'));
    assert.match(logger.text(), /\[events\] Fake: following the events feed/);
  });
});
