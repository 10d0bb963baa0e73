// Parses JSON and, when it is not valid, says where: 1-based line and column of the first error, so the
// saved-requests file can be reported as "requests.json:12:5: expected ',' or '}'" with an "Open File" action.
// JSON.parse does the work when the text is valid; a small scanner finds the position when it is not
// (engine messages differ between Node versions and do not always carry a position).

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

/** Parses `text` (a leading BOM is ignored). On failure gives the first error's message and position. */
export function parseJsonWithLocation(text: string): JsonParseResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = source === text ? 0 : 1;
  try {
    return { ok: true, value: JSON.parse(source) };
  } catch {
    const found = new JsonScanner(source).findError();
    // Line and column as an editor shows them (a BOM is not a column).
    const at = offsetToPosition(source, found.offset);
    return { ok: false, message: found.message, ...at, offset: found.offset + shift };
  }
}

/** Formats a failure as "line 3, column 7: expected ',' or '}'". */
export function describeJsonError(failure: { message: string; line: number; column: number }): string {
  return `line ${failure.line}, column ${failure.column}: ${failure.message}`;
}

class JsonSyntaxError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

class JsonScanner {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  findError(): { message: string; offset: number } {
    try {
      this.skipWs();
      if (this.pos >= this.text.length) throw this.error('the file is empty; expected a JSON value');
      this.value();
      this.skipWs();
      if (this.pos < this.text.length) throw this.error(`unexpected ${this.describe()} after the end of the JSON value`);
      // The scanner accepted what JSON.parse rejected (should not happen): report the end.
      return { message: 'invalid JSON', offset: this.text.length };
    } catch (e) {
      if (e instanceof JsonSyntaxError) return { message: e.message, offset: e.offset };
      return { message: 'invalid JSON (too deeply nested)', offset: this.pos };
    }
  }

  private error(message: string, offset = this.pos): JsonSyntaxError {
    return new JsonSyntaxError(message, offset);
  }

  private describe(): string {
    if (this.pos >= this.text.length) return 'end of file';
    const ch = this.text[this.pos];
    return `'${ch}'`;
  }

  private skipWs(): void {
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.pos++;
      else if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
        throw this.error('comments are not allowed in JSON');
      } else break;
    }
  }

  private value(): void {
    if (++this.depth > 512) throw this.error('nesting is too deep');
    const ch = this.text[this.pos];
    if (ch === '{') this.object();
    else if (ch === '[') this.array();
    else if (ch === '"') this.string();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) this.number();
    else if (this.text.startsWith('true', this.pos)) this.pos += 4;
    else if (this.text.startsWith('false', this.pos)) this.pos += 5;
    else if (this.text.startsWith('null', this.pos)) this.pos += 4;
    else if (ch === "'") throw this.error('strings must use double quotes');
    else throw this.error(`expected a JSON value but found ${this.describe()}`);
    this.depth--;
  }

  private object(): void {
    this.pos++; // {
    this.skipWs();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] === '}') throw this.error("trailing comma before '}'");
      if (this.text[this.pos] !== '"') {
        throw this.error(`expected a property name in double quotes but found ${this.describe()}`);
      }
      this.string();
      this.skipWs();
      if (this.text[this.pos] !== ':') throw this.error(`expected ':' after the property name but found ${this.describe()}`);
      this.pos++;
      this.skipWs();
      this.value();
      this.skipWs();
      const ch = this.text[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === '}') {
        this.pos++;
        return;
      }
      throw this.error(`expected ',' or '}' but found ${this.describe()}`);
    }
  }

  private array(): void {
    this.pos++; // [
    this.skipWs();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWs();
      if (this.text[this.pos] === ']') throw this.error("trailing comma before ']'");
      this.value();
      this.skipWs();
      const ch = this.text[this.pos];
      if (ch === ',') {
        this.pos++;
        continue;
      }
      if (ch === ']') {
        this.pos++;
        return;
      }
      throw this.error(`expected ',' or ']' but found ${this.describe()}`);
    }
  }

  private string(): void {
    const start = this.pos;
    this.pos++; // opening quote
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '\\') {
        const next = this.text[this.pos + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) throw this.error('invalid \\u escape');
          this.pos += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
          this.pos += 2;
        } else throw this.error('invalid escape sequence in string');
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) throw this.error('unescaped control character (e.g. a line break) in string');
      this.pos++;
    }
    throw this.error('unterminated string', start);
  }

  private number(): void {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!m || m[0] === '-' || m[0].length === 0) throw this.error('invalid number');
    this.pos += m[0].length;
  }
}
