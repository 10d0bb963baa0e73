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
  // Under load the widget's title can show before its input has the keyboard focus; keys typed earlier land
  // elsewhere (e.g. the tree's type-to-find), so wait for the focus as a user's eyes would for the cursor.
  await waitForQuickInputFocus();
  await pressKey('Control+a');
  if (text) await uiCommand({ op: 'typeText', text });
  else await pressKey('Backspace');
  const deadline = Date.now() + 5_000;
  let value = '';
  while (Date.now() < deadline) {
    value = await quickInputValue();
    if (value === text) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`The quick input holds ${JSON.stringify(value)} after typing ${JSON.stringify(text)}`);
}

function quickInputValue(): Promise<string> {
  return workbenchEval<string>("document.querySelector('.quick-input-widget .quick-input-box input')?.value ?? ''");
}

async function waitForQuickInputFocus(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const focused = await workbenchEval<boolean>("!!document.activeElement?.closest?.('.quick-input-widget')");
    if (focused) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`The quick input did not get the keyboard focus within ${timeoutMs} ms`);
}

/** Enter: accepts the focused item or the typed value. */
export async function acceptQuickInput(): Promise<void> {
  await pressKey('Enter');
}
