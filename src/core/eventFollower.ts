// Follows the reporting-events feed: pages through `pagination.nextPage` until `hasNextPage` is false, then
// polls from the last position. Dedupes by id, keeps the feed's order, bounds memory, backs off on 429/5xx/
// network errors and stops with a clear error on anything a retry cannot fix. Sends through the
// RequestRunner (origin check, one 401 re-auth). Event messages stay in memory. No `vscode`.
import { apiOriginOf } from './environment';
import { errorMessage, formatSeconds, isStudyTeamError, StudyTeamError } from './errors';
import { firstPageUrl, KNOWN_EVENT_TYPES, parseFeedPage, type FeedEvent, type FeedFilter, type FeedPage, type FeedPosition } from './eventFeed';
import { LightAbortController } from './http';
import { silentLogger, systemClock, type ApiRequest, type ApiResponse, type Clock, type Disposable, type Environment, type Logger } from './model';
import type { RunOptions } from './requestRunner';
import { retryAfterSecondsOf } from './tokenClient';

/** The part of the RequestRunner the follower uses. */
export interface FeedRunner {
  run(env: Environment, request: ApiRequest, options?: RunOptions): Promise<ApiResponse>;
}

/** Waits `ms`, or less when `signal` aborts. Never rejects. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export type FollowerStatus =
  | { readonly kind: 'stopped' }
  | { readonly kind: 'fetching'; readonly page: number }
  /** Caught up; the next poll is at nextAttemptAt (epoch ms). */
  | { readonly kind: 'waiting'; readonly nextAttemptAt: number }
  /** A transient failure; the next attempt is at nextAttemptAt (epoch ms). */
  | { readonly kind: 'backoff'; readonly nextAttemptAt: number; readonly attempt: number; readonly message: string }
  /** Stopped by an error a retry cannot fix (bad filter, foreign origin, rejected credentials…). */
  | { readonly kind: 'failed'; readonly error: StudyTeamError };

export interface FollowerChange {
  /** New events, in feed order. */
  readonly added: readonly FeedEvent[];
  /** Events dropped by the memory bound in this change. */
  readonly dropped: number;
  readonly positionChanged: boolean;
  readonly status: FollowerStatus;
}

export interface FollowerStats {
  pages: number;
  /** Events accepted (shown), including any dropped later by the memory bound. */
  accepted: number;
  duplicates: number;
  dropped: number;
  malformed: number;
}

export interface EventFollowerOptions {
  runner: FeedRunner;
  environment: Environment;
  filter: FeedFilter;
  /** Continue from here instead of the filter's start. */
  position?: FeedPosition;
  /** Poll interval once caught up; a function is read at each wait (settings can change). */
  pollMs: number | (() => number);
  /** Events kept in memory; older ones are dropped and counted. */
  maxKept: number | (() => number);
  clock?: Clock;
  sleep?: Sleep;
  logger?: Logger;
  /** Exponential back-off: baseMs, 2·baseMs, … capped at maxMs. Default 2 s … 5 min. */
  backoff?: { baseMs: number; maxMs: number };
  /** `limit` on the first page (later pages follow nextPage as given). */
  pageLimit?: number;
}

export const DEFAULT_BACKOFF = Object.freeze({ baseMs: 2000, maxMs: 5 * 60_000 });
const TRANSIENT = new Set(['network', 'timeout', 'rate-limited', 'server-error']);
/** Ids remembered for dedupe beyond the kept events (ids only: no message). */
const MIN_SEEN_IDS = 20_000;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal.addEventListener('abort', done, { once: true });
  });

export class EventFollower {
  readonly environment: Environment;
  readonly filter: FeedFilter;
  private readonly runner: FeedRunner;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly logger: Logger;
  private readonly backoff: { baseMs: number; maxMs: number };
  private readonly pollMs: () => number;
  private readonly maxKept: () => number;
  private readonly pageLimit?: number;
  private readonly listeners = new Set<(change: FollowerChange) => void>();
  private readonly seen = new Set<string>();
  private kept: FeedEvent[] = [];
  private pos: FeedPosition | undefined;
  private current: FollowerStatus = { kind: 'stopped' };
  private stopController: LightAbortController | undefined;
  private wakeController: LightAbortController | undefined;
  private loopDone: Promise<void> = Promise.resolve();
  private readonly counters: FollowerStats = { pages: 0, accepted: 0, duplicates: 0, dropped: 0, malformed: 0 };

