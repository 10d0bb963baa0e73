// Large response bodies, shared by the host (which cuts the preview) and the webview (which paints it and
// later builds the tree without a long task). Plain TypeScript: no `vscode`, no DOM, no Node APIs — tested
// by plain mocha (test/unit/largeBody.test.ts).

/** Text bodies above this many bytes are announced by a preview first; the whole body follows on request. */
export const PREVIEW_THRESHOLD_BYTES = 1024 * 1024;
/** Bytes of the body the preview carries. */
export const PREVIEW_HEAD_BYTES = 256 * 1024;

/**
 * The first at most `maxBytes` bytes of UTF-8 text, cut at a character boundary (never inside a multi-byte
 * sequence). A view on the same buffer.
 */
export function utf8Prefix(bytes: Uint8Array, maxBytes: number): Uint8Array {
  if (bytes.length <= maxBytes) return bytes;
  let end = Math.max(0, Math.floor(maxBytes));
  // Back off continuation bytes (10xxxxxx) so the cut falls before the lead byte of a split character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end);
}

// ---------------------------------------------------------------------------------------------------------
// Pretty-printing the start of a JSON text (which is not valid JSON on its own)

/** Token kinds of `PrettyPrefix.tokens`, by index (also the names of the webview's highlight styles). */
export const JSON_TOKEN_KINDS = ['key', 'string', 'number', 'boolean', 'null'] as const;
export type JsonTokenKind = (typeof JSON_TOKEN_KINDS)[number];
const KEY = 0;
const STRING = 1;
const NUMBER = 2;
const BOOLEAN = 3;
const NULL = 4;

export interface PrettyPrefix {
  readonly text: string;
  /** Flat triples [start, end, index into JSON_TOKEN_KINDS] into `text`, in order (punctuation is not listed). */
  readonly tokens: readonly number[];
  /** The input ended inside a string or a container (as a cut preview does). */
  readonly cut: boolean;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Pretty-prints (2-space indent) JSON text that may stop anywhere — the first 256 KB of a 10 MB body — and
 * lists the spans of keys, strings, numbers and literals for syntax colours. Tolerant: never throws; text
 * that is not JSON comes out roughly as it went in.
 */
export function prettyJsonPrefix(input: string, indent = 2): PrettyPrefix {
  let out = '';
  const tokens: number[] = [];
  const emit = (text: string): void => {
    out += text;
  };
  const token = (text: string, kind: number): void => {
    tokens.push(out.length, out.length + text.length, kind);
    out += text;
  };
  const pads: string[] = [];
  const pad = (depth: number): string => (pads[depth] ??= `\n${' '.repeat(depth * indent)}`);
  // Per open container: is it an object, and does it expect a key next?
  const stack: Array<{ object: boolean; expectKey: boolean }> = [];
  const n = input.length;
  let i = 0;
  let inString = false;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (isWs(c)) {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < n) {
        const d = input.charCodeAt(j);
        if (d === 0x5c /* \ */) j += 2;
        else if (d === 0x22) break;
        else j++;
      }
      inString = j >= n;
      const end = Math.min(j + 1, n);
      token(input.slice(i, end), top?.object && top.expectKey ? KEY : STRING);
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      let j = i + 1;
      while (j < n && isWs(input.charCodeAt(j))) j++;
      const close = c === 0x7b ? 0x7d : 0x5d;
      if (j < n && input.charCodeAt(j) === close) {
        emit(c === 0x7b ? '{}' : '[]');
        i = j + 1;
        continue;
      }
      stack.push({ object: c === 0x7b, expectKey: c === 0x7b });
      emit(`${input[i] ?? ''}${j < n ? pad(stack.length) : ''}`);
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      emit(`${pad(stack.length)}${input[i] ?? ''}`);
      i++;
    } else if (c === 0x2c /* , */) {
      if (top?.object) top.expectKey = true;
      emit(`,${pad(stack.length)}`);
      i++;
    } else if (c === 0x3a /* : */) {
      if (top) top.expectKey = false;
      emit(': ');
      i++;
    } else {
      let j = i + 1;
      while (j < n) {
        const d = input.charCodeAt(j);
        if (isWs(d) || d === 0x2c || d === 0x5d || d === 0x7d || d === 0x3a || d === 0x22 || d === 0x5b || d === 0x7b) break;
        j++;
      }
      const word = input.slice(i, j);
      const kind = word === 'true' || word === 'false' ? BOOLEAN : word === 'null' ? NULL : NUMBER;
      token(word, kind);
      i = j;
    }
  }
  return { text: out, tokens, cut: inString || stack.length > 0 };
}

/**
 * Splits text into blocks of `linesPerBlock` lines (each block but the last ends with its newline), so the
 * webview can lay out only the blocks on screen. Returns the start offset of each block.
 */
export function blockStarts(text: string, linesPerBlock: number): number[] {
  const starts = [0];
  let lines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < text.length - 1; i = text.indexOf('\n', i + 1)) {
    if (++lines === linesPerBlock) {
      starts.push(i + 1);
      lines = 0;
    }
  }
  return starts;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing a large JSON text in slices

