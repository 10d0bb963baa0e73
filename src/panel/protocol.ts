// The ONE message protocol between the request panel's host side (src/panel/requestPanel.ts) and its webview
// (src/webview/main.ts). Plain TypeScript: no `vscode`, no DOM, no Node — both bundles import
// it.
// Every message that crosses the boundary is checked with `isWebviewMessage` / `isHostMessage`
// (protocolGuards.ts); anything that fails is ignored (and logged by the host), never acted on.
import type { CaptureRow, CheckRow } from '../core/checkRows';
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
  /** The Checks tab's rows (absent: the panel does not touch the saved request's checks). */
  readonly checks?: readonly CheckRow[];
  readonly captures?: readonly CaptureRow[];
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
  readonly variables: readonly VariableInfo[];
}

/** A {{variable}} the panel knows: where its value comes from, and the value unless it looks like a secret. */
export interface VariableInfo {
  readonly name: string;
  readonly source: VariableSource;
  readonly value?: string;
}
export type VariableSource = 'environment' | 'remembered';
export const VARIABLE_SOURCES: readonly VariableSource[] = ['environment', 'remembered'];

export type ErrorActionId = 'setCredentials' | 'showLog' | 'editEnvironment' | 'editAudience';
export const ERROR_ACTION_IDS: readonly ErrorActionId[] = ['setCredentials', 'showLog', 'editEnvironment', 'editAudience'];

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
  /** Where the response came from: the environment it was sent with, the origin it answered from, and when. */
  readonly environmentId: string;
  readonly environmentName: string;
  /** scheme://host[:port] of the URL that was sent. */
  readonly origin: string;
  /** Epoch milliseconds (host clock) when the response arrived. */
  readonly receivedAt: number;
  /** Set when the response is not from this panel's Send: 'Run Folder "Go-live"'. */
  readonly label?: string;
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

/** A Send that failed or was cancelled. */
export interface SendError {
  readonly cancelled: boolean;
  readonly message: string;
  readonly actions: readonly ErrorActionInfo[];
  /** The environment it was sent with. */
  readonly environmentId: string;
  readonly environmentName: string;
}

// ---------------------------------------------------------------------------------------------------------
// Host → webview

/** A problem located in the request body: against the endpoint's schema, or from a server's 400 `errors[].path`. */
export interface BodyProblemInfo {
  /** "referral[0].name[0].given" */
  readonly pathText: string;
  readonly message: string;
  /** 1-based line and column in the body text, and the 0-based offset (the cursor goes there). */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** Which list a `bodyProblems` message replaces: the schema check of the body as typed, or the server's answer to the body as sent. */
export type BodyProblemsKind = 'schema' | 'server';

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
      /** The last Send failed (instead of `response`/`preview`): shown again after hide/reveal. */
      readonly error?: SendError;
      /** VS Code's editor.tabFocusMode: Tab leaves the body editor instead of indenting. */
      readonly tabMovesFocus?: boolean;
    }
  | { readonly type: 'editorSettings'; readonly tabMovesFocus: boolean }
  | { readonly type: 'environment'; readonly environment: EnvironmentInfo }
  | { readonly type: 'sending'; readonly seq: number }
  /** The whole response — directly for small bodies, or after a preview when the webview sent `loadFullBody`. */
  | { readonly type: 'response'; readonly seq: number; readonly response: ResponseInfo }
  /** A large text body: metadata and the start of the body; the whole body only on `loadFullBody`. */
  | { readonly type: 'responsePreview'; readonly seq: number; readonly preview: ResponsePreview }
  | ({ readonly type: 'error'; readonly seq: number } & SendError)
  /** Saved; `where` (the folder path, or "Top level") when it was saved for the first time. */
  | { readonly type: 'saved'; readonly savedId: string; readonly name: string; readonly where?: string }
  /** Whether the panel edits a saved request, and whether the draft differs from it (unsaved edits). */
  | { readonly type: 'savedState'; readonly savedId?: string; readonly dirty: boolean }
  /** The host replaced the draft (Revert; the saved request changed on disk or was deleted). */
  | { readonly type: 'draft'; readonly state: PersistedPanelState }
  | { readonly type: 'notice'; readonly level: 'info' | 'error'; readonly message: string }
  /** Whether the panel is a preview tab (the next request opened from the tree replaces it) or one that stays. */
  | { readonly type: 'previewTab'; readonly preview: boolean }
  /**
   * The body's problems (replaces the list of that kind; an empty list clears it). `bodyFingerprint` identifies the
   * body text they belong to (bodyFingerprint.ts), so the webview can tell them from a newer text.
   */
  | {
      readonly type: 'bodyProblems';
      readonly kind: BodyProblemsKind;
      readonly bodyFingerprint: string;
      /** "Create referral v1" or "The server answered 400". */
      readonly title: string;
      readonly problems: readonly BodyProblemInfo[];
    };

// ---------------------------------------------------------------------------------------------------------
// Webview → host

export type ResponseAction = 'openInEditor' | 'saveToFile' | 'copyBody';
export const RESPONSE_ACTIONS: readonly ResponseAction[] = ['openInEditor', 'saveToFile', 'copyBody'];

export type WebviewToHost =
  /**
   * Test builds only: loadMs, the webview document's start → this message; scriptMs, the panel's script starting →
   * this message (both on the webview's clock).
   */
  | { readonly type: 'ready'; readonly state?: PersistedPanelState; readonly loadMs?: number; readonly scriptMs?: number }
  | { readonly type: 'stateChanged'; readonly state: PersistedPanelState }
  | { readonly type: 'send'; readonly seq: number; readonly draft: DraftRequest }
  | { readonly type: 'cancel'; readonly seq: number }
  | { readonly type: 'save'; readonly draft: DraftRequest }
  /** Save a copy under a new name (and edit the copy from now on). */
  | { readonly type: 'saveAs'; readonly draft: DraftRequest }
  /** Drop the unsaved edits: back to the saved request. */
  | { readonly type: 'revert' }
  /** Keep Open: a preview tab becomes a panel that stays. */
  | { readonly type: 'keepOpen' }
  | { readonly type: 'copyCurl'; readonly draft: DraftRequest; readonly includeToken: boolean }
  | { readonly type: 'responseAction'; readonly action: ResponseAction }
  | { readonly type: 'errorAction'; readonly action: ErrorActionId }
  | { readonly type: 'switchEnvironment' }
  /** The user cleared the response on screen (e.g. a stale one): forget it, also for hide/reveal. */
  | { readonly type: 'clearResponse' }
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
