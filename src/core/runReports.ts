// Reports of a collection run: a console ("spec") report with failures first, JUnit XML that CI systems
// read (testsuites/testsuite/testcase/failure|error|skipped), a JSON report and a Markdown summary for
// the editor. Everything shown passes through redaction; captured values with secret-looking names are
// masked; bodies appear only when the run kept them (--verbose-bodies). No `vscode`.
import { displayCaptured } from './checkEvaluation';
import { failuresFirst, type CollectionItem, type RequestRunResult, type RunSummary } from './collectionRunner';
import { redactText } from './redaction';

export interface ReportContext {
  /** What was planned (to list requests the run never reached as skipped). */
  readonly items: readonly CollectionItem[];
  readonly iterations: number;
  /** "Go-live" or "All saved requests". */
  readonly title: string;
  /** Literal secrets to scrub from every line (client secret, tokens). */
  readonly secrets?: readonly string[];
  /** How a cut body is described, e.g. "truncated at 1 MB (studyteam.maxResponseSizeMB)". */
  readonly truncatedNote?: string;
}

const ms = (n: number): string => `${Math.round(n)} ms`;

function suiteName(folderPath: readonly string[]): string {
  return folderPath.length ? folderPath.join(' / ') : '(top level)';
}

function testName(result: { name: string; iteration: number }, iterations: number): string {
  return iterations > 1 ? `${result.name} (iteration ${result.iteration})` : result.name;
}

/** The lines explaining one failed request: every failed check (expected vs actual) or the error. */
export function failureLines(result: RequestRunResult): string[] {
  if (result.error) return [result.error];
  return result.checks.filter((c) => !c.passed).map((c) => c.message ?? `${c.label}: expected ${c.expected}, got ${c.actual}`);
}

function totalsLine(summary: RunSummary): string {
  const t = summary.totals;
  return `requests: ${t.requests} (${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} not run` : ''}); checks: ${t.checksPassed} passed, ${t.checksFailed} failed; time: ${ms(t.durationMs)}; token requests: ${t.tokenRequests}`;
}

function resultLine(result: RequestRunResult, iterations: number): string {
  const status = result.status !== undefined ? ` → ${result.status}` : '';
  return `${result.passed ? '✓' : '✗'} ${testName(result, iterations)} — ${result.method} ${result.path}${status} (${ms(result.durationMs)})`;
}

/** Console report: failures first (each with every failed check), then passes, then the totals. */
export function specReport(summary: RunSummary, ctx: ReportContext): string {
  const lines: string[] = [`StudyTeam run "${ctx.title}" on ${summary.environment.name}`, ''];
  const failed = summary.results.filter((r) => !r.passed);
  if (failed.length) {
    lines.push(`Failures (${failed.length}):`);
    for (const r of failed) {
      lines.push(`  ${resultLine(r, ctx.iterations)}`);
      for (const f of failureLines(r)) lines.push(`      ${f}`);
    }
    lines.push('');
  }
  const passed = summary.results.filter((r) => r.passed);
  if (passed.length) {
    lines.push(`Passed (${passed.length}):`);
    for (const r of passed) lines.push(`  ${resultLine(r, ctx.iterations)}`);
    lines.push('');
  }
  const captured = summary.results.flatMap((r) => r.captured.map((c) => `  ${c.name} = ${displayCaptured(c)}  (from "${r.name}")`));
  if (captured.length) lines.push('Captured (memory only):', ...captured, '');
  const bodies = summary.results.filter((r) => r.body !== undefined);
  for (const r of bodies) lines.push(`Body of "${testName(r, ctx.iterations)}":`, r.body!, '');
  if (summary.stoppedBecause) lines.push(`Stopped early: ${summary.stoppedBecause}`);
  lines.push(totalsLine(summary));
  return `${redactText(lines.join('\n'), ctx.secrets)}\n`;
}

/** Markdown summary (the editor's Run Folder document): failures first, totals at the top. */
export function markdownReport(summary: RunSummary, ctx: ReportContext): string {
  const lines = [`# Run "${ctx.title}" — ${summary.environment.name}`, '', totalsLine(summary), ''];
  if (summary.stoppedBecause) lines.push(`Stopped early: ${summary.stoppedBecause}`, '');
  const truncated = summary.results.filter((r) => r.truncated).length;
  if (truncated) lines.push(`⚠ ${truncated} response body(ies) ${ctx.truncatedNote ?? 'truncated at the size limit'}: the status is complete, the body is not.`, '');
  lines.push('| | Request | Status | Time | Checks |', '|---|---|---|---|---|');
  for (const r of failuresFirst(summary.results)) {
    const checks = r.error ? r.error : `${r.checks.filter((c) => c.passed).length}/${r.checks.length}`;
    const status = r.status === undefined ? '—' : `${r.status}${r.truncated ? ' (body truncated)' : ''}`;
    lines.push(`| ${r.passed ? '✓' : '✗'} | ${testName(r, ctx.iterations).replace(/\|/g, '\\|')} | ${status} | ${ms(r.durationMs)} | ${checks.replace(/\|/g, '\\|')} |`);
  }
  const failed = summary.results.filter((r) => !r.passed && !r.error);
  for (const r of failed) {
    lines.push('', `## ✗ ${testName(r, ctx.iterations)}`, '');
    for (const f of failureLines(r)) lines.push(`- ${f}`);
  }
  const captured = summary.results.flatMap((r) => r.captured.map((c) => `- \`${c.name}\` = \`${displayCaptured(c)}\` (from "${r.name}")`));
  if (captured.length) lines.push('', '## Captured values (memory only, never saved)', '', ...captured);
  return `${redactText(lines.join('\n'), ctx.secrets)}\n`;
}

