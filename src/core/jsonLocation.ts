// Where things are in a JSON text, with jsonc-parser doing the parsing: the position of the first syntax
// error (so the saved-requests file can be reported as "requests.json:12:5: expected ',' or '}'"), and
// JSON paths ↔ offsets/lines (so a schema problem or a server's `errors[].path` can point at a line).
// In dist/extension.js jsonc-parser is its own bundle, dist/jsoncParser.js, loaded on the first call (scripts/build.mjs).
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface JsonPosition {
  /** 0-based character offset into the text. */
  readonly offset: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units. */
  readonly column: number;
}

export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | ({ readonly ok: false; readonly message: string } & JsonPosition);

/** A JSON path: property names and array indexes from the root. */
export type JsonPath = ReadonlyArray<string | number>;

/** Where a JSON path's value is: its start position and length (the whole value, e.g. a whole object). */
export interface JsonRange extends JsonPosition {
  readonly length: number;
}

export function offsetToPosition(text: string, offset: number): JsonPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x0a) {
      line++;
      lineStart = i + 1;
    } else if (ch === 0x0d) {
      if (text.charCodeAt(i + 1) !== 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}

const PARSE_OPTIONS = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false };

/** Parses `text` (a leading BOM is ignored). On failure gives the first error's message and position. */
export function parseJsonWithLocation(text: string): JsonParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = source === text ? 0 : 1;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch {
    const errors: ParseError[] = [];
    parse(source, errors, PARSE_OPTIONS);
    const first = errors[0];
    const offset = first?.offset ?? source.length;
    // Line and column as an editor shows them (a BOM is not a column).
    const at = offsetToPosition(source, offset);
    return { ok: false, message: first ? describeParseError(source, first) : 'invalid JSON', ...at, offset: offset + shift };
  }
}

/** Formats a failure as "line 3, column 7: expected ',' or '}'". */
export function describeJsonError(failure: { message: string; line: number; column: number }): string {
  return `line ${failure.line}, column ${failure.column}: ${failure.message}`;
}

function describeParseError(text: string, error: ParseError): string {
  const at = text[error.offset];
  const before = text.slice(0, error.offset).trimEnd();
  const shown = at === undefined ? 'end of file' : `'${at}'`;
  switch (printParseErrorCode(error.error)) {
    case 'ValueExpected':
      if (text.trim() === '') return 'the file is empty; expected a JSON value';
      if ((at === ']' || at === '}') && before.endsWith(',')) return `trailing comma before '${at}'`;
      if (at === "'") return 'strings must use double quotes';
      return `expected a JSON value but found ${shown}`;
    case 'PropertyNameExpected':
      if (at === '}' && before.endsWith(',')) return "trailing comma before '}'";
      if (at === "'") return 'property names must use double quotes';
      return `expected a property name in double quotes but found ${shown}`;
    case 'ColonExpected':
      return `expected ':' after the property name but found ${shown}`;
    case 'CommaExpected':
      return insideObject(text, error.offset) ? `expected ',' or '}' but found ${shown}` : `expected ',' or ']' but found ${shown}`;
    case 'CloseBraceExpected':
      return `expected ',' or '}' but found ${shown}`;
    case 'CloseBracketExpected':
      return `expected ',' or ']' but found ${shown}`;
    case 'EndOfFileExpected':
      return `unexpected ${shown} after the end of the JSON value`;
    case 'InvalidCommentToken':
    case 'UnexpectedEndOfComment':
      return 'comments are not allowed in JSON';
    case 'UnexpectedEndOfString':
      return 'unterminated string';
    case 'InvalidSymbol':
      if (at === "'") return 'strings must use double quotes';
      if (before.endsWith('{') || (before.endsWith(',') && insideObject(text, error.offset))) return `expected a property name in double quotes but found ${shown}`;
      return `unexpected ${shown}`;
    case 'InvalidNumberFormat':
    case 'UnexpectedEndOfNumber':
      return 'invalid number';
    case 'InvalidUnicode':
    case 'InvalidEscapeCharacter':
      return 'invalid escape sequence in string';
    case 'InvalidCharacter':
      return 'unescaped control character (e.g. a line break) in string';
    default:
      return 'invalid JSON';
  }
}

/** Whether the innermost open bracket before `offset` is a '{' (strings skipped). */
function insideObject(text: string, offset: number): boolean {
  const stack: string[] = [];
  for (let i = 0; i < offset; i++) {
    const ch = text[i];
    if (ch === '"') {
      for (i++; i < offset && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (ch === '{' || ch === '[') stack.push(ch);
    else if (ch === '}' || ch === ']') stack.pop();
  }
  return stack.at(-1) === '{';
}

/**
 * Where the value at `path` is in `text` (tolerant: the text may have syntax errors elsewhere). When the
 * path goes deeper than the text does, the deepest existing value on the way (e.g. the object a required
 * property is missing from). Undefined when the text has no JSON value at all.
 */
export function locateJsonPath(text: string, path: JsonPath): JsonRange | undefined {
  const root = parseTree(text, [], { disallowComments: false, allowTrailingComma: true });
  if (!root) return undefined;
  let node: Node = root;
  for (let depth = path.length; depth >= 0; depth--) {
    const found = findNodeAtLocation(root, path.slice(0, depth) as Array<string | number>);
    if (found) {
      node = found;
      break;
    }
  }
  return { ...offsetToPosition(text, node.offset), length: node.length };
}

/** "referral[0].name[0].given" — a path the way a reader of the body would write it ("(root)" for []). */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += /^[A-Za-z_$][\w$]*$/.test(part) ? (out ? `.${part}` : part) : `[${JSON.stringify(part)}]`;
  }
  return out || '(root)';
}

/** A problem at a JSON path of a body (a schema's or a server's), with where it is in the body text. */
export interface BodyProblem {
  readonly path: JsonPath;
  /** "referral[0].name[0].given" */
  readonly pathText: string;
  readonly message: string;
  /** Where the value at `path` (or the closest existing parent) is in the body text. 1-based line/column. */
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
}

/** The problem `message` at `path`, placed at `at` (from locateJsonPath; the start of the text when undefined). */
export function bodyProblem(path: JsonPath, message: string, at: JsonRange | undefined): BodyProblem {
  return { path, pathText: formatJsonPath(path), message, line: at?.line ?? 1, column: at?.column ?? 1, offset: at?.offset ?? 0, length: at?.length ?? 0 };
}
