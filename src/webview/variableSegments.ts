// Finding `{{variable}}` references in text the user types (URL bar overlay). No DOM.

export interface TextSegment {
  readonly text: string;
  /** Set when the segment is a `{{name}}` reference. */
  readonly variable?: string;
}

/** Splits text into literal and `{{variable}}` segments. */
export function variableSegments(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  const re = /\{\{\s*([A-Za-z0-9_.$-]+)\s*\}\}/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: m[0], variable: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
