// What a request panel edits, like an editor's document: the draft, the saved request it belongs to (if any), and
// whether it has unsaved edits (compared with the saved request, or with what a new panel opened with). Saves in
// place, asks where a new draft goes, Save As, Revert, and follows the saved request when it changes elsewhere —
// a request deleted while open turns the panel into an unsaved draft. Host only.
import type { SavedRequest } from '../core/model';
import { newId } from '../core/savedRequests';
import { presentError } from '../host/errorPresenter';
import { draftFromSaved, emptyDraft, panelTitle, sameSavedForm, savedFromDraft } from './draft';
import type { DraftRequest, HostToWebview, PersistedPanelState } from './protocol';
import { askSaveAsName, pickSaveLocation } from './saveFlow';
import type { PanelStore } from './saveFlow';

export interface PanelDocumentView {
  post(message: HostToWebview): void;
  setTitle(title: string): void;
  /** The panel now edits this saved request. */
  onSaved(savedId: string): void;
}

export class PanelDocument {
  private current: PersistedPanelState;
  /** What the draft is compared with for unsaved edits. */
  private baselineDraft: DraftRequest;
  private dirty: boolean;

  constructor(
    private readonly store: PanelStore,
    private readonly view: PanelDocumentView,
    state: PersistedPanelState,
    baseline?: DraftRequest,
  ) {
    this.current = state;
    const saved = state.savedId ? store.findRequest(state.savedId) : undefined;
    this.baselineDraft = saved ? draftFromSaved(saved) : (baseline ?? state.draft);
    this.dirty = !sameSavedForm(state.draft, this.baselineDraft);
  }

  get state(): PersistedPanelState {
    return this.current;
  }

  get baseline(): DraftRequest {
    return this.baselineDraft;
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** The tab title: the request's name, with ● while it has unsaved edits (like a dirty editor). */
  title(): string {
    return `${this.dirty ? '● ' : ''}${panelTitle(this.current.draft)}`;
  }

  /** The webview's draft changed. It never changes which saved request the panel edits: that is the host's call. */
  adopt(draft: DraftRequest): void {
    this.current = { version: 1, draft, ...(this.current.savedId ? { savedId: this.current.savedId } : {}) };
    this.refresh();
  }

  /** Recomputes the dirty state; tells the webview when it changed (or always, with force). */
  refresh(force = false): void {
    const dirty = !sameSavedForm(this.current.draft, this.baselineDraft);
    const changed = dirty !== this.dirty;
    this.dirty = dirty;
    this.view.setTitle(this.title());
    if (changed || force) this.view.post({ type: 'savedState', ...(this.current.savedId ? { savedId: this.current.savedId } : {}), dirty });
  }

  /** Save: a saved request in place; a new draft asks where it goes (and is not saved when that is dismissed). */
  async save(draft: DraftRequest): Promise<void> {
    this.adopt(draft);
    const existing = this.current.savedId ? this.store.findRequest(this.current.savedId) : undefined;
    if (existing) await this.write(draft, existing.id, undefined, existing);
    else await this.saveNew(draft, draft.name);
  }

  /** Save As: a copy under a new name in a place the user picks; the panel edits the copy from then on. */
  async saveAs(draft: DraftRequest): Promise<void> {
    this.adopt(draft);
    const name = await askSaveAsName(panelTitle(draft));
    if (name === undefined) return;
    await this.saveNew({ ...draft, name }, name);
  }

  /** Revert: back to the saved request as stored (or, for a new draft, to what the panel opened with). */
  revert(): void {
    const saved = this.current.savedId ? this.store.findRequest(this.current.savedId) : undefined;
    const draft = saved ? draftFromSaved(saved) : this.baselineDraft;
    this.replace({ version: 1, draft, ...(saved ? { savedId: saved.id } : {}) }, draft);
  }

  /** The saved requests changed (here, in the tree, or in the file). */
  onStoreChanged(): void {
    const id = this.current.savedId;
    if (!id) return;
    const saved = this.store.findRequest(id);
    if (!saved) {
      // Deleted: the panel keeps the draft as unsaved work; Save asks where, it never re-creates the request silently.
      this.replace({ version: 1, draft: this.current.draft }, emptyDraft());
      this.view.post({ type: 'notice', level: 'error', message: `"${panelTitle(this.current.draft)}" was deleted from Saved Requests. This panel is now an unsaved draft: Save asks where to put it.` });
      return;
    }
    const stored = draftFromSaved(saved);
    if (sameSavedForm(stored, this.baselineDraft)) return;
    // Changed elsewhere (renamed in the tree, edited in the file): follow it unless there are unsaved edits here.
    if (this.dirty) {
      this.baselineDraft = stored;
      this.refresh(true);
    } else {
      this.replace({ version: 1, draft: stored, savedId: id }, stored);
    }
  }

  private replace(state: PersistedPanelState, baseline: DraftRequest): void {
    this.current = state;
    this.baselineDraft = baseline;
    this.view.post({ type: 'draft', state });
    this.refresh(true);
  }

  private async saveNew(draft: DraftRequest, name: string): Promise<void> {
    const where = await pickSaveLocation(this.store, name.trim() || panelTitle(draft));
    if (!where) {
      this.view.post({ type: 'notice', level: 'info', message: 'Not saved: no place was chosen.' });
      return;
    }
    await this.write(draft, newId('request'), where.parentId, undefined, where.label);
  }

  private async write(draft: DraftRequest, id: string, parentId: string | undefined, existing: SavedRequest | undefined, where?: string): Promise<void> {
    const saved = savedFromDraft(draft, id, existing);
    try {
      await this.store.upsertRequest(saved, parentId);
    } catch (error) {
      // e.g. a literal Authorization header or token-looking value: the store refuses it with a hint.
      this.view.post({ type: 'notice', level: 'error', message: `Not saved: ${presentError(error).message}` });
      return;
    }
    const savedDraft: DraftRequest = { ...draft, name: saved.name };
    this.current = { version: 1, draft: savedDraft, savedId: id };
    this.baselineDraft = savedDraft;
    this.view.onSaved(id);
    this.view.post({ type: 'saved', savedId: id, name: saved.name, ...(where ? { where } : {}) });
    this.refresh(true);
  }
}
