// Yielding: long work in the webview runs in slices of SLICE_MS with a task boundary in between (no long tasks),
// and stops as soon as `isStale()` says a newer response took over.
import { ChunkedJsonParser } from '../panel/largeBody';

export const SLICE_MS = 8;

const yieldChannel = new MessageChannel();
const yieldQueue: Array<() => void> = [];
yieldChannel.port1.onmessage = () => yieldQueue.shift()?.();

/** Resolves in a new task (after input and rendering had their turn); faster than setTimeout's 4 ms clamp. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    yieldQueue.push(resolve);
    yieldChannel.port2.postMessage(null);
  });
}

/** Runs `fn` just after the next frame has been painted. */
export function afterPaint(fn: () => void): void {
  // requestAnimationFrame runs just before the frame is painted; the macrotask queued from it runs right after.
  requestAnimationFrame(() => setTimeout(fn, 0));
}

/** Decodes a large UTF-8 body in slices; undefined when it became stale. */
export async function decodeInSlices(bytes: Uint8Array, isStale: () => boolean): Promise<string | undefined> {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  const step = 256 * 1024;
  for (let i = 0; i < bytes.length; ) {
    const deadline = performance.now() + SLICE_MS;
    for (; i < bytes.length && performance.now() < deadline; i += step) parts.push(decoder.decode(bytes.subarray(i, i + step), { stream: true }));
    await nextTask();
    if (isStale()) return undefined;
  }
  parts.push(decoder.decode());
  // One flat string (a rope of `+=` would be flattened in one go at the parser's first read).
  return parts.join('');
}

export type SliceParse = { ok: true; value: unknown } | { ok: false };

/** JSON.parse in slices (src/panel/largeBody.ts); undefined when it became stale. */
export async function parseInSlices(text: string, isStale: () => boolean, onProgress: (fraction: number) => void): Promise<SliceParse | undefined> {
  const parser = new ChunkedJsonParser(text);
  for (;;) {
    const deadline = performance.now() + SLICE_MS;
    const step = parser.step(() => performance.now() > deadline);
    if (step.done) return step.ok ? { ok: true, value: step.value } : { ok: false };
    onProgress(step.progress);
    await nextTask();
    if (isStale()) return undefined;
  }
}
