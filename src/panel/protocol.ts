// The ONE message protocol between the request panel's host side (src/panel/requestPanel.ts) and its webview
// (src/webview/main.ts). Plain TypeScript: no `vscode`, no DOM, no Node — both bundles import it.
// Every message that crosses the boundary is checked with `isWebviewMessage` / `isHostMessage`; anything that
// fails is ignored (and logged by the host), never acted on.
import { HTTP_METHODS } from '../core/model';
import type { AuthMode, HttpMethod } from '../core/model';

/** The webview panel's viewType (also the `onWebviewPanel:` activation event). */
export const REQUEST_PANEL_VIEW_TYPE = 'studyteam.requestPanel';

// ---------------------------------------------------------------------------------------------------------
// Shapes

export type BodyMode = 'json' | 'raw';
export const BODY_MODES: readonly BodyMode[] = ['json', 'raw'];
export const AUTH_MODES: readonly AuthMode[] = ['bearer', 'none'];

export interface DraftRow {
  readonly name: string;
  readonly value: string;
  readonly enabled: boolean;
}

/** What the user is composing. The only thing that is ever persisted (webview state) — never a response or token. */
export interface DraftRequest {
  readonly name: string;
  readonly method: HttpMethod;
  /** Path relative to the environment's base URL, or absolute; may contain `?query` and `{{variables}}`. */
  readonly url: string;
  /** Query rows; the enabled ones mirror the URL's query string. */
  readonly query: readonly DraftRow[];
  readonly headers: readonly DraftRow[];
  readonly body: string;
  readonly bodyMode: BodyMode;
  readonly auth: AuthMode;
}

/** The state the webview keeps with `setState` and VS Code hands to the serializer after a reload. */
export interface PersistedPanelState {
  readonly version: 1;
  readonly draft: DraftRequest;
  /** The saved request this panel edits, if any. */
  readonly savedId?: string;
  /**
   * Set in the copy the webview hands to VS Code (`setState`), which VS Code writes to disk: request bodies can hold
   * patient data, so that copy never carries the body. The host keeps the body in memory for hide/reveal; after a
   * window reload only a saved request gets its body back (from the saved-requests file).
   */
  readonly bodyOmitted?: true;
  /**
   * Set in that same disk copy when credentials the user typed in were blanked: row indices of `draft.headers`
   * (sensitive names such as Authorization, Cookie, X-API-Key, or token-looking values) and of `draft.query`
   * (token-looking values; the URL's query string shows them blank too). The host restores them from memory on
   * hide/reveal; after a window reload they stay blank.
   */
  readonly omittedValues?: OmittedValues;
}

export interface OmittedValues {
  readonly headers: readonly number[];
  readonly query: readonly number[];
}

export interface EnvironmentInfo {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  readonly production: boolean;
  /** Names usable as {{name}} (values are not sent). */
  readonly variables: readonly string[];
}

export type ErrorActionId = 'setCredentials' | 'showLog' | 'editEnvironment';
export const ERROR_ACTION_IDS: readonly ErrorActionId[] = ['setCredentials', 'showLog', 'editEnvironment'];

export interface ErrorActionInfo {
  readonly id: ErrorActionId;
  readonly label: string;
}

export type HeaderPair = readonly [string, string];

export type BodyKind = 'text' | 'image';
export const BODY_KINDS: readonly BodyKind[] = ['text', 'image'];

/** What was actually sent (Authorization redacted). */
export interface SentRequestInfo {
  readonly method: HttpMethod;
  readonly url: string;
  readonly headers: readonly HeaderPair[];
  readonly bodyBytes: number;
}

/** Everything about a response except its body. */
export interface ResponseMeta {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly HeaderPair[];
  readonly contentType: string;
  /** 'image': an image small enough to preview; 'text': everything else (decoded as UTF-8). */
  readonly bodyKind: BodyKind;
  /** Bytes of the whole body. */
  readonly size: number;
  readonly truncated: boolean;
  readonly totalMs: number;
  readonly retried: boolean;
  readonly request: SentRequestInfo;
  readonly environmentName: string;
}

export interface ResponseInfo extends ResponseMeta {
  /**
   * The body as UTF-8 bytes (the raw bytes of an image). A plain Uint8Array — VS Code transfers it as binary
   * instead of JSON-escaping a (possibly 10 MB) string; the webview decodes it.
   */
  readonly body: Uint8Array;
}

/**
 * A large text body is announced by its start first: the webview paints this at once, and the whole body
 * follows only when the webview asks for it (`loadFullBody`). The body itself stays in host memory for
 * Open in Editor / Save to File / Copy body.
 */
export interface ResponsePreview extends ResponseMeta {
  /** The first bytes of the body as UTF-8, cut at a character boundary (shorter than `size`). */
  readonly head: Uint8Array;
}

// ---------------------------------------------------------------------------------------------------------
// Host → webview

