import { describe, expect, it } from 'vitest';
import { PointerDrag } from '../../../renderer/src/components/pointerDrag';
import { SelectionPlayer, type PlayableMedia } from '../../../renderer/src/components/selectionPlayer';

/** A real EventTarget that also says how many listeners are on it, per event type. */
class CountingTarget extends EventTarget {
  private readonly counts = new Map<string, number>();
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void {
    this.counts.set(args[0], this.count(args[0]) + 1);
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void {
    this.counts.set(args[0], this.count(args[0]) - 1);
    super.removeEventListener(...args);
  }
  count(type: string): number {
    return this.counts.get(type) ?? 0;
  }
}

/** The part of an <audio> element SelectionPlayer drives; time moves when the test says so. */
class Media extends CountingTarget implements PlayableMedia {
  currentTime = 0;
  paused = true;
  pause(): void {
    this.paused = true;
  }
  play(): Promise<void> {
    this.paused = false;
    return Promise.resolve();
  }
  advanceTo(sec: number): void {
    this.currentTime = sec;
    this.dispatchEvent(new Event('timeupdate'));
  }
}

describe('renderer listeners have an owner that removes them', () => {
  it('playing a selection again keeps one timeupdate watcher, with the new end', async () => {
    const media = new Media();
    const player = new SelectionPlayer(media);
    await player.play(1, 2);
    media.advanceTo(1.5);
    await player.play(0, 5);
    await player.play(0, 5);
    expect(media.count('timeupdate')).toBe(1);
    // The first play's end (2 s) no longer pauses playback.
    media.advanceTo(2.5);
    expect(media.paused).toBe(false);
    media.advanceTo(5);
    expect(media.paused).toBe(true);
    expect(media.count('timeupdate')).toBe(0);
  });

  it('unmounting the editor while a selection plays removes its watcher', async () => {
    const media = new Media();
    const player = new SelectionPlayer(media);
    await player.play(0, 3);
    player.dispose();
    expect(media.count('timeupdate')).toBe(0);
    expect(player.watching).toBe(false);
  });

  it('a drag follows pointer moves until release, then leaves no window listeners', () => {
    const win = new CountingTarget();
    const drag = new PointerDrag(win);
    const moves: number[] = [];
    drag.start(() => moves.push(moves.length));
    win.dispatchEvent(new Event('pointermove'));
    win.dispatchEvent(new Event('pointermove'));
    win.dispatchEvent(new Event('pointerup'));
    win.dispatchEvent(new Event('pointermove'));
    expect(moves).toEqual([0, 1]);
    for (const type of ['pointermove', 'pointerup', 'pointercancel']) expect(win.count(type)).toBe(0);
  });

  it('a timeline unmounted mid-drag, or a second drag before release, leaves only the live drag listening', () => {
    const win = new CountingTarget();
    const drag = new PointerDrag(win);
    drag.start(() => undefined);
    drag.start(() => undefined);
    expect(win.count('pointermove')).toBe(1);
    drag.dispose();
    expect(drag.active).toBe(false);
    for (const type of ['pointermove', 'pointerup', 'pointercancel']) expect(win.count(type)).toBe(0);
  });
});
