// Just the core section of `npm run bench` (token counts, runner vs node-fetch vs node:http, cpuRatio), for
// measuring a change to the request path without the rest of the benchmark. Not part of `npm run bench`:
//   npm run build && node out/bench/coreOnly.js [runs]
// Each run is the whole section against one sandbox; with several runs it prints each cpuRatio, then their median and
// range, and the load average before and after (the machine has 2 cores: other work shows in the figures).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchSandbox } from './benchSandbox';
import { coreSection } from './coreBench';
import { formatSection, median, ratio } from './report';

async function main(): Promise<void> {
  const runs = Math.max(1, Number(process.argv[2] ?? 1));
  const tempDir = mkdtempSync(join(tmpdir(), 'studyteam-core-'));
  const sandbox = await BenchSandbox.start();
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
  try {
    const loadBefore = load();
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const section = coreSection();
      const outcome = await section.run({ sandbox, root: resolve(__dirname, '..', '..'), tempDir, progress: () => undefined });
      if (i === 0) process.stdout.write(`${formatSection(section.title, outcome)}\n\n`);
      ratios.push(outcome.cpuRatio);
      process.stdout.write(`run ${i + 1}: cpuRatio=${ratio(outcome.cpuRatio)} overheadRatio=${ratio(outcome.overheadRatio)} rawRatio=${ratio(outcome.rawRatio)}\n`);
    }
    process.stdout.write(
      `core: runs=${runs} cpuRatio median=${ratio(median(ratios))} min=${ratio(Math.min(...ratios))} max=${ratio(Math.max(...ratios))} load ${loadBefore} → ${load()}\n`,
    );
  } finally {
    await sandbox.stop();
    rmSync(tempDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`coreOnly: failed — ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
