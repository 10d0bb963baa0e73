// After a window reload VS Code brings back the request panel tabs it saved with its editors. In the web that save
// happens every few seconds while the window is idle and focused, and at unload only as a best effort, so a panel
// opened or renamed just before a reload (or a browser refresh, or closing the tab) can be missing altogether. Once
// the window has settled after activation, this reopens every panel the extension's records hold (panelRecords.ts)
// that has no tab: the panels that were open when the window went and that VS Code did not restore. A tab VS Code
// did restore but has not revived yet (it revives when shown) still stands for its record, whatever the timing of
// the serializer. Closing such a tab forgets its record, so a closed panel never comes back.
import * as vscode from 'vscode';
import { REQUEST_PANEL_VIEW_TYPE } from './protocol';
import type { PersistedPanelState } from './protocol';
import { plainTitle, recordsWithoutTab } from './panelRecords';
import type { PanelRecord, PanelRecords } from './panelRecords';

export interface PanelRestoreHost {
  readonly records: PanelRecords;
  /** The panels open in this window: their record ids and tab titles. */
  live(): ReadonlyArray<{ readonly recordId: string; readonly title: string }>;
  /** Opens a panel from a kept state in that editor group, as the serializer revives one (without taking the focus). */
  reopen(state: PersistedPanelState, column: number | undefined): void;
  log(level: 'info' | 'warn', message: string): void;
}

/** At least this long after activation, and this long without a tab change, capped: then VS Code has restored. */
const SETTLE_MIN_MS = 1_500;
const QUIET_MS = 750;
const SETTLE_MAX_MS = 8_000;
const POLL_MS = 250;

function latest(record: PanelRecord): string {
  return record.titles[record.titles.length - 1] ?? '';
}

function isPanelTab(tab: vscode.Tab): boolean {
  // The tab's view type is VS Code's internal one ("mainThreadWebview-" + ours).
  return tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith(REQUEST_PANEL_VIEW_TYPE);
}

export interface PanelRestore extends vscode.Disposable {
  /** Resolves once the window has settled, with the titles of the panels reopened from the records. */
  readonly settled: Promise<readonly string[]>;
}

export function restorePanelsWithoutTab(host: PanelRestoreHost): PanelRestore {
  const started = Date.now();
  let resolveSettled: (titles: readonly string[]) => void = () => undefined;
  const settled$ = new Promise<readonly string[]>((resolve) => (resolveSettled = resolve));
  let lastTabChange = started;
  let settled = false;
  let disposed = false;
  /** Titles of tabs closed before the window settled (their records are forgotten, not reopened). */
  const closedEarly: string[] = [];

  /** Titles of the panel tabs no open panel holds: restored by VS Code, revived when shown. */
  const unrevivedTitles = (): string[] => {
    const live = host.live().map((p) => plainTitle(p.title));
    const titles: string[] = [];
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isPanelTab)) {
      const title = plainTitle(tab.label);
      const i = live.indexOf(title);
      if (i >= 0) live.splice(i, 1);
      else titles.push(title);
    }
    return titles;
  };
  const withoutTab = (): PanelRecord[] => {
    const liveIds = new Set(host.live().map((p) => p.recordId));
    return recordsWithoutTab(
      host.records.all().filter((r) => !liveIds.has(r.id)),
      unrevivedTitles(),
    );
  };

  const settle = (): void => {
    settled = true;
    let missing = withoutTab();
    if (closedEarly.length) {
      const stillOpen = recordsWithoutTab(missing, closedEarly);
      host.records.remove(...missing.filter((r) => !stillOpen.includes(r)).map((r) => r.id));
      missing = stillOpen;
    }
    const reopened: string[] = [];
    if (missing.length) {
      host.log('info', `reopening ${missing.length} request panel(s) that were open before the window reloaded but that VS Code did not restore: ${missing.map((r) => `"${latest(r)}"`).join(', ')}`);
    }
    for (const record of missing) {
      const state = host.records.takeById(record.id);
      if (!state) continue;
      try {
        host.reopen(state, record.column);
        reopened.push(latest(record));
      } catch (error) {
        host.log('warn', `could not reopen the request panel "${latest(record)}": ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    resolveSettled(reopened);
  };

  const timer = setInterval(() => {
    const now = Date.now();
    if (now - started >= SETTLE_MAX_MS || (now - started >= SETTLE_MIN_MS && now - lastTabChange >= QUIET_MS)) {
      clearInterval(timer);
      settle();
    }
  }, POLL_MS);

  const onTabs = vscode.window.tabGroups.onDidChangeTabs((e) => {
    const closed = e.closed.filter(isPanelTab).map((t) => plainTitle(t.label));
    if (!settled) {
      lastTabChange = Date.now();
      closedEarly.push(...closed);
      return;
    }
    if (closed.length === 0) return;
    // After the panel's own onDidDispose (which forgets the record of a revived panel): what is left without a tab is
    // the record of a tab closed before it was ever shown.
    setTimeout(() => {
      if (!disposed) host.records.remove(...withoutTab().map((r) => r.id));
    }, 0);
  });
  const onGroups = vscode.window.tabGroups.onDidChangeTabGroups(() => {
    if (!settled) lastTabChange = Date.now();
  });

  return {
    settled: settled$,
    dispose() {
      disposed = true;
      clearInterval(timer);
      onTabs.dispose();
      onGroups.dispose();
      if (!settled) resolveSettled([]);
    },
  };
}
