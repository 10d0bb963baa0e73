// The Events view's state for the active environment: one EventFollower, its filter and position kept per
// environment in workspace state (never a message), the new-events count and the status line. Switching
// environment stops following and starts nothing without the user.
import * as vscode from 'vscode';
import { restoreFeedState, type FeedEvent, type FeedFilter, type SavedFeedState } from '../core/eventFeed';
import { EventFollower, type FollowerChange, type FollowerStatus } from '../core/eventFollower';
import type { Environment, Logger } from '../core/model';
import type { FeedRunner } from '../core/eventFollower';
import type { EnvironmentRegistry } from '../host/services';
import { settings } from '../host/settings';

export const EVENTS_STATE_PREFIX = 'studyteam.events.state.';
const SAVE_THROTTLE_MS = 300;

export interface EventsControllerDeps {
  readonly environments: EnvironmentRegistry;
  readonly runner: FeedRunner;
  readonly workspaceState: vscode.Memento;
  readonly logger: Logger;
  /** The one error presenter. */
  readonly showError: (error: unknown, environment?: Environment) => Promise<void>;
  /** Informational notification for the chosen event types; resolves to the action picked. */
  readonly notify: (message: string, ...actions: string[]) => Thenable<string | undefined>;
}

export class EventsController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the events, the status or the environment change (the tree re-renders). */
  readonly onDidChange = this.changed.event;
  private readonly newEvents = new vscode.EventEmitter<readonly FeedEvent[]>();
  readonly onDidAddEvents = this.newEvents.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.newEvents];
  private env: Environment;
  private follower: EventFollower | undefined;
  private followerSubscription: { dispose(): void } | undefined;
  private droppedTotal = 0;
  private caughtUpOnce = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private lastSave: Promise<void> = Promise.resolve();
  private reportedError: unknown;

  constructor(private readonly deps: EventsControllerDeps) {
    this.env = deps.environments.active();
    this.disposables.push(deps.environments.onDidChange(() => void this.environmentsChanged()));
  }

  get environment(): Environment {
    return this.env;
  }

  get status(): FollowerStatus {
    return this.follower?.status ?? { kind: 'stopped' };
  }

  get running(): boolean {
    return this.follower?.running ?? false;
  }

  /** Kept events in feed order. */
  events(): readonly FeedEvent[] {
    return this.follower?.events() ?? [];
  }

  /** Older events dropped by the memory bound since the last Clear. */
  get dropped(): number {
    return this.droppedTotal;
  }

  stats(): ReturnType<EventFollower['stats']> | undefined {
    return this.follower?.stats();
  }

  /** The saved filter/position of the active environment (what a reload resumes from). */
  savedState(): SavedFeedState | undefined {
    return restoreFeedState(this.env, this.deps.workspaceState.get<unknown>(stateKey(this.env)));
  }

  /** Resolves once the last position write reached workspace state. */
  flushed(): Promise<void> {
    if (this.saveTimer) this.saveNow();
    return this.lastSave;
  }

  /** On the view's first render: resume if the window closed while following. */
  resumeIfFollowing(): void {
    if (this.savedState()?.following && !this.running) void this.start();
  }

  /**
   * Starts or resumes following with the saved filter. Returns false when there is no filter yet (the caller
   * asks for one and calls setFilter).
   */
  async start(): Promise<boolean> {
    if (this.running) return true;
    if (!this.follower) {
      const saved = this.savedState();
      if (!saved) return false;
      this.attach(saved.filter, saved.position);
    }
    this.caughtUpOnce = false;
    this.reportedError = undefined;
    this.follower!.start();
    this.save(true);
    this.changed.fire();
    return true;
  }

  async pause(): Promise<void> {
    const follower = this.follower;
    if (!follower?.running) return;
    await follower.stop();
    this.save(false);
    await this.flushed();
    this.changed.fire();
  }

  /** Polls now (ends a wait or back-off); starts when paused. */
  async refresh(): Promise<boolean> {
    if (this.follower?.running) {
      this.follower.refresh();
      return true;
    }
    return this.start();
  }

  /** Empties the view; the position stays, so cleared events do not come back. */
  clear(): void {
    this.follower?.clear();
    this.droppedTotal = 0;
    this.changed.fire();
  }

  /** A new filter starts a new follow from its start (the old position no longer applies). */
  async setFilter(filter: FeedFilter): Promise<void> {
    await this.detach();
    const state: SavedFeedState = { version: 1, filter };
    await this.deps.workspaceState.update(stateKey(this.env), state);
    this.attach(filter, undefined);
    await this.start();
  }

  dispose(): void {
    if (this.saveTimer) this.saveNow();
    void this.follower?.stop();
    this.followerSubscription?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  private attach(filter: FeedFilter, position: SavedFeedState['position']): void {
    const follower = new EventFollower({
      runner: this.deps.runner,
      environment: this.env,
      filter,
      position,
      pollMs: () => settings.eventsPollSeconds() * 1000,
      maxKept: () => settings.eventsMaxKept(),
      logger: this.deps.logger,
    });
    this.follower = follower;
    this.droppedTotal = 0;
    this.followerSubscription = follower.onDidChange((change) => this.followerChanged(follower, change));
  }

  private async detach(): Promise<void> {
    const follower = this.follower;
    this.follower = undefined;
    this.followerSubscription?.dispose();
    this.followerSubscription = undefined;
    if (follower) {
      await follower.stop();
      this.persist(follower, false);
    }
    this.droppedTotal = 0;
    this.changed.fire();
  }

  private followerChanged(follower: EventFollower, change: FollowerChange): void {
    if (follower !== this.follower) return;
    this.droppedTotal += change.dropped;
    if (change.positionChanged) this.scheduleSave();
    if (change.added.length) {
      this.newEvents.fire(change.added);
      if (this.caughtUpOnce) this.notifyChosenTypes(change.added);
    }
    const status = change.status;
    if (status.kind === 'waiting') this.caughtUpOnce = true;
    if (status.kind === 'failed' && this.reportedError !== status.error) {
      this.reportedError = status.error;
      this.save(false);
      void this.deps.showError(status.error, this.env);
    }
    this.changed.fire();
  }

  private notifyChosenTypes(added: readonly FeedEvent[]): void {
    const chosen = settings.eventsNotifyTypes();
    if (!chosen.length) return;
    const counts = new Map<string, number>();
    for (const event of added) if (chosen.includes(event.eventType)) counts.set(event.eventType, (counts.get(event.eventType) ?? 0) + 1);
    if (!counts.size) return;
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const types = [...counts.entries()].map(([type, n]) => `${n} × ${type}`).join(', ');
    void this.deps.notify(`StudyTeam ${this.env.name}: ${total} new event${total === 1 ? '' : 's'} (${types}).`, 'Show Events').then((pick) => {
      if (pick) void vscode.commands.executeCommand('studyteam.events.focus');
    });
  }

  private async environmentsChanged(): Promise<void> {
    const next = this.deps.environments.active();
    const same = next.id === this.env.id && next.baseUrl === this.env.baseUrl && next.name === this.env.name && next.production === this.env.production;
    if (same) return;
    const wasRunning = this.running;
    await this.detach();
    if (wasRunning) this.deps.logger.log('info', 'events', `${this.env.name}: stopped following (the active environment changed to ${next.name})`);
    this.env = next;
    this.changed.fire();
  }

  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.saveNow(), SAVE_THROTTLE_MS);
  }

  private saveNow(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.follower) this.persist(this.follower, this.follower.running);
  }

  private save(following: boolean): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (this.follower) this.persist(this.follower, following);
  }

  /** Filter + position (+ whether following) only: never a message. */
  private persist(follower: EventFollower, following: boolean): void {
    const position = follower.position();
    const state: SavedFeedState = { version: 1, filter: follower.filter, ...(position ? { position } : {}), ...(following ? { following: true } : {}) };
    const env = follower.environment;
    this.lastSave = this.lastSave.then(() => this.deps.workspaceState.update(stateKey(env), state)).then(undefined, (error: unknown) => {
      this.deps.logger.log('warn', 'events', `${env.name}: could not save the feed position: ${String(error)}`);
    });
  }
}

function stateKey(env: Environment): string {
  return `${EVENTS_STATE_PREFIX}${env.id}`;
}
