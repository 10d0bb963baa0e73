// Benchmark section "events": the Events view's follower (core EventFollower through the real RequestRunner
// and AuthService, plus the view's grouping on every debounced render) follows a 10,000-event feed in 100
// pages from a sandbox in its own process. Prints
//   events: pages=<n> eventsShown=<n> duplicates=<n> followMs=<n> heapMB=<x> loopP99Ms=<x>
// Targets: all 10,000 in ≤ 5 s, heap growth ≤ 30 MB, event-loop p99 ≤ 50 ms while following.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AuthService } from '../../src/core/authService';
import { KNOWN_EVENT_TYPES } from '../../src/core/eventFeed';
import { EventFollower } from '../../src/core/eventFollower';
import { groupBySubject } from '../../src/core/eventGroups';
import { RequestRunner } from '../../src/core/requestRunner';
import { BenchSandbox } from './benchSandbox';
import type { BenchContext, BenchSection, SectionOutcome } from './report';

export const FEED_EVENTS = 10_000;
const PAGE = 100;
/** Like the tree's debounce (src/events/eventsTree.ts). */
const RENDER_DEBOUNCE_MS = 150;

let collect: (() => void) | undefined;
/** A full garbage collection (node's gc, exposed at run time), so heap figures compare like with like. */
function gc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}

export function eventsSection(): BenchSection {
  return {
    title: `Events view: follow a ${FEED_EVENTS.toLocaleString('en-US')}-event feed (${FEED_EVENTS / PAGE} pages) from the sandbox`,
    async run(context: BenchContext): Promise<SectionOutcome> {
      context.progress(`events: starting a sandbox with ${FEED_EVENTS} events`);
      const sandbox = await BenchSandbox.start({ seedEvents: FEED_EVENTS });
      try {
        const env = sandbox.environment('bench-events', 'Bench events');
        const auth = new AuthService({ credentials: { get: async () => sandbox.credentials } });
        const runner = new RequestRunner({ auth });
        await auth.getToken(env);
        gc();
        const heapBefore = process.memoryUsage().heapUsed;
        const follower = new EventFollower({
          runner,
          environment: env,
          filter: { eventTypes: [...KNOWN_EVENT_TYPES], trialIds: [], start: { kind: 'beginning' } },
          pollMs: 60_000,
          maxKept: 50_000,
          pageLimit: PAGE,
        });
        let renderTimer: NodeJS.Timeout | undefined;
        let renders = 0;
        let subjects = 0;
        const render = (): void => {
          renderTimer = undefined;
          renders++;
          subjects = groupBySubject(follower.events()).length;
        };
        const loop = monitorEventLoopDelay({ resolution: 5 });
        const started = performance.now();
        loop.enable();
        const caughtUp = new Promise<void>((resolve) => {
          follower.onDidChange((change) => {
            if (change.added.length && !renderTimer) renderTimer = setTimeout(render, RENDER_DEBOUNCE_MS);
            if (change.status.kind === 'waiting' || change.status.kind === 'failed') resolve();
          });
        });
        follower.start();
        await caughtUp;
        const followMs = performance.now() - started;
        loop.disable();
        if (renderTimer) clearTimeout(renderTimer);
        render();
        const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
        gc();
        const heapAfterGcMB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
        const status = follower.status;
        await follower.stop();
        const stats = follower.stats();
        const p99 = loop.percentile(99) / 1e6;
        const max = loop.max / 1e6;
        const line =
          `events: pages=${stats.pages} eventsShown=${follower.events().length} duplicates=${stats.duplicates}` +
          ` followMs=${Math.round(followMs)} heapMB=${heapMB.toFixed(1)} loopP99Ms=${p99.toFixed(1)}`;
        const failed = status.kind === 'failed' ? status.error.message : undefined;
        return {
          rows: [
            { label: 'pages followed', value: String(stats.pages), note: `limit=${PAGE} on the first page, then nextPage` },
            { label: 'events shown', value: String(follower.events().length), note: `target ${FEED_EVENTS}; ${subjects} subjects after grouping` },
            { label: 'duplicates', value: String(stats.duplicates), note: 'target 0' },
            { label: 'follow time', value: `${Math.round(followMs)} ms`, note: 'target ≤ 5000 ms' },
            { label: 'heap growth', value: `${heapMB.toFixed(1)} MB`, note: `target ≤ 30 MB; ${heapAfterGcMB.toFixed(1)} MB still held after a GC (the kept events)` },
            { label: 'event loop p99', value: `${p99.toFixed(1)} ms`, note: `target ≤ 50 ms; max ${max.toFixed(1)} ms; ${renders} debounced renders (grouping)` },
          ],
          notes: failed ? [`following failed: ${failed}`] : undefined,
          summaryLine: line,
        };
      } finally {
        await sandbox.stop();
      }
    },
  };
}
