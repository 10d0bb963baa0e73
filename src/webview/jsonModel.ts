// Pure helpers of the JSON tree view (src/webview/jsonView.ts): kinds, child counts, summaries, slices. No DOM.

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export function jsonKind(value: unknown): JsonKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

/** Number of direct children of a JSON container (0 for scalars). */
export function childCount(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

/** Collapsed summary of a container: `[ 3 items ]`, `{ 2 keys }`. */
export function containerSummary(value: unknown): string {
  const n = childCount(value);
  if (Array.isArray(value)) return `[ ${n} item${n === 1 ? '' : 's'} ]`;
  return `{ ${n} key${n === 1 ? '' : 's'} }`;
}

/** A scalar as JSON text, long strings shortened for display. */
export function scalarText(value: unknown, maxChars = 10_000): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > maxChars ? `${text.slice(0, maxChars)}…"` : text;
}

/** Children [start, start+count) of a container as [key, value] pairs (keys are indexes for arrays). */
export function childSlice(value: unknown, start: number, count: number): Array<[string, unknown]> {
  if (Array.isArray(value)) {
    const out: Array<[string, unknown]> = [];
    for (let i = start; i < Math.min(value.length, start + count); i++) out.push([String(i), value[i]]);
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    return Object.keys(rec)
      .slice(start, start + count)
      .map((k) => [k, rec[k]]);
  }
  return [];
}