  constructor(options: EventFollowerOptions) {
    this.runner = options.runner;
    this.environment = options.environment;
    this.filter = options.filter;
    this.pos = options.position;
    this.clock = options.clock ?? systemClock;
    this.sleep = options.sleep ?? realSleep;
    this.logger = options.logger ?? silentLogger;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    const poll = options.pollMs;
    const max = options.maxKept;
    this.pollMs = typeof poll === 'function' ? poll : () => poll;
    this.maxKept = typeof max === 'function' ? max : () => max;
    this.pageLimit = options.pageLimit;
  }

  get status(): FollowerStatus {
    return this.current;
  }

  get running(): boolean {
    return this.stopController !== undefined;
  }

  /** Kept events in feed order (oldest first). */
  events(): readonly FeedEvent[] {
    return this.kept;
  }

  stats(): Readonly<FollowerStats> {
    return { ...this.counters };
  }

  /** The serialisable position (next URL + last event id), or undefined before the first page. */
  position(): FeedPosition | undefined {
    return this.pos;
  }

  onDidChange(listener: (change: FollowerChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** Starts (or resumes) following. No-op when already running. */
  start(): void {
    if (this.stopController) return;
    const stop = new LightAbortController();
    this.stopController = stop;
    this.loopDone = this.loop(stop.signal);
  }

  /** Stops following; an in-flight page is cancelled and none of its events are taken. Resolves once stopped. */
  async stop(): Promise<void> {
    const stop = this.stopController;
    if (!stop) return;
    this.stopController = undefined;
    stop.abort();
    this.wakeController?.abort();
    await this.loopDone;
    if (!this.stopController) this.setStatus({ kind: 'stopped' });
  }

  /** Polls now: ends a wait or a back-off early; starts following when stopped. */
  refresh(): void {
    if (!this.stopController) return this.start();
    this.wakeController?.abort();
  }

  /** Forgets the kept events (the position and the ids seen stay, so nothing comes back as new). */
  clear(): void {
    this.kept = [];
    this.emit({ added: [], dropped: 0, positionChanged: false, status: this.current });
  }

  private async loop(stopSignal: AbortSignal): Promise<void> {
    const env = this.environment;
    let url = this.pos?.pageUrl ?? firstPageUrl(env, this.filter, this.clock.now(), this.pageLimit);
    let failures = 0;
    let pageInRun = 0;
    this.logger.log('info', 'events', `${env.name}: following the events feed (${this.filter.eventTypes.length} types)${this.pos ? ', resuming from the saved position' : ''}`);
    while (!stopSignal.aborted) {
      this.setStatus({ kind: 'fetching', page: ++pageInRun });
      let page: FeedPage;
      let next: string | undefined;
      try {
        this.checkOrigin(url);
        page = await this.fetchPage(url, stopSignal);
        next = this.resolveNext(url, page.nextPage);
      } catch (error) {
        if (stopSignal.aborted) return;
        const failure = this.asError(error);
        if (!TRANSIENT.has(failure.kind)) return this.fail(failure);
        failures++;
        const delay = this.backoffDelay(failures, failure.retryAfterSeconds);
        const nextAttemptAt = this.clock.now() + delay;
        this.logger.log('info', 'events', `${env.name}: ${failure.kind}${failure.status ? ` ${failure.status}` : ''}; attempt ${failures + 1} in ${formatSeconds(delay / 1000)}`);
        this.setStatus({ kind: 'backoff', nextAttemptAt, attempt: failures, message: failure.message });
        await this.wait(delay, stopSignal);
        continue;
      }
      failures = 0;
      this.counters.pages++;
      // A nextPage on another origin: take this page's events, keep the position here, and stop.
      const foreign = next !== undefined && new URL(next).origin !== apiOriginOf(env) ? this.crossOriginError(next) : undefined;
      const added = this.accept(page);
      const nextUrl = foreign ? url : (next ?? url);
      const lastEventId = added.length ? added[added.length - 1].id : this.pos?.lastEventId;
      this.pos = lastEventId ? { pageUrl: nextUrl, lastEventId } : { pageUrl: nextUrl };
      const dropped = this.enforceBound();
      this.emit({ added, dropped, positionChanged: true, status: this.current });
      if (foreign) return this.fail(foreign);
      if (page.missingPagination) this.logger.log('debug', 'events', `${env.name}: a page without pagination; treated as the last page`);
      if (next === undefined && page.hasNextPage) {
        this.logger.log('warn', 'events', `${env.name}: the feed says there is a next page but gives no nextPage URL; polling the same page`);
      }
      const moved = next !== undefined && next !== url;
      url = nextUrl;
      // Follow at once while the feed has more and the URL moves on; otherwise wait for the next poll.
      if (page.hasNextPage && moved) continue;
      const pollMs = Math.max(1000, this.pollMs());
      pageInRun = 0;
      this.setStatus({ kind: 'waiting', nextAttemptAt: this.clock.now() + pollMs });
      await this.wait(pollMs, stopSignal);
    }
  }

  private fail(error: StudyTeamError): void {
    this.logger.log('warn', 'events', `${this.environment.name}: following stopped: ${error.kind}${error.status ? ` ${error.status}` : ''}`);
    this.stopController = undefined;
    this.wakeController = undefined;
    this.setStatus({ kind: 'failed', error });
  }

  private async fetchPage(url: string, signal: AbortSignal): Promise<FeedPage> {
    const env = this.environment;
    const response = await this.runner.run(env, { method: 'GET', url, auth: 'bearer' }, { signal });
    if (signal.aborted) throw new StudyTeamError('cancelled', `${env.name}: events page cancelled.`, { environmentName: env.name });
    if (response.status >= 200 && response.status < 300) return parseFeedPage(env, response.text);
    throw this.statusError(response);
  }

  private statusError(response: ApiResponse): StudyTeamError {
    const env = this.environment;
    const status = response.status;
    const detail = serverMessage(response.text);
    const said = detail ? `: ${detail}` : '';
    const options = { environmentName: env.name, status };
    if (status === 429) {
      const headers = response.headers;
      const retryAfterSeconds = retryAfterSecondsOf(
        { status, statusText: response.statusText, body: null, headers: { get: (n) => headers.find(([k]) => k === n.toLowerCase())?.[1] ?? null, forEach: () => undefined } },
        this.clock.now(),
      );
      return new StudyTeamError('rate-limited', `${env.name}: the events feed is rate limited (429)${said}.`, { ...options, retryAfterSeconds });
    }
    if (status >= 500) return new StudyTeamError('server-error', `${env.name}: the events feed failed on the server (${status})${said}.`, options);
    if (status === 401 || status === 403) {
      return new StudyTeamError(
        'token-rejected',
        `${env.name}: the events feed refused the token (${status})${said}${status === 401 ? ' even after one token refresh' : ''}. Check the client credentials and that they include the read:events scope.`,
        { ...options, actions: ['setCredentials', 'showLog'] },
      );
    }
    if (status === 400) {
      return new StudyTeamError(
        'invalid-request',
        `${env.name}: the events feed rejected the filter (400)${said}. Check the event types (documented: ${KNOWN_EVENT_TYPES.join(', ')}) and the start time — Set Filter…`,
        options,
      );
    }
    if (status === 404) {
      return new StudyTeamError('invalid-request', `${env.name}: the events feed answered 404${said}. Is a trial id in the filter unknown to this environment? — Set Filter…`, options);
    }
    return new StudyTeamError('bad-response', `${env.name}: the events feed answered ${status}${said}; following stopped.`, { ...options, actions: ['showLog'] });
  }

  /** The bearer token only goes to the environment's own API origin: a foreign URL is an error, not a loop. */
  private checkOrigin(url: string): void {
    if (new URL(url).origin !== apiOriginOf(this.environment)) throw this.crossOriginError(url);
  }

  private crossOriginError(url: string): StudyTeamError {
    const env = this.environment;
    const origin = new URL(url).origin;
    const own = apiOriginOf(env);
    return new StudyTeamError(
      'cross-origin',
      `${env.name}: the events feed's next page points to ${origin}, not to ${env.name}'s API (${own}); the token is not sent there and following stopped. Start again from a new filter (Set Filter…) or check the environment's base URL.`,
      { environmentName: env.name, actions: ['editEnvironment', 'showLog'] },
    );
  }

  private resolveNext(current: string, nextPage: string | undefined): string | undefined {
    if (!nextPage) return undefined;
    try {
      return new URL(nextPage, current).href;
    } catch {
      throw new StudyTeamError('bad-response', `${this.environment.name}: the events feed's nextPage is not a URL; following stopped.`, {
        environmentName: this.environment.name,
        actions: ['showLog'],
      });
    }
  }

  /** New events of a page in feed order: not seen before, and not at or before the saved last event id. */
  private accept(page: FeedPage): FeedEvent[] {
    this.counters.malformed += page.malformed;
    let events = page.events;
    const last = this.pos?.lastEventId;
    if (last) {
      const index = events.findIndex((e) => e.id === last);
      if (index >= 0) {
        this.counters.duplicates += index + 1;
        events = events.slice(index + 1);
      }
    }
    const added: FeedEvent[] = [];
    for (const event of events) {
      if (this.seen.has(event.id)) {
        this.counters.duplicates++;
        continue;
      }
      this.seen.add(event.id);
      added.push(event);
    }
    this.counters.accepted += added.length;
    for (const event of added) this.kept.push(event);
    const seenLimit = Math.max(MIN_SEEN_IDS, this.maxKept() * 2);
    if (this.seen.size > seenLimit) {
      let excess = this.seen.size - seenLimit;
      for (const id of this.seen) {
        if (excess-- <= 0) break;
        this.seen.delete(id);
      }
    }
    return added;
  }

  private enforceBound(): number {
    const max = Math.max(1, Math.floor(this.maxKept()));
    const overflow = this.kept.length - max;
    if (overflow <= 0) return 0;
    this.kept.splice(0, overflow);
    this.counters.dropped += overflow;
    return overflow;
  }

  private backoffDelay(failures: number, retryAfterSeconds: number | undefined): number {
    const { baseMs, maxMs } = this.backoff;
    if (retryAfterSeconds !== undefined) return Math.min(Math.max(retryAfterSeconds * 1000, baseMs), Math.max(maxMs, retryAfterSeconds * 1000));
    return Math.min(maxMs, baseMs * 2 ** Math.min(30, failures - 1));
  }

  private async wait(ms: number, stopSignal: AbortSignal): Promise<void> {
    const wake = new LightAbortController();
    this.wakeController = wake;
    const onStop = (): void => wake.abort();
    stopSignal.addEventListener('abort', onStop, { once: true });
    try {
      await this.sleep(ms, wake.signal);
    } finally {
      stopSignal.removeEventListener('abort', onStop);
      if (this.wakeController === wake) this.wakeController = undefined;
    }
  }

  private asError(error: unknown): StudyTeamError {
    if (isStudyTeamError(error)) return error;
    return new StudyTeamError('bad-response', `${this.environment.name}: following the events feed failed: ${errorMessage(error)}`, {
      environmentName: this.environment.name,
      actions: ['showLog'],
    });
  }

  private setStatus(status: FollowerStatus): void {
    this.current = status;
    this.emit({ added: [], dropped: 0, positionChanged: false, status });
  }

  private emit(change: FollowerChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.logger.log('error', 'events', `a listener failed: ${errorMessage(error)}`);
      }
    }
  }
}

/** A short server explanation from an error body (`message`, `error_description` or `error`), if any. */
function serverMessage(text: string): string | undefined {
  if (!text) return undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['message', 'error_description', 'error']) {
      const value = body?.[key];
      if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
    }
  } catch {
    // not JSON: say nothing rather than echo an HTML page
  }
  return undefined;
}