export type HostToWebview =
  | {
      readonly type: 'init';
      readonly state: PersistedPanelState;
      readonly environment: EnvironmentInfo;
      /** The last response of this session (kept in host memory only), re-sent after hide/reveal … */
      readonly response?: ResponseInfo;
      /** … or, for a large body, its preview (never both). */
      readonly preview?: ResponsePreview;
      /** The seq of the Send that produced `response`/`preview` (for `loadFullBody`). */
      readonly responseSeq?: number;
      /** The seq of a Send still running on the host (the webview shows progress + Cancel). */
      readonly inFlightSeq?: number;
    }
  | { readonly type: 'environment'; readonly environment: EnvironmentInfo }
  | { readonly type: 'sending'; readonly seq: number }
  /** The whole response — directly for small bodies, or after a preview when the webview sent `loadFullBody`. */
  | { readonly type: 'response'; readonly seq: number; readonly response: ResponseInfo }
  /** A large text body: metadata and the start of the body; the whole body only on `loadFullBody`. */
  | { readonly type: 'responsePreview'; readonly seq: number; readonly preview: ResponsePreview }
  | {
      readonly type: 'error';
      readonly seq: number;
      readonly cancelled: boolean;
      readonly message: string;
      readonly actions: readonly ErrorActionInfo[];
    }
  | { readonly type: 'saved'; readonly savedId: string; readonly name: string }
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly message: string };

// ---------------------------------------------------------------------------------------------------------
// Webview → host

export type ResponseAction = 'openInEditor' | 'saveToFile' | 'copyBody';
export const RESPONSE_ACTIONS: readonly ResponseAction[] = ['openInEditor', 'saveToFile', 'copyBody'];

export type WebviewToHost =
  | { readonly type: 'ready'; readonly state?: PersistedPanelState }
  | { readonly type: 'stateChanged'; readonly state: PersistedPanelState }
  | { readonly type: 'send'; readonly seq: number; readonly draft: DraftRequest }
  | { readonly type: 'cancel'; readonly seq: number }
  | { readonly type: 'save'; readonly draft: DraftRequest }
  | { readonly type: 'copyCurl'; readonly draft: DraftRequest; readonly includeToken: boolean }
  | { readonly type: 'responseAction'; readonly action: ResponseAction }
  | { readonly type: 'errorAction'; readonly action: ErrorActionId }
  | { readonly type: 'switchEnvironment' }
  /** Send me the whole body of the response of this seq (after a `responsePreview`). */
  | { readonly type: 'loadFullBody'; readonly seq: number }
  | {
      readonly type: 'metrics';
      /** The Send this measures. */
      readonly seq: number;
      /**
       * 'firstPaint': Send clicked → first paint of the body (preview or whole), both stamped with the webview's
       * performance.now(). 'fullTree': Load full tree clicked → first paint of the whole body's tree.
       */
      readonly stage: MetricsStage;
      /** Click (Send, or Load full tree) → first paint, webview clock. */
      readonly clickToPaintMs: number;
      /** The message carrying the body arrived → first paint (the webview's own share), webview clock. */
      readonly receiveToPaintMs: number;
      /** Bytes of the whole body. */
      readonly bodyBytes: number;
      /** Bytes of the body that were painted (the preview's, or all). */
      readonly paintedBytes: number;
    };

export type MetricsStage = 'firstPaint' | 'fullTree';
export const METRICS_STAGES: readonly MetricsStage[] = ['firstPaint', 'fullTree'];

export type WebviewMessageType = WebviewToHost['type'];
export type HostMessageType = HostToWebview['type'];

// ---------------------------------------------------------------------------------------------------------
// Guards: every field is checked. Extra, unknown properties are ignored (never read).

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isString(x: unknown): x is string {
  return typeof x === 'string';
}
function isBool(x: unknown): x is boolean {
  return typeof x === 'boolean';
}
function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
function isSeq(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}
function isNonNegative(x: unknown): x is number {
  return isFiniteNumber(x) && x >= 0;
}
function isOneOf<T extends string>(values: readonly T[], x: unknown): x is T {
  return typeof x === 'string' && (values as readonly string[]).includes(x);
}
function optional<T>(x: unknown, guard: (v: unknown) => v is T): boolean {
  return x === undefined || guard(x);
}
function isArrayOf<T>(x: unknown, guard: (v: unknown) => v is T): x is T[] {
  return Array.isArray(x) && x.every((v) => guard(v));
}

export function isHttpMethod(x: unknown): x is HttpMethod {
  return isOneOf(HTTP_METHODS, x);
}

export function isDraftRow(x: unknown): x is DraftRow {
  return isRecord(x) && isString(x.name) && isString(x.value) && isBool(x.enabled);
}

export function isDraftRequest(x: unknown): x is DraftRequest {
  return (
    isRecord(x) &&
    isString(x.name) &&
    isHttpMethod(x.method) &&
    isString(x.url) &&
    isArrayOf(x.query, isDraftRow) &&
    isArrayOf(x.headers, isDraftRow) &&
    isString(x.body) &&
    isOneOf(BODY_MODES, x.bodyMode) &&
    isOneOf(AUTH_MODES, x.auth)
  );
}

export function isPersistedPanelState(x: unknown): x is PersistedPanelState {
  return (
    isRecord(x) &&
    x.version === 1 &&
    isDraftRequest(x.draft) &&
    optional(x.savedId, isNonEmptyString) &&
    (x.bodyOmitted === undefined || x.bodyOmitted === true) &&
    optional(x.omittedValues, isOmittedValues)
  );
}

