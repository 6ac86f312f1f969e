import type { z } from 'zod';
import type { projectStatePatchSchema } from '../../../main/core/contract/schemas';
import type { ProjectState, TrimRange } from '../../../main/core/contract/types';
import { errorMessage } from '../errorMessage';
import { studio } from '../studio';

export type StatePatch = z.input<typeof projectStatePatchSchema>;

/** Laid over a state: the sections a patch names are merged field by field. */
export function applyStatePatch(s: ProjectState, patch: StatePatch): ProjectState {
  return { ...s, s2v: { ...s.s2v, ...patch.s2v }, animate: { ...s.animate, ...patch.animate }, engine: patch.engine ?? s.engine } as ProjectState;
}

function mergePatch(a: StatePatch, b: StatePatch): StatePatch {
  const out: StatePatch = { ...a, ...b };
  if (a.s2v || b.s2v) out.s2v = { ...a.s2v, ...b.s2v };
  if (a.animate || b.animate) out.animate = { ...a.animate, ...b.animate };
  return out;
}

const SAVE_DELAY_MS = 300;
const MAX_UNDO = 200;

interface Trims {
  audio: TrimRange;
  video: TrimRange;
}
const trimsOf = (s: ProjectState): Trims => ({ audio: s.s2v.audioTrim, video: s.animate.videoTrim });
const sameTrim = (a: TrimRange, b: TrimRange) => a.inSec === b.inSec && a.outSec === b.outSec;
const sameTrims = (a: Trims, b: Trims) => sameTrim(a.audio, b.audio) && sameTrim(a.video, b.video);

/**
 * The one editor state of a project for this page: every tab, panel and the Render button read
 * it, and it outlives them (switching tabs never brings back an older draft). Changes show at
 * once and are saved shortly after the last one, in order; `flush` saves what is pending (Render
 * waits for it, so the core queues exactly the draft on screen). A reload reads the saved state.
 */
export class EditorStore {
  private state: ProjectState;
  private pending: StatePatch = {};
  private timer: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private inFlight = 0;
  private undoStack: Trims[] = [];
  private redoStack: Trims[] = [];
  /** Counts changes made here, so a refresh that raced one is dropped. */
  private edits = 0;
  private readonly listeners = new Set<() => void>();
  /** Where save failures go (the page's toasts); set by the component that shows the editor. */
  onError: (message: string) => void = () => undefined;

  constructor(
    readonly projectId: string,
    initial: ProjectState,
  ) {
    this.state = initial;
  }

  get = (): ProjectState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: StatePatch): void {
    this.edits++;
    this.state = applyStatePatch(this.state, patch);
    this.pending = mergePatch(this.pending, patch);
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.flush(), SAVE_DELAY_MS);
    this.emit();
  }

  /** True while a change has not reached the library yet. */
  dirty(): boolean {
    return this.inFlight > 0 || Object.keys(this.pending).length > 0;
  }

  /**
   * Trim history: `checkpointTrims` before each trim gesture (a drag, a key, a typed field)
   * records the trims as they were, so Ctrl+Z / Ctrl+Shift+Z step through whole gestures.
   */
  checkpointTrims(): void {
    const now = trimsOf(this.state);
    const last = this.undoStack.at(-1);
    if (last && sameTrims(last, now)) return;
    this.undoStack.push(now);
    if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    this.redoStack = [];
    this.emit();
  }

  undoTrim(): boolean {
    return this.travel(this.undoStack, this.redoStack);
  }

  redoTrim(): boolean {
    return this.travel(this.redoStack, this.undoStack);
  }

  canUndo = (): boolean => this.undoStack.length > 0;
  canRedo = (): boolean => this.redoStack.length > 0;

  private travel(from: Trims[], to: Trims[]): boolean {
    let target = from.pop();
    // A checkpoint taken before a gesture that changed nothing is skipped.
    while (target && sameTrims(target, trimsOf(this.state))) target = from.pop();
    if (!target) {
      this.emit();
      return false;
    }
    to.push(trimsOf(this.state));
    this.update({ s2v: { audioTrim: target.audio }, animate: { videoTrim: target.video } });
    return true;
  }

  /** For the "Saving… / Saved" note next to the editor. */
  saveStatus = (): 'saving' | 'saved' => (this.dirty() ? 'saving' : 'saved');

  flush(): Promise<void> {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    const patch = this.pending;
    this.pending = {};
    if (Object.keys(patch).length === 0) return this.chain;
    this.inFlight++;
    this.chain = this.chain.then(() =>
      studio()
        .library.updateProjectState({ id: this.projectId, patch })
        .then(
          () => undefined,
          (e: unknown) => this.onError(errorMessage(e)),
        )
        .finally(() => {
          this.inFlight--;
          this.emit();
        }),
    );
    return this.chain;
  }

  /**
   * Reads the library's copy again (an asset was removed, which clears its picks): taken only
   * when nothing typed here was on its way meanwhile, so it never overwrites what is on screen.
   */
  async refresh(): Promise<void> {
    if (this.dirty()) return;
    const edits = this.edits;
    const saved = (await studio().library.getProject({ id: this.projectId })).state;
    if (this.dirty() || edits !== this.edits || JSON.stringify(saved) === JSON.stringify(this.state)) return;
    this.state = saved;
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

const stores = new Map<string, EditorStore>();

/**
 * The project's store for this page, created from the library's state the first time; later
 * calls return the same store (its state is newer than any copy a page loaded earlier).
 */
export function editorStoreFor(projectId: string, saved: ProjectState): EditorStore {
  let store = stores.get(projectId);
  if (!store) {
    store = new EditorStore(projectId, saved);
    stores.set(projectId, store);
  }
  return store;
}

// Closing or reloading the page sends what is pending (the socket carries it before unload).
window.addEventListener('pagehide', () => {
  for (const s of stores.values()) void s.flush();
});
