// Paint figures of a request panel for the integration tests and the benchmark: the webview measures click → first
// paint on its own clock; the host adds its cross-check (message round trip, request time) from stamps kept per Send.
// Test builds only: production builds neither stamp nor read them (__STUDYTEAM_TEST_HOOKS__).
import type { MetricsStage, WebviewToHost } from './protocol';

export interface PanelMetrics {
  readonly seq: number;
  /** 'firstPaint': after Send; 'fullTree': after Load full tree. */
  readonly stage: MetricsStage;
  /**
   * The figure: the user's click (Send, or Load full tree) → first paint of the body, both ends stamped with the
   * webview's performance.now() (one clock).
   */
  readonly clickToPaintMs: number;
  /** The webview's share: the body message arrived → first paint. */
  readonly receiveToPaintMs: number;
  /** Host clock, a cross-check: the click's message (send/loadFullBody) arrived → this metrics message arrived. */
  readonly hostRoundTripMs: number | undefined;
  /** Host clock: send arrived → the request finished (variables, token, HTTP, body read). firstPaint only. */
  readonly hostRequestMs: number | undefined;
  readonly bodyBytes: number;
  readonly paintedBytes: number;
  readonly at: number;
}

interface Stamps {
  sendAt?: number;
  requestMs?: number;
  loadFullAt?: number;
}

/** Host-clock stamps for the metrics cross-check, by Send seq (the last few only). */
export class PanelStamps {
  private readonly stamps = new Map<number, Stamps>();

  sendArrived(seq: number): void {
    this.stamp(seq, { sendAt: performance.now() });
  }

  requestFinished(seq: number): void {
    const sendAt = this.stamps.get(seq)?.sendAt;
    if (sendAt !== undefined) this.stamp(seq, { requestMs: performance.now() - sendAt });
  }

  loadFullArrived(seq: number): void {
    this.stamp(seq, { loadFullAt: performance.now() });
  }

  /** The webview's `metrics` message with the host's cross-check added. */
  metricsOf(message: Extract<WebviewToHost, { type: 'metrics' }>): PanelMetrics {
    const stamps = this.stamps.get(message.seq);
    const from = message.stage === 'firstPaint' ? stamps?.sendAt : stamps?.loadFullAt;
    return {
      seq: message.seq,
      stage: message.stage,
      clickToPaintMs: message.clickToPaintMs,
      receiveToPaintMs: message.receiveToPaintMs,
      hostRoundTripMs: from === undefined ? undefined : performance.now() - from,
      hostRequestMs: message.stage === 'firstPaint' ? stamps?.requestMs : undefined,
      bodyBytes: message.bodyBytes,
      paintedBytes: message.paintedBytes,
      at: Date.now(),
    };
  }

  private stamp(seq: number, patch: Stamps): void {
    if (!__STUDYTEAM_TEST_HOOKS__) return;
    this.stamps.set(seq, { ...this.stamps.get(seq), ...patch });
    while (this.stamps.size > 8) this.stamps.delete(this.stamps.keys().next().value as number);
  }
}
