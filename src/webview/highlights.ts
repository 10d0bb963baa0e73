// Syntax colours of the response preview: CSS Custom Highlights (ranges over text nodes, no extra elements),
// added a slice at a time (src/webview/slices.ts).
import { JSON_TOKEN_KINDS } from '../panel/largeBody';
import { nextTask, SLICE_MS } from './slices';

const highlightRegistry: HighlightRegistry | undefined = typeof CSS !== 'undefined' && 'highlights' in CSS ? CSS.highlights : undefined;

export function clearHighlights(): void {
  for (const kind of JSON_TOKEN_KINDS) highlightRegistry?.delete(`st-json-${kind}`);
}

/** Colours tokens ([start, end, kind] offsets into the text split over `nodes` at `starts`), a slice at a time. */
export async function highlightInSlices(nodes: readonly Text[], starts: readonly number[], tokens: readonly number[], isStale: () => boolean): Promise<void> {
  if (!highlightRegistry || typeof Highlight === 'undefined') return;
  const t0 = performance.now();
  const highlights = JSON_TOKEN_KINDS.map((kind) => {
    const hl = new Highlight();
    highlightRegistry.set(`st-json-${kind}`, hl);
    return hl;
  });
  let block = 0;
  let i = 0;
  while (i < tokens.length) {
    const deadline = performance.now() + SLICE_MS;
    while (i < tokens.length && performance.now() < deadline) {
      // A batch between clock reads: reading performance.now() per token would cost more than the range.
      for (const stop = Math.min(tokens.length, i + 300); i < stop; i += 3) {
        const start = tokens[i] ?? 0;
        while (block + 1 < starts.length && (starts[block + 1] ?? 0) <= start) block++;
        const node = nodes[block];
        const offset = starts[block] ?? 0;
        if (!node) continue;
        const range = new Range();
        range.setStart(node, start - offset);
        range.setEnd(node, (tokens[i + 1] ?? 0) - offset);
        highlights[tokens[i + 2] ?? 0]?.add(range);
      }
    }
    await nextTask();
    if (isStale()) return;
  }
  performance.measure('studyteam:highlight', { start: t0 });
}
