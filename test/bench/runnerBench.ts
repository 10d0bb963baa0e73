// Bench section "collection runner": a 500-request folder with three checks each, run by the core's
// CollectionRunner against the bench sandbox (in process), then the same folder through the built
// headless CLI (dist/studyteam-run.js, a child process). Summary line:
//   runner: requests=500 checks=1500 wallMs=… tokenRequests=1
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthService } from '../../src/core/authService';
import { CollectionRunner } from '../../src/core/collectionRunner';
import { RequestRunner } from '../../src/core/requestRunner';
import { ms, type BenchSection, type SectionOutcome } from './report';
import type { SavedRequest } from '../../src/core/model';

const REQUESTS = 500;

function folder(): SavedRequest[] {
  return Array.from({ length: REQUESTS }, (_, i) => ({
    id: `bench_${i}`,
    name: `List sites #${i + 1}`,
    method: 'GET' as const,
    url: '/rpi/sites',
    auth: 'bearer' as const,
    expect: [
      { kind: 'status' as const, op: 'equals' as const, value: 200 },
      { kind: 'json' as const, path: '$[0].id', op: 'exists' as const },
      { kind: 'header' as const, path: 'content-type', op: 'matches' as const, value: 'json' },
    ],
  }));
}

export function runnerSection(): BenchSection {
  return {
    title: 'Collection runner (500 requests × 3 checks, sequential, one environment)',
    async run(context): Promise<SectionOutcome> {
      const sandbox = context.sandbox;
      const env = sandbox.environment('bench-runner');
      const credentials = sandbox.credentials;
      const auth = new AuthService({ credentials: { get: async () => credentials } });
      const runner = new CollectionRunner({ runner: new RequestRunner({ auth }), auth });
      const requests = folder();
      context.progress('collection runner: 500 requests in process');
      const before = await sandbox.counters();
      const started = performance.now();
      const summary = await runner.run({ environment: env, items: requests.map((request) => ({ request, folderPath: ['Bench'] })) });
      const wallMs = performance.now() - started;
      const after = await sandbox.counters();
      const checks = summary.totals.checksPassed + summary.totals.checksFailed;
      const sandboxTokens = after.tokenRequests - before.tokenRequests;

      context.progress('collection runner: the same folder through dist/studyteam-run.js');
      const dir = join(context.tempDir, 'runner-bench');
      mkdirSync(join(dir, '.studyteam'), { recursive: true });
      writeFileSync(join(dir, '.studyteam', 'requests.json'), JSON.stringify({ version: 2, items: [{ kind: 'folder', id: 'f', name: 'Bench', children: requests.map((r) => ({ kind: 'request', ...r })) }] }));
      const cliStarted = performance.now();
      const cli = spawnSync(process.execPath, [join(context.root, 'dist', 'studyteam-run.js'), '--env', 'sandbox', '--base-url', sandbox.url, '--folder', 'Bench', '--reporter', 'json'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', STUDYTEAM_SANDBOX_CLIENT_ID: credentials.clientId, STUDYTEAM_SANDBOX_CLIENT_SECRET: credentials.clientSecret },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const cliMs = performance.now() - cliStarted;
      let cliTotals = 'n/a';
      try {
        const report = JSON.parse(cli.stdout) as { totals: { requests: number; checksPassed: number; tokenRequests: number } };
        cliTotals = `exit ${cli.status}, ${report.totals.requests} requests, ${report.totals.checksPassed} checks passed, ${report.totals.tokenRequests} token request(s)`;
      } catch {
        cliTotals = `exit ${cli.status} (no JSON report: ${cli.stderr.slice(0, 120)})`;
      }
      return {
        rows: [
          { label: 'requests', value: String(summary.totals.requests) },
          { label: 'checks', value: String(checks), note: `${summary.totals.checksFailed} failed` },
          { label: 'wall time (in process)', value: ms(wallMs, 0), note: `${ms(wallMs / REQUESTS, 2)} per request incl. checks` },
          { label: 'token requests', value: String(summary.totals.tokenRequests), note: `sandbox counted ${sandboxTokens}` },
          { label: 'headless CLI (process)', value: ms(cliMs, 0), note: cliTotals },
        ],
        summaryLine: `runner: requests=${summary.totals.requests} checks=${checks} wallMs=${Math.round(wallMs)} tokenRequests=${sandboxTokens}`,
      };
    },
  };
}
