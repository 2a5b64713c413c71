// Deadlines of commands in the reply FIFO, without a timer per command.
// Commands with the same timeout expire in the order they were written, so
// each distinct timeout keeps a ring of (sequence number, deadline) in FIFO
// order and only the earliest head matters: one timer for the connection.
// Owns no socket and no promise; the connection decides what expiry means.

/** One timeout value's entries, oldest first: parallel rings. */
class Lane {
  seq: Float64Array = new Float64Array(64);
  at: Float64Array = new Float64Array(64);
  head = 0;
  length = 0;

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
  }
}

/**
 * Pending deadlines by timeout. {@linkcode Deadlines.add} is O(1) and
 * allocation-free once a lane has grown; {@linkcode Deadlines.expire} hands
 * back every entry whose deadline has passed.
 */
export class Deadlines {
  readonly #lanes = new Map<number, Lane>();

  /** Records that command `seq` times out `timeout` ms after `now`. */
  add(timeout: number, seq: number, now: number): void {
    let lane = this.#lanes.get(timeout);
    if (lane === undefined) this.#lanes.set(timeout, lane = new Lane());
    lane.push(seq, now + timeout);
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

  /** Drops every entry (keeping the lanes' storage for reuse). */
  clear(): void {
    for (const lane of this.#lanes.values()) {
      lane.head = 0;
      lane.length = 0;
    }
  }
}
