// The request/response side of one request panel: the Send in flight (cancelled by Cancel, a newer Send, a
// replacement or closing), the last response or error (host memory only: shown again after hide/reveal, read by
// Load Full Body, the response actions and the error actions) and responses shown from a Run Folder row.
// RequestPanel owns one and gives it a way to post to its webview; the draft, the title and saving stay there.
import * as vscode from 'vscode';
import type { Environment } from '../core/model';
import type { StoredRunResponse } from '../core/runResultsView';
import { ERROR_ACTION_LABELS, presentError, runErrorAction } from '../host/errorPresenter';
import type { HostServices } from '../host/services';
import type { BodyProblemsReporter } from './bodyProblemsOnHost';
import { apiRequestFromDraft, panelTitle } from './draft';
import type { PanelStamps } from './panelMetrics';
import { valuesForVariables } from './panelVariables';
import type { DraftRequest, EnvironmentInfo, ErrorActionId, ErrorActionInfo, HostToWebview, ResponseAction, ResponseInfo, SendError } from './protocol';
import type { RememberedVariables } from './rememberedVariables';
import { lastResponseOf, plainBytes, runResponseAction } from './responseOnHost';
import type { LastResponse, PanelDocuments } from './responseOnHost';

/** What the exchange needs of its panel. */
export interface PanelExchangeHost {
  readonly services: HostServices;
  readonly remembered: RememberedVariables;
  readonly documents: PanelDocuments;
  readonly stamps: PanelStamps;
  readonly bodyProblems: BodyProblemsReporter;
  /** Posts to the webview (dropped while it is not ready or the panel is closed). */
  post(message: HostToWebview): void;
  isDisposed(): boolean;
  environmentInfo(): EnvironmentInfo;
  /** The panel's current title (the response actions name what they open or save after it). */
  title(): string;
}

/** The response part of `init`: the last response (its preview when the body is large), or the last error, and a Send still running. */
export type ExchangeInitFields = Pick<Extract<HostToWebview, { type: 'init' }>, 'response' | 'preview' | 'responseSeq' | 'error' | 'inFlightSeq'>;

export class PanelExchange {
  private inFlight: { cts: vscode.CancellationTokenSource; seq: number } | undefined;
  private lastResponse: LastResponse | undefined;
  private lastErrorEnvironment: Environment | undefined;
  private lastError: SendError | undefined;
  private storedSeq = 1_000_000;

  constructor(private readonly host: PanelExchangeHost) {}

  /** Everything of the exchange the webview shows again after it said "ready". */
  initFields(): ExchangeInitFields {
    const last = this.lastResponse;
    return {
      ...(last ? (last.preview ? { preview: last.preview, responseSeq: last.seq } : { response: fullResponse(last), responseSeq: last.seq }) : {}),
      ...(this.lastError ? { error: this.lastError } : {}),
      ...(this.inFlight ? { inFlightSeq: this.inFlight.seq } : {}),
    };
  }

  /** Cancels a Send in flight and forgets the last response and error (the panel shows another request, or closes). */
  reset(): void {
    this.stopInFlight();
    this.lastResponse = undefined;
    this.lastError = undefined;
    this.lastErrorEnvironment = undefined;
  }

  /** The webview cleared what it showed. */
  clear(): void {
    this.lastResponse = undefined;
    this.lastError = undefined;
  }

  cancel(seq: number): void {
    if (this.inFlight && this.inFlight.seq === seq) this.inFlight.cts.cancel();
  }

  /** The whole body of a response whose preview the webview shows (ignored when a newer response superseded it). */
  loadFullBody(seq: number): void {
    const last = this.lastResponse;
    if (!last || last.seq !== seq) return;
    this.host.stamps.loadFullArrived(seq);
    this.host.post({ type: 'response', seq: last.seq, response: fullResponse(last) });
  }

