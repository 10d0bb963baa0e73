// Parent side of the benchmark's sandbox: forks out/bench/sandboxProcess.js (a real SandboxServer on
// 127.0.0.1 in its own process), reads its token/API counters over IPC, and stops it.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ClientCredentials, Environment } from '../../src/core/model';

export type SandboxParentMessage = { type: 'counters'; id: number } | { type: 'stop' };
export type SandboxChildMessage =
  | { type: 'ready'; url: string; clientId: string; clientSecret: string; audience: string }
  | { type: 'counters'; id: number; tokenRequests: number; apiRequests: number };

export interface SandboxCounters {
  tokenRequests: number;
  apiRequests: number;
}

const START_TIMEOUT_MS = 15_000;
/** Events of seeded history the sandbox process starts with (its default when unset). */
export const SEED_EVENTS_ENV = 'STUDYTEAM_BENCH_SEED_EVENTS';

export class BenchSandbox {
  private nextId = 1;
  private readonly pending = new Map<number, (counters: SandboxCounters) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly credentials: ClientCredentials,
    readonly audience: string,
  ) {
    child.on('message', (raw: unknown) => {
      const message = raw as SandboxChildMessage;
      if (message.type !== 'counters') return;
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.({ tokenRequests: message.tokenRequests, apiRequests: message.apiRequests });
    });
  }

  /** Forks the sandbox process (script next to this bundle) and waits until it listens. */
  static start(options: { seedEvents?: number } = {}): Promise<BenchSandbox> {
    const env = { ...process.env, ...(options.seedEvents !== undefined ? { [SEED_EVENTS_ENV]: String(options.seedEvents) } : {}) };
    const child = fork(join(__dirname, 'sandboxProcess.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
    return new Promise<BenchSandbox>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`the sandbox process did not start within ${START_TIMEOUT_MS / 1000} s`));
      }, START_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the sandbox process exited (code ${code}) before it was ready`));
      });
      child.once('message', (raw: unknown) => {
        const message = raw as SandboxChildMessage;
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(new BenchSandbox(child, message.url, { clientId: message.clientId, clientSecret: message.clientSecret }, message.audience));
      });
    });
  }

  /** An environment pointing at the sandbox (token URL and audience default from the base URL). */
  environment(id = 'bench', name = 'Bench sandbox'): Environment {
    return { id, name, baseUrl: this.url, production: false };
  }

  get tokenUrl(): string {
    return `${this.url}/oauth/token`;
  }

  counters(): Promise<SandboxCounters> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      const message: SandboxParentMessage = { type: 'counters', id };
      this.child.send(message);
    });
  }

  /** Stops the server and waits for the process to end (kills it after 5 s). */
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      if (this.child.connected) {
        const message: SandboxParentMessage = { type: 'stop' };
        this.child.send(message);
      } else {
        this.child.kill();
      }
    });
  }
}
