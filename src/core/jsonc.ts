// JSON with comments (VS Code's settings.json flavour): // and /* */ comments and trailing commas.
// Comments and trailing commas are blanked out with spaces (newlines kept), so a syntax error still
// reports the line and column the user sees in the editor. No `vscode`.
import { parseJsonWithLocation, type JsonParseResult } from './jsonLocation';

/** The text with comments and trailing commas replaced by spaces; same length, same line breaks. */
export function blankJsoncExtras(text: string): string {
  const out = text.split('');
  let i = 0;
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
  };
  let lastComma = -1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      lastComma = -1;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (ch === ',') {
      lastComma = i++;
    } else if (ch === '}' || ch === ']') {
      if (lastComma >= 0) out[lastComma] = ' ';
      lastComma = -1;
      i++;
    } else {
      if (!/\s/.test(ch)) lastComma = -1;
      i++;
    }
  }
  return out.join('');
}

export function parseJsonc(text: string): JsonParseResult {
  return parseJsonWithLocation(blankJsoncExtras(text));
}