function isOmittedValues(x: unknown): x is OmittedValues {
  return isRecord(x) && isArrayOf(x.headers, isSeq) && isArrayOf(x.query, isSeq);
}

function isNonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0;
}

function isHeaderPair(x: unknown): x is HeaderPair {
  return Array.isArray(x) && x.length === 2 && isString(x[0]) && isString(x[1]);
}

export function isEnvironmentInfo(x: unknown): x is EnvironmentInfo {
  return (
    isRecord(x) &&
    isString(x.id) &&
    isString(x.name) &&
    isString(x.baseUrl) &&
    isBool(x.production) &&
    isArrayOf(x.variables, isString)
  );
}

function isErrorActionInfo(x: unknown): x is ErrorActionInfo {
  return isRecord(x) && isOneOf(ERROR_ACTION_IDS, x.id) && isString(x.label);
}

function isSentRequestInfo(x: unknown): x is SentRequestInfo {
  return (
    isRecord(x) &&
    isHttpMethod(x.method) &&
    isString(x.url) &&
    isArrayOf(x.headers, isHeaderPair) &&
    isNonNegative(x.bodyBytes)
  );
}

function isResponseMeta(x: Rec): boolean {
  return (
    isHttpStatus(x.status) &&
    isString(x.statusText) &&
    isArrayOf(x.headers, isHeaderPair) &&
    isString(x.contentType) &&
    isOneOf(BODY_KINDS, x.bodyKind) &&
    isNonNegative(x.size) &&
    isBool(x.truncated) &&
    isNonNegative(x.totalMs) &&
    isBool(x.retried) &&
    isSentRequestInfo(x.request) &&
    isString(x.environmentName)
  );
}

export function isResponseInfo(x: unknown): x is ResponseInfo {
  return isRecord(x) && isResponseMeta(x) && x.body instanceof Uint8Array;
}

/** A preview is of a text body, and its head is shorter than the whole body. */
export function isResponsePreview(x: unknown): x is ResponsePreview {
  return isRecord(x) && isResponseMeta(x) && x.bodyKind === 'text' && x.head instanceof Uint8Array && x.head.length < (x.size as number);
}

function isHttpStatus(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 100 && x <= 999;
}

/** Validates a message that arrived from the webview (host side). */
export function isWebviewMessage(x: unknown): x is WebviewToHost {
  if (!isRecord(x) || !isString(x.type)) return false;
  switch (x.type as WebviewMessageType) {
    case 'ready':
      return optional(x.state, isPersistedPanelState);
    case 'stateChanged':
      return isPersistedPanelState(x.state);
    case 'send':
      return isSeq(x.seq) && isDraftRequest(x.draft);
    case 'cancel':
      return isSeq(x.seq);
    case 'save':
      return isDraftRequest(x.draft);
    case 'copyCurl':
      return isDraftRequest(x.draft) && isBool(x.includeToken);
    case 'responseAction':
      return isOneOf(RESPONSE_ACTIONS, x.action);
    case 'errorAction':
      return isOneOf(ERROR_ACTION_IDS, x.action);
    case 'switchEnvironment':
      return true;
    case 'loadFullBody':
      return isSeq(x.seq);
    case 'metrics':
      // Test builds only (scripts/build.mjs): a production panel neither sends nor accepts paint figures.
      return (
        __STUDYTEAM_TEST_HOOKS__ &&
        isSeq(x.seq) &&
        isOneOf(METRICS_STAGES, x.stage) &&
        isNonNegative(x.clickToPaintMs) &&
        isNonNegative(x.receiveToPaintMs) &&
        isNonNegative(x.bodyBytes) &&
        isNonNegative(x.paintedBytes)
      );
    default:
      return false;
  }
}

/** Validates a message that arrived from the host (webview side). */
export function isHostMessage(x: unknown): x is HostToWebview {
  if (!isRecord(x) || !isString(x.type)) return false;
  switch (x.type as HostMessageType) {
    case 'init':
      return (
        isPersistedPanelState(x.state) &&
        isEnvironmentInfo(x.environment) &&
        optional(x.response, isResponseInfo) &&
        optional(x.preview, isResponsePreview) &&
        !(x.response !== undefined && x.preview !== undefined) &&
        optional(x.responseSeq, isSeq) &&
        optional(x.inFlightSeq, isSeq)
      );
    case 'environment':
      return isEnvironmentInfo(x.environment);
    case 'sending':
      return isSeq(x.seq);
    case 'response':
      return isSeq(x.seq) && isResponseInfo(x.response);
    case 'responsePreview':
      return isSeq(x.seq) && isResponsePreview(x.preview);
    case 'error':
      return isSeq(x.seq) && isBool(x.cancelled) && isString(x.message) && isArrayOf(x.actions, isErrorActionInfo);
    case 'saved':
      return isNonEmptyString(x.savedId) && isString(x.name);
    case 'notice':
      return isOneOf(['info', 'error'] as const, x.level) && isString(x.message);
    default:
      return false;
  }
}
