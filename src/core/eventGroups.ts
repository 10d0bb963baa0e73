// How the Events view arranges kept events: grouped by subject (newest activity first) or flat, plus the
// labels it shows. Pure functions over the follower's events. No `vscode`.
import { eventFacts, type FeedEvent } from './eventFeed';

export interface SubjectGroup {
  /** undefined: events whose message names no referralSubjectId. */
  readonly subjectId: string | undefined;
  /** Feed order, oldest first. */
  readonly events: readonly FeedEvent[];
  /** patientStatus of the latest event that has one. */
  readonly latestStatus: string | undefined;
  readonly latestEvent: FeedEvent;
}

/** Groups by referralSubjectId; the subject with the most recent event (in feed order) comes first. */
export function groupBySubject(events: readonly FeedEvent[]): SubjectGroup[] {
  const groups = new Map<string, { subjectId: string | undefined; events: FeedEvent[]; last: number; status: string | undefined }>();
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    const facts = eventFacts(event);
    const key = facts.subjectId === undefined ? '\u0000none' : `s:${facts.subjectId}`;
    let group = groups.get(key);
    if (!group) {
      group = { subjectId: facts.subjectId, events: [], last: i, status: undefined };
      groups.set(key, group);
    }
    group.events.push(event);
    group.last = i;
    if (facts.patientStatus !== undefined) group.status = facts.patientStatus;
  }
  return [...groups.values()]
    .sort((a, b) => b.last - a.last)
    .map((g) => ({ subjectId: g.subjectId, events: g.events, latestStatus: g.status, latestEvent: g.events[g.events.length - 1] }));
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2024-05-01 11:30:00 (09:30:00 GMT)" — local time, then GMT; the raw text when it is not a time. */
export function formatPublished(iso: string): string {
  const ms = Date.parse(iso);
  if (!iso || Number.isNaN(ms)) return iso || '(no time)';
  const d = new Date(ms);
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const gmtDay = d.toISOString().slice(0, 10);
  const localDay = local.slice(0, 10);
  const gmt = `${gmtDay === localDay ? '' : `${gmtDay} `}${d.toISOString().slice(11, 19)} GMT`;
  return `${local} (${gmt})`;
}

/** "2024-05-01 11:30" in local time; the raw text when it is not a time. */
export function formatPublishedShort(iso: string): string {
  const ms = Date.parse(iso);
  if (!iso || Number.isNaN(ms)) return iso || '(no time)';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "created", "referralAcknowledged" for v1.patient.*; the raw type otherwise. */
export function shortEventType(eventType: string): string {
  const match = /^v\d+\.patient\.(.+)$/.exec(eventType);
  return match ? match[1] : eventType;
}

/** "trial t-1 · site s-2" — what the message says about where the event happened. */
export function eventWhere(event: FeedEvent): string {
  const facts = eventFacts(event);
  const parts: string[] = [];
  if (facts.trialId) parts.push(`trial ${facts.trialId}`);
  if (facts.siteId) parts.push(`site ${facts.siteId}`);
  return parts.join(' · ');
}
