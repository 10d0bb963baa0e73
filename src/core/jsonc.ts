// JSON with comments (VS Code's settings.json flavour): // and /* */ comments and trailing commas.
// jsonc-parser's visitor finds them; they are blanked out with spaces (newlines kept), so a syntax error
// still reports the line and column the user sees in the editor. No `vscode`.
import { visit } from 'jsonc-parser';
import { parseJsonWithLocation, type JsonParseResult } from './jsonLocation';

/** The text with comments and trailing commas replaced by spaces; same length, same line breaks. */
export function blankJsoncExtras(text: string): string {
  const out = text.split('');
  let lastComma = -1;
  const value = (): void => {
    lastComma = -1;
  };
  const close = (): void => {
    if (lastComma >= 0) out[lastComma] = ' ';
    lastComma = -1;
  };
  visit(
    text,
    {
      onComment: (offset, length) => {
        for (let k = offset; k < offset + length; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = ' ';
      },
      onSeparator: (character, offset) => {
        lastComma = character === ',' ? offset : -1;
      },
      onObjectBegin: value,
      onArrayBegin: value,
      onObjectProperty: value,
      onLiteralValue: value,
      onObjectEnd: close,
      onArrayEnd: close,
    },
    { disallowComments: false, allowTrailingComma: true },
  );
  return out.join('');
}

export function parseJsonc(text: string): JsonParseResult {
  return parseJsonWithLocation(blankJsoncExtras(text));
}
