// The same workloads through the httpyac CLI (installed on demand from test/bench/httpyac/package.json
// into node_modules/.cache/studyteam-bench-httpyac, outside the extension's dependency tree):
// token requests with 100 one-request files sent with --parallel 100, and per-call time of a
// sequential run of N requests in one file. The client secret reaches httpyac through an environment
// variable ({{$processEnv …}}), never through a file.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchSandbox } from './benchSandbox';
import { median, ms, type BenchContext, type BenchRow, type BenchSection, type SectionOutcome } from './report';

export interface HttpyacOutcome extends SectionOutcome {
  /** Token requests the sandbox saw for the --parallel run, or undefined when httpyac is unavailable. */
  readonly httpyacTokenFetches: number | undefined;
}

export interface HttpyacBenchOptions {
  parallelFiles: number;
  sequentialCalls: number;
  repeats: number;
}

export const DEFAULT_HTTPYAC_OPTIONS: HttpyacBenchOptions = { parallelFiles: 100, sequentialCalls: 200, repeats: 3 };

const SECRET_ENV = 'STUDYTEAM_BENCH_CLIENT_SECRET';
const INSTALL_TIMEOUT_MS = 5 * 60_000;
const RUN_TIMEOUT_MS = 2 * 60_000;

/** httpyac children still running, killed by the benchmark's signal handler. */
export const runningChildren = new Set<ChildProcess>();

interface RunResult {
  code: number | null;
  wallMs: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    runningChildren.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      runningChildren.delete(child);
      resolve({ code, wallMs: performance.now() - t0, stdout, stderr });
    });
  });
}

/** Installs the pinned httpyac into the cache folder if it is not there yet; returns its bin script. */
async function ensureHttpyac(context: BenchContext): Promise<{ bin: string; version: string } | { error: string }> {
  const source = join(context.root, 'test', 'bench', 'httpyac');
  const cache = join(context.root, 'node_modules', '.cache', 'studyteam-bench-httpyac');
  const manifest = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const wanted = manifest.dependencies?.httpyac;
  if (!wanted) return { error: 'test/bench/httpyac/package.json names no httpyac version' };
  const installed = join(cache, 'node_modules', 'httpyac', 'package.json');
  const same = (name: string): boolean => existsSync(join(cache, name)) && readFileSync(join(cache, name), 'utf8') === readFileSync(join(source, name), 'utf8');
  const current = existsSync(installed) ? (JSON.parse(readFileSync(installed, 'utf8')) as { version?: string }).version : undefined;
  if (current !== wanted || !same('package.json') || !same('package-lock.json')) {
    context.progress(`httpyac: installing ${wanted} into node_modules/.cache/studyteam-bench-httpyac (once, ~1 min)`);
    mkdirSync(cache, { recursive: true });
    copyFileSync(join(source, 'package.json'), join(cache, 'package.json'));
    copyFileSync(join(source, 'package-lock.json'), join(cache, 'package-lock.json'));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    let result: RunResult;
    try {
      result = await run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], cache, process.env, INSTALL_TIMEOUT_MS);
    } catch (error) {
      return { error: `could not run npm (${error instanceof Error ? error.message : String(error)})` };
    }
    if (result.code !== 0) {
      const last = result.stderr.trim().split('\n').slice(-1)[0] ?? '';
      return { error: `npm ci failed (exit ${result.code}): ${last.slice(0, 200)}` };
    }
  }
  const bin = join(cache, 'node_modules', 'httpyac', 'bin', 'httpyac.js');
  if (!existsSync(bin)) return { error: `httpyac installed but ${bin} is missing` };
  return { bin, version: wanted };
}

function header(sandbox: BenchSandbox): string {
  return [
    `@oauth2_tokenEndpoint = ${sandbox.tokenUrl}`,
    `@oauth2_clientId = ${sandbox.credentials.clientId}`,
    `@oauth2_clientSecret = {{$processEnv ${SECRET_ENV}}}`,
    `@oauth2_audience = ${sandbox.audience}`,
    '',
  ].join('\n');
}

function requestBlock(sandbox: BenchSandbox): string {
  return `GET ${sandbox.url}/rpi/sites\nAuthorization: oauth2 client_credentials\n`;
}

