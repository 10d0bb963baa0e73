// The core's figures: token requests made by AuthService + RequestRunner (1,000 sequential calls,
// 100 concurrent cold calls), and the median per-call time of RequestRunner.run against a bare
// node-fetch GET and a raw node:http GET to the same endpoint, interleaved in rounds.
import * as http from 'node:http';
import fetch from 'node-fetch';
import { AuthService } from '../../src/core/authService';
import { createNodeFetch, type FetchLike } from '../../src/core/http';
import type { ApiRequest, CredentialSource, Environment } from '../../src/core/model';
import { ProxyAgents } from '../../src/core/proxyAgents';
import { RequestRunner } from '../../src/core/requestRunner';
import type { BenchSandbox } from './benchSandbox';
import { median, ms, percentile, ratio, type BenchContext, type BenchRow, type BenchSection, type SectionOutcome } from './report';

export interface CoreOutcome extends SectionOutcome {
  readonly tokenFetchesSequential: number;
  readonly tokenFetchesConcurrent: number;
  readonly overheadRatio: number;
  /** Client CPU per call, runner / node-fetch: the median of the per-round ratios. */
  readonly cpuRatio: number;
  readonly rawRatio: number;
  readonly medians: { readonly runner: number; readonly nodeFetch: number; readonly raw: number };
}

export interface CoreBenchOptions {
  sequentialCalls: number;
  concurrentCalls: number;
  /** Calls per contender per round. */
  batch: number;
  warmupRounds: number;
  measuredRounds: number;
}

// Short batches, many rounds: the three batches of a round run back to back, so a busy machine (other processes,
// CPU frequency, caches) weighs on all three alike, and the per-round ratios cancel it out.
export const DEFAULT_CORE_OPTIONS: CoreBenchOptions = {
  sequentialCalls: 1_000,
  concurrentCalls: 100,
  batch: 50,
  warmupRounds: 60, // 3,000 warm-up calls per contender
  measuredRounds: 160, // 8,000 measured calls per contender
};

const PATH = '/rpi/sites';
const SITES_REQUEST: ApiRequest = { method: 'GET', url: PATH, auth: 'bearer' };

type Call = () => Promise<void>;
interface Contender {
  readonly name: 'runner' | 'nodeFetch' | 'raw';
  readonly label: string;
  readonly call: Call;
  readonly samples: number[];
  readonly roundMedians: number[];
  /** Client-side CPU (user + system) per call, one value per measured round. */
  readonly cpuPerCall: number[];
}

function credentialsOf(sandbox: BenchSandbox): CredentialSource {
  const credentials = sandbox.credentials;
  return { get: async () => credentials };
}

/**
 * The runner as a headless caller builds it: node-fetch with the HTTPS_PROXY / NO_PROXY chooser
 * (the sandbox is on loopback, so that chooser answers "direct": Node's global keep-alive agent,
 * the same agent the extension's requests use before VS Code's proxy support steps in).
 */
function newRunner(sandbox: BenchSandbox, fetch: FetchLike): { auth: AuthService; runner: RequestRunner } {
  const auth = new AuthService({ credentials: credentialsOf(sandbox), fetch });
  return { auth, runner: new RequestRunner({ auth, fetch }) };
}

function expectOk(status: number, who: string): void {
  if (status !== 200) throw new Error(`${who}: GET ${PATH} answered ${status}, expected 200`);
}

async function countTokenRequests(sandbox: BenchSandbox, work: () => Promise<void>): Promise<number> {
  const before = await sandbox.counters();
  await work();
  const after = await sandbox.counters();
  return after.tokenRequests - before.tokenRequests;
}

/** Runs `batch` sequential calls, recording each call's duration. */
async function runBatch(contender: Contender, batch: number, record: boolean): Promise<void> {
  const local: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < batch; i++) {
    const t0 = performance.now();
    await contender.call();
    local.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  if (record) {
    contender.samples.push(...local);
    contender.roundMedians.push(median(local));
    // The sandbox runs in another process, so this is only the client's work: ours plus node-fetch's (or node:http's).
    contender.cpuPerCall.push((cpu.user + cpu.system) / 1000 / batch);
  }
}

