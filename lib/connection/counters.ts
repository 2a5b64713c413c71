// The always-on counters of each connection (commands written, replies, errors
// by kind, bytes, reconnects) and the registry a client keeps of its
// connections, open and closed, for redis.stats(). Each figure is one
// increment where the socket already does the work.

/**
 * The figures of one connection (or, as `RedisStats.total`, of every
 * connection a client opened, closed ones included). Commands count
 * everything written on the socket: the handshake's, SELECTs and health
 * checks too. Each written command ends exactly once: as a reply, an error
 * reply, or lost with its socket, so `written === replies + sum(errors) +
 * inFlight`.
 *
 * @example Usage
 * ```ts
 * import { connect, type ConnectionStats } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.ping();
 * const shared: ConnectionStats = redis.stats().connections[0]!;
 * console.log(shared.role, shared.inFlight); // → "shared" 0
 * ```
 */
export interface ConnectionStats {
  /**
   * What the connection is for: `"shared"` (the multiplexed one; one per
   * cluster node), `"blocking"` (the pool blocking commands run on),
   * `"watch"` (leased to watch()), `"subscriber"`, `"monitor"`, or
   * `"total"` for the sum over all.
   */
  readonly role: string;
  /** The server, `"host:port"` or a socket path; `""` in the total. */
  readonly address: string;
  /** Commands written and not yet answered. */
  readonly inFlight: number;
  /** Commands waiting to be written (the backlog: while disconnected, or full). */
  readonly waiting: number;
  /** Commands written on the socket. */
  readonly written: number;
  /** Replies read that were no error. */
  readonly replies: number;
  /**
   * Written commands that ended in error, by kind: the code of an error
   * reply (`"ERR"`, `"WRONGTYPE"`, `"MOVED"`...), or `"ConnectionError"`
   * for those lost with their socket (they may have run). The handshake's
   * count too: Redis before 7.2 refuses its two `CLIENT SETINFO` (`"ERR"`).
   */
  readonly errors: Readonly<Record<string, number>>;
  /**
   * Commands whose caller was rejected with a `TimeoutError`; their reply,
   * when it comes, is still counted in `replies` or `errors`.
   */
  readonly timeouts: number;
  /** Successful reconnections (a new socket past its handshake). */
  readonly reconnects: number;
  /** Bytes read from the socket. */
  readonly bytesIn: number;
  /** Bytes written to the socket. */
  readonly bytesOut: number;
}

/** The mutable counters a connection and its sockets increment. */
export class Counters {
  /** Commands written on the socket. */
  written = 0;
  /** Replies that were no error. */
  replies = 0;
  /** Error replies and lost commands, by kind. */
  errors: Record<string, number> = {};
  /** Callers rejected with a TimeoutError. */
  timeouts = 0;
  /** Successful reconnections. */
  reconnects = 0;
  /** Bytes read. */
  bytesIn = 0;
  /** Bytes written. */
  bytesOut = 0;

  /** Counts `n` errors of `kind`. */
  error(kind: string, n = 1): void {
    this.errors[kind] = (this.errors[kind] ?? 0) + n;
  }

  /** Adds `other`'s figures to these. */
  add(other: Counters): void {
    this.written += other.written;
    this.replies += other.replies;
    this.timeouts += other.timeouts;
    this.reconnects += other.reconnects;
    this.bytesIn += other.bytesIn;
    this.bytesOut += other.bytesOut;
    for (const kind in other.errors) this.error(kind, other.errors[kind]);
  }
}

/** A connection the registry can ask for its figures. */
export interface Counted {
  /** Its figures now. */
  stats(): ConnectionStats;
  /** Its counters (added to the closed connections' when it closes). */
  readonly counters: Counters;
}

/**
 * Every connection of one client: the open ones, and the figures of those
 * closed since, so that totals never go down.
 */
export class StatsRegistry {
  readonly #open = new Set<Counted>();
  readonly #closed = new Counters();

  /** Adds an open connection. */
  add(connection: Counted): void {
    this.#open.add(connection);
  }

  /** Takes a closed connection out, keeping its figures. Idempotent. */
  retire(connection: Counted): void {
    if (this.#open.delete(connection)) this.#closed.add(connection.counters);
  }

  /** The total and each open connection's figures. */
  snapshot(): { total: ConnectionStats; connections: ConnectionStats[] } {
    const connections = [...this.#open].map((c) => c.stats());
    const sum = new Counters();
    sum.add(this.#closed);
    let inFlight = 0;
    let waiting = 0;
    for (const c of this.#open) sum.add(c.counters);
    for (const s of connections) {
      inFlight += s.inFlight;
      waiting += s.waiting;
    }
    return {
      total: statsOf("total", "", sum, inFlight, waiting),
      connections,
    };
  }
}

/** A snapshot of `counters`. */
export function statsOf(
  role: string,
  address: string,
  counters: Counters,
  inFlight: number,
  waiting: number,
): ConnectionStats {
  return {
    role,
    address,
    inFlight,
    waiting,
    written: counters.written,
    replies: counters.replies,
    errors: { ...counters.errors },
    timeouts: counters.timeouts,
    reconnects: counters.reconnects,
    bytesIn: counters.bytesIn,
    bytesOut: counters.bytesOut,
  };
}
