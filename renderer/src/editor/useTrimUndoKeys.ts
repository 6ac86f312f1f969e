import { useEffect } from 'react';
import type { EditorStore } from './editorStore';

/**
 * Ctrl+Z / Ctrl+Shift+Z (Cmd on macOS; Ctrl+Y too) undo and redo trim changes anywhere in the
 * editor, except while typing in a text field, where the field's own undo applies.
 */
export function useTrimUndoKeys(store: EditorStore): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey);
      const undo = key === 'z' && !e.shiftKey;
      if (!undo && !redo) return;
      const target = e.target as HTMLElement | null;
      if (target?.closest('textarea, input:not([type=number]), [contenteditable=true]')) return;
      e.preventDefault();
      if (undo) store.undoTrim();
      else store.redoTrim();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);
}
