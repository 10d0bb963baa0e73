// JSON text checks shared by the request panel's host side and its webview: is a body JSON, is it valid (and
// where not), pretty-printing. Plain TypeScript: no `vscode`, no DOM, no Node.
import { offsetToPosition, parseJsonWithLocation } from '../core/jsonLocation';

export type JsonValidation = { ok: true } | { ok: false; message: string; line: number; column: number };

/**
 * Validates JSON text; when it is not valid, says what is wrong in words and where (1-based line and column):
 * "trailing comma before '}' on line 4, column 3".
 */
export function validateJson(text: string): JsonValidation {
  const result = parseJsonWithLocation(text);
  if (result.ok) return { ok: true };
  if (result.message.startsWith('trailing comma')) return trailingComma(text, result.offset) ?? located(result.message, result);
  return located(text.trim() === '' ? 'the body is empty; expected a JSON value' : result.message, result);
}

function located(what: string, at: { line: number; column: number }): JsonValidation {
  return { ok: false, message: `${what} on line ${at.line}, column ${at.column}`, line: at.line, column: at.column };
}

/** Points at the comma itself (not the bracket after it), naming the property it follows when there is one. */
function trailingComma(text: string, bracketOffset: number): JsonValidation | undefined {
  const comma = text.lastIndexOf(',', bracketOffset);
  if (comma < 0) return undefined;
  const at = offsetToPosition(text, comma);
  const lineText = text.slice(comma - (at.column - 1), comma);
  const key = [...lineText.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)].at(-1)?.[1];
  const what = key !== undefined ? `trailing comma after "${key}"` : 'trailing comma';
  return { ok: false, message: `${what} on line ${at.line} (remove it, or add another value)`, line: at.line, column: at.column };
}

/** Pretty-prints JSON text; returns undefined when it is not JSON. */
export function formatJson(text: string, indent = 2): string | undefined {
  try {
    return JSON.stringify(JSON.parse(text), null, indent);
  } catch {
    return undefined;
  }
}

export function isJsonContentType(contentType: string): boolean {
  return /(^|\/|\+)json\b/i.test(contentType.split(';')[0]?.trim() ?? '');
}

export function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}
