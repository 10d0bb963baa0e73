// Runs saved requests as a test: in order, with values captured from one answer flowing into the next
// request as {{variables}} (memory only), every check evaluated, iterations, a delay between requests and
// stop-on-failure. Uses the one RequestRunner/AuthService, so a run costs one token request per
// environment per token lifetime. The extension, the Test Explorer and the headless CLI all use this. No `vscode`.
import type { AuthService } from './authService';
import { evaluateCaptures, evaluateChecks, type CapturedValue, type CheckResult, type SchemaValidator } from './checkEvaluation';
import { isStudyTeamError, type StudyTeamErrorKind } from './errors';
import type { ApiResponse, Environment, SavedRequest } from './model';
import { redactText } from './redaction';
import type { RequestRunner } from './requestRunner';
import { describeUnresolved, resolveVariables, variablesOf } from './variables';

export interface CollectionItem {
  readonly request: SavedRequest;
  /** Names of the enclosing folders, outermost first. */
  readonly folderPath: readonly string[];
}

export interface CollectionRunOptions {
  readonly environment: Environment;
  readonly items: readonly CollectionItem[];
  /** Variables given for the run (--var), above the environment's; captured values go above both. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Passes over the whole list (default 1). Captured values start afresh in each iteration. */
  readonly iterations?: number;
  /** Pause between two requests, in ms (default 0). */
  readonly delayMs?: number;
  /** Stop after the first request that fails (default: go on). */
  readonly stopOnFailure?: boolean;
  /**
   * Requests sent at once (default 1). Only used when nothing is captured, there is no delay and no
   * stop-on-failure — captures need order; results are still reported in list order.
   */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly maxBodyBytes?: number;
  readonly schema?: SchemaValidator;
  /** Keep each response body (redacted, first BODY_KEEP_CHARS characters) in its result — for --verbose-bodies. */
  readonly keepBodies?: boolean;
  /** Called before each request is sent (the Test Explorer marks it running). */
  readonly onStart?: (item: CollectionItem, iteration: number) => void;
  /** Called with each request's result as soon as it is known. */
  readonly onResult?: (result: RequestRunResult) => void;
  /**
   * Called with each answered request's whole response, before its onResult (Run Folder keeps them in memory so a
   * row of its results opens that response; nothing here writes them anywhere).
   */
  readonly onResponse?: (result: RequestRunResult, response: ApiResponse) => void;
}

export interface RequestRunResult {
  readonly id: string;
  readonly name: string;
  readonly folderPath: readonly string[];
  /** 1-based. */
  readonly iteration: number;
  readonly method: string;
  /** The path that was called (no query string: its values may identify patients). */
  readonly path: string;
  readonly status?: number;
  readonly durationMs: number;
  readonly passed: boolean;
  /** Not a check failure: the request could not be sent or answered (network, timeout, missing variable…). */
  readonly error?: string;
  readonly errorKind?: StudyTeamErrorKind;
  readonly checks: readonly CheckResult[];
  /** Values captured from this response (masked via displayCaptured when shown). */
  readonly captured: readonly CapturedValue[];
  /** The body was cut at the size limit (checks on it said so). */
  readonly truncated?: boolean;
  /** Only with `keepBodies`: the response body, redacted and cut. */
  readonly body?: string;
}

export interface RunTotals {
  readonly requests: number;
  readonly passed: number;
  readonly failed: number;
  /** Requests not sent because the run stopped (stop on failure, cancellation, an auth failure). */
  readonly skipped: number;
  readonly checksPassed: number;
  readonly checksFailed: number;
  readonly durationMs: number;
  /** Token endpoint calls made during the run. */
  readonly tokenRequests: number;
}

export interface RunSummary {
  readonly environment: { readonly id: string; readonly name: string; readonly production: boolean };
  /** In run order. */
  readonly results: readonly RequestRunResult[];
  readonly totals: RunTotals;
  readonly cancelled: boolean;
  /** Why the run stopped early, if it did ("stop on failure", an auth failure). */
  readonly stoppedBecause?: string;
  /** A failure that is not a check result: no credentials, token refused, declined (the CLI exits 2). */
  readonly fatal?: { readonly kind: StudyTeamErrorKind; readonly message: string };
}

