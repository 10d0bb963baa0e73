// Small pieces of the response view shared by its Body/Raw/Headers tabs and the large-body preview.
import { isJsonContentType, looksLikeJson } from '../panel/jsonText';
import type { MetricsStage, ResponseAction, ResponseMeta } from '../panel/protocol';
import { h } from './dom';
import { formatBytes } from './format';
import { post } from './hostLink';
import { afterPaint } from './slices';

/** Body and Raw show at most this many characters of a text body (Open in Editor shows all of it). */
export const PREVIEW_CHARS = 200 * 1024;

export const responseAction = (action: ResponseAction) => (): void => post({ type: 'responseAction', action });

export function isJsonBody(meta: ResponseMeta, text: string): boolean {
  return isJsonContentType(meta.contentType) || looksLikeJson(text);
}

export function cutText(text: string): { text: string; cut: boolean } {
  return text.length > PREVIEW_CHARS ? { text: text.slice(0, PREVIEW_CHARS), cut: true } : { text, cut: false };
}

export function cutNote(): HTMLElement {
  const open = h('button', { type: 'button', class: 'link-button' }, 'Open in Editor');
  open.addEventListener('click', responseAction('openInEditor'));
  return h('div', { class: 'cut-note' }, `Showing the first ${formatBytes(PREVIEW_CHARS)}. `, open, ' for all of it.');
}

export function headerTable(label: string, headers: ReadonlyArray<readonly [string, string]>): HTMLElement {
  return h(
    'table',
    { class: 'header-table', 'aria-label': label },
    h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Value'))),
    h('tbody', {}, ...headers.map(([n, v]) => h('tr', {}, h('td', { class: 'header-name' }, n), h('td', {}, v)))),
  );
}

/** Click → first paint of a body, for the integration tests and the benchmark (test builds only). */
export function reportPaint(seq: number, stage: MetricsStage, clickedAt: number, receivedAt: number, bodyBytes: number, paintedBytes: number): void {
  if (!__STUDYTEAM_TEST_HOOKS__) return;
  afterPaint(() => {
    const now = performance.now();
    post({ type: 'metrics', seq, stage, clickToPaintMs: Math.max(0, now - clickedAt), receiveToPaintMs: Math.max(0, now - receivedAt), bodyBytes, paintedBytes });
  });
}
