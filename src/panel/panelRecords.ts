// The host's own copy of each open request panel's disk-safe state, in the workspace state. In the web, VS Code
// writes its open editors (with each webview's setState copy) to storage only now and then (every few seconds when
// the window is idle and focused, on focus loss) and at unload only as a best effort, so after a reload a panel can
// come back without its state, or not at all. This copy is written as the draft changes (workspace state reaches
// storage within a moment): the serializer falls back to it, matched by the tab title VS Code kept, and a panel that
// has no tab at all is reopened from it (panelRestore.ts). A record goes when its panel is closed. Same rules as the
// webview's copy: diskSafeState, so never a body nor a credential value (nothing the saved-requests file refuses).
import { diskSafeState } from './diskState';
import { isPersistedPanelState } from './protocolGuards';
import type { PersistedPanelState } from './protocol';

/** The part of vscode.Memento used here. */
export interface PanelMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export interface PanelRecord {
  readonly id: string;
  /** The tab titles this panel had (newest last, without the ● of unsaved edits). */
  readonly titles: readonly string[];
  readonly at: number;
  readonly state: PersistedPanelState;
  /** The editor group (view column, 1-based) it was last seen in. */
  readonly column?: number;
}

const KEY = 'studyteam.requestPanels';
const MAX_RECORDS = 30;
const MAX_TITLES = 5;
const UNNAMED = 'New Request';

/** A tab title without the ● of unsaved edits. */
export function plainTitle(title: string): string {
  return title.replace(/^●\s*/, '').trim();
}

/** The record a tab with this title stands for: the newest whose latest title it is, else the newest that had it. */
function matchTitle(newestFirst: readonly PanelRecord[], plain: string): PanelRecord | undefined {
  return newestFirst.find((r) => r.titles[r.titles.length - 1] === plain) ?? newestFirst.find((r) => r.titles.includes(plain));
}

/**
 * The records no tab stands for: each title (of a tab VS Code restored that no panel has taken yet) accounts for one
 * record, as in matchTitle; the records left over are panels whose tab VS Code did not restore. Oldest first.
 */
export function recordsWithoutTab(records: readonly PanelRecord[], tabTitles: readonly string[]): PanelRecord[] {
  const left = [...records].reverse();
  for (const title of tabTitles) {
    const found = matchTitle(left, plainTitle(title));
    if (found) left.splice(left.indexOf(found), 1);
  }
  return left.reverse();
}

/** An editor group's view column (1-9). */
function isColumn(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 9;
}

function isPanelRecord(x: unknown): x is PanelRecord {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    typeof r.id === 'string' &&
    Array.isArray(r.titles) &&
    r.titles.every((t) => typeof t === 'string') &&
    typeof r.at === 'number' &&
    (r.column === undefined || isColumn(r.column)) &&
    isPersistedPanelState(r.state)
  );
}

export class PanelRecords {
  constructor(private readonly memento: PanelMemento) {}

  /** Every record, oldest first. */
  all(): PanelRecord[] {
    const value = this.memento.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter(isPanelRecord) : [];
  }

  private write(records: readonly PanelRecord[]): void {
    void Promise.resolve(this.memento.update(KEY, records.length ? records.slice(-MAX_RECORDS) : undefined)).catch(() => undefined);
  }

  /** Keeps the disk-safe copy of a panel's state under its tab title (and the editor group it is in). */
  put(id: string, title: string, state: PersistedPanelState, column?: number): void {
    const records = this.all();
    const old = records.find((r) => r.id === id);
    const plain = plainTitle(title);
    // The current title last (a rename back to an older title moves it there).
    const titles = old ? [...old.titles.filter((t) => t !== plain), plain].slice(-MAX_TITLES) : [plain];
    const safe = diskSafeState(state);
    const where = isColumn(column) ? { column } : {};
    if (old && JSON.stringify([old.titles, old.state, old.column]) === JSON.stringify([titles, safe, where.column])) return;
    this.write([...records.filter((r) => r.id !== id), { id, titles, at: Date.now(), state: safe, ...where }]);
  }

  remove(...ids: string[]): void {
    const records = this.all();
    if (records.some((r) => ids.includes(r.id))) this.write(records.filter((r) => !ids.includes(r.id)));
  }

  /** The kept state of that record, removed from the records (the reopened panel keeps its own). */
  takeById(id: string): PersistedPanelState | undefined {
    const found = this.all().find((r) => r.id === id);
    if (found) this.remove(id);
    return found?.state;
  }

  /** How many records (but those of `except`, the open panels) had this tab title. */
  countTitled(title: string, except: ReadonlySet<string> = new Set()): number {
    const plain = plainTitle(title);
    return this.all().filter((r) => !except.has(r.id) && r.titles.includes(plain)).length;
  }

  /**
   * The newest kept state of a panel that had this tab title (but the records of `except`, the open panels),
   * removed from the records (a restored panel keeps its own record from then on); undefined when none had it.
   */
  take(title: string, except: ReadonlySet<string> = new Set()): PersistedPanelState | undefined {
    const plain = plainTitle(title);
    // "New Request" is what every empty panel is called: it says nothing about which panel this was.
    if (!plain || plain === UNNAMED) return undefined;
    const records = this.all();
    const found = matchTitle([...records].reverse().filter((r) => !except.has(r.id)), plain);
    if (!found) return undefined;
    this.write(records.filter((r) => r !== found));
    return found.state;
  }
}
