// The reporting-events feed (`GET /rpi/events`) as values: the filter, the saved position, the first page's
// URL and the parsing of one page. Pure functions, no I/O. No `vscode`.
import { apiOriginOf, resolveRequestUrl } from './environment';
import { StudyTeamError } from './errors';
import type { Environment, KeyValue } from './model';

export const EVENTS_PATH = '/rpi/events';

/** The event types the StudyTeam docs name with a public message shape. Others can be typed in. */
export const KNOWN_EVENT_TYPES: readonly string[] = Object.freeze(['v1.patient.created', 'v1.patient.referralAcknowledged']);

/** An event type as the query accepts it: letters, digits, dot, dash, underscore. */
export const EVENT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const TRIAL_ID_PATTERN = /^[^\s,]{1,200}$/;

/** One event as the feed returns it. The message is patient data: memory only, never persisted or logged. */
export interface FeedEvent {
  readonly id: string;
  readonly publishedTime: string;
  readonly eventType: string;
  readonly message: unknown;
}

export type FeedStart = { readonly kind: 'now' } | { readonly kind: 'since'; readonly time: string } | { readonly kind: 'beginning' };

export interface FeedFilter {
  /** Required by the API: at least one. */
  readonly eventTypes: readonly string[];
  /** Optional: empty means all trials the client may see. */
  readonly trialIds: readonly string[];
  readonly start: FeedStart;
}

/** Where following continues: the next URL to fetch and the last event seen. Holds no message. */
export interface FeedPosition {
  readonly pageUrl: string;
  readonly lastEventId?: string;
}

/** What is kept per environment across reloads (workspace state). Never an event message. */
export interface SavedFeedState {
  readonly version: 1;
  readonly filter: FeedFilter;
  readonly position?: FeedPosition;
  /** Following when the window closed: resume when the view opens again. */
  readonly following?: boolean;
}

export interface FeedPage {
  readonly events: readonly FeedEvent[];
  readonly hasNextPage: boolean;
  /** As the server sent it (absolute per the docs); resolved by the follower. */
  readonly nextPage?: string;
  /** Entries that were not events (no string id): skipped. */
  readonly malformed: number;
  /** True when the body had no `pagination` object (tolerated: treated as the last page). */
  readonly missingPagination: boolean;
}

export const DEFAULT_FILTER: FeedFilter = Object.freeze({
  eventTypes: KNOWN_EVENT_TYPES,
  trialIds: [],
  start: Object.freeze({ kind: 'now' as const }),
});

/** Checks a filter a user entered or workspace state returned; messages a person can act on. */
export function validateFilter(input: unknown): { ok: true; value: FeedFilter } | { ok: false; errors: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, errors: ['The filter must be an object.'] };
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  const eventTypes = stringList(raw.eventTypes);
  if (!eventTypes || eventTypes.length === 0) errors.push('Choose at least one event type (the feed requires eventTypes).');
  else for (const t of eventTypes) if (!EVENT_TYPE_PATTERN.test(t)) errors.push(`"${t.slice(0, 60)}" is not an event type (expected e.g. v1.patient.created).`);
  const trialIds = raw.trialIds === undefined ? [] : stringList(raw.trialIds);
  if (!trialIds) errors.push('Trial ids must be a list of strings.');
  else for (const t of trialIds) if (!TRIAL_ID_PATTERN.test(t)) errors.push(`"${t.slice(0, 60)}" is not a trial id (no spaces or commas).`);
  const start = validateStart(raw.start, errors);
  if (errors.length || !eventTypes || !trialIds || !start) return { ok: false, errors };
  return { ok: true, value: { eventTypes: unique(eventTypes), trialIds: unique(trialIds), start } };
}

function validateStart(input: unknown, errors: string[]): FeedStart | undefined {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  if (raw.kind === 'now' || raw.kind === 'beginning') return { kind: raw.kind };
  if (raw.kind === 'since') {
    const time = typeof raw.time === 'string' ? parseSince(raw.time) : undefined;
    if (time) return { kind: 'since', time };
    errors.push(`The start time "${String(raw.time).slice(0, 40)}" is not a date/time (e.g. 2024-05-01T09:30 or 2024-05-01T09:30:00Z).`);
    return undefined;
  }
  errors.push('The start must be "from now", "since <date/time>" or "from the beginning".');
  return undefined;
}

/**
 * A user's date/time as the ISO-8601 UTC instant the API expects. Without a zone it is local time;
 * "2024-05-01" is local midnight. Undefined when it is not a date.
 */
