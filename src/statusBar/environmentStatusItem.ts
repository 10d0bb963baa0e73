// Status-bar environment switcher: `$(globe) Staging` plus the token state; click → switch environment.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import type { AuthService } from '../core/authService';
import type { Environment, TokenState } from '../core/model';
import type { EnvironmentRegistry } from '../host/services';

export interface CredentialPresence {
  has(environmentId: string): Promise<boolean>;
  readonly onDidChange: vscode.Event<string>;
}

export class EnvironmentStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private expiryTimer: NodeJS.Timeout | undefined;
  private hasCredentials = false;
  private renderSeq = 0;

  constructor(
    private readonly environments: EnvironmentRegistry,
    private readonly auth: AuthService,
    private readonly credentials: CredentialPresence,
  ) {
    this.item = vscode.window.createStatusBarItem('studyteam.environment', vscode.StatusBarAlignment.Left, 100);
    this.item.name = 'StudyTeam Environment';
    this.item.command = Commands.switchEnvironment;
    this.disposables.push(
      this.item,
      environments.onDidChange(() => {
        this.render();
        void this.refresh();
      }),
      auth.onDidChangeState(() => this.render()),
      credentials.onDidChange(() => void this.refresh()),
    );
    this.render();
    this.item.show();
    void this.refresh();
  }

  /** The rendered text and tooltip (tests read these). */
  get text(): string {
    return this.item.text;
  }
  get tooltipText(): string {
    const t = this.item.tooltip;
    return typeof t === 'string' ? t : (t?.value ?? '');
  }
  /** What screen readers announce (tests). */
  get accessibilityText(): string {
    return this.item.accessibilityInformation?.label ?? '';
  }

  get isProductionStyled(): boolean {
    return this.item.backgroundColor !== undefined;
  }

  /** Re-reads whether the active environment has credentials, then renders. */
  async refresh(): Promise<void> {
    const seq = ++this.renderSeq;
    const env = this.environments.active();
    const has = await this.credentials.has(env.id).catch(() => false);
    if (seq !== this.renderSeq) return;
    this.hasCredentials = has;
    this.render();
  }

  render(): void {
    const env = this.environments.active();
    const state = this.auth.state(env.id);
    const { icon, label } = describeState(state, this.hasCredentials);
    this.item.text = `$(globe) ${env.name}${icon ? ` ${icon}` : ''}`;
    this.item.backgroundColor = env.production ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: accessibilityLabel(env.name, env.production, label), role: 'button' };
    this.item.tooltip = tooltipFor(env, label, this.auth.tokenRequestCount(env.id), !this.hasCredentials && state.kind !== 'valid');
    this.scheduleExpiryRender(state);
  }

  dispose(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    for (const d of this.disposables) d.dispose();
  }

  private scheduleExpiryRender(state: TokenState): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (state.kind === 'valid') {
      const ms = Math.min(Math.max(state.expiresAt - Date.now() + 50, 1000), 2 ** 31 - 1);
      this.expiryTimer = setTimeout(() => this.render(), ms);
      this.expiryTimer.unref?.();
    }
  }
}

export function describeState(state: TokenState, hasCredentials: boolean): { icon: string; label: string } {
  switch (state.kind) {
    case 'fetching':
      return { icon: '$(sync~spin)', label: 'fetching a token…' };
    case 'valid':
      return state.expiresAt > Date.now()
        ? { icon: '$(pass)', label: `token valid until ${clockTime(state.expiresAt)}` }
        : { icon: '$(history)', label: 'token expired' };
    case 'expired':
      return { icon: '$(history)', label: 'token expired' };
    case 'error':
      return { icon: '$(error)', label: `last error: ${state.message}` };
    case 'none':
      return hasCredentials ? { icon: '', label: 'no token yet' } : { icon: '$(key)', label: 'no credentials' };
  }
}

function tooltipFor(env: Environment, stateLabel: string, tokenRequests: number, offerCredentials: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  // Only this one command may run from the tooltip's links.
  md.isTrusted = { enabledCommands: [Commands.setCredentials] };
  md.appendMarkdown(`**StudyTeam: ${escapeMd(env.name)}**${env.production ? ' — production' : ''}\n\n`);
  md.appendMarkdown(`${escapeMd(env.baseUrl)}\n\n`);
  md.appendMarkdown(`Token: ${escapeMd(stateLabel)}\n\n`);
  if (offerCredentials) {
    const args = encodeURIComponent(JSON.stringify([env.id]));
    md.appendMarkdown(`$(key) [Set credentials…](command:${Commands.setCredentials}?${args} "Client ID, client secret and audience")\n\n`);
  }
  md.appendMarkdown(`Token requests this session: ${tokenRequests}\n\n`);
  md.appendMarkdown('Click to switch environment');
  return md;
}

function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/**
 * What a screen reader says for the status item, one clean sentence pair: "StudyTeam environment Staging: token
 * valid until 14:05. Press to switch environments." — no "…", no doubled full stops, an error cut to its first
 * sentence, and "production" said out loud (sighted users see it as a red background).
 */
export function accessibilityLabel(environmentName: string, production: boolean, stateLabel: string): string {
  const firstSentence = stateLabel.split(/(?<=[.!?])\s/)[0] ?? stateLabel;
  const state = firstSentence.replace(/[….!?\s]+$/u, '');
  return `StudyTeam environment ${environmentName}${production ? ' (production)' : ''}: ${state}. Press to switch environments.`;
}
