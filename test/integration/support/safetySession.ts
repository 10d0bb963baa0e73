// What the safety test files share in one extension host: the session's distinctive patient fields, the sandboxes
// they started (their client secrets and issued tokens are needles, kept past their stop()), and the texts shown
// to the user. Each test file is its own bundle with its own copy of this module, so the state lives on
// globalThis under one key.
import { randomBytes, randomInt } from 'node:crypto';
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StudyTeamApi } from '../../../src/api';
import type { ApiRequest, Environment } from '../../../src/core/model';
import type { RunOutcome } from '../../../src/host/services';
import type { SandboxServer } from '../../../src/sandbox/sandboxServer';
import { describeSize, type LeakHit, type Needle, type ScanReport } from './leakScan';
import { harnessSandbox, harnessSandboxState, vaultAvailable } from './safety';
import { notifications, uiDriverAvailable } from './uiDriver';

export const GET_SITES: ApiRequest = { method: 'GET', url: '/rpi/sites', auth: 'bearer' };
/** The environment (user settings, against the harness's sandbox) that survives the window reload. */
export const PERSIST_ENV = 'leak-persist';

export interface SafetySession {
  readonly tag: string;
  /** Distinctive fake patient fields: any of them on disk is a leak of patient data. */
  readonly patient: Readonly<Record<'firstName' | 'lastName' | 'dateOfBirth' | 'phone' | 'email', string>>;
  /** An API key typed by hand into a panel's headers (auth none): a credential, so a leak too. */
  readonly handTypedApiKey: string;
  readonly referralBody: string;
  /** Every sandbox a safety test started, kept past its stop(). */
  readonly sandboxes: Map<string, SandboxServer>;
  /** Texts shown to the user (notifications, clipboard), scanned in memory. */
  readonly shownTexts: Array<{ where: string; text: string }>;
}

const KEY = '__studyteamSafetySession';

function createSession(): SafetySession {
  const tag = randomBytes(4).toString('hex');
  const patient = {
    firstName: `Zebulon-${tag}`,
    lastName: `Quillfeather-${randomBytes(4).toString('hex')}`,
    dateOfBirth: `19${randomInt(10, 99)}-0${randomInt(1, 9)}-${randomInt(10, 28)}`,
    phone: `+1-555-01${randomInt(100000, 999999)}`,
    email: `zebulon.${randomBytes(5).toString('hex')}@example.org`,
  };
  return {
    tag,
    patient,
    handTypedApiKey: `hk-${randomBytes(18).toString('hex')}`,
    // A v1 referral of the patient to the sandbox's first site (1001), whose first trial is TR-1001 at sponsor site SS-1001-101.
    referralBody: JSON.stringify(
      {
        referral: [
          {
            subjectId: `SUBJ-LEAK-${tag}`,
            primaryTrial: { id: 'TR-1001', sponsorSiteId: 'SS-1001-101' },
            birthDate: patient.dateOfBirth,
            name: [{ use: 'official', given: [patient.firstName], family: patient.lastName }],
            telecom: [
              { system: 'phone', value: patient.phone, use: 'mobile' },
              { system: 'email', value: patient.email, use: 'home' },
            ],
          },
        ],
      },
      null,
      2,
    ),
    sandboxes: new Map(),
    shownTexts: [],
  };
}

/** The one session of this extension host (created on first use). */
export function safetySession(): SafetySession {
  const store = globalThis as Record<string, unknown>;
  store[KEY] ??= createSession();
  return store[KEY] as SafetySession;
}

export async function startSandbox(api: StudyTeamApi, id: string, name: string, production = false): Promise<{ env: Environment; server: SandboxServer }> {
  await api.sandbox.start({ id, name, production, activate: false });
  const server = api.sandbox.server(id);
  const env = api.environments.get(id);
  assert.ok(server && env, `sandbox ${id} running`);
  safetySession().sandboxes.set(id, server);
  return { env, server };
}

export function run(
  api: StudyTeamApi,
  env: Environment | undefined,
  request: ApiRequest = GET_SITES,
  extra: { token?: vscode.CancellationToken; notify?: boolean } = {},
): Promise<RunOutcome> {
  return api.services.runRequest(request, { environment: env, showProgress: false, notifyErrors: extra.notify ?? false, token: extra.token });
}

export function patientNeedles(): Needle[] {
  const s = safetySession();
  return [
    ...Object.entries(s.patient).map(([field, value]) => ({ label: `patient ${field}`, value })),
    { label: 'hand-typed x-api-key header value', value: s.handTypedApiKey },
  ];
}

/** Patient fields, the client secrets and issued tokens of every sandbox (ours and the harness's). */
export async function allNeedles(): Promise<Needle[]> {
  const needles: Needle[] = [...patientNeedles()];
  for (const [id, server] of safetySession().sandboxes) {
    for (const client of server.clients) needles.push({ label: `client secret (${id})`, value: client.clientSecret });
    server.issuedTokens.forEach((token, i) => needles.push({ label: `access token #${i + 1} issued by ${id}`, value: token }));
  }
  const harness = await harnessSandboxState();
  if (harness) harness.issuedTokens.forEach((token, i) => needles.push({ label: `access token #${i + 1} issued by the harness sandbox`, value: token }));
  if (vaultAvailable() && harness) needles.push({ label: `client secret (${PERSIST_ENV})`, value: (await harnessSandbox()).clientSecret });
  return needles;
}

/** Adds what the user was shown so far (error notifications, toasts, the clipboard) to the session's texts. */
export async function collectShownTexts(api: StudyTeamApi): Promise<void> {
  const texts = safetySession().shownTexts;
  api.notifications.forEach((text, i) => texts.push({ where: `api.notifications[${i}]`, text }));
  if (uiDriverAvailable()) {
    for (const n of await notifications()) texts.push({ where: `notification toast "${n.message.slice(0, 60)}"`, text: `${n.message}\n${n.actions.join('\n')}` });
  }
  texts.push({ where: 'clipboard', text: await vscode.env.clipboard.readText() });
}

export function reportScan(title: string, report: ScanReport, textHits: LeakHit[]): LeakHit[] {
  console.log(`    ${title}: scanned ${describeSize(report.files, report.bytes)} for secrets, tokens and patient fields`);
  for (const r of report.roots) console.log(`      ${r.root}: ${describeSize(r.files, r.bytes)}`);
  console.log(`      + ${safetySession().shownTexts.length} in-memory texts (notifications, clipboard); ${report.skipped.length} unreadable entries skipped`);
  const hits = [...report.hits, ...textHits];
  for (const h of hits) console.log(`      LEAK: ${h.needle} (${h.form}) in ${h.where} at byte ${h.offset}`);
  return hits;
}
