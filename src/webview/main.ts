// The request panel's webview: composes a request (requestForm.ts) and shows the response (responseView.ts). No
// network access of its own — everything goes to the host as typed protocol messages (src/panel/protocol.ts,
// hostLink.ts), and everything that arrives is validated before it is used. This file wires the two halves,
// dispatches the host's messages and owns the panel-wide keyboard shortcuts.
import './panel.css';
import { isHostMessage, isPersistedPanelState } from '../panel/protocolGuards';
import type { HostToWebview, ResponsePreview } from '../panel/protocol';
import { exposeTestHooks, post, restoredState, scriptStartedAt } from './hostLink';
import { RequestForm } from './requestForm';
import { ResponseView } from './responseView';

const restored = restoredState();
const app = document.getElementById('app') ?? document.body;
const response = new ResponseView();
const form = new RequestForm(isPersistedPanelState(restored) ? restored : undefined, {
  onSending(on) {
    app.setAttribute('aria-busy', String(on));
    if (on) response.showPending();
  },
});
app.replaceChildren(...form.parts, response.element);
// The URL field gets the cursor with the host's `init` (not before: a preview panel leaves the focus in the tree).

const testHooks = {
  /** Messages from the host that failed validation and were ignored. */
  ignoredMessages: 0,
  /** Messages from the host that were handled. */
  handledMessages: 0,
  draft: () => form.draft,
};
exposeTestHooks(testHooks);

function previewOf(p: ResponsePreview): { text: string; bytes: number } {
  return { text: new TextDecoder('utf-8').decode(p.head), bytes: p.head.length };
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case 'init':
      form.adopt(message.state);
      form.showNotice('info', '');
      form.selectOpeningTab();
      form.applyEnvironment(message.environment);
      response.setEnvironment(message.environment);
      // A preview panel shows another request in the same webview: nothing of the previous one stays on screen.
      response.blank();
      if (message.error) response.showError(message.error);
      if (message.response) void response.show({ seq: message.responseSeq, meta: message.response, full: message.response });
      else if (message.preview) void response.show({ seq: message.responseSeq, meta: message.preview, preview: previewOf(message.preview) });
      if (message.inFlightSeq !== undefined) form.sendingOnHost(message.inFlightSeq);
      else if (form.isSending) form.stopSending();
      form.setTabMovesFocus(message.tabMovesFocus === true);
      // A preview leaves the focus where the click was (the tree), as the Explorer's preview does.
      if (!form.isPreview) form.focusUrl();
      return;
    case 'editorSettings':
      form.setTabMovesFocus(message.tabMovesFocus);
      return;
    case 'environment':
      form.applyEnvironment(message.environment);
      response.setEnvironment(message.environment);
      return;
    case 'sending':
      form.sendingOnHost(message.seq);
      return;
    case 'response':
      if (response.isLoadingFull(message.seq)) response.showFull(message.seq, message.response);
      else response.answer({ seq: message.seq, meta: message.response, full: message.response }, message.response.body.length, form.finishSend(message.seq));
      return;
    case 'responsePreview':
      response.answer({ seq: message.seq, meta: message.preview, preview: previewOf(message.preview) }, message.preview.head.length, form.finishSend(message.seq));
      return;
    case 'error':
      if (form.isSuperseded(message.seq)) return;
      form.finishSend(message.seq);
      response.showError(message);
      return;
    case 'saved':
      form.markSaved(message.savedId, message.name, message.where);
      return;
    case 'savedState':
      form.setSavedState(message.savedId, message.dirty);
      return;
    case 'draft':
      form.adopt(message.state);
      return;
    case 'notice':
      form.showNotice(message.level, message.message);
      return;
    case 'previewTab':
      form.setPreview(message.preview);
      return;
    case 'bodyProblems':
      form.setBodyProblems(message.kind, message.bodyFingerprint, message.title, message.problems);
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (!isHostMessage(data)) {
    testHooks.ignoredMessages++;
    console.warn('[studyteam] ignored a malformed message');
    return;
  }
  testHooks.handledMessages++;
  handle(data);
});

document.addEventListener(
  'keydown',
  (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      form.send();
    } else if (mod && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 's') {
      e.preventDefault();
      e.stopPropagation(); // handled here, not forwarded to the workbench's File: Save
      form.save();
    } else if (e.key === 'Escape' && form.isSending) {
      form.cancel();
    }
  },
  true,
);
window.addEventListener('pagehide', () => form.flushState());
const requestBar = document.getElementById('request-bar');
window.addEventListener('scroll', () => requestBar?.classList.toggle('scrolled', window.scrollY > 0), { passive: true });
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') form.flushState();
});

post({ type: 'ready', ...(isPersistedPanelState(restored) ? { state: restored } : {}), ...(__STUDYTEAM_TEST_HOOKS__ ? { loadMs: performance.now(), scriptMs: performance.now() - scriptStartedAt } : {}) });
