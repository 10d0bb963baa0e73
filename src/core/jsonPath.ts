// A documented JSONPath subset for checks and captures (no library: ~100 lines cost nothing in the bundle).
//   $                 the whole body
//   .name  ['name']   a property ("name" with letters, digits, _ $ -; anything else in quotes: ['a b'], ["x.y"])
//   [0]  [-1]         an array element (negative counts from the end)
//   [*]  .*           every element of an array / every value of an object (a wildcard)
// Not supported (a clear error says so): recursive descent `..`, filters `[?()]`, slices `[1:3]`, unions
// `[0,1]`, script expressions. A path without a wildcard selects at most one value; a path with one
// selects a list (the matches in document order), so `$.events[*].eventType` equals ["a", "b"].

export type JsonPathSegment = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };
export interface JsonPath {
  readonly segments: readonly JsonPathSegment[];
  /** True when the path has a wildcard (it selects a list). */
  readonly multiple: boolean;
}
export type JsonPathParse = { ok: true; path: JsonPath } | { ok: false; error: string };

const IDENT = /^[A-Za-z_$][\w$-]*/;
const cache = new Map<string, JsonPathParse>();

export function parseJsonPath(text: string): JsonPathParse {
  let parsed = cache.get(text);
  if (!parsed) {
    parsed = parse(text.trim());
    if (cache.size > 1000) cache.clear();
    cache.set(text, parsed);
  }
  return parsed;
}

function parse(text: string): JsonPathParse {
  if (!text.startsWith('$')) return fail(`must start with "$" (e.g. "$.id", "$.payload.referral[0].subjectId").`);
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      if (text[i + 1] === '.') return fail(`recursive descent ("..") is not supported; write the full path.`);
      if (text[i + 1] === '*') {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const m = IDENT.exec(text.slice(i + 1));
      if (!m) return fail(`expected a property name after "." at position ${i + 1} (use ['…'] for other names).`);
      segments.push({ kind: 'key', key: m[0] });
      i += 1 + m[0].length;
    } else if (ch === '[') {
      const close = bracket(text, i);
      if (!close.ok) return close;
      segments.push(close.segment);
      i = close.end;
    } else {
      return fail(`unexpected "${ch}" at position ${i} (expected "." or "[").`);
    }
  }
  return { ok: true, path: { segments, multiple: segments.some((s) => s.kind === 'wildcard') } };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

function bracket(text: string, start: number): { ok: true; segment: JsonPathSegment; end: number } | { ok: false; error: string } {
  const quote = text[start + 1];
  if (quote === "'" || quote === '"') {
    let key = '';
    for (let i = start + 2; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length) {
        key += text[++i];
      } else if (c === quote) {
        if (text[i + 1] !== ']') return fail(`expected "]" after the quoted name at position ${i + 1}.`);
        return { ok: true, segment: { kind: 'key', key }, end: i + 2 };
      } else {
        key += c;
      }
    }
    return fail(`unterminated quoted name starting at position ${start + 1}.`);
  }
  const close = text.indexOf(']', start);
  if (close < 0) return fail(`missing "]" for the "[" at position ${start}.`);
  const inner = text.slice(start + 1, close).trim();
  if (inner === '*') return { ok: true, segment: { kind: 'wildcard' }, end: close + 1 };
  if (/^-?\d+$/.test(inner)) return { ok: true, segment: { kind: 'index', index: Number(inner) }, end: close + 1 };
  if (inner.startsWith('?')) return fail(`filters ("[?(…)]") are not supported.`);
  if (inner.includes(':')) return fail(`slices ("[a:b]") are not supported.`);
  if (inner.includes(',')) return fail(`unions ("[a,b]") are not supported.`);
  return fail(`"[${inner}]" is not an index, "*" or a quoted name.`);
}

export type JsonPathResult = { found: true; value: unknown } | { found: false };

function step(values: unknown[], segment: JsonPathSegment): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (segment.kind === 'key') {
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, segment.key)) {
        out.push((value as Record<string, unknown>)[segment.key]);
      }
    } else if (segment.kind === 'index') {
      if (Array.isArray(value)) {
        const at = segment.index < 0 ? value.length + segment.index : segment.index;
        if (at >= 0 && at < value.length) out.push(value[at]);
      }
    } else if (Array.isArray(value)) {
      out.push(...value);
    } else if (typeof value === 'object' && value !== null) {
      out.push(...Object.values(value));
    }
  }
  return out;
}

/**
 * Selects from a parsed JSON document. Without a wildcard: the one value, or not found. With one: the
 * list of matches (found even when empty — `length 0` and `equals []` are meaningful).
 */
export function selectJsonPath(document: unknown, path: JsonPath): JsonPathResult {
  let values: unknown[] = [document];
  for (const segment of path.segments) {
    values = step(values, segment);
    if (!values.length && !path.multiple) return { found: false };
  }
  if (path.multiple) return { found: true, value: values };
  return values.length ? { found: true, value: values[0] } : { found: false };
}