export function coreSection(options: CoreBenchOptions = DEFAULT_CORE_OPTIONS): BenchSection<CoreOutcome> {
  return {
    title: 'Core: AuthService + RequestRunner vs node-fetch vs node:http (GET /rpi/sites, 127.0.0.1, keep-alive)',
    async run(context: BenchContext): Promise<CoreOutcome> {
      const { sandbox } = context;
      const env: Environment = sandbox.environment();
      const proxies = new ProxyAgents();
      const route = proxies.describeRoute(env.baseUrl);
      const fetchImpl = createNodeFetch(proxies.chooser);

      // 1. Token requests for N sequential calls through one fresh AuthService + RequestRunner.
      context.progress(`core: ${options.sequentialCalls} sequential runner calls`);
      const sequential = newRunner(sandbox, fetchImpl);
      const tokenFetchesSequential = await countTokenRequests(sandbox, async () => {
        for (let i = 0; i < options.sequentialCalls; i++) expectOk((await sequential.runner.run(env, SITES_REQUEST)).status, 'runner');
      });
      const sequentialSelfCount = sequential.auth.tokenRequestCount(env.id);

      // 2. Token requests for N concurrent calls on a cold (fresh) AuthService.
      context.progress(`core: ${options.concurrentCalls} concurrent cold runner calls`);
      const concurrent = newRunner(sandbox, fetchImpl);
      const tokenFetchesConcurrent = await countTokenRequests(sandbox, async () => {
        const results = await Promise.all(Array.from({ length: options.concurrentCalls }, () => concurrent.runner.run(env, SITES_REQUEST)));
        for (const r of results) expectOk(r.status, 'runner (concurrent)');
      });
      const concurrentSelfCount = concurrent.auth.tokenRequestCount(env.id);

      // 3. Per-call latency. The runner keeps its own cached token (from step 1); the other two use a
      //    token fetched once up front. All three go through the same agent: Node's global one (keep-alive,
      //    5 s socket timeout), which the runner's fetch uses for loopback and a bare `fetch(url)` uses too.
      const token = await sequential.auth.getToken(env);
      const authorization = `Bearer ${token.value}`;
      const url = `${sandbox.url}${PATH}`;
      const target = new URL(url);
      const rawOptions: http.RequestOptions = {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'GET',
        agent: http.globalAgent,
        headers: { authorization },
      };
      const contenders: Contender[] = [
        {
          name: 'runner',
          label: 'RequestRunner.run',
          samples: [],
          cpuPerCall: [],
          roundMedians: [],
          call: async () => expectOk((await sequential.runner.run(env, SITES_REQUEST)).status, 'runner'),
        },
        {
          name: 'nodeFetch',
          label: 'node-fetch (bare)',
          samples: [],
          cpuPerCall: [],
          roundMedians: [],
          call: async () => {
            const response = await fetch(url, { headers: { authorization } }); // Node's global agent, as the runner's
            await response.text();
            expectOk(response.status, 'node-fetch');
          },
        },
        {
          name: 'raw',
          label: 'node:http (raw)',
          samples: [],
          cpuPerCall: [],
          roundMedians: [],
          call: () =>
            new Promise<void>((resolve, reject) => {
              const req = http.request(rawOptions, (res) => {
                const chunks: Buffer[] = [];
                res.on('data', (chunk: Buffer) => chunks.push(chunk));
                res.on('end', () => {
                  Buffer.concat(chunks).toString('utf8');
                  try {
                    expectOk(res.statusCode ?? 0, 'node:http');
                    resolve();
                  } catch (error) {
                    reject(error);
                  }
                });
                res.on('error', reject);
              });
              req.on('error', reject);
              req.end();
            }),
        },
      ];

      const rounds = options.warmupRounds + options.measuredRounds;
      const started = performance.now();
      for (let round = 0; round < rounds; round++) {
        const measured = round >= options.warmupRounds;
        if (round === 0) context.progress(`core: warm-up, ${options.warmupRounds} rounds × ${options.batch} calls per contender`);
        if (round === options.warmupRounds) context.progress(`core: measuring, ${options.measuredRounds} rounds × ${options.batch} calls per contender`);
        // Rotate the order every round so drift, GC and socket state hit all three alike.
        for (let k = 0; k < contenders.length; k++) await runBatch(contenders[(round + k) % contenders.length]!, options.batch, measured);
      }
      const seconds = (performance.now() - started) / 1000;
      proxies.destroy();

      const [runnerC, fetchC, rawC] = contenders as [Contender, Contender, Contender];
      const medians = { runner: median(runnerC.samples), nodeFetch: median(fetchC.samples), raw: median(rawC.samples) };
      const overheadRatio = medians.runner / medians.nodeFetch;
      const rawRatio = medians.runner / medians.raw;
      const perRoundOverhead = median(runnerC.roundMedians.map((m, i) => m / fetchC.roundMedians[i]!));
      const perRoundRaw = median(runnerC.roundMedians.map((m, i) => m / rawC.roundMedians[i]!));
      const cpuRounds = runnerC.cpuPerCall.map((c, i) => c / fetchC.cpuPerCall[i]!);
      const cpuRatio = median(cpuRounds);
      const spread = (c: Contender): string =>
        `p10 ${percentile(c.samples, 10).toFixed(3)} · p90 ${percentile(c.samples, 90).toFixed(3)} · rounds ${Math.min(...c.roundMedians).toFixed(3)}–${Math.max(...c.roundMedians).toFixed(3)}`;

      const rows: BenchRow[] = [
        { label: `token requests, ${options.sequentialCalls} sequential calls`, value: String(tokenFetchesSequential), note: `target 1 (AuthService counted ${sequentialSelfCount})` },
        { label: `token requests, ${options.concurrentCalls} concurrent cold calls`, value: String(tokenFetchesConcurrent), note: `target 1 (AuthService counted ${concurrentSelfCount})` },
        ...contenders.map((c) => ({ label: `median per call, ${c.label}`, value: ms(medians[c.name]), note: spread(c) })),
        { label: 'overheadRatio (runner / node-fetch)', value: ratio(overheadRatio), note: `target ≤ 1.10 · median of per-round ratios ${ratio(perRoundOverhead)}` },
        { label: 'rawRatio (runner / node:http)', value: ratio(rawRatio), note: `target ≤ 1.9 · median of per-round ratios ${ratio(perRoundRaw)}` },
        { label: 'node-fetch / node:http', value: ratio(medians.nodeFetch / medians.raw), note: 'node-fetch 3 alone; ~1.6–1.8 on these machines' },
        ...contenders.map((c) => ({ label: `client CPU per call, ${c.label}`, value: ms(median(c.cpuPerCall)), note: 'user + system of this process, median of rounds' })),
        {
          label: 'client CPU, runner / node-fetch',
          value: ratio(cpuRatio),
          note: `target ≤ 1.10 · median of ${cpuRounds.length} per-round ratios (p25 ${ratio(percentile(cpuRounds, 25))} · p75 ${ratio(percentile(cpuRounds, 75))}); ratio of the medians ${ratio(median(runnerC.cpuPerCall) / median(fetchC.cpuPerCall))}`,
        },
      ];
      const notes = [
        `${options.warmupRounds * options.batch} warm-up + ${options.measuredRounds * options.batch} measured calls per contender, interleaved in ${rounds} rounds of ${options.batch} (order rotated each round), ${seconds.toFixed(1)} s; the sandbox runs in its own process.`,
        "Each call reads the whole body (the sandbox's site list, ~4 KB of JSON) as text; the token is fetched before timing for the two baselines, the runner uses its cached one.",
        "All three use the same transport, Node's global agent (keep-alive, 5 s socket timeout): the runner's fetch picks it for loopback, and a bare node-fetch call without an agent option uses it too. (Until 1 Dec the baselines had agents of their own without the socket timeout — what src/core/http.ts used before its requests moved to the global agent — which put the global agent's per-request timeout bookkeeping, ~2–3% of a call, on our side of the ratio.)",
        'Client CPU is user + system time of this process (process.cpuUsage) over each batch: the sandbox runs in another process, so it is our layers plus node-fetch (or node:http), not the server.',
        `The runner's fetch honours HTTPS_PROXY / NO_PROXY like the command-line runner; route to the sandbox: ${route} (loopback is never proxied).`,
      ];
      return { rows, notes, tokenFetchesSequential, tokenFetchesConcurrent, overheadRatio, cpuRatio, rawRatio, medians };
    },
  };
}
