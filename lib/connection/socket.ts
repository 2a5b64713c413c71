// One socket's life: commands encoded the moment they are written and sent
// together once per tick, SELECT pipelined (or probed) in front of commands
// for another database, the deadlines of timed commands, and the teardown.
// Its replies are read and matched in replies.ts. Knows nothing of
// reconnection, waiting commands or typed commands: its owner decides what a
// dead socket means.

import { ConnectionError, TimeoutError } from "../errors.ts";
import type { Counters } from "./counters.ts";
import { RespDecoder } from "../resp/decoder.ts";
import { CommandEncoder, type RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import type { Decode, Request, RequestCommand } from "./connection.ts";
import { Databases, SELECT, selectBytes } from "./databases.ts";
import { DeadlineTimer } from "./deadlines.ts";
import { ReplyReader } from "./replies.ts";
import { expectOk, messageOf } from "./_util.ts";
import {
  ABANDONED,
  BIGINT,
  BINARY,
  failPending,
  INTERNAL,
  type Internal,
  PendingQueue,
  rejection,
  type Resolve,
  RETAKE,
  type Retake,
  TIMED,
} from "./pending_queue.ts";

/** {@linkcode Socket.offer}: the request was written. */
export const WRITTEN = 0;
/** {@linkcode Socket.offer}: no room; nothing was done. */
export const FULL = 1;
/** {@linkcode Socket.offer}: a probe SELECT for its database went out first. */
export const PROBING = 2;

/** What a socket needs of its owner. */
export interface SocketHost {
  /** A fire-and-forget command failed (`command` names it), or pending ones were lost. */
  error(error: Error, command: string | undefined): void;
  /** A RESP3 push frame arrived. */
  push(data: RespValue[]): void;
  /**
   * A reply arrived with no command waiting for it: returns true when the
   * owner takes it (a connection given over to a stream of such replies,
   * as MONITOR's), false to give the socket up as out of step.
   */
  unmatched(value: RespValue): boolean;
  /** The socket failed: the owner tears it down with {@linkcode Socket.fail}. */
  failed(socket: Socket, error: Error): void;
  /**
   * Room was made: a write completed, replies arrived, or a probe SELECT
   * was answered; the owner may admit waiting commands.
   */
  writable(socket: Socket): void;
  /** A probe SELECT to `db` was refused: commands waiting for it must fail. */
  refused(socket: Socket, db: number, error: Error): void;
  /** The owner's counters (commands, replies, bytes), kept across sockets. */
  readonly counters: Counters;
  /**
   * Offered each failed command written with `retake` (see
   * {@linkcode Socket.offer}) before its caller is failed.
   */
  readonly retake?: Retake | undefined;
}

/** The bounds a socket enforces. */
export interface SocketLimits {
  /** The largest bulk string, in bytes. */
  readonly maxBulkLength: number;
  /** Bytes encoded or being written before the socket reports itself full. */
  readonly maxBufferedBytes: number;
  /** Commands awaiting replies before the socket reports itself full. */
  readonly maxInFlight: number;
}

/**
 * One open socket to the server. Written commands are settled exactly once:
 * with their reply, with an error reply, or by {@linkcode Socket.fail}.
 */
export class Socket {
  readonly #conn: Deno.Conn;
  readonly #host: SocketHost;
  readonly #address: string;
  readonly #maxBufferedBytes: number;
  readonly #maxInFlight: number;
  readonly #encoder: CommandEncoder;
  readonly #decoder: RespDecoder;
  readonly #queue = new PendingQueue();
  readonly #databases = new Databases();
  /** Deadlines of TIMED entries of the reply queue: one timer for all. */
  readonly #deadlines: DeadlineTimer;
  #dead = false;
  #failure: Error | undefined;
  #writing = false;
  #flushScheduled = false;
  #inFlightBytes = 0;
  /** Queue entries (at its tail) encoded but not yet handed to the socket. */
  #unsent = 0;
  readonly #reader: ReplyReader;
  readonly #counters: Counters;

  /** Reads so far (health checks compare it). */
  reads = 0;
  /** Writes completed so far. */
  writes = 0;
  /** Bytes written since a byte was last read. */
  sinceRead = 0;
  /**
   * Called after a command is answered `READONLY` (set by a Locator: the
   * server was demoted), otherwise undefined.
   */
  readonlyReply: (() => void) | undefined;
  /** The read loop; settles once the socket is closed. */
  readonly loop: Promise<void>;

  /**
   * Constructs a new instance and starts reading.
   *
   * @param conn The open socket.
   * @param host Its owner.
   * @param address The server address, for messages.
   * @param limits Its bounds.
   * @param subscriber Whether it is a subscriber connection's (see
   * pubsub_frames.ts).
   */
  constructor(
    conn: Deno.Conn,
    host: SocketHost,
    address: string,
    limits: SocketLimits,
    subscriber = false,
  ) {
    this.#conn = conn;
    this.#host = host;
    this.#address = address;
    this.#counters = host.counters;
    this.#maxBufferedBytes = limits.maxBufferedBytes;
    this.#maxInFlight = limits.maxInFlight;
    this.#encoder = new CommandEncoder(limits.maxBulkLength);
    this.#decoder = new RespDecoder({ maxBulkLength: limits.maxBulkLength });
    this.#deadlines = new DeadlineTimer(this.#expire);
    this.#reader = new ReplyReader(
      this,
      host,
      this.#decoder,
      this.#queue,
      this.#deadlines,
      subscriber,
    );
    this.loop = this.#reader.run(conn, address);
  }

  /** Whether it was given up. */
  get dead(): boolean {
    return this.#dead;
  }

  /** Why it was given up, once it was. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Commands written (or encoded) and awaiting their replies. */
  get pending(): number {
    return this.#queue.length;
  }

  /** Commands handed to the socket and awaiting their replies. */
  get inFlight(): number {
    return this.#queue.length - this.#unsent;
  }

  /** The server's address, as connected to. */
  get address(): string {
    return this.#address;
  }

  /** Lowers the largest argument accepted (the server's proto-max-bulk-len). */
  limitBulkLength(bytes: number): void {
    if (bytes < this.#encoder.maxBulkLength) {
      this.#encoder.maxBulkLength = bytes;
    }
  }

  /** The database the socket will be in once every written command has run. */
  get db(): number {
    return this.#databases.written;
  }

  /**
   * Whether a request for `db` may be written now as far as its database
   * goes: it is the selected one or confirmed. Otherwise a probe SELECT goes
   * out (blocking every write until it is answered) and the answer is false.
   */
  enter(db: number): boolean {
    const databases = this.#databases;
    if (db === databases.written || databases.confirmed(db)) return true;
    this.#probe(db);
    return false;
  }

  /** {@linkcode Socket.enter} for the databases of a batch, in order. */
  enterAll(requests: readonly Request[]): boolean {
    const databases = this.#databases;
    let db = databases.written;
    for (const request of requests) {
      if (request.db === db) continue;
      db = request.db;
      if (!databases.confirmed(db)) {
        this.#probe(db);
        return false;
      }
    }
    return true;
  }

  /**
   * From now on every frame, pushes included, decodes its bulk strings as
   * bytes: a binary subscriber's socket once past its handshake (whose
   * replies are read as text).
   */
  decodeBinary(): void {
    this.#reader.binaryFrames = true;
    this.#decoder.pushBinary = true;
  }

  /** Takes the database the handshake left the socket in as confirmed. */
  startIn(db: number): void {
    this.#databases.reset(db);
  }

  /**
   * Whether nothing more may be written now: the write buffer is full, as
   * many commands are in flight as allowed, or a probe SELECT is out.
   */
  blocked(): boolean {
    return this.#encoder.length + this.#inFlightBytes >=
        this.#maxBufferedBytes ||
      this.#queue.length >= this.#maxInFlight ||
      this.#databases.probing !== -1;
  }

  /** Whether a deadline of `timeout` ms can be recorded (see Deadlines.accepts). */
  acceptsDeadline(timeout: number): boolean {
    return this.#deadlines.accepts(timeout, this.#queue.firstSeq);
  }

  /**
   * Encodes a request (after a SELECT when its database is not the one
   * selected) and queues its reply slot; `timeout` makes it a deadline.
   * Returns {@linkcode WRITTEN}; or {@linkcode FULL}, having done nothing,
   * when the socket has no room (see {@linkcode Socket.blocked}); or
   * {@linkcode PROBING} when its database is not confirmed on this socket:
   * a probe SELECT went out instead, and the request must wait for its
   * answer. Throws, with nothing queued for the request, when an argument
   * cannot be encoded. One call, so that the common case costs one.
   * `retake` (with no timeout) keeps its arguments: a failure of it goes to
   * the owner's {@linkcode SocketHost.retake} first.
   */
  offer(
    request: Request,
    resolve: Resolve | null,
    timeout?: number,
    retake = false,
  ): number {
    if (this.blocked()) return FULL;
    const databases = this.#databases;
    const db = request.db;
    if (db !== databases.written) {
      if (!databases.confirmed(db)) {
        this.#probe(db);
        return PROBING;
      }
      // Scheduled first: a SELECT encoded just before an argument that
      // cannot be must still go out (its slot is queued).
      this.#scheduleFlush();
      this.#select(db, false);
    } else if (!this.#flushScheduled) {
      this.#scheduleFlush();
    }
    const command = request.command;
    this.#encoder.encodeCommand(command.head, command.tokens, request.args);
    if (timeout === undefined) {
      const queue = this.#queue;
      queue.push(
        request.decode,
        resolve,
        command,
        (request.binary ? BINARY : 0) | (request.bigint ? BIGINT : 0) |
          (retake ? RETAKE : 0),
      );
      if (retake) queue.retain(request.args);
      this.#unsent++;
    } else {
      this.#queue.push(
        request.decode,
        resolve,
        command,
        (request.binary ? BINARY | TIMED : TIMED) |
          (request.bigint ? BIGINT : 0),
      );
      this.#unsent++;
      this.#addDeadline(timeout);
    }
    this.#writeEarly();
    return WRITTEN;
  }

  /**
   * Writes a batch contiguously, each request after a SELECT where its
   * database changes, or nothing of it: returns false when one of its
   * databases is not confirmed (a probe went out for the first such), and
   * throws, having encoded and queued nothing, when an argument cannot be
   * encoded.
   */
  writeBatch(
    requests: readonly Request[],
    resolves: readonly (Resolve | null)[] | null,
    timeout?: number,
  ): boolean {
    if (!this.enterAll(requests)) return false;
    const databases = this.#databases;
    this.#scheduleFlush();
    const encoder = this.#encoder;
    const queue = this.#queue;
    const start = encoder.mark();
    const startDb = databases.written;
    let slots = 0;
    let selects = 0;
    try {
      for (let i = 0; i < requests.length; i++) {
        const request = requests[i]!;
        if (request.db !== databases.written) {
          this.#select(request.db, false);
          slots++;
          selects++;
        }
        const command = request.command;
        encoder.encodeCommand(command.head, command.tokens, request.args);
        const flags = (request.binary ? BINARY : 0) |
          (request.bigint ? BIGINT : 0) |
          (timeout !== undefined ? TIMED : 0);
        queue.push(request.decode, resolves?.[i] ?? null, command, flags);
        slots++;
      }
    } catch (error) {
      encoder.rollback(start);
      for (let k = 0; k < slots; k++) queue.pop();
      for (let k = 0; k < selects; k++) databases.unselect(startDb);
      // #select() counted its SELECTs as unsent.
      this.#unsent -= selects;
      throw error;
    }
    // #select() counted its SELECTs as unsent already.
    this.#unsent += slots - selects;
    // Only now, with the batch whole, may a chunk it filled be written.
    this.#writeEarly();
    if (timeout !== undefined) {
      // Each request its own deadline, by its own sequence number: the
      // SELECTs among them have none.
      const first = queue.firstSeq;
      for (let seq = queue.lastSeq - slots + 1; seq <= queue.lastSeq; seq++) {
        if ((queue.flags[queue.indexOf(seq)]! & TIMED) !== 0) {
          this.#deadlines.add(timeout, seq, first);
        }
      }
    }
    return true;
  }

  /**
   * Writes an internal command (the handshake's, a health check's) at once
   * in the selected database. Never throws; rejects without writing when
   * the socket is gone, so no slot is ever queued that will not be answered.
   */
  writeNow(
    command: RequestCommand,
    args: readonly RedisArg[],
    decode: Decode<unknown> | null,
  ): Promise<unknown> {
    if (this.#dead) {
      return Promise.reject(
        new ConnectionError(`Connection to ${this.#address} was lost`),
      );
    }
    const { promise, resolve } = Promise.withResolvers<unknown>();
    this.#scheduleFlush();
    try {
      this.#encoder.encodeCommand(command.head, command.tokens, args);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#queue.push(decode, resolve, command, 0);
    this.#unsent++;
    return promise;
  }

  /**
   * A burst has filled a chunk: start writing it now (conn.write hands the
   * bytes to the kernel at once), so the server works while the rest of the
   * burst is encoded. Never in the middle of a batch.
   */
  #writeEarly(): void {
    if (this.#encoder.hasChunk && !this.#writing) void this.#writeLoop();
  }

  /** Writes SELECT `db`; a probe blocks every write until it is answered. */
  #select(db: number, probe: boolean): void {
    this.#encoder.encodeRaw(selectBytes(db));
    this.#queue.push(expectOk, this.#selectAnswered, SELECT, INTERNAL);
    this.#unsent++;
    this.#databases.selecting(db, probe);
  }

  #probe(db: number): void {
    this.#scheduleFlush();
    this.#select(db, true);
  }

  #selectAnswered: Internal = (_, error) => {
    // A socket given up rejects every slot: nothing to settle then.
    if (this.#dead) return;
    const databases = this.#databases;
    databases.answered(error === undefined);
    const db = databases.lastDb;
    if (error === undefined) {
      this.#reader.stray = null;
      if (databases.lastProbe) this.#host.writable(this);
      return;
    }
    if (databases.lastProbe) {
      // Nothing was written behind a probe: only the commands waiting for
      // this database fail; the socket and every other caller carry on.
      this.#host.refused(this, db, error);
      this.#host.writable(this);
    } else {
      // An inline SELECT to a database confirmed earlier was refused (an
      // ACL changed since): the commands written behind it ran in the
      // database the server stayed in. Each is told so, up to the next
      // SELECT, unless that is the database they were meant for.
      const current = databases.current;
      this.#reader.stray = current === db ? null : { db, current, error };
      this.#reader.strayEnd = this.#queue.lastSeq;
    }
  };

  /** Starts the write of this tick's commands once the tick's code is done. */
  #scheduleFlush(): void {
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  /** Asks for a flush (the owner added commands outside {@linkcode Socket.offer}). */
  flushSoon(): void {
    this.#scheduleFlush();
  }

  #flush = (): void => {
    this.#flushScheduled = false;
    this.#deadlines.endTick();
    if (this.#writing || this.#dead) return;
    this.#host.writable(this);
    if (this.#encoder.length > 0 && !this.#dead) void this.#writeLoop();
  };

  async #writeLoop(): Promise<void> {
    const conn = this.#conn;
    const encoder = this.#encoder;
    const counters = this.#counters;
    this.#writing = true;
    try {
      while (encoder.length > 0 && !this.#dead) {
        const data = encoder.take();
        // Commands in chunks not taken yet are still unsent.
        this.#unsent -= encoder.takenCommands;
        counters.written += encoder.takenCommands;
        this.#inFlightBytes = data.length;
        // conn.write may write only part of a large buffer.
        let written = await conn.write(data);
        if (this.#dead) return;
        this.writes++;
        this.sinceRead += written;
        counters.bytesOut += written;
        while (written < data.length) {
          const more = await conn.write(data.subarray(written));
          if (this.#dead) return;
          written += more;
          this.writes++;
          this.sinceRead += more;
          counters.bytesOut += more;
        }
        this.#inFlightBytes = 0;
        encoder.release(data);
        this.#host.writable(this);
      }
    } catch (error) {
      if (!this.#dead) {
        this.#host.failed(
          this,
          new ConnectionError(
            `Cannot write to ${this.#address}: ${messageOf(error)}`,
            { cause: error },
          ),
        );
      }
    } finally {
      this.#writing = false;
    }
  }

  // --- deadlines ------------------------------------------------------------

  /** Gives the entry just queued a deadline `timeout` ms from this tick. */
  #addDeadline(timeout: number): void {
    const queue = this.#queue;
    this.#deadlines.add(timeout, queue.lastSeq, queue.firstSeq);
  }

  /** Rejects entry `seq` if it still waits for its reply; the reply will be dropped. */
  #expire = (seq: number, timeout: number): void => {
    const queue = this.#queue;
    const i = queue.indexOf(seq);
    if (i === -1 || (queue.flags[i]! & (TIMED | ABANDONED)) !== TIMED) return;
    const resolve = queue.resolve[i] as Resolve | null;
    // Behind a write still in progress, it may not have left yet: it will.
    const fate = seq - queue.firstSeq >= queue.length - this.#unsent
      ? "it is still to be written and may run on the server"
      : "it was sent and may still run on the server";
    queue.flags[i]! |= ABANDONED;
    queue.resolve[i] = null;
    queue.decode[i] = null;
    this.#deadlines.settled();
    this.#counters.timeouts++;
    const error = new TimeoutError(
      `Command ${
        queue.command[i]!.name
      } timed out after ${timeout} ms: ${fate}`,
      { mayHaveExecuted: true },
    );
    if (resolve === null) this.#host.error(error, queue.command[i]!.name);
    else resolve(rejection(error));
  };

  // --- teardown --------------------------------------------------------------

  /**
   * Gives the socket up: closes it and rejects every pending command (the
   * ones handed to the socket may have run). Returns the fire-and-forget
   * losses, to be reported once the owner's state is updated: no listener
   * may see a connection half torn down. Idempotent.
   */
  fail(error: Error): Error[] {
    if (this.#dead) return [];
    this.#dead = true;
    this.#failure = error;
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    const sent = this.inFlight;
    if (sent > 0) this.#counters.error("ConnectionError", sent);
    const lost = failPending(
      this.#queue,
      this.#unsent,
      error,
      this.#host.retake,
    );
    this.#unsent = 0;
    this.#writing = false;
    this.#inFlightBytes = 0;
    this.#deadlines.clear();
    return lost;
  }
}
