// The Getting Started walkthrough's progress: one context key per step, set when the user has really done it
// (an environment chosen, credentials stored for it or the sandbox running, a saved request, a response, a
// request saved from the panel). The walkthrough steps complete on `onContext:` these keys
// (package.json `contributes.walkthroughs`); the welcome view of the Requests view reads them too.
import * as vscode from 'vscode';
import type { RunOutcome } from '../host/services';

export const GettingStartedKeys = {
  environmentChosen: 'studyteam.walkthrough.environmentChosen',
  credentialsReady: 'studyteam.walkthrough.credentialsReady',
  hasRequests: 'studyteam.walkthrough.hasRequests',
  requestSent: 'studyteam.walkthrough.requestSent',
  requestSaved: 'studyteam.walkthrough.requestSaved',
} as const;

export type GettingStartedStep = keyof typeof GettingStartedKeys;

export interface GettingStartedDeps {
  readonly registry: {
    active(): { readonly id: string };
    readonly onDidChange: vscode.Event<void>;
    /** True when this workspace has an explicit choice of environment (from an earlier session too). */
    readonly activeWasChosen: boolean;
  };
  readonly credentials: { has(environmentId: string): Promise<boolean>; readonly onDidChange: vscode.Event<string> };
  readonly store: { allRequests(): readonly unknown[]; readonly onDidChange: vscode.Event<void>; readonly onDidSaveRequest: vscode.Event<string> };
}

export class GettingStartedProgress implements vscode.Disposable {
  private readonly state: Record<GettingStartedStep, boolean> = {
    environmentChosen: false,
    credentialsReady: false,
    hasRequests: false,
    requestSent: false,
    requestSaved: false,
  };
  private readonly disposables: vscode.Disposable[] = [];
  private activeId: string;

  constructor(private readonly deps: GettingStartedDeps) {
    this.activeId = deps.registry.active().id;
    this.disposables.push(
      deps.registry.onDidChange(() => {
        const id = deps.registry.active().id;
        if (id !== this.activeId) this.set('environmentChosen', true);
        this.activeId = id;
        void this.refreshCredentials();
      }),
      deps.credentials.onDidChange(() => void this.refreshCredentials()),
      deps.store.onDidChange(() => this.set('hasRequests', deps.store.allRequests().length > 0)),
      deps.store.onDidSaveRequest(() => this.set('requestSaved', true)),
    );
    // Keys start unset (false); only what is already true needs a setContext call.
    if (deps.registry.activeWasChosen) this.set('environmentChosen', true);
    if (deps.store.allRequests().length > 0) this.set('hasRequests', true);
    void this.refreshCredentials();
  }

  /** Called with every run's outcome: the first response (any status) completes "send your first request". */
  noteRun(outcome: RunOutcome): void {
    if (outcome.ok) this.set('requestSent', true);
  }

  /** Tests: back to where a new user starts (every key false); what happens next sets them again. */
  reset(): void {
    for (const step of Object.keys(this.state) as GettingStartedStep[]) this.set(step, false);
    this.activeId = this.deps.registry.active().id;
  }

  /** Tests: what each step's context key holds now. */
  snapshot(): Readonly<Record<GettingStartedStep, boolean>> {
    return { ...this.state };
  }

  private async refreshCredentials(): Promise<void> {
    const id = this.deps.registry.active().id;
    const has = await this.deps.credentials.has(id).catch(() => false);
    if (this.deps.registry.active().id === id) this.set('credentialsReady', has);
  }

  private set(step: GettingStartedStep, value: boolean): void {
    if (this.state[step] === value) return;
    this.state[step] = value;
    void vscode.commands.executeCommand('setContext', GettingStartedKeys[step], value);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

export const WALKTHROUGH_ID = 'studyteam.gettingStarted';

/** Opens the Getting Started walkthrough (Help › Welcome shows it too). */
export async function openGettingStarted(extensionId: string): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionId}#${WALKTHROUGH_ID}`, false);
}
