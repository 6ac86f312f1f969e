import { useEffect, useSyncExternalStore } from 'react';
import type { ProjectState } from '../../../main/core/contract/types';
import { studio } from '../studio';
import { useToasts } from '../toasts';
import { editorStoreFor, type EditorStore } from './editorStore';

/** The project's one editor state (see EditorStore), re-read when the library changes under it. */
export function useEditorState(projectId: string, saved: ProjectState): { state: ProjectState; store: EditorStore; saveStatus: 'saving' | 'saved' } {
  const toasts = useToasts();
  const store = editorStoreFor(projectId, saved);
  store.onError = toasts.error;
  const state = useSyncExternalStore(store.subscribe, store.get);
  const saveStatus = useSyncExternalStore(store.subscribe, store.saveStatus);
  useEffect(() => {
    void store.refresh().catch(() => undefined);
    const off = studio().on('library.changed', (e) => {
      if (e.projectId === projectId && e.kind === 'asset') void store.refresh().catch(() => undefined);
    });
    return () => {
      off();
      void store.flush();
    };
  }, [store, projectId]);
  return { state, store, saveStatus };
}