function xml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped; the five specials are escaped.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
const seconds = (n: number): string => (n / 1000).toFixed(3);

interface Case {
  readonly suite: string;
  readonly name: string;
  readonly result?: RequestRunResult;
}

/** JUnit XML: one testsuite per folder, one testcase per request (per iteration), failures with messages. */
export function junitReport(summary: RunSummary, ctx: ReportContext): string {
  const ran = new Map<string, RequestRunResult>();
  for (const r of summary.results) ran.set(`${r.iteration}\n${r.id}`, r);
  const cases: Case[] = [];
  for (let iteration = 1; iteration <= ctx.iterations; iteration++) {
    for (const item of ctx.items) {
      const result = ran.get(`${iteration}\n${item.request.id}`);
      cases.push({ suite: suiteName(item.folderPath), name: testName({ name: item.request.name, iteration }, ctx.iterations), ...(result ? { result } : {}) });
    }
  }
  const suites = new Map<string, Case[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const count = (list: Case[], f: (c: Case) => boolean): number => list.filter(f).length;
  const isFailure = (c: Case): boolean => !!c.result && !c.result.passed && !c.result.error;
  const isError = (c: Case): boolean => !!c.result?.error;
  const time = (list: Case[]): number => list.reduce((n, c) => n + (c.result?.durationMs ?? 0), 0);
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="${xml(`StudyTeam: ${ctx.title} (${summary.environment.name})`)}" tests="${cases.length}" failures="${count(cases, isFailure)}" errors="${count(cases, isError)}" skipped="${count(cases, (c) => !c.result)}" time="${seconds(summary.totals.durationMs)}">`,
  );
  for (const [name, list] of suites) {
    out.push(
      `  <testsuite name="${xml(name)}" tests="${list.length}" failures="${count(list, isFailure)}" errors="${count(list, isError)}" skipped="${count(list, (c) => !c.result)}" time="${seconds(time(list))}">`,
    );
    for (const c of list) {
      const r = c.result;
      const open = `    <testcase classname="${xml(c.suite)}" name="${xml(c.name)}" time="${seconds(r?.durationMs ?? 0)}"`;
      if (!r) {
        out.push(`${open}>`, `      <skipped message="${xml(`not run${summary.stoppedBecause ? `: ${summary.stoppedBecause}` : ''}`)}"/>`, '    </testcase>');
      } else if (r.passed) {
        out.push(`${open}/>`);
      } else {
        const lines = failureLines(r);
        const tag = r.error ? 'error' : 'failure';
        const type = r.error ? (r.errorKind ?? 'error') : 'check';
        out.push(`${open}>`, `      <${tag} message="${xml(lines[0] ?? 'failed')}" type="${xml(type)}">${xml(`${r.method} ${r.path}${r.status !== undefined ? ` → ${r.status}` : ''}\n${lines.join('\n')}`)}</${tag}>`, '    </testcase>');
      }
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${redactText(out.join('\n'), ctx.secrets)}\n`;
}

/** A JSON report (for scripts): totals, and per request its checks and captured values (masked). */
export function jsonReport(summary: RunSummary, ctx: ReportContext): string {
  const report = {
    title: ctx.title,
    environment: summary.environment,
    totals: { ...summary.totals, durationMs: Math.round(summary.totals.durationMs) },
    cancelled: summary.cancelled,
    ...(summary.stoppedBecause ? { stoppedBecause: summary.stoppedBecause } : {}),
    ...(summary.fatal ? { fatal: summary.fatal } : {}),
    results: summary.results.map((r) => ({
      id: r.id,
      name: r.name,
      folderPath: r.folderPath,
      iteration: r.iteration,
      method: r.method,
      path: r.path,
      ...(r.status !== undefined ? { status: r.status } : {}),
      durationMs: Math.round(r.durationMs),
      passed: r.passed,
      ...(r.error ? { error: r.error } : {}),
      checks: r.checks,
      captured: r.captured.map((c) => ({ name: c.name, value: displayCaptured(c) })),
      ...(r.body !== undefined ? { body: r.body } : {}),
    })),
  };
  return `${redactText(JSON.stringify(report, null, 2), ctx.secrets)}\n`;
}
