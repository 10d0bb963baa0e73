// Quick input (QuickPick / InputBox) of the real workbench, through the UI driver: read what it shows,
// type into it and accept, as a user does. Only under the code-server harness (uiDriverAvailable()).
import { pressKey, uiCommand, workbenchEval } from './uiDriver';

export interface QuickInputState {
  readonly visible: boolean;
  readonly title: string;
  readonly placeholder: string;
  /** The prompt, or the validation message while one is shown. */
  readonly message: string;
  readonly value: string;
  readonly password: boolean;
  /** Visible rows of a QuickPick: aria-label and whether the row has keyboard focus. */
  readonly items: ReadonlyArray<{ readonly label: string; readonly focused: boolean }>;
}

export async function quickInputState(): Promise<QuickInputState> {
  return workbenchEval<QuickInputState>(`(() => {
    const widget = document.querySelector('.quick-input-widget');
    const visible = !!widget && widget.style.display !== 'none' && widget.offsetParent !== null;
    const input = widget && widget.querySelector('.quick-input-box input');
    const text = (selector) => ((widget && widget.querySelector(selector)) || {}).textContent || '';
    const rows = widget ? [...widget.querySelectorAll('.quick-input-list .monaco-list-row')] : [];
    return {
      visible,
      title: text('.quick-input-title'),
      placeholder: (input && input.getAttribute('placeholder')) || '',
      message: text('.quick-input-message'),
      value: (input && input.value) || '',
      password: !!input && input.type === 'password',
      items: rows.map((row) => ({ label: row.getAttribute('aria-label') || row.textContent || '', focused: row.classList.contains('focused') })),
    };
  })()`);
}

/** Polls until a visible quick input satisfies `accept` (e.g. its title names the step); returns its state. */
export async function waitForQuickInput(what: string, accept: (state: QuickInputState) => boolean, timeoutMs = 10_000): Promise<QuickInputState> {
  const deadline = Date.now() + timeoutMs;
  let state: QuickInputState | undefined;
  while (Date.now() < deadline) {
    state = await quickInputState();
    if (state.visible && accept(state)) return state;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`No quick input showing ${what} within ${timeoutMs} ms; last: ${JSON.stringify(state)}`);
}

/** Replaces the quick input's text by typing `text` (select all, then type), as a user does. */
export async function typeInQuickInput(text: string): Promise<void> {
  await pressKey('Control+a');
  if (text) await uiCommand({ op: 'typeText', text });
  else await pressKey('Backspace');
}

/** Enter: accepts the focused item or the typed value. */
export async function acceptQuickInput(): Promise<void> {
  await pressKey('Enter');
}
