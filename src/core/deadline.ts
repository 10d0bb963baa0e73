// Time limits of requests (the runner's, the token request's): a deadline plus an optional outer cancellation,
// combined into one signal. No `vscode`.
//
// Every deadline of the process shares ONE Node timer, armed for the earliest pending expiry. A timer of its own
// per request costs more than it seems: with no other timer of the same duration alive, Node creates and drops a
// timer list (and re-schedules its libuv timer) on every setTimeout/clearTimeout pair, ~10 µs of CPU per request
// on a loopback keep-alive call — a tenth of what node-fetch itself costs. Here starting and ending a deadline is
// a Set insertion and deletion; the shared timer is re-armed only when a deadline expires sooner than the one it
// waits for, and it is unref'd whenever no deadline is pending (so it never keeps a process alive on its own).
import { LightAbortController } from './http';

/** A time limit plus an optional outer cancellation, combined into one signal for one operation. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** True once the time limit (not the outer signal) aborted it. */
  readonly timedOut: boolean;
  abort(): void;
  /** Stops the time limit and detaches from the outer signal; call when the operation is over. */
  dispose(): void;
}

/** setTimeout's largest delay; longer waits are armed in steps. */
const MAX_TIMER_DELAY = 0x7fffffff;

class PendingDeadline implements Deadline {
  readonly controller = new LightAbortController();
  timedOut = false;
  private readonly onOuterAbort: (() => void) | undefined;

  constructor(
    readonly expiresAt: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    if (outer) {
      this.onOuterAbort = () => this.controller.abort();
      outer.addEventListener('abort', this.onOuterAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(): void {
    this.controller.abort();
  }

  expire(): void {
    this.timedOut = true;
    this.controller.abort();
  }

  dispose(): void {
    scheduler.remove(this);
    if (this.onOuterAbort) this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

/** The one timer behind every pending deadline. */
class DeadlineScheduler {
  private readonly pending = new Set<PendingDeadline>();
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires (performance.now() time); Infinity when no timer is armed. */
  private armedFor = Number.POSITIVE_INFINITY;
  private referenced = false;

  add(deadline: PendingDeadline): void {
    this.pending.add(deadline);
    if (deadline.expiresAt < this.armedFor) this.arm(deadline.expiresAt);
    else if (!this.referenced) this.reference(true);
  }

  remove(deadline: PendingDeadline): void {
    // The timer stays armed: the next deadline most likely expires later and can reuse it.
    if (this.pending.delete(deadline) && this.pending.size === 0) this.reference(false);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(this.fire, Math.min(MAX_TIMER_DELAY, Math.max(0, Math.ceil(at - performance.now()))));
    this.referenced = true;
  }

  private reference(on: boolean): void {
    this.referenced = on;
    if (on) this.timer?.ref();
    else this.timer?.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    const expired: PendingDeadline[] = [];
    for (const deadline of this.pending) {
      if (deadline.expiresAt <= now) expired.push(deadline);
      else if (deadline.expiresAt < next) next = deadline.expiresAt;
    }
    for (const deadline of expired) this.pending.delete(deadline);
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
    else this.referenced = false;
    for (const deadline of expired) deadline.expire();
  };
}

const scheduler = new DeadlineScheduler();

/** Starts a `timeoutMs` time limit, also aborted when `outer` aborts. Call dispose() when the operation is over. */
export function startDeadline(timeoutMs: number, outer?: AbortSignal): Deadline {
  // NaN or a negative limit expires at once, as setTimeout would have it.
  const deadline = new PendingDeadline(performance.now() + (timeoutMs > 0 ? timeoutMs : 0), outer);
  scheduler.add(deadline);
  return deadline;
}
