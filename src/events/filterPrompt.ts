// Asks for the Events filter: event types (multi-select of the known v1.* types, plus any typed in), optional
// trial ids, and where to start. Returns undefined when the user cancels at any step.
import * as vscode from 'vscode';
import { StudyTeamError } from '../core/errors';
import { DEFAULT_FILTER, EVENT_TYPE_PATTERN, KNOWN_EVENT_TYPES, parseSince, validateFilter, type FeedFilter, type FeedStart } from '../core/eventFeed';

interface TypeItem extends vscode.QuickPickItem {
  readonly eventType: string;
}

export async function promptForFilter(environmentName: string, current: FeedFilter | undefined): Promise<FeedFilter | undefined> {
  const base = current ?? DEFAULT_FILTER;
  const eventTypes = await pickEventTypes(environmentName, base.eventTypes);
  if (!eventTypes) return undefined;
  const trialText = await vscode.window.showInputBox({
    title: `StudyTeam Events (${environmentName}): trial ids (2/3)`,
    prompt: 'Optional: only events of these trials (comma-separated). Leave empty for all trials.',
    value: base.trialIds.join(', '),
    ignoreFocusOut: true,
    validateInput: (value) => (splitList(value).some((t) => /\s/.test(t)) ? 'Separate trial ids with commas.' : undefined),
  });
  if (trialText === undefined) return undefined;
  const start = await pickStart(environmentName, base.start);
  if (!start) return undefined;
  const checked = validateFilter({ eventTypes, trialIds: splitList(trialText), start });
  if (!checked.ok) throw new StudyTeamError('invalid-request', `${environmentName}: the events filter is not valid: ${checked.errors.join(' ')}`, { environmentName });
  return checked.value;
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function pickEventTypes(environmentName: string, selected: readonly string[]): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<TypeItem>();
    pick.title = `StudyTeam Events (${environmentName}): event types (1/3)`;
    pick.placeholder = 'Choose the event types to follow; type another type name and press Enter to add it';
    pick.canSelectMany = true;
    pick.ignoreFocusOut = true;
    const known = [...new Set([...KNOWN_EVENT_TYPES, ...selected])];
    const item = (eventType: string, extra = false): TypeItem => ({
      label: eventType,
      eventType,
      description: KNOWN_EVENT_TYPES.includes(eventType) ? 'documented' : extra ? 'add this type' : 'typed in earlier',
    });
    let items = known.map((t) => item(t));
    pick.items = items;
    pick.selectedItems = items.filter((i) => selected.includes(i.eventType));
    pick.onDidChangeValue((value) => {
      const typed = value.trim();
      const keep = pick.selectedItems;
      const base = items.filter((i) => i.description !== 'add this type' || keep.includes(i));
      items = typed && EVENT_TYPE_PATTERN.test(typed) && !base.some((i) => i.eventType === typed) ? [...base, item(typed, true)] : base;
      pick.items = items;
      pick.selectedItems = items.filter((i) => keep.some((k) => k.eventType === i.eventType));
    });
    let done = false;
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems.map((i) => i.eventType);
      // A type name typed and confirmed with Enter is taken along (no need to tick the added row first).
      const typed = pick.value.trim();
      if (typed && EVENT_TYPE_PATTERN.test(typed) && !chosen.includes(typed)) chosen.push(typed);
      if (!chosen.length) {
        pick.placeholder = 'Choose at least one event type (the feed requires eventTypes)';
        return;
      }
      done = true;
      resolve(chosen);
      pick.hide();
    });
    pick.onDidHide(() => {
      if (!done) resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

interface StartItem extends vscode.QuickPickItem {
  readonly start: FeedStart['kind'];
}

async function pickStart(environmentName: string, current: FeedStart): Promise<FeedStart | undefined> {
  const items: StartItem[] = [
    { start: 'now', label: 'From now', description: 'only events published from now on' },
    { start: 'since', label: 'Since a date/time…', description: current.kind === 'since' ? current.time : 'e.g. 2024-05-01 09:30 (local) or …Z (GMT)' },
    { start: 'beginning', label: 'From the beginning', description: 'everything the feed still has' },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: `StudyTeam Events (${environmentName}): start (3/3)`,
    placeHolder: 'Where should following start?',
    ignoreFocusOut: true,
  });
  if (!chosen) return undefined;
  if (chosen.start !== 'since') return { kind: chosen.start };
  const text = await vscode.window.showInputBox({
    title: `StudyTeam Events (${environmentName}): since`,
    prompt: 'Date/time: local time unless it ends in Z or an offset (2024-05-01 09:30, 2024-05-01T07:30:00Z)',
    value: current.kind === 'since' ? current.time : new Date(Date.now() - 86_400_000).toISOString(),
    ignoreFocusOut: true,
    validateInput: (value) => (parseSince(value) ? undefined : 'Not a date/time: use e.g. 2024-05-01 09:30 or 2024-05-01T07:30:00Z.'),
  });
  const time = text === undefined ? undefined : parseSince(text);
  return time ? { kind: 'since', time } : undefined;
}
