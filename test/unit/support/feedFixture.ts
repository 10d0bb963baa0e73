// A reporting-events feed on a real HTTP server (127.0.0.1:0) for the follower's unit tests: tokens from
// FakeStudyTeam, pages of `{ pagination, events }` with absolute nextPage URLs carrying the last id.
import type * as http from 'node:http';
import type { FeedEvent } from '../../../src/core/eventFeed';
import { FakeStudyTeam, sendJson } from './fixtureServer';

export type FeedOverride = (url: URL, res: http.ServerResponse) => boolean | Promise<boolean>;

export class FeedFixture {
  readonly events: FeedEvent[] = [];
  pageSize = 100;
  /** Later pages start this many events before the previous page's end (overlap tests). */
  overlap = 0;
  /** Give the last page no nextPage (a client must then poll the same page again). */
  omitNextOnLastPage = false;
  /** Per-request hook: return true when it answered. */
  override?: FeedOverride;
  /** Base URL used in nextPage (another origin in the foreign-origin test). */
  nextPageBase?: string;
  delayPageAfter?: { afterId: string; ms: number };

  private constructor(readonly fake: FakeStudyTeam) {}

  static async start(): Promise<FeedFixture> {
    const fake = await FakeStudyTeam.start();
    const feed = new FeedFixture(fake);
    const fallback = fake.server.handler;
    fake.server.handler = async (req, res, body) => {
      const url = new URL(req.url ?? '/', fake.url);
      if (url.pathname !== '/rpi/events') return fallback(req, res, body);
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
      if (!token || !fake.validTokens.has(token)) return sendJson(res, 401, { message: 'Unauthorized' });
      if (feed.override && (await feed.override(url, res))) return;
      await feed.page(url, res);
    };
    return feed;
  }

  get url(): string {
    return this.fake.url;
  }

  /** Appends n events (ids evt-<index>, subjects cycling through `subjects`). */
  add(n: number, options: { type?: string; subjects?: number; publishedTime?: (i: number) => string } = {}): FeedEvent[] {
    const added: FeedEvent[] = [];
    for (let k = 0; k < n; k++) {
      const i = this.events.length;
      const event: FeedEvent = {
        id: `evt-${i}`,
        publishedTime: options.publishedTime ? options.publishedTime(i) : new Date(Date.UTC(2024, 4, 1) + i * 60_000).toISOString(),
        eventType: options.type ?? 'v1.patient.created',
        message: { referralSubjectId: `subj-${i % (options.subjects ?? 7)}`, patientStatus: 'new', trialId: 'trial-1', siteId: 'site-1', note: `secret-note-${i}` },
      };
      this.events.push(event);
      added.push(event);
    }
    return added;
  }

  feedRequests(): URL[] {
    return this.fake.server.requests.filter((r) => r.path.startsWith('/rpi/events')).map((r) => new URL(r.path, this.url));
  }

  stop(): Promise<void> {
    return this.fake.stop();
  }

  private async page(url: URL, res: http.ServerResponse): Promise<void> {
    const after = url.searchParams.get('after');
    let start = 0;
    if (after) {
      const index = this.events.findIndex((e) => e.id === after);
      start = index + 1;
      if (this.delayPageAfter?.afterId === after) await new Promise((r) => setTimeout(r, this.delayPageAfter!.ms));
    }
    start = Math.max(0, start - (after ? this.overlap : 0));
    const limit = Number(url.searchParams.get('limit') ?? this.pageSize);
    const events = this.events.slice(start, start + limit);
    const hasNextPage = start + events.length < this.events.length;
    const lastId = events.length ? events[events.length - 1].id : after;
    const next = new URL('/rpi/events', this.nextPageBase ?? this.url);
    for (const [k, v] of url.searchParams) if (k !== 'after') next.searchParams.set(k, v);
    if (lastId) next.searchParams.set('after', lastId);
    const pagination = !hasNextPage && this.omitNextOnLastPage ? { hasNextPage } : { hasNextPage, nextPage: next.href };
    sendJson(res, 200, { pagination, events });
  }
}
