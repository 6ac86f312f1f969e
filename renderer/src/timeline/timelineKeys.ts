/** What a key does on a focused timeline: the usual editor keys (J/K/L, I/O, arrows, Home/End). */
export type TimelineAction =
  | { type: 'toggle' }
  | { type: 'markIn' }
  | { type: 'markOut' }
  | { type: 'shuttle'; direction: -1 | 0 | 1 }
  | { type: 'step'; frames: number }
  | { type: 'stepSeconds'; seconds: number }
  | { type: 'start' }
  | { type: 'end' };

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

export function timelineAction(e: KeyLike): TimelineAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case ' ':
      return { type: 'toggle' };
    case 'i':
    case 'I':
      return { type: 'markIn' };
    case 'o':
    case 'O':
      return { type: 'markOut' };
    case 'j':
    case 'J':
      return { type: 'shuttle', direction: -1 };
    case 'k':
    case 'K':
      return { type: 'shuttle', direction: 0 };
    case 'l':
    case 'L':
      return { type: 'shuttle', direction: 1 };
    case 'ArrowLeft':
      return e.shiftKey ? { type: 'stepSeconds', seconds: -1 } : { type: 'step', frames: -1 };
    case 'ArrowRight':
      return e.shiftKey ? { type: 'stepSeconds', seconds: 1 } : { type: 'step', frames: 1 };
    case 'Home':
      return { type: 'start' };
    case 'End':
      return { type: 'end' };
    default:
      return null;
  }
}
