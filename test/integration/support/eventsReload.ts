// What the events suite leaves for its after-reload check (kept in the harness vault's memory, never on disk).
import type { Needle } from './leakScan';

export const EVENTS_RELOAD_KEY = 'eventsReloadSession';

export interface EventsReloadSession {
  readonly environmentId: string;
  /** Ids shown before the reload: none of them may come back as new. */
  readonly shownIds: string[];
  readonly lastEventId: string;
  /** Message texts that must not be on disk. */
  readonly needles: Needle[];
  readonly sandboxUrl: string;
  /** A referral to acknowledge after the reload (appends one new event). */
  readonly acknowledge: { siteId: string; subjectId: string };
}