  /**
   * Shows a response received outside this panel (a Run Folder row), labelled with its environment, origin, time and
   * where it came from; it replaces what is on screen (a Send still running here is cancelled). Memory only.
   */
  showStored(stored: StoredRunResponse): void {
    const running = this.stopInFlight();
    // Its own seq, above any the webview's Sends use (loadFullBody asks for the body by it).
    const seq = ++this.storedSeq;
    if (stored.kind === 'response') {
      this.showResponse(lastResponseOf(seq, stored.response, stored.environment, { receivedAt: stored.receivedAt, label: stored.label }));
      return;
    }
    this.lastResponse = undefined;
    this.lastErrorEnvironment = stored.environment;
    this.lastError = { cancelled: false, message: `${stored.label}: ${stored.message}`, actions: [], environmentId: stored.environment.id, environmentName: stored.environment.name };
    // The seq of a cancelled Send, if any: the webview still waits for that one.
    this.host.post({ type: 'error', seq: running?.seq ?? seq, ...this.lastError });
  }

  async send(seq: number, draft: DraftRequest): Promise<void> {
    const { services, remembered } = this.host;
    this.stopInFlight();
    const cts = new vscode.CancellationTokenSource();
    const mine = { cts, seq };
    this.inFlight = mine;
    this.host.post({ type: 'sending', seq });
    // Missing {{variables}} are asked for here (as the tree's Run does) before the run; the answers go in as overrides.
    const environment = services.environments.active();
    const request = apiRequestFromDraft(draft);
    const answers = await valuesForVariables(request, environment, remembered, `${draft.method} ${panelTitle(draft)}`);
    if (this.inFlight !== mine || this.host.isDisposed()) return; // cancelled (or superseded) while asking
    if (answers.ok) this.host.post({ type: 'environment', environment: this.host.environmentInfo() });
    const outcome = await services.runRequest(request, {
      title: panelTitle(draft),
      environment,
      variables: answers.ok ? answers.values : remembered.of(environment.id),
      token: cts.token,
      showProgress: false,
      notifyErrors: false,
    });
    if (this.inFlight !== mine || this.host.isDisposed()) return; // superseded by a newer Send, or closed
    this.inFlight = undefined;
    cts.dispose();
    if (outcome.ok) {
      this.host.stamps.requestFinished(seq);
      const last = lastResponseOf(seq, outcome.response, outcome.environment);
      this.host.bodyProblems.answered(draft.body, outcome.response.status, outcome.response.text);
      this.showResponse(last);
    } else {
      this.lastErrorEnvironment = outcome.environment;
      const presented = presentError(outcome.error, outcome.environment);
      const actions: ErrorActionInfo[] = presented.actions.map((id) => ({ id, label: ERROR_ACTION_LABELS[id] }));
      // The older response is gone with it: an error never sits on top of a previous success (also after reveal).
      this.lastResponse = undefined;
      this.lastError = { cancelled: outcome.cancelled, message: outcome.message, actions: outcome.cancelled ? [] : actions, environmentId: outcome.environment.id, environmentName: outcome.environment.name };
      this.host.post({ type: 'error', seq, ...this.lastError });
    }
  }

  async errorAction(action: ErrorActionId): Promise<void> {
    await runErrorAction(action, this.lastErrorEnvironment ?? this.host.services.environments.active());
  }

  /** Response actions: the body stays in host memory; it is written to disk only when the user asks. */
  async responseAction(action: ResponseAction): Promise<void> {
    const last = this.lastResponse;
    if (!last) {
      this.host.post({ type: 'notice', level: 'error', message: 'No response yet: Send the request first.' });
      return;
    }
    const notice = await runResponseAction(action, last, this.host.title(), this.host.documents);
    if (notice) this.host.post({ type: 'notice', level: 'info', message: notice });
  }

  /** Cancels the Send in flight, if any; returns it (its seq is still awaited by the webview). */
  private stopInFlight(): { seq: number } | undefined {
    const running = this.inFlight;
    if (!running) return undefined;
    running.cts.cancel();
    running.cts.dispose();
    this.inFlight = undefined;
    return running;
  }

  /** `last` is now what the panel shows: its preview when the body is large, else all of it. */
  private showResponse(last: LastResponse): void {
    this.lastResponse = last;
    this.lastError = undefined;
    const seq = last.seq;
    if (last.preview) this.host.post({ type: 'responsePreview', seq, preview: last.preview });
    else this.host.post({ type: 'response', seq, response: fullResponse(last) });
  }
}

/** A response with all of its body, as the webview gets it. */
function fullResponse(last: LastResponse): ResponseInfo {
  return { ...last.meta, body: plainBytes(last.body) };
}
