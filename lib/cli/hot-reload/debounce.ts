/**
 * Per-key trailing debounce: an editor's save is often several writes (or a
 * rename and a write) in a few milliseconds; the file is reloaded once, after
 * `delayMs` of quiet.
 */
export class Debouncer<K> {
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(
    private readonly delayMs: number,
    private readonly fire: (key: K) => void,
  ) {}

  push(key: K): void {
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.fire(key);
      }, this.delayMs),
    );
  }

  get pending(): number {
    return this.timers.size;
  }

  cancel(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