/** Errors after which no later request can succeed: the run stops instead of repeating them. */
const FATAL_KINDS = new Set<StudyTeamErrorKind>(['credentials-missing', 'token-rejected', 'invalid-environment', 'declined', 'cancelled']);

export const BODY_KEEP_CHARS = 64 * 1024;

export const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** True when the run would change data (anything but GET/HEAD/OPTIONS). */
export function containsWrites(items: readonly CollectionItem[]): boolean {
  return items.some((i) => WRITE_METHODS.has(i.request.method));
}

/** Failures first (in run order), then the rest. */
export function failuresFirst(results: readonly RequestRunResult[]): RequestRunResult[] {
  return [...results.filter((r) => !r.passed), ...results.filter((r) => r.passed)];
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function pathOf(url: string): string {
  const cut = url.search(/[?#]/);
  const noQuery = cut < 0 ? url : url.slice(0, cut);
  try {
    return new URL(noQuery).pathname;
  } catch {
    return noQuery;
  }
}

function keptBody(text: string, secrets: readonly string[]): string {
  const redacted = redactText(text, secrets);
  return redacted.length > BODY_KEEP_CHARS ? `${redacted.slice(0, BODY_KEEP_CHARS)}\n… (${redacted.length - BODY_KEEP_CHARS} more characters)` : redacted;
}

export class CollectionRunner {
  constructor(private readonly deps: { readonly runner: RequestRunner; readonly auth: AuthService }) {}

  async run(options: CollectionRunOptions): Promise<RunSummary> {
    const env = options.environment;
    const started = performance.now();
    const tokensBefore = this.deps.auth.tokenRequestCount(env.id);
    const iterations = Math.max(1, Math.floor(options.iterations ?? 1));
    const results: RequestRunResult[] = [];
    const total = iterations * options.items.length;
    let stoppedBecause: string | undefined;
    let fatal: RunSummary['fatal'];

    const parallel = Math.floor(options.concurrency ?? 1);
    if (parallel > 1 && !options.delayMs && !options.stopOnFailure && !options.items.some((i) => i.request.capture?.length)) {
      for (let iteration = 1; iteration <= iterations && !stoppedBecause; iteration++) {
        const stop = await this.runParallel(env, iteration, parallel, options, results);
        if (stop) ({ stoppedBecause, fatal } = stop);
      }
    } else outer: for (let iteration = 1; iteration <= iterations; iteration++) {
      const captured: Record<string, string> = {};
      const secrets: string[] = [];
      for (const item of options.items) {
        if (options.signal?.aborted) {
          stoppedBecause = 'cancelled';
          break outer;
        }
        if (results.length > 0 && options.delayMs) await sleep(options.delayMs, options.signal);
        if (options.signal?.aborted) {
          stoppedBecause = 'cancelled';
          break outer;
        }
        options.onStart?.(item, iteration);
        const vars = { ...variablesOf(env), ...(options.variables ?? {}), ...captured };
        const result = await this.runOne(env, item, iteration, vars, secrets, options);
        for (const c of result.captured) {
          captured[c.name] = c.value;
          if (c.secret) secrets.push(c.value);
        }
        results.push(result);
        options.onResult?.(result);
        if (result.errorKind && FATAL_KINDS.has(result.errorKind)) {
          if (result.errorKind === 'cancelled') stoppedBecause = 'cancelled';
          else {
            fatal = { kind: result.errorKind, message: result.error ?? result.errorKind };
            stoppedBecause = result.error ?? result.errorKind;
          }
          break outer;
        }
        if (!result.passed && options.stopOnFailure) {
          stoppedBecause = `stop on failure ("${result.name}" failed)`;
          break outer;
        }
      }
    }

    const checks = results.flatMap((r) => r.checks);
    const passed = results.filter((r) => r.passed).length;
    return {
      environment: { id: env.id, name: env.name, production: env.production },
      results,
      totals: {
        requests: results.length,
        passed,
        failed: results.length - passed,
        skipped: total - results.length,
        checksPassed: checks.filter((c) => c.passed).length,
        checksFailed: checks.filter((c) => !c.passed).length,
        durationMs: performance.now() - started,
        tokenRequests: this.deps.auth.tokenRequestCount(env.id) - tokensBefore,
      },
      cancelled: stoppedBecause === 'cancelled' || options.signal?.aborted === true,
      ...(stoppedBecause !== undefined ? { stoppedBecause } : {}),
      ...(fatal ? { fatal } : {}),
    };
  }

  /** One iteration, `parallel` requests at a time; results appended in list order. */
  private async runParallel(
    env: Environment,
    iteration: number,
    parallel: number,
    options: CollectionRunOptions,
    results: RequestRunResult[],
  ): Promise<{ stoppedBecause: string; fatal: RunSummary['fatal'] } | undefined> {
    const slots: Array<RequestRunResult | undefined> = new Array(options.items.length);
    const vars = { ...variablesOf(env), ...(options.variables ?? {}) };
    let next = 0;
    let stop: { stoppedBecause: string; fatal: RunSummary['fatal'] } | undefined;
    const worker = async (): Promise<void> => {
      while (!stop && !options.signal?.aborted && next < options.items.length) {
        const index = next++;
        const item = options.items[index]!;
        options.onStart?.(item, iteration);
        const result = await this.runOne(env, item, iteration, vars, [], options);
        slots[index] = result;
        options.onResult?.(result);
        if (result.errorKind && FATAL_KINDS.has(result.errorKind) && !stop) {
          stop = result.errorKind === 'cancelled' ? { stoppedBecause: 'cancelled', fatal: undefined } : { stoppedBecause: result.error ?? result.errorKind, fatal: { kind: result.errorKind, message: result.error ?? result.errorKind } };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, options.items.length) }, worker));
    for (const r of slots) if (r) results.push(r);
    if (!stop && options.signal?.aborted) stop = { stoppedBecause: 'cancelled', fatal: undefined };
    return stop;
  }

  private async runOne(
    env: Environment,
    item: CollectionItem,
    iteration: number,
    vars: Record<string, string>,
    secrets: readonly string[],
    options: CollectionRunOptions,
  ): Promise<RequestRunResult> {
    const request = item.request;
    const base = { id: request.id, name: request.name, folderPath: item.folderPath, iteration, method: request.method };
    const { request: resolved, unresolved } = resolveVariables(request, vars);
    if (unresolved.length) {
      return { ...base, path: pathOf(request.url), durationMs: 0, passed: false, error: describeUnresolved(unresolved, env.name), errorKind: 'invalid-request', checks: [], captured: [] };
    }
    const started = performance.now();
    try {
      const response = await this.deps.runner.run(env, resolved, { signal: options.signal, timeoutMs: options.timeoutMs, maxBodyBytes: options.maxBodyBytes });
      const checks = evaluateChecks(request.expect, response, { variables: vars, schema: options.schema, request: { method: resolved.method, url: response.request.url, ...(resolved.body !== undefined ? { body: resolved.body } : {}) }, secrets });
      const captures = evaluateCaptures(request.capture, response);
      const all = [...checks, ...captures.failures];
      const result: RequestRunResult = {
        ...base,
        path: pathOf(response.request.url),
        status: response.status,
        durationMs: response.timings.totalMs,
        passed: all.every((c) => c.passed),
        checks: all,
        captured: captures.values,
        ...(response.truncated ? { truncated: true } : {}),
        ...(options.keepBodies ? { body: keptBody(response.text, secrets) } : {}),
      };
      options.onResponse?.(result, response);
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        ...base,
        path: pathOf(resolved.url),
        durationMs: performance.now() - started,
        passed: false,
        error: message,
        ...(isStudyTeamError(error) ? { errorKind: error.kind } : {}),
        checks: [],
        captured: [],
      };
    }
  }
}
