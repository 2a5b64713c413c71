// Deadlines of commands in the reply FIFO, without a timer per command.
// Commands with the same timeout expire in the order they were written, so
// each distinct timeout keeps a lane of (sequence number, deadline) in FIFO
// order and only the earliest head matters: one timer for the connection.
// Replies also come in FIFO order, so answered entries are always at the
// heads of the lanes, where adding trims them. Owns no socket and no promise;
// the connection decides what expiry means.

/** The most distinct timeouts with a lane at once. */
export const MAX_LANES = 16;

/** One timeout value's entries, oldest first: parallel rings. */
class Lane {
  seq: Float64Array = new Float64Array(64);
  at: Float64Array = new Float64Array(64);
  head = 0;
  length = 0;
  /** Entries added since the tick's mark (see {@linkcode Deadlines.mark}). */
  sinceMark = 0;

  push(seq: number, at: number): void {
    const capacity = this.seq.length;
    if (this.length === capacity) {
      const seqs = new Float64Array(capacity * 2);
      const ats = new Float64Array(capacity * 2);
      for (let k = 0; k < this.length; k++) {
        const i = (this.head + k) & (capacity - 1);
        seqs[k] = this.seq[i]!;
        ats[k] = this.at[i]!;
      }
      this.seq = seqs;
      this.at = ats;
      this.head = 0;
    }
    const i = (this.head + this.length) & (this.seq.length - 1);
    this.seq[i] = seq;
    this.at[i] = at;
    this.length++;
    this.sinceMark++;
  }

  /** Drops head entries numbered below `oldest` (already answered). */
  trim(oldest: number): void {
    const mask = this.seq.length - 1;
    while (this.length > 0 && this.seq[this.head]! < oldest) {
      this.head = (this.head + 1) & mask;
      this.length--;
    }
  }
}

/**
 * Pending deadlines by timeout. {@linkcode Deadlines.add} is O(1) amortised
 * and allocation-free once a lane has grown; {@linkcode Deadlines.expire}
 * hands back every entry whose deadline has passed.
 */
export class Deadlines {
  readonly #lanes = new Map<number, Lane>();

  /**
   * Whether a command with `timeout` can be recorded: its lane exists, or
   * fewer than {@linkcode MAX_LANES} lanes hold entries still pending
   * (`oldest` is the sequence number of the oldest command awaiting a reply).
   */
  accepts(timeout: number, oldest: number): boolean {
    return this.#lanes.has(timeout) || this.#lanes.size < MAX_LANES ||
      this.#dropEmpty(oldest);
  }

  /**
   * Records that command `seq` times out `timeout` ms after `now`, after
   * {@linkcode Deadlines.accepts} said it can; `oldest` is as there.
   */
  add(timeout: number, seq: number, now: number, oldest: number): void {
    let lane = this.#lanes.get(timeout);
    if (lane === undefined) this.#lanes.set(timeout, lane = new Lane());
    else lane.trim(oldest);
    lane.push(seq, now + timeout);
  }

