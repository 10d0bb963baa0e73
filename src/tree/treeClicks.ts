// Single click or double click on a row of the Requests tree. VS Code gives a TreeItem one `command` and runs it on
// every "open" of the row: once for a single click, and once more for the double click that follows it (the second
// click of a double click is not reported on its own). It does not tell the extension which it was — an API for that
// was declined (microsoft/vscode#39601, #85636) — so, as other extensions do (#210043), the second run of the command
// for the same row within DOUBLE_CLICK_MS counts as a double click. No `vscode` import (unit-tested in plain Node).

/** How soon a second click on the same row counts as a double click (the usual OS default is 400–500 ms). */
export const DOUBLE_CLICK_MS = 500;

export type ClickKind = 'single' | 'double';

export class TreeClicks {
  private last: { readonly id: string; readonly at: number } | undefined;

  constructor(
    private readonly now: () => number = () => Date.now(),
    private readonly windowMs = DOUBLE_CLICK_MS,
  ) {}

  /** The row `id` was clicked (its command ran): a single click, or the second half of a double click. */
  click(id: string): ClickKind {
    const at = this.now();
    const previous = this.last;
    if (previous && previous.id === id && at - previous.at <= this.windowMs) {
      // A third click starts over: it is a single click again.
      this.last = undefined;
      return 'double';
    }
    this.last = { id, at };
    return 'single';
  }
}
