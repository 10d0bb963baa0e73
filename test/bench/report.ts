// Figures, sections and printing for `npm run bench`. A section measures something and returns rows
// for the table plus, optionally, a summary line ("panel: …", "safety: …"); the runner in bench.ts
// prints every section's table, then the summary lines, then the `bench:` line last.
import type { BenchSandbox } from './benchSandbox';

export interface BenchRow {
  readonly label: string;
  readonly value: string;
  readonly note?: string;
}

export interface SectionOutcome {
  readonly rows: readonly BenchRow[];
  /** Free text printed under the section's table (findings, reasons for n/a). */
  readonly notes?: readonly string[];
  /** One line such as "panel: …" or "safety: …", printed just before the final `bench:` line. */
  readonly summaryLine?: string;
}

export interface BenchContext {
  readonly sandbox: BenchSandbox;
  /** Repository root (out/bench/../..). */
  readonly root: string;
  /** A private temp directory, removed when the benchmark ends. */
  readonly tempDir: string;
  /** Progress to stderr, so stdout stays the report. */
  progress(message: string): void;
}

export interface BenchSection<T extends SectionOutcome = SectionOutcome> {
  readonly title: string;
  run(context: BenchContext): Promise<T>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function ms(value: number, digits = 3): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)} ms` : 'n/a';
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** A section title and a two- or three-column table. */
export function formatSection(title: string, outcome: SectionOutcome): string {
  const rows = outcome.rows;
  const w1 = Math.max(...rows.map((r) => r.label.length), 6);
  const w2 = Math.max(...rows.map((r) => r.value.length), 5);
  const lines = [title, '-'.repeat(title.length)];
  for (const r of rows) lines.push(`  ${r.label.padEnd(w1)}  ${r.value.padStart(w2)}${r.note ? `  ${r.note}` : ''}`);
  for (const note of outcome.notes ?? []) lines.push(`  • ${note}`);
  return lines.join('\n');
}
