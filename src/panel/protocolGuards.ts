// Guards of the request panel's message protocol (protocol.ts): every field of what crosses the boundary is checked.
// Shared by the host and the webview: no `vscode`, no DOM, no Node.
import type { CaptureRow, CheckRow } from '../core/checkRows';
import { HTTP_METHODS } from '../core/model';
import type { HttpMethod } from '../core/model';
import { VARIABLE_SOURCES, AUTH_MODES, BODY_KINDS, BODY_MODES, ERROR_ACTION_IDS, METRICS_STAGES, RESPONSE_ACTIONS } from './protocol';
import type {
  BodyProblemInfo,
  DraftRequest,
  DraftRow,
  EnvironmentInfo,
  ErrorActionInfo,
  HeaderPair,
  HostMessageType,
  HostToWebview,
  OmittedValues,
  PersistedPanelState,
  ResponseInfo,
  ResponsePreview,
  SendError,
  SentRequestInfo,
  VariableInfo,
  WebviewMessageType,
  WebviewToHost,
} from './protocol';

// Extra, unknown properties are ignored (never read).

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
function isString(x: unknown): x is string {
  return typeof x === 'string';
}
/** Every one of `keys` of `x` is a string. */
function strings(x: Rec, ...keys: string[]): boolean {
  return keys.every((k) => isString(x[k]));
}
function isBool(x: unknown): x is boolean {
  return typeof x === 'boolean';
}
function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
/** A sequence number, a line, a column, an offset: a whole number ≥ 0. */
function isCount(x: unknown): x is number {
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
function arrayOf<T>(guard: (v: unknown) => v is T): (x: unknown) => x is T[] {
  return (x): x is T[] => isArrayOf(x, guard);
}

export function isHttpMethod(x: unknown): x is HttpMethod {
  return isOneOf(HTTP_METHODS, x);
}

export function isDraftRow(x: unknown): x is DraftRow {
  return isRecord(x) && strings(x, 'name', 'value') && isBool(x.enabled);
}

export function isDraftRequest(x: unknown): x is DraftRequest {
  return (
    isRecord(x) &&
    strings(x, 'name', 'url', 'body') &&
    isHttpMethod(x.method) &&
    isArrayOf(x.query, isDraftRow) &&
    isArrayOf(x.headers, isDraftRow) &&
    isOneOf(BODY_MODES, x.bodyMode) &&
    isOneOf(AUTH_MODES, x.auth) &&
    optional(x.checks, arrayOf(isCheckRow)) &&
    optional(x.captures, arrayOf(isCaptureRow))
  );
}

function isCheckRow(x: unknown): x is CheckRow {
  return isRecord(x) && strings(x, 'kind', 'path', 'op', 'value');
}

function isCaptureRow(x: unknown): x is CaptureRow {
  return isRecord(x) && strings(x, 'name', 'from', 'path');
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
  return isRecord(x) && isArrayOf(x.headers, isCount) && isArrayOf(x.query, isCount);
}

function isNonEmptyString(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0;
}

function isHeaderPair(x: unknown): x is HeaderPair {
  return Array.isArray(x) && x.length === 2 && isString(x[0]) && isString(x[1]);
}

export function isEnvironmentInfo(x: unknown): x is EnvironmentInfo {
  return isRecord(x) && strings(x, 'id', 'name', 'baseUrl') && isBool(x.production) && isArrayOf(x.variables, isVariableInfo);
}

function isVariableInfo(x: unknown): x is VariableInfo {
  return isRecord(x) && isString(x.name) && isOneOf(VARIABLE_SOURCES, x.source) && optional(x.value, isString);
}

function isErrorActionInfo(x: unknown): x is ErrorActionInfo {
  return isRecord(x) && isOneOf(ERROR_ACTION_IDS, x.id) && isString(x.label);
}

function isSendError(x: unknown): x is SendError {
  return isRecord(x) && isBool(x.cancelled) && strings(x, 'message', 'environmentId', 'environmentName') && isArrayOf(x.actions, isErrorActionInfo);
}

function isSentRequestInfo(x: unknown): x is SentRequestInfo {
  return isRecord(x) && isHttpMethod(x.method) && isString(x.url) && isArrayOf(x.headers, isHeaderPair) && isNonNegative(x.bodyBytes);
}

function isResponseMeta(x: Rec): boolean {
  return (
    isHttpStatus(x.status) &&
    strings(x, 'statusText', 'contentType', 'environmentId', 'environmentName', 'origin') &&
    isArrayOf(x.headers, isHeaderPair) &&
    isOneOf(BODY_KINDS, x.bodyKind) &&
    isNonNegative(x.size) &&
    isBool(x.truncated) &&
    isNonNegative(x.totalMs) &&
    isBool(x.retried) &&
    isSentRequestInfo(x.request) &&
    isNonNegative(x.receivedAt) &&
    (x.label === undefined || isString(x.label))
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
      return optional(x.state, isPersistedPanelState) && optional(x.loadMs, isNonNegative) && optional(x.scriptMs, isNonNegative);
    case 'stateChanged':
      return isPersistedPanelState(x.state);
    case 'send':
      return isCount(x.seq) && isDraftRequest(x.draft);
    case 'cancel':
      return isCount(x.seq);
    case 'save':
    case 'saveAs':
      return isDraftRequest(x.draft);
    case 'revert':
    case 'keepOpen':
      return true;
    case 'copyCurl':
      return isDraftRequest(x.draft) && isBool(x.includeToken);
    case 'responseAction':
      return isOneOf(RESPONSE_ACTIONS, x.action);
    case 'errorAction':
      return isOneOf(ERROR_ACTION_IDS, x.action);
    case 'switchEnvironment':
    case 'clearResponse':
      return true;
    case 'loadFullBody':
      return isCount(x.seq);
    case 'metrics':
      // Test builds only (scripts/build.mjs): a production panel neither sends nor accepts paint figures.
      return (
        __STUDYTEAM_TEST_HOOKS__ &&
        isCount(x.seq) &&
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
        optional(x.responseSeq, isCount) &&
        optional(x.inFlightSeq, isCount) &&
        optional(x.error, isSendError) &&
        optional(x.tabMovesFocus, isBool) &&
        !(x.error !== undefined && (x.response !== undefined || x.preview !== undefined))
      );
    case 'environment':
      return isEnvironmentInfo(x.environment);
    case 'editorSettings':
      return isBool(x.tabMovesFocus);
    case 'sending':
      return isCount(x.seq);
    case 'response':
      return isCount(x.seq) && isResponseInfo(x.response);
    case 'responsePreview':
      return isCount(x.seq) && isResponsePreview(x.preview);
    case 'error':
      return isCount(x.seq) && isSendError(x);
    case 'saved':
      return isNonEmptyString(x.savedId) && isString(x.name) && optional(x.where, isString);
    case 'savedState':
      return optional(x.savedId, isNonEmptyString) && isBool(x.dirty);
    case 'draft':
      return isPersistedPanelState(x.state);
    case 'notice':
      return isOneOf(['info', 'error'] as const, x.level) && isString(x.message);
    case 'previewTab':
      return isBool(x.preview);
    case 'bodyProblems':
      return isOneOf(['schema', 'server'] as const, x.kind) && strings(x, 'bodyFingerprint', 'title') && isArrayOf(x.problems, isBodyProblem);
    default:
      return false;
  }
}

function isBodyProblem(x: unknown): x is BodyProblemInfo {
  return isRecord(x) && strings(x, 'pathText', 'message') && isCount(x.line) && isCount(x.column) && isCount(x.offset);
}
