// Entry point of dist/studyteam-run.js (bundled by scripts/build.mjs): wires the process to runCli.
import { runCli } from './studyteamRun';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`studyteam-run: ${signal}, stopping the run\n`);
    controller.abort();
  });
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`studyteam-run: ${error instanceof Error ? error.name : 'error'}\n`);
    process.exitCode = 2;
  },
);
