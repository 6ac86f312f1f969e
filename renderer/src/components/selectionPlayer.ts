import { listen } from '../listen';

/** What SelectionPlayer needs of an <audio> or <video> element. */
export interface PlayableMedia extends EventTarget {
  currentTime: number;
  pause(): void;
  play(): Promise<void>;
}

/**
 * Plays a trimmed span of a media element and pauses at its end. One `timeupdate` watcher at a
 * time: playing again replaces the previous one (whose end may be stale), and `dispose` removes
 * it when the timeline unmounts.
 */
export class SelectionPlayer {
  private stopWatching: (() => void) | null = null;

  constructor(private readonly media: PlayableMedia) {}

  play(fromSec: number, toSec: number): Promise<void> {
    this.dispose();
    const media = this.media;
    media.currentTime = fromSec;
    this.stopWatching = listen(media, 'timeupdate', () => {
      if (media.currentTime < toSec) return;
      media.pause();
      this.dispose();
    });
    return media.play();
  }

  get watching(): boolean {
    return this.stopWatching !== null;
  }

  dispose(): void {
    const stop = this.stopWatching;
    this.stopWatching = null;
    stop?.();
  }
}
