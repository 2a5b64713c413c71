// One connection shared by every caller. While a socket is up, commands are
// encoded into one buffer the moment they are issued and leave together in one
// write per tick; replies are decoded as bytes arrive and matched in order to
// the FIFO of pending commands, resolved synchronously as each frame completes.
//
// Commands that cannot be written yet (no socket, the write buffer over its
// high-water mark, maxInFlight reached, or a signal that must be checked at
// write time) wait in order in a bounded queue. Timeouts of written commands
// are deadlines in the reply FIFO (deadlines.ts), one timer for all. When a
// socket dies, what it had been given is rejected (never re-sent), and a new
// socket is opened with backoff; the prelude runs before any waiting command
// is written. Knows nothing of typed commands.

import {
  ConnectionError,
  ProtocolError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import type { ResolvedOptions } from "../options.ts";
import { RespDecoder } from "../resp/decoder.ts";
import { CommandEncoder, type RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import type {
  Connection,
  ConnectionEvents,
  Limits,
  ReplyDecoder,
} from "./connection.ts";
import { expectOk, handshake } from "./handshake.ts";
import { Deadlines } from "./deadlines.ts";
import {
  ABANDONED,
  BINARY,
  INTERNAL,
  type Internal,
  PendingQueue,
  rejection,
  type Resolve,
  TIMED,
} from "./pending_queue.ts";
import { openTransport } from "./transport.ts";

/** Bytes asked of the socket per read. */
const READ_SIZE = 64 * 1024;
/** The largest read buffer, used while a large bulk streams in. */
const MAX_READ_SIZE = 256 * 1024;

/** A socket is up and past its handshake. */
const READY = 0;
/** No usable socket: opening one, in its handshake, or waiting to retry. */
const CONNECTING = 1;
/** close() was called: draining, taking nothing new. */
const CLOSING = 2;
/** Closed for good. */
const CLOSED = 3;

/** Health checks in a row without a byte read, with replies due, before the socket is declared dead. */
const STALLED_CHECKS = 2;
/**
 * Bytes written with nothing read back past which the health check allows
 * connectTimeout, not two checks, for the server to read them: it cannot
 * answer a large command before it has it whole.
 */
const UPLOAD_BACKLOG = 1024 * 1024;

/** A command not written yet. */
interface Waiting {
  args: readonly RedisArg[];
  db: number;
  binary: boolean;
  decode: ReplyDecoder | null;
  /** null: fire-and-forget. */
  resolve: Resolve | null;
  /** When it started waiting (performance.now()). */
  since: number;
  /** Rejected by a `with()` limit before it was written: skip it. */
  cancelled: boolean;
  /** Set once written. */
  written: boolean;
  /** Drops a `with()` limit's timer and abort listener, if any. */
  release: (() => void) | null;
}

const NO_EVENTS: ConnectionEvents = {
  onError() {},
  onPush() {},
  onConnect() {},
  onReady() {},
  onDisconnect() {},
  onReconnecting() {},
  onClose() {},
};

/** `SELECT n` for the databases used most, encoded once. */
const SELECT_CACHE_SIZE = 256;
const SELECT: Uint8Array[] = [];

function selectBytes(db: number): Uint8Array {
  const digits = String(db);
  return new TextEncoder().encode(
    `*2\r\n$6\r\nSELECT\r\n$${digits.length}\r\n${digits}\r\n`,
  );
}

/** Reply decoder of the health-check PING. */
function expectPong(value: RespValue): unknown {
  if (value !== "PONG") {
    throw new ProtocolError("Cannot decode reply: expected PONG");
  }
  return value;
}

/** The upper-cased command name for messages; never an argument. */
export function commandName(command: unknown): string {
  if (typeof command === "string") return command.toUpperCase();
  if (command instanceof Uint8Array) {
    return new TextDecoder().decode(command).toUpperCase();
  }
  return String(command);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new TypeError(messageOf(error));
}

/** Full-jitter-free "equal jitter": half the exponential step, plus a random half. */
function backoff(retry: number, min: number, max: number): number {
  const step = Math.min(max, min * 2 ** Math.min(retry - 1, 30));
  return Math.round(step / 2 + Math.random() * (step / 2));
}

/**
 * The {@linkcode Connection} over one socket at a time. Create it with
 * {@linkcode SocketConnection.open}, which resolves once the first handshake
 * is done.
 */
export class SocketConnection implements Connection {
  /** 2 or 3, as negotiated. */
  protocol: 2 | 3 = 2;
  /** Number of databases the server has, when CONFIG GET told us. */
  databases: number | undefined;
  /** The server version from HELLO, when known. */
  serverVersion: string | undefined;
  /** Where failures, pushes and the close are reported; set by the owner. */
  events: ConnectionEvents = NO_EVENTS;

  readonly #options: ResolvedOptions;
  // Read on every command: kept as fields, not looked up in #options.
  readonly #maxBufferedBytes: number;
  readonly #maxInFlight: number;
  readonly #address: string;
  #state = CONNECTING;
  /** Why it closed for good, or the last socket failure while connecting. */
  #failure: Error | undefined;

  // The current socket and what belongs to it; replaced on each new socket.
  #conn: Deno.Conn | undefined;
  #encoder: CommandEncoder;
  #decoder: RespDecoder;
  #queue = new PendingQueue();
  /** The database the socket has selected, as far as written commands go. */
  #db = 0;
  #writing = false;
  #flushScheduled = false;
  #inFlightBytes = 0;
  /** Queue entries (at its tail) encoded but not yet handed to the socket. */
  #unsent = 0;
  /** Reads so far on this socket (health checks compare it). */
  #reads = 0;
  /** Writes completed so far on this socket. */
  #writes = 0;
  /** Bytes written since a byte was last read. */
  #sinceRead = 0;

  // Commands waiting to be written, oldest first.
  #waiting: Waiting[] = [];
  #waitingHead = 0;
  /** Entries of #waiting still to be written: not cancelled, swept or admitted. */
  #waitingLive = 0;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  #dropped = 0;

  #drained: PromiseWithResolvers<void> | undefined;
  #loops = new Set<Promise<void>>();
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pingReads = 0;
  #pingWrites = 0;
  /** performance.now() when a check last saw life (for uploads, below). */
  #pingAliveAt = 0;
  #stalls = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #drainTimer: ReturnType<typeof setTimeout> | undefined;

  // Deadlines of TIMED entries of the reply queue: one timer for all.
  #deadlines = new Deadlines();
  /** TIMED entries still in the queue and not yet expired. */
  #timed = 0;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  #deadlineAt = Infinity;
  /** performance.now() read once per tick for deadlines; NaN when stale. */
  #tickNow = NaN;
  #retryWake: (() => void) | undefined;
  #attempt: AbortController | undefined;

  private constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#maxBufferedBytes = options.maxBufferedBytes;
    this.#maxInFlight = options.maxInFlight;
    this.#address = options.address;
    this.#encoder = new CommandEncoder(options.maxBulkLength);
    this.#decoder = new RespDecoder({ maxBulkLength: options.maxBulkLength });
  }

  /**
   * Opens the socket and runs the handshake (AUTH, HELLO 3 with its RESP2
   * fallback, CLIENT SETNAME, CLIENT SETINFO, CONFIG GET databases and
   * proto-max-bulk-len, SELECT), all in one write. The first connection
   * fails fast; later ones are retried per the `reconnect` option.
   *
   * @throws {ConnectionError} The socket could not be opened or failed.
   * @throws {ReplyError} The server refused the credentials, name or database.
   * @throws {TimeoutError} Nothing of this finished within `connectTimeout`.
   */
  static async open(options: ResolvedOptions): Promise<SocketConnection> {
    const connection = new SocketConnection(options);
    try {
      await connection.#connect();
    } catch (error) {
      connection.#state = CLOSED;
      await Promise.all(connection.#loops);
      throw error;
    }
    return connection;
  }

  /** Whether it has stopped taking commands. */
  get closed(): boolean {
    return this.#state >= CLOSING;
  }

  /** Whether a socket is up and past its handshake. */
  get ready(): boolean {
    return this.#state === READY;
  }

  /** Sends a command and resolves with its (decoded) reply. */
  send(
    args: readonly RedisArg[],
    db: number,
    binary: boolean,
    decode: ReplyDecoder | null,
    limits?: Limits,
  ): Promise<unknown> {
    if (this.#state >= CLOSING) return Promise.reject(this.#closedError());
    // A signal can fire before the coalesced write, so such commands are
    // checked at write time; so are timeouts on commands that must wait. A
    // timeout alone on a command written now cannot fire before its write
    // (that runs in this tick's microtasks): it becomes a deadline in the
    // reply FIFO, with no timer or queue entry of its own.
    const timeout = limits?.timeout;
    if (
      limits !== undefined &&
      (limits.signal !== undefined ||
        (timeout !== undefined &&
          (this.#mustWait() ||
            !this.#deadlines.accepts(timeout, this.#queue.firstSeq))))
    ) {
      return this.#sendLimited(args, db, binary, decode, limits);
    }
    const flags = (binary ? BINARY : 0) | (timeout !== undefined ? TIMED : 0);
    // Only the resolving function is kept: a failure resolves the promise
    // with a thenable that rejects. That spares a reject function (64 bytes
    // of heap) per command in flight.
    const { promise, resolve } = Promise.withResolvers<unknown>();
    if (this.#mustWait()) {
      this.#enqueue(waiting(args, db, binary, decode, resolve));
    } else {
      try {
        this.#write(args, db, flags, decode, resolve);
      } catch (error) {
        return Promise.reject(asError(error));
      }
      if (timeout !== undefined) this.#addDeadline(timeout);
    }
    return promise;
  }

  /** Sends a command whose reply is dropped; every failure goes to `events.onError`. */
  sendVoid(args: readonly RedisArg[], db: number, limits?: Limits): void {
    if (this.#state >= CLOSING) {
      this.events.onError(this.#closedError(), commandName(args[0]));
      return;
    }
    // A limit on a fire-and-forget command ends at its write: one that need
    // not wait and has no signal is written at once like any other.
    if (
      limits !== undefined &&
      (limits.signal !== undefined ||
        (limits.timeout !== undefined && this.#mustWait()))
    ) {
      void this.#sendLimited(args, db, false, null, limits, true);
      return;
    }
    if (this.#mustWait()) {
      this.#enqueue(waiting(args, db, false, null, null));
      return;
    }
    try {
      this.#write(args, db, 0, null, null);
    } catch (error) {
      this.events.onError(asError(error), commandName(args[0]));
    }
  }

  /**
   * Stops taking commands, waits for every reply, then closes the socket.
   * While disconnected, waiting commands are rejected instead (they were
   * never sent) and reconnection stops.
   */
  async close(): Promise<void> {
    if (this.#state === READY) {
      this.#state = CLOSING;
      if (this.#queue.length > 0 || this.#waitingCount() > 0) {
        this.#drained = Promise.withResolvers<void>();
        this.#scheduleFlush();
        this.#watchDrain(this.#reads, this.#writes);
        await this.#drained.promise;
      }
      if (this.#state === CLOSING) this.#shutdown(undefined);
    } else if (this.#state === CONNECTING) {
      this.#shutdown(undefined);
    } else if (this.#state === CLOSING) {
      await this.#drained?.promise;
    }
    while (this.#loops.size > 0) await Promise.all(this.#loops);
  }

  /**
   * Whether the socket showed life since a check that saw `reads` and
   * `writes`: a byte arrived, or a write completed with at least `backlog`
   * bytes written since the last byte arrived. A server cannot answer a
   * large command before it has read it whole, and the kernel reports
   * progress on such an upload only when a good part of its buffer has
   * drained: a server merely slow to read is not a dead one.
   */
  #alive(reads: number, writes: number, backlog: number): boolean {
    return this.#reads !== reads ||
      (this.#writes !== writes && this.#sinceRead >= backlog);
  }

  /**
   * While close() drains: a server that shows no life (see
   * {@linkcode SocketConnection.#alive}) for connectTimeout with replies due
   * (frozen, or a half-open socket) is given up on, so close() cannot wait
   * forever; what was pending is rejected as a lost socket would reject it.
   */
  #watchDrain(reads: number, writes: number): void {
    const ms = this.#options.connectTimeout;
    this.#drainTimer = setTimeout(() => {
      this.#drainTimer = undefined;
      if (this.#state !== CLOSING) return;
      if (this.#alive(reads, writes, 1) || this.#queue.length === 0) {
        this.#watchDrain(this.#reads, this.#writes);
        return;
      }
      this.#socketFailed(
        new ConnectionError(
          `Connection to ${this.#address} is not responding: nothing received for ${ms} ms (connectTimeout) while closing with replies due`,
        ),
      );
    }, ms);
  }

  // --- limits (with() views) -------------------------------------------------

  /**
   * A command with a timeout or signal. It goes through the waiting queue so
   * that a limit hit before the write keeps it off the wire; after the
   * write, the caller is rejected and the reply, when it comes, is dropped.
   */
  #sendLimited(
    args: readonly RedisArg[],
    db: number,
    binary: boolean,
    decode: ReplyDecoder | null,
    limits: Limits,
    fireAndForget = false,
  ): Promise<unknown> {
    const { timeout, signal } = limits;
    const name = commandName(args[0]);
    if (signal?.aborted) {
      if (!fireAndForget) return Promise.reject(signal.reason);
      this.events.onError(asError(signal.reason), name);
      return Promise.resolve();
    }
    const settled = fireAndForget
      ? undefined
      : Promise.withResolvers<unknown>();
    const entry = waiting(args, db, binary, decode, null);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let done = false;
    const release = () => {
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const cancel = (error: Error) => {
      if (done) return;
      release();
      entry.cancelled = true;
      if (!entry.written) this.#waitingLive--;
      if (settled !== undefined) settled.resolve(rejection(error));
      else this.events.onError(error, name);
    };
    const onAbort = () => cancel(asError(signal!.reason));
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        const fate = entry.written
          ? "it was sent and may still run on the server"
          : "it was never sent";
        cancel(
          new TimeoutError(
            `Command ${name} timed out after ${timeout} ms: ${fate}`,
          ),
        );
      }, timeout);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    entry.release = release;
    if (settled !== undefined) {
      entry.resolve = (value) => {
        release();
        settled.resolve(value);
      };
    }
    this.#enqueue(entry);
    return settled?.promise ?? Promise.resolve();
  }

  // --- deadlines ------------------------------------------------------------

  /**
   * Gives the entry just queued a deadline `timeout` ms from now. The clock
   * is read once per tick: the flush, at the end of the tick, moves this
   * tick's deadlines later if the tick ran long, so none expires early.
   */
  #addDeadline(timeout: number): void {
    let now = this.#tickNow;
    if (Number.isNaN(now)) {
      now = this.#tickNow = performance.now();
      this.#deadlines.mark();
    }
    const queue = this.#queue;
    this.#deadlines.add(timeout, queue.lastSeq, now, queue.firstSeq);
    this.#timed++;
    if (now + timeout < this.#deadlineAt) this.#armDeadline(now + timeout, now);
  }

  #armDeadline(at: number, now: number): void {
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    this.#deadlineAt = at;
    this.#deadlineTimer = setTimeout(this.#onDeadline, Math.max(0, at - now));
  }

  #onDeadline = (): void => {
    this.#deadlineTimer = undefined;
    this.#deadlineAt = Infinity;
    const now = performance.now();
    // setTimeout may fire a fraction of a millisecond early.
    this.#deadlines.expire(now + 1, this.#expire);
    if (this.#timed === 0) {
      this.#deadlines.clear();
      return;
    }
    const next = this.#deadlines.next();
    if (next !== Infinity) this.#armDeadline(next, now);
  };

  /** Rejects entry `seq` if it still waits for its reply; the reply will be dropped. */
  #expire = (seq: number, timeout: number): void => {
    const queue = this.#queue;
    const i = queue.indexOf(seq);
    if (i === -1 || (queue.flags[i]! & (TIMED | ABANDONED)) !== TIMED) return;
    const resolve = queue.resolve[i] as Resolve;
    // Behind a write still in progress, it may not have left yet: it will.
    const fate = seq - queue.firstSeq >= queue.length - this.#unsent
      ? "it is still to be written and may run on the server"
      : "it was sent and may still run on the server";
    queue.flags[i]! |= ABANDONED;
    queue.resolve[i] = null;
    queue.decode[i] = null;
    this.#timed--;
    resolve(rejection(
      new TimeoutError(
        `Command ${
          commandName(queue.command[i])
        } timed out after ${timeout} ms: ${fate}`,
      ),
    ));
  };

  /** Forgets every deadline: no TIMED entry is left in the queue. */
  #clearDeadlines(): void {
    this.#timed = 0;
    this.#deadlines.clear();
    if (this.#deadlineTimer !== undefined) clearTimeout(this.#deadlineTimer);
    this.#deadlineTimer = undefined;
    this.#deadlineAt = Infinity;
  }

  // --- writing -------------------------------------------------------------

  #mustWait(): boolean {
    return this.#waitingLive > 0 || this.#blocked();
  }

  /**
   * Whether nothing can be written now: no ready socket, the write buffer
   * full, or as many commands in flight as allowed. (A socket being torn
   * down reports its losses only once the state has changed, so listeners
   * never see READY without a socket.)
   */
  #blocked(): boolean {
    return this.#state !== READY ||
      this.#encoder.length + this.#inFlightBytes >= this.#maxBufferedBytes ||
      this.#queue.length >= this.#maxInFlight;
  }

  #waitingCount(): number {
    return this.#waitingLive;
  }

  /**
   * Encodes a command (after a SELECT when its database is not the selected
   * one) and queues its reply slot. Throws, with nothing queued for it, when
   * an argument cannot be encoded.
   */
  #write(
    args: readonly RedisArg[],
    db: number,
    flags: number,
    decode: ReplyDecoder | null,
    resolve: Resolve | Internal | null,
  ): void {
    // Scheduled first: a SELECT encoded just before an argument that cannot
    // be must still go out (its slot is queued).
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
    if (db !== this.#db) this.#select(db);
    this.#encoder.encode(args);
    this.#queue.push(decode, resolve, args[0], flags);
    this.#unsent++;
  }

  #select(db: number): void {
    if (db < SELECT_CACHE_SIZE) {
      this.#encoder.encodeRaw(SELECT[db] ??= selectBytes(db));
    } else this.#encoder.encode(["SELECT", db]);
    this.#queue.push(expectOk, this.#selected, "SELECT", INTERNAL);
    this.#unsent++;
    this.#db = db;
  }

  #selected: Internal = (_, error) => {
    // Commands written after a failed SELECT ran in the wrong database or
    // are about to: nothing behind it can be trusted.
    if (error === undefined || error instanceof ConnectionError) return;
    this.#socketFailed(
      new ConnectionError(`Cannot select database: ${error.message}`, {
        cause: error,
      }),
    );
  };

  /**
   * Writes a prelude or health-check command at once, ahead of waiting
   * commands. Never throws; rejects without writing when the socket is gone,
   * so no slot is ever queued for a socket that will not answer it.
   */
  #sendNow(args: RedisArg[], decode: ReplyDecoder | null): Promise<unknown> {
    if (this.#conn === undefined) {
      return Promise.reject(this.#failure ?? this.#closedError());
    }
    const { promise, resolve } = Promise.withResolvers<unknown>();
    try {
      this.#write(args, this.#db, 0, decode, resolve);
    } catch (error) {
      return Promise.reject(asError(error));
    }
    return promise;
  }

  /**
   * Fails one entry: rejects its promise, reports an internal command's
   * error, or dispatches a fire-and-forget command's error event.
   */
  #reject(
    resolve: Resolve | Internal | null,
    flags: number,
    command: unknown,
    error: Error,
  ): void {
    if (resolve === null) this.events.onError(error, commandName(command));
    else if ((flags & INTERNAL) !== 0) resolve(undefined, error);
    else resolve(rejection(error));
  }

  #scheduleFlush(): void {
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  #flush = (): void => {
    this.#flushScheduled = false;
    const stamped = this.#tickNow;
    if (!Number.isNaN(stamped)) {
      this.#tickNow = NaN;
      const late = performance.now() - stamped;
      if (late > 1) this.#deadlines.shift(late);
    }
    if (this.#writing || this.#conn === undefined) return;
    if (this.#state === READY || this.#state === CLOSING) this.#admitWaiting();
    if (this.#encoder.length > 0) void this.#writeLoop();
  };

  async #writeLoop(): Promise<void> {
    const conn = this.#conn!;
    const encoder = this.#encoder;
    this.#writing = true;
    try {
      while (encoder.length > 0 && this.#conn === conn) {
        const data = encoder.take();
        this.#unsent = 0;
        this.#inFlightBytes = data.length;
        // conn.write may write only part of a large buffer.
        let written = await conn.write(data);
        if (this.#conn !== conn) return;
        this.#writes++;
        this.#sinceRead += written;
        while (written < data.length) {
          const more = await conn.write(data.subarray(written));
          if (this.#conn !== conn) return;
          written += more;
          this.#writes++;
          this.#sinceRead += more;
        }
        this.#inFlightBytes = 0;
        encoder.release(data);
        if (this.#state === READY || this.#state === CLOSING) {
          this.#admitWaiting();
        }
      }
    } catch (error) {
      if (this.#conn === conn) {
        this.#socketFailed(
          new ConnectionError(
            `Cannot write to ${this.#address}: ${messageOf(error)}`,
            { cause: error },
          ),
        );
      }
    } finally {
      if (this.#conn === conn) this.#writing = false;
    }
  }

  /** Moves waiting commands into the write buffer, in order, while there is room. */
  #admitWaiting(): void {
    const max = this.#maxBufferedBytes;
    const maxInFlight = this.#maxInFlight;
    while (
      this.#waitingHead < this.#waiting.length &&
      this.#encoder.length < max && this.#queue.length < maxInFlight &&
      this.#conn !== undefined
    ) {
      const w = this.#waiting[this.#waitingHead]!;
      this.#waiting[this.#waitingHead++] = undefined!;
      if (w.cancelled) continue;
      this.#waitingLive--;
      w.written = true;
      // A fire-and-forget command's limits end at the write: it has no
      // promise to reject afterwards.
      if (w.resolve === null) w.release?.();
      try {
        this.#write(w.args, w.db, w.binary ? BINARY : 0, w.decode, w.resolve);
      } catch (error) {
        this.#reject(w.resolve, 0, w.args[0], asError(error));
      }
    }
    this.#compactWaiting();
    if (this.#state === CLOSING) this.#checkDrained();
  }

  #compactWaiting(): void {
    const head = this.#waitingHead;
    if (head === this.#waiting.length) {
      this.#waiting = [];
      this.#waitingHead = 0;
      if (this.#sweepTimer !== undefined) {
        clearTimeout(this.#sweepTimer);
        this.#sweepTimer = undefined;
      }
    } else if (head >= 1024 && head * 2 >= this.#waiting.length) {
      // Under sustained backpressure the queue never empties: drop the
      // consumed prefix so the array stays within twice what is waiting.
      this.#waiting = this.#waiting.slice(head);
      this.#waitingHead = 0;
    }
  }

  /**
   * Adds a command to the waiting queue, or refuses it when the queue is
   * full. The bound counts only while something blocks the writes: a
   * `with()` command on a ready connection passes through the queue (to be
   * checked at write time) and is never refused by it.
   */
  #enqueue(entry: Waiting): void {
    const max = this.#options.maxQueued;
    // A burst queued behind a with() command on a ready connection: write
    // what fits now, so that the buffer and in-flight bounds count.
    if (this.#waitingLive >= max && !this.#blocked()) this.#admitWaiting();
    if (this.#waitingLive >= max && this.#blocked()) {
      entry.release?.();
      if (entry.resolve === null) {
        if (this.#dropped++ === 0) queueMicrotask(this.#reportDropped);
      } else {
        entry.resolve(rejection(
          new ConnectionError(
            `Cannot queue ${
              commandName(entry.args[0])
            }: ${this.#options.maxQueued} commands are already waiting to be written (maxQueued)`,
          ),
        ));
      }
      return;
    }
    entry.since = performance.now();
    this.#waiting.push(entry);
    this.#waitingLive++;
    if (this.#sweepTimer === undefined) {
      this.#sweepTimer = setTimeout(this.#sweep, this.#options.queueTimeout);
    }
    this.#scheduleFlush();
  }

  #reportDropped = (): void => {
    const count = this.#dropped;
    // Reported already, by a shutdown before this microtask.
    if (count === 0) return;
    this.#dropped = 0;
    this.events.onError(
      new ConnectionError(
        `Dropped ${
          plural(count, "fire-and-forget command")
        }: ${this.#options.maxQueued} commands were already waiting to be written (maxQueued)`,
      ),
      undefined,
    );
  };

  /** Rejects waiting commands older than queueTimeout; re-arms for the next one. */
  #sweep = (): void => {
    this.#sweepTimer = undefined;
    const limit = this.#options.queueTimeout;
    const now = performance.now();
    let expiredVoid = 0;
    let error: Error | undefined;
    while (this.#waitingHead < this.#waiting.length) {
      const w = this.#waiting[this.#waitingHead]!;
      if (!w.cancelled && now - w.since < limit) break;
      this.#waiting[this.#waitingHead++] = undefined!;
      if (w.cancelled) continue;
      this.#waitingLive--;
      w.release?.();
      error ??= this.#conn !== undefined && this.#state !== CONNECTING
        ? new TimeoutError(
          `Cannot send command: it waited ${limit} ms (queueTimeout) to be written to ${this.#address} (the write buffer or maxInFlight was full)`,
        )
        : new ConnectionError(
          `Cannot send command: no connection to ${this.#address} within ${limit} ms (queueTimeout)${
            this.#failure ? `: ${this.#failure.message}` : ""
          }`,
          { cause: this.#failure },
        );
      if (w.resolve === null) expiredVoid++;
      else w.resolve(rejection(error));
    }
    this.#compactWaiting();
    if (
      this.#waitingHead < this.#waiting.length &&
      this.#sweepTimer === undefined
    ) {
      const head = this.#waiting[this.#waitingHead]!;
      this.#sweepTimer = setTimeout(
        this.#sweep,
        Math.max(1, limit - (now - head.since)),
      );
    }
    // Last: a listener may queue commands (and arm the sweep) itself.
    if (expiredVoid > 0) {
      this.events.onError(
        new ConnectionError(
          `Dropped ${plural(expiredVoid, "fire-and-forget command")}: ${
            error!.message
          }`,
          { cause: error },
        ),
        undefined,
      );
    }
    if (this.#state === CLOSING) this.#checkDrained();
  };

  // --- reading -------------------------------------------------------------

  async #read(conn: Deno.Conn): Promise<void> {
    // Read straight into one reused buffer with conn.read(). Through the
    // socket's ReadableStream (even a BYOB reader) each read cost ~25 µs more
    // in stream machinery: measured on a sequential SET+GET, 24-52% over a
    // raw socket loop against 5-9% this way. A fresh buffer is taken only
    // while the decoder keeps a view of the last chunk (a frame still
    // incomplete); replies are settled synchronously as frames complete.
    let buffer = new Uint8Array(READ_SIZE);
    try {
      for (;;) {
        const n = await conn.read(buffer);
        // Bytes from a socket already given up are never parsed.
        if (n === null || this.#conn !== conn) break;
        this.#reads++;
        this.#sinceRead = 0;
        this.#onData(conn, buffer.subarray(0, n));
        const decoder = this.#decoder;
        if (decoder.holdsInput) {
          const missing = decoder.missingBulkBytes;
          buffer = new Uint8Array(
            missing > READ_SIZE ? Math.min(missing, MAX_READ_SIZE) : READ_SIZE,
          );
        }
      }
      if (this.#conn === conn) {
        this.#socketFailed(
          new ConnectionError(
            `Connection to ${this.#address} was closed by the server`,
          ),
        );
      }
    } catch (error) {
      if (this.#conn === conn) {
        this.#socketFailed(
          new ConnectionError(
            `Connection to ${this.#address} was lost: ${messageOf(error)}`,
            { cause: error },
          ),
        );
      }
    }
  }

  /** Decodes what arrived and settles each pending command in order. */
  #onData(conn: Deno.Conn, chunk: Uint8Array<ArrayBuffer>): void {
    const decoder = this.#decoder;
    const queue = this.#queue;
    decoder.feed(chunk);
    for (;;) {
      decoder.binary = queue.length > 0 &&
        (queue.flags[queue.head]! & BINARY) !== 0;
      let value: RespValue | undefined;
      try {
        value = decoder.next();
      } catch (error) {
        this.#socketFailed(
          error instanceof Error ? error : new ProtocolError(messageOf(error)),
        );
        return;
      }
      if (value === undefined) {
        // Replies made room under maxInFlight for commands waiting on it.
        if (this.#waitingHead < this.#waiting.length) this.#scheduleFlush();
        return;
      }
      if (decoder.lastWasPush) {
        if (Array.isArray(value)) this.events.onPush(value);
        // A listener may have closed the client.
        if (this.#conn !== conn) return;
        continue;
      }
      if (queue.length === 0) {
        this.#socketFailed(
          new ProtocolError(
            "Cannot match reply: the server sent a reply with no command waiting",
          ),
        );
        return;
      }
      const i = queue.head;
      const decode = queue.decode[i]!;
      const resolve = queue.resolve[i]!;
      const flags = queue.flags[i]!;
      const command = queue.command[i];
      queue.shift();
      // A timed-out command's late reply is read and dropped.
      if ((flags & ABANDONED) === 0) {
        if ((flags & TIMED) !== 0 && --this.#timed === 0) {
          this.#clearDeadlines();
        }
        if (value instanceof ReplyError) {
          value.command = commandName(command);
          this.#reject(resolve, flags, command, value);
        } else if (resolve !== null) {
          let decoded: unknown = value;
          if (decode !== null) {
            try {
              decoded = decode(value);
            } catch (error) {
              const failure = new ProtocolError(
                `Cannot match reply to ${commandName(command)}: ${
                  messageOf(error)
                }`,
                { cause: error },
              );
              this.#reject(resolve, flags, command, failure);
              this.#socketFailed(failure);
              return;
            }
          }
          resolve(decoded);
        }
      }
      // An internal reply's failure may have given up the socket.
      if (this.#conn !== conn) return;
      if (this.#state === CLOSING) this.#checkDrained();
    }
  }

  #checkDrained(): void {
    if (this.#queue.length === 0 && this.#waitingCount() === 0) {
      this.#drained?.resolve();
    }
  }

  // --- connecting --------------------------------------------------------------

  /**
   * One connection attempt: socket, handshake, then the waiting commands.
   * Throws when it fails; the socket is then gone.
   */
  async #connect(): Promise<void> {
    const options = this.#options;
    const ms = options.connectTimeout;
    const timeout = new TimeoutError(
      `Cannot connect to ${this.#address}: no answer within connectTimeout ${ms} ms`,
    );
    const controller = new AbortController();
    this.#attempt = controller;
    const expire = () => controller.abort(timeout);
    let timer = setTimeout(expire, ms);
    let conn: Deno.Conn | undefined;
    const onAbort = () => {
      if (conn !== undefined && this.#conn === conn) {
        this.#socketFailed(asError(controller.signal.reason));
      }
    };
    controller.signal.addEventListener("abort", onAbort, { once: true });
    try {
      conn = await openTransport(
        options.transport,
        this.#address,
        controller.signal,
      );
      if (this.#state !== CONNECTING) {
        conn.close();
        throw this.#closedError();
      }
      this.#install(conn);
      this.events.onConnect();
      // A listener may have closed the client.
      if (this.#conn !== conn || this.#state !== CONNECTING) {
        throw this.#failure ?? this.#closedError();
      }
      // A server loading its dataset has answered: connectTimeout bounds
      // each silence, not the loading, so the timer starts over.
      const wait = (delay: number) =>
        new Promise<void>((resolve, reject) => {
          // The pause is ours, not the server's silence: the timer restarts
          // when the next PING goes out.
          clearTimeout(timer);
          const pause = setTimeout(() => {
            controller.signal.removeEventListener("abort", wake);
            timer = setTimeout(expire, ms);
            if (this.#conn === conn && this.#state === CONNECTING) resolve();
            else reject(this.#failure ?? this.#closedError());
          }, delay);
          const wake = () => {
            clearTimeout(pause);
            reject(controller.signal.reason);
          };
          controller.signal.addEventListener("abort", wake, { once: true });
        });
      const result = await handshake(
        (args, decode) => this.#sendNow(args, decode),
        wait,
        options,
      );
      if (this.#conn !== conn || this.#state !== CONNECTING) {
        throw this.#failure ?? this.#closedError();
      }
      this.protocol = result.protocol;
      this.serverVersion = result.serverVersion;
      if (result.databases !== undefined) this.databases = result.databases;
      // An argument the server would refuse makes it drop the connection
      // under every caller: refuse it here instead (fact 7).
      if (
        result.maxBulkLength !== undefined &&
        result.maxBulkLength < this.#encoder.maxBulkLength
      ) {
        this.#encoder.maxBulkLength = result.maxBulkLength;
      }
      this.#db = options.db;
      this.#state = READY;
      this.#failure = undefined;
      this.#startHealthChecks();
      this.events.onReady();
      this.#scheduleFlush();
    } catch (error) {
      if (conn !== undefined && this.#conn === conn) {
        this.#socketFailed(asError(error));
      }
      throw controller.signal.aborted ? controller.signal.reason : error;
    } finally {
      clearTimeout(timer);
      controller.signal.removeEventListener("abort", onAbort);
      if (this.#attempt === controller) this.#attempt = undefined;
    }
  }

  /** Makes `conn` the current socket, with a fresh encoder, decoder and database state. */
  #install(conn: Deno.Conn): void {
    const maxBulkLength = this.#options.maxBulkLength;
    this.#conn = conn;
    this.#encoder = new CommandEncoder(maxBulkLength);
    this.#decoder = new RespDecoder({ maxBulkLength });
    this.#db = 0;
    this.#writing = false;
    this.#inFlightBytes = 0;
    this.#unsent = 0;
    this.#reads = 0;
    this.#writes = 0;
    this.#sinceRead = 0;
    const loop = this.#read(conn);
    this.#loops.add(loop);
    void loop.finally(() => this.#loops.delete(loop));
  }

  /** Retries with backoff until connected, closed, or out of attempts. */
  async #reconnect(cause: Error): Promise<void> {
    const policy = this.#options.reconnect!;
    let last = cause;
    for (let attempt = 1; this.#state === CONNECTING; attempt++) {
      if (attempt > policy.maxAttempts) {
        this.#shutdown(
          new ConnectionError(
            `Gave up reconnecting to ${this.#address} after ${
              plural(policy.maxAttempts, "attempt")
            }: ${last.message}`,
            { cause: last },
          ),
        );
        return;
      }
      const delay = attempt === 1
        ? 0
        : backoff(attempt - 1, policy.minDelay, policy.maxDelay);
      this.events.onReconnecting(attempt, delay);
      // A listener may have closed the client.
      if (this.#state !== CONNECTING) return;
      if (delay > 0) {
        await new Promise<void>((wake) => {
          this.#retryWake = wake;
          this.#retryTimer = setTimeout(wake, delay);
        });
        this.#retryTimer = undefined;
        this.#retryWake = undefined;
        if (this.#state !== CONNECTING) return;
      }
      try {
        await this.#connect();
        return;
      } catch (error) {
        last = asError(error);
        // After close() the attempt fails with "closed": not a failure.
        if (this.#state !== CONNECTING) return;
        this.#failure = last;
        this.events.onError(last, undefined);
      }
    }
  }

  // --- health checks -------------------------------------------------------------

  #startHealthChecks(): void {
    const interval = this.#options.pingInterval;
    if (interval === undefined) return;
    this.#pingReads = this.#reads;
    this.#pingWrites = this.#writes;
    this.#pingAliveAt = performance.now();
    this.#stalls = 0;
    this.#pingTimer = setInterval(this.#check, interval);
  }

  #stopHealthChecks(): void {
    if (this.#pingTimer !== undefined) {
      clearInterval(this.#pingTimer);
      this.#pingTimer = undefined;
    }
  }

  #check = (): void => {
    if (this.#state !== READY && this.#state !== CLOSING) return;
    const now = performance.now();
    let alive = this.#alive(this.#pingReads, this.#pingWrites, UPLOAD_BACKLOG);
    this.#pingReads = this.#reads;
    this.#pingWrites = this.#writes;
    if (alive) {
      this.#pingAliveAt = now;
    } else if (this.#sinceRead >= UPLOAD_BACKLOG) {
      // A large upload's writes complete seldom: allow connectTimeout.
      alive = now - this.#pingAliveAt < this.#options.connectTimeout;
    }
    if (alive) {
      this.#stalls = 0;
    } else if (this.#queue.length > 0) {
      if (++this.#stalls >= STALLED_CHECKS) {
        const ms = this.#options.pingInterval! * STALLED_CHECKS;
        this.#socketFailed(
          new ConnectionError(
            `Connection to ${this.#address} is not responding: nothing received for ${ms} ms with replies due (pingInterval)`,
          ),
        );
        return;
      }
    }
    if (
      this.#state === READY && this.#queue.length === 0 &&
      this.#waitingCount() === 0
    ) {
      // Idle: a PING makes the next check able to tell a live socket from a
      // dead one. Its failure is the socket's failure, handled elsewhere.
      this.#sendNow(["PING"], expectPong).catch(() => {});
    }
  };

  // --- teardown --------------------------------------------------------------

  /**
   * The current socket failed: close it, reject what it was given (flagging
   * what may have run), and reconnect unless that is off or closing.
   */
  #socketFailed(error: Error): void {
    const conn = this.#conn;
    if (conn === undefined) return;
    this.#conn = undefined;
    this.#stopHealthChecks();
    try {
      conn.close();
    } catch {
      // Already closed.
    }
    const lost = this.#rejectPending(error);
    this.#writing = false;
    this.#inFlightBytes = 0;
    this.#failure = error;
    if (this.#state === READY) {
      if (this.#options.reconnect === null) {
        this.#shutdown(error, lost);
        return;
      }
      this.#state = CONNECTING;
      this.#reportLost(lost);
      // Listeners may have closed the client: no disconnect after "close".
      if (this.#state !== CONNECTING) return;
      this.events.onDisconnect(error);
      if (this.#state !== CONNECTING) return;
      const loop = this.#reconnect(error);
      this.#loops.add(loop);
      void loop.finally(() => this.#loops.delete(loop));
    } else if (this.#state === CLOSING) {
      this.#shutdown(error, lost);
    } else {
      // CONNECTING: the attempt in progress sees its handshake fail.
      this.#reportLost(lost);
    }
  }

  /**
   * Rejects every queue entry: the ones handed to the socket may have run.
   * Returns the fire-and-forget losses, to be reported once the state is
   * updated: no listener may see a connection half torn down.
   */
  #rejectPending(error: Error): Error[] {
    const queue = this.#queue;
    const sent = queue.length - this.#unsent;
    let sentError = error;
    let unsentError = error;
    if (error instanceof ConnectionError) {
      sentError = new ConnectionError(error.message, {
        cause: error.cause,
        mayHaveExecuted: true,
      });
      unsentError = new ConnectionError(
        `${error.message} (the command was not sent)`,
        { cause: error.cause },
      );
    }
    // Fire-and-forget commands are counted into (at most) two events rather
    // than one event each: a teardown may hold 100,000 of them.
    let lostVoid = 0;
    let unsentVoid = 0;
    for (let k = 0; queue.length > 0; k++) {
      const i = queue.head;
      const resolve = queue.resolve[i]!;
      const flags = queue.flags[i]!;
      const command = queue.command[i];
      queue.shift();
      // A timed-out command's caller was already rejected.
      if ((flags & ABANDONED) !== 0) continue;
      if (resolve === null) {
        if (k < sent) lostVoid++;
        else unsentVoid++;
      } else {
        this.#reject(
          resolve,
          flags,
          command,
          k < sent ? sentError : unsentError,
        );
      }
    }
    this.#unsent = 0;
    this.#clearDeadlines();
    const lost: Error[] = [];
    if (lostVoid > 0) {
      lost.push(
        new ConnectionError(
          `Lost ${
            plural(lostVoid, "fire-and-forget command")
          } in flight (they may have run): ${error.message}`,
          { cause: error, mayHaveExecuted: true },
        ),
      );
    }
    if (unsentVoid > 0) {
      lost.push(
        new ConnectionError(
          `Dropped ${
            plural(unsentVoid, "fire-and-forget command")
          }: ${error.message} (not sent)`,
          { cause: error },
        ),
      );
    }
    return lost;
  }

  /** Dispatches the losses {@linkcode SocketConnection.#rejectPending} counted. */
  #reportLost(lost: Error[]): void {
    for (const error of lost) this.events.onError(error, undefined);
  }

  /** Closes for good: rejects everything still pending or waiting. Idempotent. */
  #shutdown(error: Error | undefined, lost: Error[] = []): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    this.#failure = error;
    this.#stopHealthChecks();
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    if (this.#drainTimer !== undefined) clearTimeout(this.#drainTimer);
    this.#retryWake?.();
    // The socket goes first, so the attempt's abort finds it gone and does
    // not record a failure: this is a close, not one.
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn !== undefined) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    this.#attempt?.abort(this.#closedError());
    const closed = error ?? this.#closedError();
    lost.push(...this.#rejectPending(closed));
    const notSent = closed instanceof ConnectionError && !closed.mayHaveExecuted
      ? closed
      : new ConnectionError(`${closed.message} (the command was not sent)`, {
        cause: closed,
      });
    let droppedVoid = 0;
    for (let k = this.#waitingHead; k < this.#waiting.length; k++) {
      const w = this.#waiting[k]!;
      if (w.cancelled) continue;
      w.release?.();
      if (w.resolve === null) droppedVoid++;
      else w.resolve(rejection(notSent));
    }
    this.#waiting = [];
    this.#waitingHead = 0;
    this.#waitingLive = 0;
    if (this.#sweepTimer !== undefined) clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#drained?.resolve();
    if (droppedVoid > 0) {
      lost.push(
        new ConnectionError(
          `Dropped ${
            plural(droppedVoid, "fire-and-forget command")
          }: ${notSent.message}`,
          { cause: closed },
        ),
      );
    }
    this.#reportLost(lost);
    // Drops counted in this tick are reported before "close".
    this.#reportDropped();
    if (error !== undefined) this.events.onError(error, undefined);
    this.events.onClose(error);
  }

  #closedError(): ConnectionError {
    if (this.#failure !== undefined && this.#state === CLOSED) {
      return new ConnectionError(
        `Cannot send command: the connection to ${this.#address} failed: ${this.#failure.message}`,
        { cause: this.#failure },
      );
    }
    return new ConnectionError(`Cannot send command: the client is closed`);
  }
}

/** `1 command`, `2 commands`. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function waiting(
  args: readonly RedisArg[],
  db: number,
  binary: boolean,
  decode: ReplyDecoder | null,
  resolve: Resolve | null,
): Waiting {
  return {
    args,
    db,
    binary,
    decode,
    resolve,
    since: 0,
    cancelled: false,
    written: false,
    release: null,
  };
}
