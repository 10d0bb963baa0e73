// `npm run bench`: figures, not a test. Starts the StudyTeam sandbox on 127.0.0.1 (its own process),
// runs the sections below in order, prints a table per section, then each section's summary line,
// and as the very last line:
//   bench: tokenFetchesSequential=<n> tokenFetchesConcurrent=<n> overheadRatio=<r> cpuRatio=<r> rawRatio=<r> httpyacTokenFetches=<n>
// Cleans up the sandbox, httpyac processes and temp files however it ends. Traffic goes to 127.0.0.1 only
// (plus the npm registry once, if httpyac has to be installed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchSandbox } from './benchSandbox';
import { bundleSection } from './bundleBench';
import { coreSection, type CoreOutcome } from './coreBench';
import { eventsSection } from './eventsBench';
import { httpyacSection, runningChildren, type HttpyacOutcome } from './httpyacBench';
import { formatSection, ratio, type BenchContext, type BenchSection, type SectionOutcome } from './report';
import { runnerSection } from './runnerBench';
import { activationSection, eventsHostSection, panelSection, safetySection } from './safetyBench';

/**
 * Further sections (e.g. figures from the real workbench) go here. Each returns table rows and may
 * return a `summaryLine` such as "panel: …" or "safety: …"; those lines are printed, in this order,
 * just before the final `bench:` line.
 */
const EXTRA_SECTIONS: ReadonlyArray<BenchSection> = [
  bundleSection(), // "bundle: …" — dist/extension.js and .vsix sizes of a fresh production build
  runnerSection(), // "runner: …" — a 500-request folder with three checks each (core in process, then the CLI)
  eventsSection(), // "events: …" — the Events view's follower over a 10,000-event feed
  activationSection(), // "activation: …" — real-workbench figures (one harness run shared by the next two; --skip-workbench)
  panelSection(), // "panel: …"  — Send → first paint of a 10 MB JSON body in the request panel
  eventsHostSection(), // "events(host): …" — the Events view following 10,000 events in the real extension host
  safetySection(), // "safety: …" — leak scan, fault matrix, load in the real extension host
];

function benchLine(core: CoreOutcome, httpyac: HttpyacOutcome): string {
  return (
    `bench: tokenFetchesSequential=${core.tokenFetchesSequential} tokenFetchesConcurrent=${core.tokenFetchesConcurrent}` +
    ` overheadRatio=${ratio(core.overheadRatio)} cpuRatio=${ratio(core.cpuRatio)} rawRatio=${ratio(core.rawRatio)}` +
    ` httpyacTokenFetches=${httpyac.httpyacTokenFetches ?? 'n/a'}`
  );
}

async function main(): Promise<number> {
  const root = resolve(__dirname, '..', '..');
  const tempDir = mkdtempSync(join(tmpdir(), 'studyteam-bench-'));
  let sandbox: BenchSandbox | undefined;
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const child of runningChildren) child.kill('SIGKILL');
    await sandbox?.stop().catch(() => undefined);
    rmSync(tempDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    process.stderr.write(`bench: ${signal}, cleaning up\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    sandbox = await BenchSandbox.start();
    const context: BenchContext = {
      sandbox,
      root,
      tempDir,
      progress: (message) => process.stderr.write(`  … ${message}\n`),
    };
    process.stdout.write(`StudyTeam benchmark — node ${process.version}, sandbox ${sandbox.url}\n\n`);

    const core = await coreSection().run(context);
    process.stdout.write(`${formatSection(coreSection().title, core)}\n\n`);

    const httpyac = await httpyacSection().run(context);
    process.stdout.write(`${formatSection(httpyacSection().title, httpyac)}\n\n`);

    const extra: SectionOutcome[] = [];
    for (const section of EXTRA_SECTIONS) {
      const outcome = await section.run(context);
      extra.push(outcome);
      process.stdout.write(`${formatSection(section.title, outcome)}\n\n`);
    }
    for (const outcome of extra) if (outcome.summaryLine) process.stdout.write(`${outcome.summaryLine}\n`);
    process.stdout.write(`${benchLine(core, httpyac)}\n`);
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: failed — ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
