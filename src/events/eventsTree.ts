// The Events tree: a header for the environment (coloured like the status bar for production), then the
// kept events grouped by subject (newest activity first, a timeline under each) or flat (newest first).
import * as vscode from 'vscode';
import { Commands } from '../commandIds';
import { eventFacts, type FeedEvent, type FeedFilter } from '../core/eventFeed';
import { eventWhere, formatPublished, formatPublishedShort, groupBySubject, shortEventType, type SubjectGroup } from '../core/eventGroups';
import type { EventsController } from './eventsController';

export const EVENTS_VIEW = 'studyteam.events';

export type EventsNode =
  | { readonly kind: 'header' }
  | { readonly kind: 'subject'; readonly group: SubjectGroup }
  | { readonly kind: 'event'; readonly event: FeedEvent; readonly inSubject: boolean }
  /** The rows beyond the display limit, as one "Show More" row. */
  | { readonly kind: 'more'; readonly hidden: number; readonly what: 'subjects' | 'events' };

const REFRESH_DEBOUNCE_MS = 150;
/** Rows listed at the top level before a "Show More" row: keeps each render cheap with thousands of events. */
export const DISPLAY_PAGE = 500;

export class EventsTreeProvider implements vscode.TreeDataProvider<EventsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<EventsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private flatMode = false;
  private limit = DISPLAY_PAGE;
  private timer: NodeJS.Timeout | undefined;
  private groupsCache: { events: readonly FeedEvent[]; length: number; groups: SubjectGroup[] } | undefined;

  constructor(
    private readonly controller: () => EventsController,
    private readonly onFirstRender: () => void,
  ) {}

  get flat(): boolean {
    return this.flatMode;
  }

  setFlat(flat: boolean): void {
    this.flatMode = flat;
    this.limit = DISPLAY_PAGE;
    void vscode.commands.executeCommand('setContext', 'studyteam.events.flat', flat);
    this.refreshNow();
  }

  /** Lists DISPLAY_PAGE more rows at the top level. */
  showMore(): void {
    this.limit += DISPLAY_PAGE;
    this.refreshNow();
  }

  /** Coalesces bursts (a catch-up of many pages) into one re-render. */
  refresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.refreshNow(), REFRESH_DEBOUNCE_MS);
  }

  refreshNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.groupsCache = undefined;
    this.changed.fire(undefined);
  }

  /** Subjects in display order (tests read this). */
  groups(): SubjectGroup[] {
    const events = this.controller().events();
    const cache = this.groupsCache;
    if (cache && cache.events === events && cache.length === events.length) return cache.groups;
    const groups = groupBySubject(events);
    this.groupsCache = { events, length: events.length, groups };
    return groups;
  }

  getChildren(node?: EventsNode): EventsNode[] {
    this.onFirstRender();
    if (!node) {
      const events = this.controller().events();
      const header: EventsNode = { kind: 'header' };
      const out: EventsNode[] = [header];
      if (this.flatMode) {
        const last = Math.max(0, events.length - this.limit);
        for (let i = events.length - 1; i >= last; i--) out.push({ kind: 'event', event: events[i], inSubject: false });
        if (last > 0) out.push({ kind: 'more', hidden: last, what: 'events' });
        return out;
      }
      const groups = this.groups();
      const shown = Math.min(groups.length, this.limit);
      for (let i = 0; i < shown; i++) out.push({ kind: 'subject', group: groups[i] });
      if (groups.length > shown) out.push({ kind: 'more', hidden: groups.length - shown, what: 'subjects' });
      return out;
    }
    if (node.kind === 'subject') return node.group.events.map((event): EventsNode => ({ kind: 'event', event, inSubject: true }));
    return [];
  }

  /** For reveal(): an event in a subject's timeline has that subject as parent. */
  getParent(node: EventsNode): EventsNode | undefined {
    if (node.kind !== 'event' || !node.inSubject) return undefined;
    const subjectId = eventFacts(node.event).subjectId;
    const group = this.groups().find((g) => g.subjectId === subjectId);
    return group ? { kind: 'subject', group } : undefined;
  }

  getTreeItem(node: EventsNode): vscode.TreeItem {
    if (node.kind === 'header') return this.headerItem();
    if (node.kind === 'more') return moreItem(node.hidden, node.what);
    if (node.kind === 'subject') return subjectItem(node.group);
    return eventItem(node.event, node.inSubject);
  }

  /** Tooltips are built when the user hovers, not for every row of every render. */
  resolveTreeItem(item: vscode.TreeItem, node: EventsNode): vscode.TreeItem {
    if (node.kind === 'subject') item.tooltip = subjectTooltip(node.group);
    else if (node.kind === 'event') item.tooltip = eventTooltip(node.event);
    return item;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }

  private headerItem(): vscode.TreeItem {
    const controller = this.controller();
    const env = controller.environment;
    const filter = controller.savedState()?.filter;
    const item = new vscode.TreeItem(env.name, vscode.TreeItemCollapsibleState.None);
    item.id = 'header';
    item.contextValue = 'environment';
    item.description = `${env.production ? 'production · ' : ''}${filter ? describeFilter(filter) : 'no filter yet'}`;
    item.iconPath = new vscode.ThemeIcon('globe', env.production ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined);
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMd(env.name)}**${env.production ? ' (production)' : ''} — ${escapeMd(env.baseUrl)}\n\n${filter ? escapeMd(describeFilter(filter)) : 'No filter yet.'}\n\nClick to change the filter.`,
    );
    item.command = { command: Commands.eventsSetFilter, title: 'Set Filter…' };
    return item;
  }
}

export function describeFilter(filter: FeedFilter): string {
  const types = filter.eventTypes.map(shortEventType).join(', ');
  const trials = filter.trialIds.length ? ` · trials ${filter.trialIds.join(', ')}` : '';
  const start = filter.start.kind === 'beginning' ? 'from the beginning' : filter.start.kind === 'now' ? 'new events only' : `since ${formatPublished(filter.start.time)}`;
  return `${types}${trials} · ${start}`;
}

function subjectItem(group: SubjectGroup): vscode.TreeItem {
  const label = group.subjectId ?? '(no subject id)';
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `subject:${group.subjectId ?? ''}`;
  item.contextValue = group.subjectId ? 'subject' : 'subjectless';
  const n = group.events.length;
  item.description = `${group.latestStatus ?? 'status unknown'} · ${n} event${n === 1 ? '' : 's'} · ${formatPublishedShort(group.latestEvent.publishedTime)}`;
  item.iconPath = PERSON_ICON;
  return item;
}

function subjectTooltip(group: SubjectGroup): vscode.MarkdownString {
  const n = group.events.length;
  return new vscode.MarkdownString(
    `**Subject ${escapeMd(group.subjectId ?? '(no subject id)')}**\n\nLatest status: ${escapeMd(group.latestStatus ?? 'unknown')}\n\n${n} event${n === 1 ? '' : 's'}; latest: ${escapeMd(group.latestEvent.eventType)} at ${escapeMd(formatPublished(group.latestEvent.publishedTime))}`,
  );
}

function moreItem(hidden: number, what: 'subjects' | 'events'): vscode.TreeItem {
  const item = new vscode.TreeItem(`Show ${Math.min(hidden, DISPLAY_PAGE).toLocaleString()} more ${what}…`, vscode.TreeItemCollapsibleState.None);
  item.id = 'more';
  item.contextValue = 'more';
  item.description = `${hidden.toLocaleString()} older ${what} not listed`;
  item.iconPath = new vscode.ThemeIcon('ellipsis');
  item.command = { command: Commands.eventsShowMore, title: 'Show More Events' };
  return item;
}

function eventItem(event: FeedEvent, inSubject: boolean): vscode.TreeItem {
  const facts = eventFacts(event);
  const item = new vscode.TreeItem(shortEventType(event.eventType), vscode.TreeItemCollapsibleState.None);
  item.id = `event:${inSubject ? 's' : 'f'}:${event.id}`;
  item.contextValue = facts.subjectId ? 'event' : 'eventWithoutSubject';
  const where = eventWhere(event);
  const who = inSubject ? '' : facts.subjectId ? `${facts.subjectId} · ` : '';
  item.description = `${who}${formatPublished(event.publishedTime)}${where ? ` · ${where}` : ''}`;
  item.iconPath = iconFor(event.eventType);
  item.command = { command: Commands.eventsOpenEvent, title: 'Open Event JSON', arguments: [event.id] };
  return item;
}

function eventTooltip(event: FeedEvent): vscode.MarkdownString {
  const facts = eventFacts(event);
  const where = eventWhere(event);
  const lines = [
    `**${escapeMd(event.eventType)}**`,
    `Event id: \`${escapeMd(event.id)}\``,
    `Published: ${escapeMd(formatPublished(event.publishedTime))}`,
    facts.subjectId ? `Subject: ${escapeMd(facts.subjectId)}` : undefined,
    facts.patientStatus ? `Status: ${escapeMd(facts.patientStatus)}` : undefined,
    where ? escapeMd(where) : undefined,
    'Click to open the JSON.',
  ];
  return new vscode.MarkdownString(lines.filter(Boolean).join('\n\n'));
}

const PERSON_ICON = new vscode.ThemeIcon('person');
const CREATED_ICON = new vscode.ThemeIcon('person-add');
const ACKNOWLEDGED_ICON = new vscode.ThemeIcon('check');
const OTHER_ICON = new vscode.ThemeIcon('circle-outline');

function iconFor(eventType: string): vscode.ThemeIcon {
  if (eventType.endsWith('.created')) return CREATED_ICON;
  if (eventType.endsWith('.referralAcknowledged')) return ACKNOWLEDGED_ICON;
  return OTHER_ICON;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