export type ChunkedParseStep =
  | { readonly done: false; /** 0..1 */ readonly progress: number }
  | { readonly done: true; readonly ok: true; readonly value: unknown }
  | { readonly done: true; readonly ok: false };

type Frame = { readonly items: unknown[] } | { readonly object: Record<string, unknown>; key: string; count: number };

/**
 * Parses JSON in resumable steps, so a 10 MB body never blocks the webview for long: `step(shouldYield)` works
 * until `shouldYield()` says stop and can be called again later. Containers larger than `leafLimit` characters
 * are walked child by child; everything smaller is handed to JSON.parse (which also does the validation).
 * The result equals JSON.parse(text); invalid JSON ends with ok: false.
 */
export class ChunkedJsonParser {
  private pos = 0;
  private readonly stack: Frame[] = [];
  private result: { value: unknown } | undefined;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly leafLimit = 64 * 1024,
  ) {}

  step(shouldYield: () => boolean): ChunkedParseStep {
    const text = this.text;
    try {
      for (;;) {
        if (this.failed) return { done: true, ok: false };
        if (this.result) {
          this.skipWs();
          return this.pos === text.length ? { done: true, ok: true, value: this.result.value } : { done: true, ok: false };
        }
        if (shouldYield()) return { done: false, progress: this.pos / Math.max(1, text.length) };
        this.skipWs();
        const top = this.stack[this.stack.length - 1];
        if (!top) {
          this.value();
          continue;
        }
        const c = text.charCodeAt(this.pos);
        if ('items' in top) {
          if (c === 0x5d /* ] */) {
            this.pos++;
            this.finish();
            continue;
          }
          if (top.items.length > 0) this.expect(0x2c);
          this.value();
        } else {
          if (c === 0x7d /* } */) {
            this.pos++;
            this.finish();
            continue;
          }
          if (top.count > 0) this.expect(0x2c);
          this.skipWs();
          if (text.charCodeAt(this.pos) !== 0x22) throw new SyntaxError('key expected');
          const end = this.scanString(this.pos);
          top.key = JSON.parse(text.slice(this.pos, end)) as string;
          this.pos = end;
          this.expect(0x3a);
          this.value();
        }
      }
    } catch {
      this.failed = true;
      return { done: true, ok: false };
    }
  }

  private skipWs(): void {
    while (this.pos < this.text.length && isWs(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private expect(c: number): void {
    this.skipWs();
    if (this.text.charCodeAt(this.pos) !== c) throw new SyntaxError(`'${String.fromCharCode(c)}' expected`);
    this.pos++;
    this.skipWs();
  }

  /** The value at pos: parsed whole when small, or opened as a frame when it is a large container. */
  private value(): void {
    const start = this.pos;
    if (start >= this.text.length) throw new SyntaxError('unexpected end');
    const end = this.scanValue(start, this.leafLimit);
    if (end >= 0) {
      this.attach(JSON.parse(this.text.slice(start, end)));
      this.pos = end;
      return;
    }
    const c = this.text.charCodeAt(start);
    if (c === 0x5b) this.stack.push({ items: [] });
    else if (c === 0x7b) this.stack.push({ object: {}, key: '', count: 0 });
    else {
      const whole = this.scanValue(start, Number.POSITIVE_INFINITY);
      this.attach(JSON.parse(this.text.slice(start, whole)));
      this.pos = whole;
      return;
    }
    this.pos = start + 1;
  }

  private finish(): void {
    const frame = this.stack.pop();
    if (frame) this.attach('items' in frame ? frame.items : frame.object);
  }

  private attach(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) this.result = { value };
    else if ('items' in top) top.items.push(value);
    else {
      // defineProperty, like JSON.parse: a "__proto__" key is an own property, not the prototype.
      Object.defineProperty(top.object, top.key, { value, writable: true, enumerable: true, configurable: true });
      top.count++;
    }
  }

  /** End (exclusive) of the string starting at `start`. */
  private scanString(start: number): number {
    const text = this.text;
    let j = start + 1;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 0x5c) j += 2;
      else if (d === 0x22) return j + 1;
      else j++;
    }
    throw new SyntaxError('unterminated string');
  }

  /** End (exclusive) of the value starting at `start`, or -1 when it is a container longer than `limit`. */
  private scanValue(start: number, limit: number): number {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === 0x22) return this.scanString(start);
    if (c !== 0x5b && c !== 0x7b) {
      let j = start;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (isWs(d) || d === 0x2c || d === 0x5d || d === 0x7d) break;
        j++;
      }
      return j;
    }
    let depth = 0;
    const stop = Math.min(text.length, start + limit);
    let j = start;
    while (j < stop) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        j = this.scanString(j);
        continue;
      }
      if (d === 0x5b || d === 0x7b) depth++;
      else if (d === 0x5d || d === 0x7d) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    if (stop === text.length && limit >= text.length - start) throw new SyntaxError('unexpected end');
    return -1;
  }
}
