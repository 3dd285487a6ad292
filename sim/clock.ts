/**
 * Virtual time for the call simulator.
 * Wherever Twilio would make a caller wait (music, pauses, Gather timeouts, ringing) the simulator
 * sleeps on this clock, so a two-minute hold takes milliseconds. Real work (an HTTP request to the
 * functions) is `track`ed: while any is in flight the virtual clock stands still, so a slow function
 * is never mistaken for a caller's patience running out.
 */

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

export class VirtualClock {
  private current: number;
  private seq = 0;
  /** Sorted by (at, seq): events at the same instant fire in the order they were scheduled. */
  private timers: Timer[] = [];
  private busy = 0;
  /** Bumped whenever tracked work starts or ends, to tell "idle" from "between two steps". */
  private activity = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(readonly startedAt: number) {
    this.current = startedAt;
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return this.current;
  }

  /** Virtual milliseconds since the clock started. */
  elapsed(): number {
    return this.current - this.startedAt;
  }

  /** Run `fire` when virtual time reaches now + ms. Returns a cancel function. */
  schedule(ms: number, fire: () => void): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fire, cancelled: false };
    let low = 0;
    let high = this.timers.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      const other = this.timers[mid];
      if (other !== undefined && (other.at < timer.at || (other.at === timer.at && other.seq < timer.seq))) low = mid + 1;
      else high = mid;
    }
    this.timers.splice(low, 0, timer);
    return () => {
      timer.cancelled = true;
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.schedule(ms, resolve);
    });
  }

  /** Real work during which virtual time stands still. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.busy += 1;
    this.activity += 1;
    try {
      return await work();
    } finally {
      this.busy -= 1;
      this.activity += 1;
      if (this.busy === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const wake of waiters) wake();
      }
    }
  }

  /** True while nothing is scheduled and no real work is in flight. */
  get idle(): boolean {
    return this.busy === 0 && this.timers.every((t) => t.cancelled);
  }

  /**
   * Advance event by event until nothing is left to happen, or virtual time would pass `until`.
   * Timers due at the same instant fire together (so two texts sent "at once" really race).
   */
  async run(until?: number): Promise<void> {
    for (;;) {
      await this.settle();
      this.timers = this.timers.filter((t) => !t.cancelled);
      const next = this.timers[0];
      if (next === undefined) return;
      if (until !== undefined && next.at > until) {
        this.current = Math.max(this.current, until);
        return;
      }
      this.current = Math.max(this.current, next.at);
      const due: Timer[] = [];
      while (this.timers[0] !== undefined && this.timers[0].at === next.at) {
        const timer = this.timers.shift();
        if (timer !== undefined && !timer.cancelled) due.push(timer);
      }
      for (const timer of due) timer.fire();
    }
  }

  /** Wait until no tracked work is in flight and a whole turn of the event loop started none. */
  private async settle(): Promise<void> {
    for (;;) {
      if (this.busy > 0) {
        await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      }
      const before = this.activity;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.busy === 0 && this.activity === before) return;
    }
  }
}
