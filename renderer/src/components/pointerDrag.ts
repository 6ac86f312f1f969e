import { listen } from '../listen';

/**
 * The drag in progress on a timeline, if any: pointer moves on the window are followed until the
 * pointer is released or the drag is cancelled. `dispose` ends it early, so a timeline that
 * unmounts mid-drag leaves no window listeners behind, and a new drag ends the previous one.
 */
export class PointerDrag {
  private stop: (() => void) | null = null;

  constructor(private readonly win: EventTarget) {}

  start<E extends Event>(onMove: (e: E) => void): void {
    this.dispose();
    const stops = [listen(this.win, 'pointermove', onMove), listen(this.win, 'pointerup', () => this.dispose()), listen(this.win, 'pointercancel', () => this.dispose())];
    this.stop = () => stops.forEach((s) => s());
  }

  get active(): boolean {
    return this.stop !== null;
  }

  dispose(): void {
    const stop = this.stop;
    this.stop = null;
    stop?.();
  }
}
