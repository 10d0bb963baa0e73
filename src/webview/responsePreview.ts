// The start of a large response body, painted at once: pretty-printed when it is JSON, laid out in blocks that
// the browser skips while off screen, coloured after the first paint (highlights.ts), with "Open in Editor" and
// "Load full JSON tree".
import { blockStarts, prettyJsonPrefix } from '../panel/largeBody';
import type { ResponseMeta } from '../panel/protocol';
import { h, ids } from './dom';
import { formatBytes } from './format';
import { highlightInSlices } from './highlights';
import { isJsonBody, responseAction } from './responseParts';
import { afterPaint } from './slices';

/** Lines per block of the preview: blocks off screen are not laid out (content-visibility: auto). */
const PREVIEW_BLOCK_LINES = 200;

/** The preview's first paint shows this much of it (a few screens); the rest is laid out right after. */
const FIRST_SCREEN_CHARS = 24 * 1024;

export interface PreviewInput {
  readonly meta: ResponseMeta;
  readonly text: string;
  readonly previewBytes: number;
  /** The host can send the whole body (the preview answers a Send of this session). */
  readonly canLoadFull: boolean;
  /** The whole body was asked for and is on its way. */
  readonly loading: boolean;
  readonly isStale: () => boolean;
}

function previewNote(p: PreviewInput, json: boolean, onLoadFull: (button: HTMLButtonElement) => void): HTMLElement {
  const open = h('button', { ...ids('preview-open-in-editor'), type: 'button', class: 'link-button' }, 'Open in Editor');
  open.addEventListener('click', responseAction('openInEditor'));
  const children: Array<HTMLElement | string> = [`Showing the first ${formatBytes(p.previewBytes)} of ${formatBytes(p.meta.size)} — `, open];
  if (json) {
    const load = h('button', { ...ids('load-full-tree'), type: 'button', class: 'link-button', disabled: p.loading || !p.canLoadFull }, p.loading ? 'Loading the full body…' : 'Load full JSON tree');
    load.addEventListener('click', () => onLoadFull(load));
    children.push(' · ', load);
  }
  return h('div', { ...ids('preview-note'), class: 'cut-note preview-note', role: 'note' }, ...children);
}

export function renderPreview(container: HTMLElement, p: PreviewInput, onLoadFull: (button: HTMLButtonElement) => void): void {
  const t0 = performance.now();
  const text = p.text;
  const json = isJsonBody(p.meta, text);
  const pre = h('pre', { ...ids('response-preview'), class: 'response-text response-preview', tabindex: 0, 'aria-label': 'Start of the response body' });
  const fill = (part: string, last: boolean): { nodes: Text[]; starts: number[]; tokens: readonly number[] } => {
    const pretty = json ? prettyJsonPrefix(part) : { text: part, tokens: [] as number[], cut: true };
    const all = `${pretty.text}\n…`;
    const starts = blockStarts(all, PREVIEW_BLOCK_LINES);
    const nodes = starts.map((start, i) => document.createTextNode(all.slice(start, starts[i + 1] ?? all.length)));
    pre.replaceChildren(...nodes.map((node) => h('div', { class: 'preview-block' }, node)));
    pre.dataset.complete = String(last);
    return { nodes, starts, tokens: pretty.tokens };
  };
  const partial = text.length > FIRST_SCREEN_CHARS * 2;
  const firstFill = fill(partial ? text.slice(0, FIRST_SCREEN_CHARS) : text, !partial);
  container.replaceChildren(previewNote(p, json, onLoadFull), pre);
  performance.measure('studyteam:preview-render', { start: t0 });
  // After the first paint: all of the preview, then its colours (in slices).
  afterPaint(() => {
    if (p.isStale()) return;
    const { nodes, starts, tokens } = partial ? fill(text, true) : firstFill;
    if (tokens.length) void highlightInSlices(nodes, starts, tokens, p.isStale);
  });
}
