// The host's side of a response in the request panel: what of it crosses to the webview (metadata with where and
// when it came from, UTF-8 text or an image, a preview of a large body) and the actions on the body, which stays in
// host memory (Open in Editor as a read-only document, Save to File, Copy body).
import * as vscode from 'vscode';
import type { ApiResponse, Environment } from '../core/model';
import { redactHeaders } from '../core/redaction';
import { extensionForContentType, isPreviewableImage, languageForContentType } from './contentType';
import { formatJson } from './jsonText';
import { PREVIEW_HEAD_BYTES, PREVIEW_THRESHOLD_BYTES, utf8Prefix } from './largeBody';
import type { ResponseAction, ResponseMeta, ResponsePreview } from './protocol';

/** Images up to this size are shown inline. */
const MAX_IMAGE_PREVIEW_BYTES = 5 * 1024 * 1024;

export interface LastResponse {
  readonly seq: number;
  readonly meta: ResponseMeta;
  /** The preview sent instead of the whole body (a large text body), else undefined. */
  readonly preview: ResponsePreview | undefined;
  /** What the webview gets (UTF-8 text, or an image). */
  readonly body: Uint8Array;
  /** The bytes as received (Save to File). */
  readonly raw: Uint8Array;
  /** Decoded with the response's charset. */
  readonly text: string;
  readonly environment: Environment;
}

/** Read-only documents (src/host/readonlyDocuments.ts `ReadonlyDocuments` fits): never untitled, never backed up by hot exit. */
export interface PanelDocuments {
  show(title: string, content: string, language?: string, options?: { preview?: boolean; viewColumn?: vscode.ViewColumn }): Promise<unknown>;
}

/** Where a response shown in the panel came from when it was not the panel's own Send (a Run Folder row). */
export interface ResponseSourceNote {
  /** Epoch ms (host clock) when the response arrived. */
  readonly receivedAt: number;
  /** 'Run Folder "Go-live"'. */
  readonly label?: string;
}

export function lastResponseOf(seq: number, response: ApiResponse, environment: Environment, source?: ResponseSourceNote): LastResponse {
  const image = isPreviewableImage(response.contentType) && response.body.length <= MAX_IMAGE_PREVIEW_BYTES;
  // What the webview gets: UTF-8 text (re-encoded when the server used another charset), or an image's bytes.
  const body = image || isUtf8(response.contentType) ? response.body : Buffer.from(response.text, 'utf8');
  const meta: ResponseMeta = {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers.map(([n, v]) => [n, v] as const),
    contentType: response.contentType,
    bodyKind: image ? 'image' : 'text',
    size: response.size,
    truncated: response.truncated,
    totalMs: response.timings.totalMs,
    retried: response.retried,
    request: {
      method: response.request.method,
      url: response.request.url,
      headers: redactHeaders(response.request.headers),
      bodyBytes: response.request.bodyBytes,
    },
    environmentId: environment.id,
    environmentName: environment.name,
    origin: originOf(response.request.url),
    receivedAt: source?.receivedAt ?? Date.now(),
    ...(source?.label ? { label: source.label } : {}),
  };
  // A large text body: paint its start first; the whole body crosses only when the webview asks for it
  // (moving 10 MB into the webview takes seconds in code-server).
  const preview: ResponsePreview | undefined =
    !image && body.length > PREVIEW_THRESHOLD_BYTES ? { ...meta, size: Math.max(meta.size, body.length), head: plainBytes(utf8Prefix(body, PREVIEW_HEAD_BYTES)) } : undefined;
  return { seq, meta, preview, body, raw: response.body, text: response.text, environment };
}

/** Runs an action on the body; returns what to tell the user (undefined: nothing, e.g. the save dialog was cancelled). */
export async function runResponseAction(action: ResponseAction, last: LastResponse, requestTitle: string, documents: PanelDocuments): Promise<string | undefined> {
  const text = last.text;
  switch (action) {
    case 'openInEditor': {
      const language = languageForContentType(last.meta.contentType, text);
      const content = language === 'json' && text.length <= 20 * 1024 * 1024 ? (formatJson(text) ?? text) : text;
      // A read-only virtual document: an untitled one would be backed up to disk by hot exit (patient data).
      const title = `${requestTitle} — ${last.meta.status}.${extensionForContentType(last.meta.contentType)}`;
      await documents.show(title, content, language, { preview: false, viewColumn: vscode.ViewColumn.Beside });
      return undefined;
    }
    case 'saveToFile': {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const fileName = `response.${extensionForContentType(last.meta.contentType)}`;
      const target = await vscode.window.showSaveDialog({
        title: 'Save Response Body',
        saveLabel: 'Save',
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, fileName) } : {}),
      });
      if (!target) return undefined;
      await vscode.workspace.fs.writeFile(target, last.raw);
      return `Saved ${last.raw.length} bytes to ${vscode.workspace.asRelativePath(target)}.`;
    }
    case 'copyBody':
      await vscode.env.clipboard.writeText(text);
      return 'Copied the response body.';
  }
}

/** scheme://host[:port] of a URL ('' when it does not parse). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** The charset of a content type is UTF-8 (or unspecified, or ASCII): its bytes can be sent as they are. */
function isUtf8(contentType: string): boolean {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return !m || /^(utf-?8|us-ascii|ascii)$/i.test(m[1] ?? '');
}

/**
 * A plain Uint8Array over exactly these bytes. VS Code sends typed arrays as binary only when the constructor is
 * exactly Uint8Array (a Node Buffer would be JSON-encoded byte by byte) and ships the whole underlying ArrayBuffer.
 */
export function plainBytes(bytes: Uint8Array): Uint8Array {
  if (bytes.constructor === Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
