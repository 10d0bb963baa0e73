// The reporting events feed, `GET /rpi/events` [doc, shapes obs]: a totally ordered, append-only and
// bounded log, paged with `{pagination:{hasNextPage,nextPage}, events:[…]}` where nextPage is an
// absolute URL carrying the last event's id. Filters: eventTypes (required), since, limit, trialIds.
import { KNOWN_EVENT_TYPES as EVENT_TYPES } from '../core/eventFeed';
import { invalidPayload, json, notFound, queryList, type PayloadError, type SandboxAnswer } from './sandboxHttp';


/** One event as the feed returns it. */
export interface SandboxEvent {
  readonly id: string;
  readonly publishedTime: string;
  readonly eventType: string;
  readonly message: Readonly<Record<string, unknown>>;
}

interface StoredEvent {
  readonly seq: number;
  readonly trialId: string;
  readonly event: SandboxEvent;
}

/** Default page size when `limit` is absent (the API's default is not public). */
export const DEFAULT_EVENT_PAGE = 100;
/** Largest page served; a larger `limit` is served as this many (the API's maximum is not public). */
export const MAX_EVENT_PAGE = 1000;
/** The query parameter the sandbox's nextPage carries the last id in. Clients just follow nextPage. */
export const CURSOR_PARAM = 'lastEventId';

const ID_PREFIX = '5eed0000-0000-4000-8000-';

/** Event ids look like UUIDs; the sandbox encodes the sequence number in the last group. */
function eventId(seq: number): string {
  return ID_PREFIX + seq.toString(16).padStart(12, '0');
}

function seqOf(id: string): number | undefined {
  if (!id.startsWith(ID_PREFIX) || id.length !== ID_PREFIX.length + 12) return undefined;
  const seq = Number.parseInt(id.slice(ID_PREFIX.length), 16);
  return Number.isSafeInteger(seq) && seq > 0 ? seq : undefined;
}

export class EventLog {
  private events: StoredEvent[] = [];
  private nextSeq = 1;

  /** Keeps at most `max` events (the oldest go first). */
  constructor(readonly max: number) {}

  get size(): number {
    return this.events.length;
  }

  /** The retained events, oldest first. */
  all(): SandboxEvent[] {
    return this.events.map((e) => e.event);
  }

  /** The newest event, if any. */
  last(): SandboxEvent | undefined {
    return this.events.at(-1)?.event;
  }

  /** Appends an event at the end of the stream; `message.trialId` is what `trialIds` filters on. */
  append(eventType: string, message: Record<string, unknown>, publishedTime = new Date().toISOString()): SandboxEvent {
    const seq = this.nextSeq++;
    const event: SandboxEvent = { id: eventId(seq), publishedTime, eventType, message };
    this.events.push({ seq, trialId: String(message['trialId'] ?? ''), event });
    if (this.events.length > this.max) this.events.splice(0, this.events.length - this.max + Math.max(1, Math.floor(this.max / 10)));
    return event;
  }

  /**
   * The answer of `GET /rpi/events?<query>`. `baseUrl` makes nextPage absolute; `trialExists` tells
   * an unknown trial id (404) from a known one without events.
   */
  page(query: URLSearchParams, baseUrl: string, trialExists: (id: string) => boolean): SandboxAnswer {
    const errors: PayloadError[] = [];
    const eventTypes = queryList(query, 'eventTypes');
    if (eventTypes.length === 0) errors.push({ reason: 'Required attribute eventTypes is missing', path: ['eventTypes'] });
    eventTypes.forEach((type, i) => {
      if (!EVENT_TYPES.includes(type)) errors.push({ reason: `Must be one of ${EVENT_TYPES.join(', ')}`, path: ['eventTypes', i] });
    });
    let sinceMs = Number.NEGATIVE_INFINITY;
    const since = query.get('since');
    if (since !== null && since !== '') {
      sinceMs = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(since) ? Date.parse(since) : Number.NaN;
      if (Number.isNaN(sinceMs)) errors.push({ reason: 'Must be an ISO-8601 date-time, e.g. 2024-05-01T00:00:00.000Z', path: ['since'] });
    }
    let limit = DEFAULT_EVENT_PAGE;
    const limitText = query.get('limit');
    if (limitText !== null && limitText !== '') {
      limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1) errors.push({ reason: 'Must be a whole number of at least 1', path: ['limit'] });
      limit = Math.min(limit, MAX_EVENT_PAGE);
    }
    let start = 0;
    const cursor = query.get(CURSOR_PARAM);
    if (cursor !== null && cursor !== '') {
      const seq = seqOf(cursor);
      if (seq === undefined || seq >= this.nextSeq) errors.push({ reason: 'Unknown event id', path: [CURSOR_PARAM] });
      else start = Math.max(0, seq - (this.events[0]?.seq ?? seq) + 1);
    }
    if (errors.length > 0) return invalidPayload(errors);
    const trialIds = queryList(query, 'trialIds');
    const unknownTrial = trialIds.find((id) => !trialExists(id));
    if (unknownTrial !== undefined) return notFound(`Trial ${unknownTrial} not found`);

    const types = new Set(eventTypes);
    const trials = trialIds.length > 0 ? new Set(trialIds) : undefined;
    const matches = (e: StoredEvent): boolean =>
      types.has(e.event.eventType) && (!trials || trials.has(e.trialId)) && !(Date.parse(e.event.publishedTime) < sinceMs);
    const page: SandboxEvent[] = [];
    let i = start;
    for (; i < this.events.length && page.length < limit; i++) {
      const e = this.events[i]!;
      if (matches(e)) page.push(e.event);
    }
    let hasNextPage = false;
    for (; i < this.events.length; i++) {
      if (matches(this.events[i]!)) {
        hasNextPage = true;
        break;
      }
    }
    // nextPage repeats the query with the last id: followed now it pages on, followed later it polls.
    const next = new URLSearchParams(query);
    const lastId = page.at(-1)?.id ?? cursor;
    if (lastId) next.set(CURSOR_PARAM, lastId);
    else next.delete(CURSOR_PARAM);
    const nextPage = `${baseUrl}/rpi/events?${next.toString()}`;
    return json(200, { pagination: { hasNextPage, nextPage }, events: page });
  }
}
