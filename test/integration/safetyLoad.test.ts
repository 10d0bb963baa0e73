// Proof of safety in the real extension host (issue 6), part 3: 200 concurrent calls share one token request and
// keep the event loop responsive; the heap does not grow over 1,000 calls.
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { StudyTeamApi } from '../../src/api';
import { writeFigures } from './support/safety';
import { run, startSandbox } from './support/safetySession';
import { sleep, studyTeamApi } from './support/studyteam';

/** A real full GC in the extension host: --expose-gc set at run time, `gc` taken from a fresh context. */
function exposeGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

async function settledHeapMb(): Promise<number> {
  const gc = exposeGc();
  const samples: number[] = [];
  await sleep(500);
  for (let i = 0; i < 9; i++) {
    gc?.();
    await sleep(150);
    samples.push(process.memoryUsage().heapUsed / 1024 / 1024);
  }
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}

describe('safety: load', function () {
  this.timeout(180_000);
  let api: StudyTeamApi;

  before(async () => {
    api = await studyTeamApi();
  });

  it('200 concurrent calls: one token request, every call answered, event loop stays responsive; heap growth over 1,000 calls ≤ 10 MB', async () => {
    const { env, server } = await startSandbox(api, 'load', 'Load');
    await api.auth.clear(env.id);
    server.resetCounters();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => run(api, env)));
    delay.disable();
    const answered = outcomes.filter((o) => o.ok && o.response.status === 200).length;
    const p99 = delay.percentile(99) / 1e6;
    const max = delay.max / 1e6;
    const tokenFetches = server.counters.tokenRequests;
    console.log(`    200 concurrent calls: ${answered} answered 200, ${tokenFetches} token request(s), event-loop delay p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`);

    // Heap: warm up, settle, 1,000 calls (50 at a time), settle.
    for (let i = 0; i < 4; i++) await Promise.all(Array.from({ length: 50 }, () => run(api, env)));
    const before = await settledHeapMb();
    for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 50 }, () => run(api, env)));
    const after = await settledHeapMb();
    const growth = Math.max(0, after - before);
    console.log(`    heap after 1,000 calls: ${before.toFixed(1)} → ${after.toFixed(1)} MB (growth ${growth.toFixed(1)} MB; ${exposeGc() ? 'full GC forced before each of 9 samples' : 'gc not available: medians of 9 settled samples'})`);
    writeFigures({ concurrentTokenFetches: tokenFetches, concurrentCallsAnswered: answered, eventLoopP99Ms: Math.round(p99 * 10) / 10, eventLoopMaxMs: Math.round(max * 10) / 10, heapGrowthMB: Math.round(growth * 10) / 10 });

    assert.equal(answered, 200, 'every call answered 200');
    assert.equal(tokenFetches, 1, 'exactly one token request');
    // The in-process sandbox serves all 200 on the same event loop, so this bounds host + server together.
    assert.ok(p99 < 500, `event-loop delay p99 ${p99} ms`);
    assert.ok(growth <= 10, `heap grew ${growth.toFixed(1)} MB`);
  });
});