  /** Removes lanes with nothing pending; whether any was removed. */
  #dropEmpty(oldest: number): boolean {
    let dropped = false;
    for (const [timeout, lane] of this.#lanes) {
      lane.trim(oldest);
      if (lane.length === 0) {
        this.#lanes.delete(timeout);
        dropped = true;
      }
    }
    return dropped;
  }

  /** The earliest deadline recorded, or `Infinity`. */
  next(): number {
    let earliest = Infinity;
    for (const lane of this.#lanes.values()) {
      if (lane.length > 0) earliest = Math.min(earliest, lane.at[lane.head]!);
    }
    return earliest;
  }

  /**
   * Calls `expired(seq, timeout)` for every entry due by `now` (oldest first
   * per lane) and drops it.
   */
  expire(now: number, expired: (seq: number, timeout: number) => void): void {
    for (const [timeout, lane] of this.#lanes) {
      const mask = lane.seq.length - 1;
      while (lane.length > 0 && lane.at[lane.head]! <= now) {
        const seq = lane.seq[lane.head]!;
        lane.head = (lane.head + 1) & mask;
        lane.length--;
        expired(seq, timeout);
      }
    }
  }

  /** Starts counting the entries added from now on (see {@linkcode Deadlines.shift}). */
  mark(): void {
    for (const lane of this.#lanes.values()) lane.sinceMark = 0;
  }

  /**
   * Moves the deadlines of the entries added since the mark `ms` later: they
   * were stamped with a clock read when the mark was set.
   */
  shift(ms: number): void {
    for (const lane of this.#lanes.values()) {
      const mask = lane.seq.length - 1;
      const count = Math.min(lane.sinceMark, lane.length);
      for (let k = lane.length - count; k < lane.length; k++) {
        lane.at[(lane.head + k) & mask]! += ms;
      }
    }
  }

  /** Drops every entry (keeping the lanes' storage for reuse). */
  clear(): void {
    for (const lane of this.#lanes.values()) {
      lane.head = 0;
      lane.length = 0;
    }
  }
}

/**
 * The deadlines of one reply queue with their one timer: the clock is read
 * once per tick, and {@linkcode DeadlineTimer.endTick} (called when the
 * tick's commands are flushed) moves that tick's deadlines later if the tick
 * ran long, so none expires early. Expiry is the owner's: `expire(seq,
 * timeout)` is called for each entry due, which must then call
 * {@linkcode DeadlineTimer.settled} if the entry was still waiting.
 */
export class DeadlineTimer {
  readonly #deadlines = new Deadlines();
  readonly #expire: (seq: number, timeout: number) => void;
  /** Entries with a deadline still awaiting their reply. */
  #timed = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #at = Infinity;
  /** performance.now() read once per tick; NaN when stale. */
  #tickNow = NaN;

  /**
   * Constructs a new instance.
   *
   * @param expire Called for each entry whose deadline passed.
   */
  constructor(expire: (seq: number, timeout: number) => void) {
    this.#expire = expire;
  }

  /** Whether a deadline of `timeout` can be recorded (see {@linkcode Deadlines.accepts}). */
  accepts(timeout: number, oldest: number): boolean {
    return this.#deadlines.accepts(timeout, oldest);
  }

  /** Gives entry `seq` a deadline `timeout` ms from this tick's clock. */
  add(timeout: number, seq: number, oldest: number): void {
    let now = this.#tickNow;
    if (Number.isNaN(now)) {
      now = this.#tickNow = performance.now();
      this.#deadlines.mark();
    }
    this.#deadlines.add(timeout, seq, now, oldest);
    this.#timed++;
    if (now + timeout < this.#at) this.#arm(now + timeout, now);
  }

  /** An entry with a deadline was answered or expired: one fewer to watch. */
  settled(): void {
    if (--this.#timed === 0) this.clear();
  }

  /** Ends the tick: deadlines stamped with its clock move later by its length. */
  endTick(): void {
    const stamped = this.#tickNow;
    if (Number.isNaN(stamped)) return;
    this.#tickNow = NaN;
    const late = performance.now() - stamped;
    if (late > 1) this.#deadlines.shift(late);
  }

  /** Forgets every deadline and stops the timer. */
  clear(): void {
    this.#timed = 0;
    this.#deadlines.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Infinity;
  }

  #arm(at: number, now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#at = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - now));
  }

  #fire = (): void => {
    this.#timer = undefined;
    this.#at = Infinity;
    const now = performance.now();
    // setTimeout may fire a fraction of a millisecond early.
    this.#deadlines.expire(now + 1, this.#expire);
    if (this.#timed === 0) {
      this.#deadlines.clear();
      return;
    }
    const next = this.#deadlines.next();
    if (next !== Infinity) this.#arm(next, now);
  };
}
