// "StudyTeam: Sandbox: Acknowledge Referral…": plays the site user of a running local sandbox — picks a
// referral subject and a new status, and the sandbox publishes `v1.patient.referralAcknowledged`, so an
// events feed being watched changes. Only for sandboxes; nothing is sent to a real environment.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { SUBJECT_STATUSES } from '../core/studyTeamVocabulary';
import type { SandboxController } from './sandboxController';
import { showErrorNotification } from '../host/errorPresenter';

/** Arguments for scripted use (tests); without them the command asks. */
export interface AcknowledgeReferralArgs {
  /** Sandbox environment id (default: the only running one, or "sandbox"). */
  readonly environmentId?: string;
  readonly siteId: string;
  readonly subjectId: string;
  /** New subject status (default preScreening). */
  readonly status?: string;
}

export interface AcknowledgeReferralResult {
  readonly eventId: string;
  readonly siteId: string;
  readonly subjectId: string;
  readonly status: string;
}

function isArgs(value: unknown): value is AcknowledgeReferralArgs {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['siteId'] === 'string' && typeof v['subjectId'] === 'string';
}

export function registerAcknowledgeReferralCommand(subscriptions: vscode.Disposable[], controller: SandboxController): void {
  subscriptions.push(
    vscode.commands.registerCommand(Commands.sandboxAcknowledgeReferral, async (args?: unknown): Promise<AcknowledgeReferralResult | undefined> => {
      const scripted = isArgs(args) ? args : undefined;
      const running = controller.list();
      if (running.length === 0) {
        void vscode.window.showInformationMessage('StudyTeam: no local sandbox is running. Start one with "StudyTeam: Start Local Sandbox".');
        return undefined;
      }
      let entry = running.find((r) => r.environment.id === (scripted?.environmentId ?? 'sandbox')) ?? (running.length === 1 ? running[0] : undefined);
      if (!entry) {
        const picked = await vscode.window.showQuickPick(
          running.map((r) => ({ label: r.environment.name, description: r.server.url, entry: r })),
          { title: 'Acknowledge a referral on which sandbox?' },
        );
        entry = picked?.entry;
      }
      if (!entry) return undefined;
      const server = entry.server;

      let siteId = scripted?.siteId;
      let subjectId = scripted?.subjectId;
      if (!scripted) {
        const picked = await vscode.window.showQuickPick(
          server.recentSubjects(100).map((s) => ({
            label: s.subjectId,
            description: `site ${s.siteId} · ${s.trialId} · ${s.status}`,
            detail: s.reviewed ? 'Already acknowledged: acknowledging again moves its status' : 'Not acknowledged yet',
            subject: s,
          })),
          { title: `${entry.environment.name}: acknowledge which referral? (newest first)`, matchOnDescription: true },
        );
        if (!picked) return undefined;
        siteId = picked.subject.siteId;
        subjectId = picked.subject.subjectId;
      }
      let status = scripted?.status;
      if (!scripted) {
        // preScreening first: what a site usually moves a fresh referral to.
        const order = ['preScreening', ...SUBJECT_STATUSES.filter((s) => s !== 'preScreening')];
        const picked = await vscode.window.showQuickPick(order.map((s) => ({ label: s })), { title: `New status of ${subjectId}` });
        if (!picked) return undefined;
        status = picked.label;
      }
      const result = server.acknowledgeReferral(siteId!, subjectId!, status);
      if ('message' in result) {
        if (!scripted) void showErrorNotification(`Sandbox: ${result.message}.`);
        return undefined;
      }
      if (!scripted) {
        void vscode.window.showInformationMessage(
          `StudyTeam sandbox: ${subjectId} acknowledged (status ${result.subject.status}); v1.patient.referralAcknowledged published.`,
        );
      }
      return { eventId: result.eventId, siteId: siteId!, subjectId: subjectId!, status: result.subject.status };
    }),
  );
}
