// Bench section "bundle": the sizes the budgets speak of, from a fresh production build (scripts/build.mjs
// --production --dist=<temp>, so the benchmark's own build in dist/ and out/ is left alone) packaged into a .vsix
// by @vscode/vsce from a staged copy of the package (package.json, .vscodeignore, README, CHANGELOG, LICENSE,
// schemas/, media/ and that dist). Figures only: budgets are dist/extension.js ≤ 250 KB, .vsix ≤ 400 KB. Summary line:
//   bundle: extensionKB=… vsixKB=…
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BenchRow, BenchSection, SectionOutcome } from './report';

const KB = 1024;
const PACKAGE_FILES = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'schemas', 'media'];

function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...jsFiles(full));
    else if (name.endsWith('.js')) out.push(full);
  }
  return out;
}

const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;

export function bundleSection(): BenchSection {
  return {
    title: 'Bundle: production build and .vsix',
    async run(context): Promise<SectionOutcome> {
      const stage = join(context.tempDir, 'package');
      const dist = join(stage, 'dist');
      mkdirSync(stage, { recursive: true });
      context.progress('bundle: production build');
      execFileSync(process.execPath, [join(context.root, 'scripts', 'build.mjs'), '--production', `--dist=${dist}`], { cwd: context.root, stdio: ['ignore', 'ignore', 'inherit'] });
      for (const file of PACKAGE_FILES) if (existsSync(join(context.root, file))) cpSync(join(context.root, file), join(stage, file), { recursive: true });
      context.progress('bundle: vsce package');
      const vsix = join(context.tempDir, 'bench.vsix');
      execFileSync(process.execPath, [join(context.root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix], {
        cwd: stage,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const extensionBytes = statSync(join(dist, 'extension.js')).size;
      const vsixBytes = statSync(vsix).size;
      // The bundles the extension loads later (src/host/lazyModules.ts) and the rest of dist/, largest first.
      const others = jsFiles(dist)
        .filter((f) => relative(dist, f) !== 'extension.js')
        .map((f) => ({ name: relative(dist, f), bytes: statSync(f).size }))
        .sort((a, b) => b.bytes - a.bytes);
      const rows: BenchRow[] = [
        { label: 'dist/extension.js (minified)', value: kb(extensionBytes), note: `${extensionBytes} bytes · budget 250 KB (256,000 bytes)` },
        { label: '.vsix', value: kb(vsixBytes), note: `${vsixBytes} bytes · budget 400 KB` },
        ...others.map((o) => ({ label: `dist/${o.name}`, value: kb(o.bytes) })),
      ];
      return {
        rows,
        notes: ['dist/sandbox.js and dist/studyteam-run.js are the sandbox CLI and the headless runner: built, not packaged into the .vsix.'],
        summaryLine: `bundle: extensionKB=${(extensionBytes / KB).toFixed(1)} vsixKB=${(vsixBytes / KB).toFixed(1)}`,
      };
    },
  };
}
