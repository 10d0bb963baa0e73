// JSON text checks shared by the request panel's host side and its webview: is a body JSON, is it valid (and
// where not), pretty-printing. Plain TypeScript: no `vscode`, no DOM, no Node.

export type JsonValidation = { ok: true } | { ok: false; message: string; line: number; column: number };

/** Validates JSON text; reports the line/column (1-based) of the error where the engine tells the position. */
export function validateJson(text: string): JsonValidation {
  try {
    JSON.parse(text);
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const m = /position (\d+)/.exec(message);
    const pos = m ? Number(m[1]) : text.length;
    const { line, column } = lineColumnAt(text, pos);
    const lc = /\(line \d+ column \d+\)/.test(message) ? message : `${message} (line ${line} column ${column})`;
    return { ok: false, message: lc, line, column };
  }
}

export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
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
