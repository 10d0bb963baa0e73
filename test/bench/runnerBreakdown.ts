// Where the runner's time goes beyond bare node-fetch: the same GET /rpi/sites through stacked layers,
// interleaved in rounds, medians per call. Every step uses Node's global agent, as the runner does (steps 1–3 pass no
// agent; nodeFetch passes none either). Not part of `npm run bench`:
//   npm run build && node out/bench/runnerBreakdown.js [measured rounds, default 120]
import { loadavg } from 'node:os';
import fetch from 'node-fetch';
import { AuthService } from '../../src/core/authService';
import { decodeText, headerEntries, LightAbortController, nodeFetch, readBody } from '../../src/core/http';
import type { ApiRequest } from '../../src/core/model';
import { RequestRunner } from '../../src/core/requestRunner';
import { BenchSandbox } from './benchSandbox';
import { median, percentile } from './report';

type Step = { label: string; call: () => Promise<void>; samples: number[]; cpu?: number[] };

async function main(): Promise<void> {
  const sandbox = await BenchSandbox.start();
  try {
    const credentials = sandbox.credentials;
    const auth = new AuthService({ credentials: { get: async () => credentials } });
    const runner = new RequestRunner({ auth });
    const env = sandbox.environment();
    const request: ApiRequest = { method: 'GET', url: '/rpi/sites', auth: 'bearer' };
    const token = await auth.getToken(env);
    const authorization = `Bearer ${token.value}`;
    const url = `${sandbox.url}/rpi/sites`;
    const steps: Step[] = [
      {
        label: '1 node-fetch bare, res.text()',
        samples: [],
        call: async () => {
          await (await fetch(url, { headers: { authorization } })).text();
        },
      },
      {
        label: '2 + AbortController signal + 30 s timer',
        samples: [],
        call: async () => {
          const c = new AbortController();
          const t = setTimeout(() => c.abort(), 30_000);
          await (await fetch(url, { headers: { authorization }, signal: c.signal })).text();
          clearTimeout(t);
        },
      },
      {
        label: '3 + LightAbortController instead',
        samples: [],
        call: async () => {
          const c = new LightAbortController();
          const t = setTimeout(() => c.abort(), 30_000);
          await (await fetch(url, { headers: { authorization }, signal: c.signal as never })).text();
          clearTimeout(t);
        },
      },
      {
        label: '4 http.ts nodeFetch + readBody + headerEntries + decodeText (light signal)',
        samples: [],
        call: async () => {
          const c = new LightAbortController();
          const t = setTimeout(() => c.abort(), 30_000);
          const res = await nodeFetch(url, { method: 'GET', headers: [['authorization', authorization]], signal: c.signal, redirect: 'manual' });
          const read = await readBody(res.body, 50 * 1024 * 1024);
          headerEntries(res.headers);
          decodeText(read.body, res.headers.get('content-type') ?? '');
          clearTimeout(t);
        },
      },
      {
        label: '5 + auth.getToken (cached) per call',
        samples: [],
        call: async () => {
          const c = new LightAbortController();
          const t = setTimeout(() => c.abort(), 30_000);
          const tk = await auth.getToken(env, { signal: c.signal });
          const res = await nodeFetch(url, { method: 'GET', headers: [['authorization', `Bearer ${tk.value}`]], signal: c.signal, redirect: 'manual' });
          const read = await readBody(res.body, 50 * 1024 * 1024);
          headerEntries(res.headers);
          decodeText(read.body, res.headers.get('content-type') ?? '');
          clearTimeout(t);
        },
      },
      { label: '6 RequestRunner.run', samples: [], call: async () => void (await runner.run(env, request)) },
    ];
    // Short batches, many rounds, order rotated each round; CPU is compared per round with step 1 (the same pairing as
    // the bench's cpuRatio), so a busy machine weighs on both sides of each ratio alike.
    const batch = 50;
    const warmup = 20;
    const rounds = warmup + Number(process.argv[2] ?? 120);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < steps.length; k++) {
        const step = steps[(r + k) % steps.length]!;
        const cpu0 = process.cpuUsage();
        for (let i = 0; i < batch; i++) {
          const t0 = performance.now();
          await step.call();
          if (r >= warmup) step.samples.push(performance.now() - t0);
        }
        // Client-side CPU per call (user + system): what our layers add, without the server's or the network's share.
        const cpu = process.cpuUsage(cpu0);
        if (r >= warmup) (step.cpu ??= []).push((cpu.user + cpu.system) / batch);
      }
    }
    const base = median(steps[0]!.samples);
    const cpuBase = steps[0]!.cpu ?? [];
    process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${rounds - warmup} measured rounds of ${batch} calls per step\n`);
    process.stdout.write(`${'step'.padEnd(78)} ${'wall'.padStart(8)}         ${'client CPU, × step 1: median of per-round ratios (p25–p75)'}\n`);
    for (const s of steps) {
      const m = median(s.samples);
      const cpu = s.cpu ?? [];
      const ratios = cpu.map((c, i) => c / cpuBase[i]!);
      process.stdout.write(
        `${s.label.padEnd(78)} ${(m * 1000).toFixed(0).padStart(5)} µs  ×${(m / base).toFixed(2)}   ${median(cpu).toFixed(0).padStart(5)} µs  ×${median(ratios).toFixed(2)} (${percentile(ratios, 25).toFixed(2)}–${percentile(ratios, 75).toFixed(2)})\n`,
      );
    }
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`runnerBreakdown: failed — ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
