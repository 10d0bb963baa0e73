// Helpers shared by the safety tests before and after the window reload: the harness's in-memory vault
// (test/harness/testVault.ts), the figures file, and the leak-scan roots.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Needle } from './leakScan';

const VAULT_ENV = 'STUDYTEAM_TEST_VAULT_URL';

export function vaultAvailable(): boolean {
  return !!process.env[VAULT_ENV];
}

export async function vaultGet<T>(key: string): Promise<T | undefined> {
  const url = process.env[VAULT_ENV];
  if (!url) return undefined;
  const response = await fetch(`${url}/kv/${encodeURIComponent(key)}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`vault GET ${key}: ${response.status}`);
  return (await response.json()) as T;
}

export async function vaultPut(key: string, value: unknown): Promise<void> {
  const url = process.env[VAULT_ENV];
  if (!url) return;
  const response = await fetch(`${url}/kv/${encodeURIComponent(key)}`, { method: 'PUT', body: JSON.stringify(value) });
  if (!response.ok) throw new Error(`vault PUT ${key}: ${response.status}`);
}

export interface HarnessSandbox {
  readonly url: string;
  readonly audience: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A sandbox in the harness process (it keeps running through a window reload). */
export async function harnessSandbox(): Promise<HarnessSandbox> {
  const url = process.env[VAULT_ENV];
  if (!url) throw new Error(`${VAULT_ENV} is not set (needs the code-server harness)`);
  const response = await fetch(`${url}/sandbox`, { method: 'POST' });
  if (!response.ok) throw new Error(`vault POST /sandbox: ${response.status}`);
  return (await response.json()) as HarnessSandbox;
}

export async function harnessSandboxState(): Promise<{ url: string; tokenRequests: number; apiRequests: number; issuedTokens: string[] } | undefined> {
  const url = process.env[VAULT_ENV];
  if (!url) return undefined;
  const response = await fetch(`${url}/sandbox`);
  if (response.status === 404) return undefined;
  return (await response.json()) as { url: string; tokenRequests: number; apiRequests: number; issuedTokens: string[] };
}

/** What the first phase leaves for the after-reload phase (kept in the harness's memory, never on disk). */
export interface LeakSession {
  readonly needles: Needle[];
  readonly activeEnvironmentId: string;
  readonly persistentEnvironmentId: string;
  readonly credentialEnvironmentIds: string[];
  readonly harnessTokenRequests: number;
  readonly openPanelNames: string[];
  /** Panels the session opened and closed before the reload: they must not come back. */
  readonly closedPanelNames?: string[];
  /** Panels opened after VS Code's last save of its editors: only the extension's records can bring them back. */
  readonly notSavedByVsCode?: string[];
}
export const LEAK_SESSION_KEY = 'leakSession';

export interface SafetyFigures {
  leakHits?: number;
  scannedFiles?: number;
  scannedBytes?: number;
  leakScanPhase?: 'before-reload' | 'after-reload';
  faultsPassed?: number;
  faultsTotal?: number;
  concurrentTokenFetches?: number;
  concurrentCallsAnswered?: number;
  heapGrowthMB?: number;
  eventLoopP99Ms?: number;
  eventLoopMaxMs?: number;
  /** The request panel's Send → first paint of a 10 MB JSON body (its `firstPaint` metrics' clickToPaintMs). */
  bigJsonFirstPaintMs?: number;
  /** New Request Panel → the panel's form is ready (focus in the URL field), no other panel open; median of 3. */
  panelOpenMs?: number;
  /** The same with another request panel open. */
  panelOpenWarmMs?: number;
  /** A saved request opened as a preview while a preview panel is open (its webview is reused) → the form shows it. */
  panelPreviewOpenMs?: number;
  /** Of panelOpenMs: the webview document waiting for VS Code's webview service worker (navigation workerStart). */
  panelOpenServiceWorkerWaitMs?: number;
  /** Of panelOpenMs: the panel's own script, start → ready (webview clock). */
  panelOpenScriptMs?: number;
  /** Wall time inside activate() in the integration host. */
  activateMs?: number;
  /** The bundle's module evaluation, before activate(). */
  loadMs?: number;
  /** CPU time of the extension host during activate(). */
  activateCpuMs?: number;
  stateSurvivedReload?: boolean;
  tokenRestoredWithoutRequest?: boolean;
  /** The Events view following a 10,000-event feed in the real extension host (events.test.ts). */
  eventsHostPages?: number;
  eventsHostShown?: number;
  eventsHostFollowMs?: number;
  eventsHostLoopP99Ms?: number;
  eventsHostLoopMaxMs?: number;
  eventsHostHeapMB?: number;
}

export function artifactsDir(): string {
  return process.env.STUDYTEAM_TEST_ARTIFACTS ?? join(__dirname, '..', '..', '..', 'test-artifacts');
}

export function figuresPath(): string {
  return join(artifactsDir(), 'figures.json');
}

/** Merges into test-artifacts/figures.json (a fresh file per harness run: the first phase's index removes it). */
export function writeFigures(update: SafetyFigures): SafetyFigures {
  const file = figuresPath();
  let current: SafetyFigures = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as SafetyFigures;
    } catch {
      current = {};
    }
  }
  const next = { ...current, ...update };
  mkdirSync(artifactsDir(), { recursive: true });
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

export function safetyLine(f: SafetyFigures): string {
  const n = (v: number | undefined): string => (v === undefined ? 'n/a' : String(v));
  return (
    `safety: leakHits=${n(f.leakHits)} faultsPassed=${n(f.faultsPassed)}/${n(f.faultsTotal)}` +
    ` concurrentTokenFetches=${n(f.concurrentTokenFetches)} heapGrowthMB=${f.heapGrowthMB === undefined ? 'n/a' : f.heapGrowthMB.toFixed(1)}`
  );
}

/** Everything a session writes: the harness's temp root (user data, browser profile, workspace, XDG dirs) and the code-server log. */
export function leakScanRoots(): string[] {
  const roots: string[] = [];
  const temp = process.env.STUDYTEAM_TEST_TEMP_ROOT;
  if (temp) roots.push(temp);
  else {
    for (const v of ['STUDYTEAM_TEST_USER_DATA_DIR', 'STUDYTEAM_TEST_BROWSER_PROFILE', 'STUDYTEAM_TEST_WORKSPACE']) {
      const dir = process.env[v];
      if (dir) roots.push(dir);
    }
  }
  const serverLog = join(artifactsDir(), 'code-server.log');
  if (existsSync(serverLog)) roots.push(serverLog);
  return roots.filter((r) => existsSync(r));
}