export function parseSince(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(trimmed)) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const ms = Date.parse(dateOnly ? `${trimmed}T00:00` : trimmed.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') return undefined;
    const t = item.trim();
    if (t) out.push(t);
  }
  return out;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The URL of the first page for a filter. "From now" uses `nowMs` as `since`. */
export function firstPageUrl(env: Environment, filter: FeedFilter, nowMs: number, limit?: number): string {
  const query: KeyValue[] = [{ name: 'eventTypes', value: filter.eventTypes.join(',') }];
  if (filter.start.kind === 'now') query.push({ name: 'since', value: new Date(nowMs).toISOString() });
  if (filter.start.kind === 'since') query.push({ name: 'since', value: filter.start.time });
  if (filter.trialIds.length) query.push({ name: 'trialIds', value: filter.trialIds.join(',') });
  if (limit !== undefined) query.push({ name: 'limit', value: String(limit) });
  return resolveRequestUrl(env, EVENTS_PATH, query).href;
}

/** A saved position is only honoured when its URL is on the environment's API origin. */
export function validatePosition(env: Environment, input: unknown): FeedPosition | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const raw = input as Record<string, unknown>;
  if (typeof raw.pageUrl !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(raw.pageUrl);
  } catch {
    return undefined;
  }
  if (url.origin !== apiOriginOf(env)) return undefined;
  const lastEventId = typeof raw.lastEventId === 'string' && raw.lastEventId ? raw.lastEventId : undefined;
  return lastEventId ? { pageUrl: url.href, lastEventId } : { pageUrl: url.href };
}

/** Saved state from workspace state, or undefined when it is missing or unusable. */
export function restoreFeedState(env: Environment, input: unknown): SavedFeedState | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const raw = input as Record<string, unknown>;
  if (raw.version !== 1) return undefined;
  const filter = validateFilter(raw.filter);
  if (!filter.ok) return undefined;
  const position = validatePosition(env, raw.position);
  return { version: 1, filter: filter.value, ...(position ? { position } : {}), ...(raw.following === true ? { following: true } : {}) };
}

/** Parses one page. Throws StudyTeamError 'bad-response' when the body is not a JSON object. */
export function parseFeedPage(env: Environment, text: string): FeedPage {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new StudyTeamError('bad-response', `${env.name}: the events feed answered with something that is not JSON (${text.length} characters); following stopped.`, {
      environmentName: env.name,
      actions: ['showLog'],
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new StudyTeamError('bad-response', `${env.name}: the events feed answered with JSON that is not a page ({ pagination, events }); following stopped.`, {
      environmentName: env.name,
      actions: ['showLog'],
    });
  }
  const record = body as Record<string, unknown>;
  const events: FeedEvent[] = [];
  let malformed = 0;
  if (Array.isArray(record.events)) {
    for (const item of record.events) {
      const event = toEvent(item);
      if (event) events.push(event);
      else malformed++;
    }
  }
  const pagination = typeof record.pagination === 'object' && record.pagination !== null ? (record.pagination as Record<string, unknown>) : undefined;
  const nextPage = typeof pagination?.nextPage === 'string' && pagination.nextPage.trim() ? pagination.nextPage.trim() : undefined;
  return { events, hasNextPage: pagination?.hasNextPage === true, nextPage, malformed, missingPagination: !pagination };
}

function toEvent(item: unknown): FeedEvent | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const raw = item as Record<string, unknown>;
  const id = typeof raw.id === 'string' ? raw.id : typeof raw.id === 'number' ? String(raw.id) : '';
  if (!id) return undefined;
  return {
    id,
    publishedTime: typeof raw.publishedTime === 'string' ? raw.publishedTime : '',
    eventType: typeof raw.eventType === 'string' && raw.eventType ? raw.eventType : '(no type)',
    message: raw.message,
  };
}

function messageField(event: FeedEvent, name: string): string | undefined {
  const message = event.message;
  if (typeof message !== 'object' || message === null) return undefined;
  const value = (message as Record<string, unknown>)[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The facts the view shows about an event; undefined where the message does not have them. */
export function eventFacts(event: FeedEvent): { subjectId?: string; patientStatus?: string; trialId?: string; siteId?: string } {
  return {
    subjectId: messageField(event, 'referralSubjectId'),
    patientStatus: messageField(event, 'patientStatus'),
    trialId: messageField(event, 'trialId'),
    siteId: messageField(event, 'siteId'),
  };
}
