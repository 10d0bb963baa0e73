// Leak scan: searches every byte of files (and in-memory texts such as notification messages) for secret
// values — client secrets, access tokens, patient fields — in the encodings a leak would take: raw UTF-8,
// UTF-16LE (Chromium/V8 storage of non-Latin-1 strings), base64 and base64url at each of the three byte
// alignments, URL-encoded, JSON-escaped. Plain Node (no vscode), so the same code scans from any phase.
import { lstatSync, openSync, readdirSync, readSync, closeSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface Needle {
  /** What it is, e.g. "client secret (leak-staging)" — printed on a hit instead of the value. */
  readonly label: string;
  readonly value: string;
}

export interface LeakHit {
  /** A file path, or "notification: …" for texts. */
  readonly where: string;
  readonly needle: string;
  readonly form: string;
  readonly offset: number;
}

export interface ScanReport {
  readonly files: number;
  readonly bytes: number;
  readonly hits: LeakHit[];
  /** Per root: files and bytes scanned. */
  readonly roots: Array<{ root: string; files: number; bytes: number }>;
  readonly skipped: string[];
}

interface Pattern {
  readonly label: string;
  readonly form: string;
  readonly bytes: Buffer;
}

/** Base64 forms need this much of the value to stay distinctive after trimming the alignment-dependent ends. */
const MIN_BASE64_LENGTH = 20;
const CHUNK = 8 * 1024 * 1024;

function base64Forms(value: string): Array<{ form: string; text: string }> {
  const raw = Buffer.from(value, 'utf8');
  const forms: Array<{ form: string; text: string }> = [];
  if (raw.length < MIN_BASE64_LENGTH) return forms;
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift, 0), raw]);
    for (const encoding of ['base64', 'base64url'] as const) {
      let text = padded.toString(encoding).replace(/=+$/, '');
      // Characters that also depend on bytes before or after the value differ inside a larger text: drop them.
      const head = shift === 0 ? 0 : 4;
      const tail = padded.length % 3 === 0 ? 0 : 4;
      text = text.slice(head, text.length - tail);
      if (text.length >= 16) forms.push({ form: `${encoding}@${shift}`, text });
    }
  }
  return forms;
}

/** Every searchable form of each needle, de-duplicated. */
export function patternsOf(needles: readonly Needle[]): Pattern[] {
  const out: Pattern[] = [];
  const seen = new Set<string>();
  const add = (label: string, form: string, bytes: Buffer): void => {
    const key = bytes.toString('hex');
    if (bytes.length === 0 || seen.has(key)) return;
    seen.add(key);
    out.push({ label, form, bytes });
  };
  for (const { label, value } of needles) {
    if (!value) continue;
    add(label, 'raw', Buffer.from(value, 'utf8'));
    add(label, 'utf16le', Buffer.from(value, 'utf16le'));
    add(label, 'url-encoded', Buffer.from(encodeURIComponent(value), 'utf8'));
    add(label, 'form-encoded', Buffer.from(new URLSearchParams({ v: value }).toString().slice(2), 'utf8'));
    add(label, 'json-escaped', Buffer.from(JSON.stringify(value).slice(1, -1), 'utf8'));
    for (const { form, text } of base64Forms(value)) add(label, form, Buffer.from(text, 'utf8'));
  }
  return out;
}

function searchBuffer(buffer: Buffer, patterns: readonly Pattern[], where: string, base: number, hits: LeakHit[], found: Set<string>): void {
  for (const p of patterns) {
    const key = `${where}\0${p.label}\0${p.form}`;
    if (found.has(key)) continue;
    const at = buffer.indexOf(p.bytes);
    if (at >= 0) {
      found.add(key);
      hits.push({ where, needle: p.label, form: p.form, offset: base + at });
    }
  }
}

