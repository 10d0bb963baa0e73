// The Events view (second view of the StudyTeam container) and its commands. Activation only creates the
// tree view and registers the commands; the controller (and its workspace-state read) is built when the view
// first renders or a command first runs. Everything is disposed through context.subscriptions.
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { StudyTeamError } from '../core/errors';
import { shortEnvironmentName } from '../core/environment';
import { eventFacts, validateFilter, type FeedEvent } from '../core/eventFeed';
import { formatSeconds } from '../core/errors';
import { showErrorNotification } from '../host/errorPresenter';
import type { HostServices } from '../host/services';
import type { ReadonlyDocuments } from '../host/readonlyDocuments';
import { EventsController } from './eventsController';
import { EVENTS_VIEW, EventsTreeProvider, type EventsNode } from './eventsTree';
import { promptForFilter } from './filterPrompt';


export interface EventsFeature {
  /** The controller, built on first use. */
  controller(): EventsController;
  readonly built: boolean;
  readonly tree: EventsTreeProvider;
  readonly treeView: vscode.TreeView<EventsNode>;
  /** Events added since the user last looked at the view (the badge). */
  unseen(): number;
  /** The status line the view shows. */
  statusLine(): string;
}

export function registerEventsView(
  context: Pick<vscode.ExtensionContext, 'subscriptions' | 'workspaceState'>,
  services: HostServices,
  extras: { documents: ReadonlyDocuments },
): EventsFeature {
  const subscriptions = context.subscriptions;
  let controller: EventsController | undefined;
  let unseen = 0;
  let resumeChecked = false;

  const tree = new EventsTreeProvider(
    () => ensure(),
    () => {
      if (resumeChecked) return;
      resumeChecked = true;
      ensure().resumeIfFollowing();
    },
  );
  subscriptions.push(tree);
  const treeView = vscode.window.createTreeView(EVENTS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  subscriptions.push(treeView);

  const setBadge = (): void => {
    treeView.badge = unseen > 0 ? { value: unseen, tooltip: `${unseen} new event${unseen === 1 ? '' : 's'} since you last looked` } : undefined;
  };
  subscriptions.push(
    treeView.onDidChangeVisibility((e) => {
      if (e.visible && unseen) {
        unseen = 0;
        setBadge();
      }
    }),
  );

  function ensure(): EventsController {
    if (controller) return controller;
    const built = new EventsController({
      environments: services.environments,
      runner: services.runner,
      workspaceState: context.workspaceState,
      logger: services.logger,
      showError: (error, env) => showErrorNotification(error, env),
      notify: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
    });
    controller = built;
    subscriptions.push(
      built,
      built.onDidChange(() => render()),
      built.onDidAddEvents((added) => {
        if (!treeView.visible) {
          unseen += added.length;
          setBadge();
        }
      }),
    );
    render();
    return built;
  }

  function render(): void {
    const c = ensure();
    const env = c.environment;
    // The view's title bar is narrow (its actions show on hover): a short name; the status line below names it in full.
    treeView.description = shortEnvironmentName(env);
    treeView.message = statusLine(c);
    void vscode.commands.executeCommand('setContext', 'studyteam.events.running', c.running);
    tree.refresh();
  }

  const run =
    <A extends unknown[]>(fn: (...args: A) => Promise<unknown> | unknown) =>
    async (...args: A): Promise<unknown> => {
      try {
        return await fn(...args);
      } catch (error) {
        void showErrorNotification(error, controller?.environment ?? services.environments.active());
        return undefined;
      }
    };

  const chooseFilterAndStart = async (input?: unknown): Promise<boolean> => {
    const c = ensure();
    let filter;
    if (input !== undefined) {
      const checked = validateFilter(input);
      if (!checked.ok) throw new StudyTeamError('invalid-request', `${c.environment.name}: the events filter is not valid: ${checked.errors.join(' ')}`, { environmentName: c.environment.name });
      filter = checked.value;
    } else {
      filter = await promptForFilter(c.environment.name, c.savedState()?.filter);
    }
    if (!filter) return false;
    await c.setFilter(filter);
    return true;
  };

  const eventById = (id: unknown): FeedEvent | undefined => (typeof id === 'string' ? ensure().events().find((e) => e.id === id) : undefined);
  const eventOf = (arg: unknown): FeedEvent | undefined => {
    if (typeof arg === 'string') return eventById(arg);
    const node = arg as EventsNode | undefined;
    return node?.kind === 'event' ? node.event : undefined;
  };

  subscriptions.push(
    vscode.commands.registerCommand(
      Commands.eventsStart,
      run(async () => ((await ensure().start()) ? true : chooseFilterAndStart())),
    ),
    vscode.commands.registerCommand(Commands.eventsPause, run(() => ensure().pause())),
    vscode.commands.registerCommand(
      Commands.eventsRefresh,
      run(async () => ((await ensure().refresh()) ? true : chooseFilterAndStart())),
    ),
    vscode.commands.registerCommand(Commands.eventsClear, run(() => ensure().clear())),
    vscode.commands.registerCommand(Commands.eventsSetFilter, run((filter?: unknown) => chooseFilterAndStart(filter))),
    vscode.commands.registerCommand(Commands.eventsShowFlat, () => tree.setFlat(true)),
    vscode.commands.registerCommand(Commands.eventsShowGrouped, () => tree.setFlat(false)),
    vscode.commands.registerCommand(Commands.eventsShowMore, () => tree.showMore()),
    vscode.commands.registerCommand(
      Commands.eventsOpenEvent,
      run(async (arg: unknown) => {
        if (arg === undefined) return undefined; // only offered on an event row
        const event = eventOf(arg);
        if (!event) throw new StudyTeamError('invalid-request', 'That event is no longer kept in the Events view (cleared or dropped by the memory limit).');
        return extras.documents.show(`event-${event.id}.json`, JSON.stringify(event, null, 2), 'json');
      }),
    ),
    vscode.commands.registerCommand(
      Commands.eventsCopyEventId,
      run(async (arg: unknown) => {
        const event = eventOf(arg);
        if (event) await vscode.env.clipboard.writeText(event.id);
        return event?.id;
      }),
    ),
    vscode.commands.registerCommand(
      Commands.eventsCopySubjectId,
      run(async (arg: unknown) => {
        const node = arg as EventsNode | undefined;
        const subjectId = node?.kind === 'subject' ? node.group.subjectId : (() => {
          const event = eventOf(arg);
          return event ? eventFacts(event).subjectId : undefined;
        })();
        if (subjectId) await vscode.env.clipboard.writeText(subjectId);
        return subjectId;
      }),
    ),
  );
  void vscode.commands.executeCommand('setContext', 'studyteam.events.running', false);

  return {
    controller: ensure,
    get built() {
      return controller !== undefined;
    },
    tree,
    treeView,
    unseen: () => unseen,
    statusLine: () => statusLine(ensure()),
  };
}

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

/** One line for the view's message area. */
export function statusLine(c: EventsController): string {
  const env = c.environment;
  const status = c.status;
  const kept = c.events().length;
  const dropped = c.dropped ? ` · ${c.dropped.toLocaleString()} older events dropped (keeping the newest ${kept.toLocaleString()})` : '';
  switch (status.kind) {
    case 'fetching':
      return `Following ${env.name}: reading page ${status.page}… · ${kept} events${dropped}`;
    case 'waiting':
      return `Following ${env.name}: caught up · next poll at ${clockTime(status.nextAttemptAt)} · ${kept} events${dropped}`;
    case 'backoff':
      return `${status.message} Retrying at ${clockTime(status.nextAttemptAt)} (in ${formatSeconds((status.nextAttemptAt - Date.now()) / 1000)}, attempt ${status.attempt + 1})${dropped}`;
    case 'failed':
      return `⚠ ${status.error.message}`;
    default: {
      const saved = c.savedState();
      if (!saved) return `Not following ${env.name}. Start (▷) to choose event types and follow the feed.`;
      const where = saved.position?.lastEventId ? ` after event ${saved.position.lastEventId}` : '';
      return `Paused (${env.name}). Start resumes${where}.${kept ? ` · ${kept} events` : ''}${dropped}`;
    }
  }
}
