// A tight loop of RequestRunner.run (GET /rpi/sites, bearer) against the bench sandbox, for profiling:
//   npm run build && node --cpu-prof --cpu-prof-dir=/tmp/prof out/bench/profileRunner.js [calls]
// Not part of `npm run bench`. The sandbox runs in its own process, so the profile shows the client only.
import { AuthService } from '../../src/core/authService';
import type { ApiRequest } from '../../src/core/model';
import { RequestRunner } from '../../src/core/requestRunner';
import { BenchSandbox } from './benchSandbox';

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 20_000);
  const sandbox = await BenchSandbox.start();
  try {
    const credentials = sandbox.credentials;
    const auth = new AuthService({ credentials: { get: async () => credentials } });
    const runner = new RequestRunner({ auth });
    const env = sandbox.environment();
    const request: ApiRequest = { method: 'GET', url: '/rpi/sites', auth: 'bearer' };
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) {
      const response = await runner.run(env, request);
      if (response.status !== 200) throw new Error(`GET /rpi/sites answered ${response.status}`);
    }
    const elapsed = performance.now() - t0;
    process.stdout.write(`profileRunner: ${calls} calls, ${(elapsed / calls).toFixed(3)} ms mean per call\n`);
  } finally {
    await sandbox.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`profileRunner: failed — ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