function scanFile(path: string, size: number, patterns: readonly Pattern[], hits: LeakHit[], found: Set<string>): number {
  const overlap = Math.max(0, ...patterns.map((p) => p.bytes.length)) - 1;
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK + overlap);
    let position = 0;
    let carried = 0;
    let total = 0;
    for (;;) {
      const read = readSync(fd, buffer, carried, CHUNK, position);
      if (read <= 0) break;
      const length = carried + read;
      searchBuffer(buffer.subarray(0, length), patterns, path, position - carried, hits, found);
      total += read;
      position += read;
      if (read < CHUNK && position >= size) break;
      carried = Math.min(overlap, length);
      buffer.copy(buffer, 0, length - carried, length);
    }
    return total;
  } finally {
    closeSync(fd);
  }
}

/**
 * Scans every regular file under `roots` (symlinks are not followed). `exclude` may name a reason to skip a
 * path (it is reported in `skipped`); the leak scan excludes nothing by default.
 */
export function scanFiles(roots: readonly string[], needles: readonly Needle[], exclude?: (path: string) => string | undefined): ScanReport {
  const patterns = patternsOf(needles);
  const hits: LeakHit[] = [];
  const found = new Set<string>();
  const skipped: string[] = [];
  const perRoot: ScanReport['roots'] = [];
  let files = 0;
  let bytes = 0;
  for (const root of roots) {
    const entry = { root, files: 0, bytes: 0 };
    perRoot.push(entry);
    const walk = (path: string): void => {
      let stat: Stats;
      try {
        stat = lstatSync(path);
      } catch (error) {
        skipped.push(`${path}: ${(error as Error).message}`);
        return;
      }
      const why = exclude?.(path);
      if (why) {
        skipped.push(`${path}: ${why}`);
        return;
      }
      if (stat.isDirectory()) {
        for (const name of readdirSync(path).sort()) walk(join(path, name));
      } else if (stat.isFile()) {
        try {
          const n = scanFile(path, stat.size, patterns, hits, found);
          entry.files++;
          entry.bytes += n;
        } catch (error) {
          // A file that vanished while scanning (a lock or journal) is reported, not counted.
          skipped.push(`${path}: ${(error as Error).message}`);
        }
      }
    };
    walk(root);
    files += entry.files;
    bytes += entry.bytes;
  }
  return { files, bytes, hits, roots: perRoot, skipped };
}

/** Scans in-memory texts (notification messages, clipboard, output shown to the user). */
export function scanTexts(texts: ReadonlyArray<{ where: string; text: string }>, needles: readonly Needle[]): LeakHit[] {
  const patterns = patternsOf(needles);
  const hits: LeakHit[] = [];
  const found = new Set<string>();
  for (const { where, text } of texts) searchBuffer(Buffer.from(text, 'utf8'), patterns, where, 0, hits, found);
  return hits;
}

/** "12 files, 3.4 MB" */
export function describeSize(files: number, bytes: number): string {
  return `${files} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Needles for reporting-events messages (patient data, memory only): for a sample of events, the message as
 * compact JSON and the whole event as the read-only document shows it; for events of this session (published
 * within the last day), their millisecond timestamps too.
 */
export function eventLeakNeedles(events: ReadonlyArray<{ id: string; publishedTime: string; message: unknown }>, sample = 12): Needle[] {
  const picked = new Map<string, (typeof events)[number]>();
  const step = Math.max(1, Math.floor(events.length / sample));
  for (let i = 0; i < events.length; i += step) picked.set(events[i].id, events[i]);
  for (const e of events.slice(-3)) picked.set(e.id, e);
  const needles: Needle[] = [];
  const recent = Date.now() - 86_400_000;
  for (const event of picked.values()) {
    const message = JSON.stringify(event.message);
    if (message && message.length >= 24) needles.push({ label: `event message ${event.id}`, value: message });
    needles.push({ label: `event document ${event.id}`, value: JSON.stringify(event, null, 2) });
    const time = Date.parse(event.publishedTime);
    if (time > recent && /\.\d{3}Z$/.test(event.publishedTime)) needles.push({ label: `event ${event.id} published time`, value: event.publishedTime });
    const received = (event.message as { referralReceivedTime?: unknown } | null)?.referralReceivedTime;
    if (typeof received === 'string' && Date.parse(received) > recent && /\.\d{3}Z$/.test(received)) {
      needles.push({ label: `event ${event.id} referralReceivedTime`, value: received });
    }
  }
  return needles;
}