/** "12 requests processed (12 succeeded)" → [12, 12]. */
function processed(stdout: string): { total: number; succeeded: number } | undefined {
  const match = /(\d+) requests? processed \((\d+) succeeded/.exec(stdout);
  return match ? { total: Number(match[1]), succeeded: Number(match[2]) } : undefined;
}

export function httpyacSection(options: HttpyacBenchOptions = DEFAULT_HTTPYAC_OPTIONS): BenchSection<HttpyacOutcome> {
  return {
    title: 'httpyac CLI, same sandbox and endpoint',
    async run(context: BenchContext): Promise<HttpyacOutcome> {
      const { sandbox } = context;
      const found = await ensureHttpyac(context);
      if ('error' in found) {
        return { rows: [{ label: 'httpyac', value: 'n/a' }], notes: [`httpyac not measured: ${found.error}`], httpyacTokenFetches: undefined };
      }
      const env: NodeJS.ProcessEnv = { ...process.env, [SECRET_ENV]: sandbox.credentials.clientSecret, NO_COLOR: '1', FORCE_COLOR: '0' };
      const dir = join(context.tempDir, 'httpyac');
      mkdirSync(join(dir, 'parallel'), { recursive: true });
      const send = async (args: readonly string[], expected: number, what: string): Promise<RunResult> => {
        const result = await run(process.execPath, [found.bin, 'send', ...args], dir, env, RUN_TIMEOUT_MS);
        const counts = processed(result.stdout);
        if (result.code !== 0 || !counts || counts.succeeded !== expected) {
          const tail = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
          throw new Error(`httpyac ${what}: exit ${result.code}, ${counts ? `${counts.succeeded}/${counts.total} succeeded` : 'no summary'} — ${tail}`);
        }
        return result;
      };

      // 1. Token requests with N requests in flight at once: N one-request files, --parallel N.
      for (let i = 0; i < options.parallelFiles; i++) {
        writeFileSync(join(dir, 'parallel', `r${String(i).padStart(3, '0')}.http`), `${header(sandbox)}\n${requestBlock(sandbox)}`);
      }
      context.progress(`httpyac: ${options.parallelFiles} files with --parallel ${options.parallelFiles}`);
      const before = await sandbox.counters();
      const parallelRun = await send(['--all', '-o', 'none', '--parallel', String(options.parallelFiles), 'parallel/*.http'], options.parallelFiles, 'parallel run');
      const after = await sandbox.counters();
      const httpyacTokenFetches = after.tokenRequests - before.tokenRequests;
      const parallelApi = after.apiRequests - before.apiRequests;

      // 2. Per-call time: N sequential requests in one file vs one request (start-up + token + 1 call).
      const blocks = Array.from({ length: options.sequentialCalls }, () => requestBlock(sandbox)).join('\n###\n\n');
      writeFileSync(join(dir, 'sequential.http'), `${header(sandbox)}\n${blocks}`);
      writeFileSync(join(dir, 'single.http'), `${header(sandbox)}\n${requestBlock(sandbox)}`);
      const versionWall: number[] = [];
      const singleWall: number[] = [];
      const sequentialWall: number[] = [];
      let sequentialTokenFetches = 0;
      for (let r = 0; r < options.repeats; r++) {
        context.progress(`httpyac: sequential run ${r + 1}/${options.repeats} (${options.sequentialCalls} requests in one file)`);
        const v = await run(process.execPath, [found.bin, '--version'], dir, env, RUN_TIMEOUT_MS);
        if (v.code === 0) versionWall.push(v.wallMs);
        singleWall.push((await send(['--all', '-o', 'none', 'single.http'], 1, 'single request')).wallMs);
        const c0 = await sandbox.counters();
        sequentialWall.push((await send(['--all', '-o', 'none', 'sequential.http'], options.sequentialCalls, 'sequential run')).wallMs);
        const c1 = await sandbox.counters();
        sequentialTokenFetches = Math.max(sequentialTokenFetches, c1.tokenRequests - c0.tokenRequests);
      }
      const n = options.sequentialCalls;
      const wallN = median(sequentialWall);
      const wall1 = median(singleWall);
      const perCallTotal = wallN / n;
      const perCallMarginal = (wallN - wall1) / (n - 1);
      const rows: BenchRow[] = [
        {
          label: `token requests, ${options.parallelFiles} files --parallel ${options.parallelFiles}`,
          value: String(httpyacTokenFetches),
          note: `httpyacTokenFetches (${parallelApi} API calls, wall ${(parallelRun.wallMs / 1000).toFixed(2)} s)`,
        },
        { label: `token requests, ${n} sequential in one file`, value: String(sequentialTokenFetches), note: 'session cache within one process' },
        { label: 'process start-up (httpyac --version)', value: ms(median(versionWall), 0) },
        { label: 'one-request file (start-up + token + 1 call)', value: ms(wall1, 0) },
        { label: `${n} sequential requests, wall`, value: ms(wallN, 0), note: `median of ${options.repeats}` },
        { label: 'per call = wall / calls', value: ms(perCallTotal), note: 'includes start-up' },
        { label: 'per call, start-up excluded', value: ms(perCallMarginal), note: `(wall(${n}) − wall(1)) / ${n - 1}` },
      ];
      return {
        rows,
        notes: [`httpyac ${found.version} (${process.execPath.includes('node') ? `node ${process.version}` : process.execPath}); one fresh process per run; secret passed via {{$processEnv}}.`],
        httpyacTokenFetches,
      };
    },
  };
}
