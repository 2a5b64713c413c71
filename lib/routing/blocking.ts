// Blocking commands (BLPOP, BLMOVE, BZMPOP, XREAD with BLOCK, WAIT...) on a
// pool of dedicated connections, never on the shared one: each call takes a
// connection of the pool, sends its command there alone, and gives the
// connection back once the reply is in. A call stopped by its limits (a
// signal, a timeout) or by the client's close while its command blocks is
// unblocked from the shared connection with CLIENT UNBLOCK <id> (each
// dedicated connection's CLIENT ID is asked for as it opens): the server then
// answers the command as if its own timeout had passed, and the connection
// goes back to the pool clean. A reply that took something before the
// UNBLOCK reached the server goes to the caller (the pop won the race); a
// connection whose UNBLOCK cannot be confirmed is closed at once, so its late
// reply reaches no one.
//
// WAIT (and WAITAOF) count the replicas that acknowledged the writes of the
// connection they run on, which a dedicated connection has none of: so the
// router first waits for a PING on the shared connection (everything issued
// there before has run), then sends PUBLISH on an internal channel before
// WAIT on the dedicated connection. PUBLISH is replicated, and gives that
// connection the server's replication offset of that moment, which includes
// every write of the shared connection before the PING.

import { within } from "../_timers.ts";
import { type Command, command } from "../commands/_command.ts";
import { safeInteger } from "../commands/_reply.ts";
import type { ConnectionConfig } from "../connection/config.ts";
import type { Connection, Limits, Request } from "../connection/connection.ts";
import { SocketConnection } from "../connection/socket_connection.ts";
import { asError } from "../connection/_util.ts";
import { ConnectionError, ReplyError, TimeoutError } from "../errors.ts";
import { Pool } from "./pool.ts";

const CLIENT_ID = command("CLIENT ID");
const CLIENT_UNBLOCK = command("CLIENT UNBLOCK");
const PING = command("PING");
const PUBLISH = command("PUBLISH");

/** The channel of the PUBLISH that carries the replication offset to WAIT. */
export const WAIT_CHANNEL = "__sleeve__:wait";

/**
 * Milliseconds a stopped call waits for its CLIENT UNBLOCK to be confirmed
 * (the UNBLOCK answered and the command's reply in) before its connection
 * is closed instead.
 */
export const UNBLOCK_TIMEOUT = 1_000;

/** The bounds of the pool of blocking connections. */
export interface BlockingPoolOptions {
  /** Connections open at once; more blocking calls wait for one. */
  readonly maxConnections: number;
  /** Milliseconds an idle connection is kept open. */
  readonly idleTimeout: number;
}

/** A dedicated connection's CLIENT ID: asked for as it opens. */
interface ClientId {
  /** The id, once its reply is in. */
  value: number | undefined;
  /** The reply (rejects when CLIENT ID failed). */
  readonly reply: Promise<unknown>;
}

/** Why a call was stopped before its reply came. */
type Stop =
  | { readonly kind: "abort"; readonly error: Error }
  | { readonly kind: "timeout"; readonly ms: number }
  | { readonly kind: "close" };

/** How far the stopped command had gone. */
const UNSENT = 0;
/** It was unblocked, having taken nothing. */
const UNBLOCKED = 1;
/** Its unblocking could not be confirmed: its connection was closed. */
const UNCONFIRMED = 2;

/** How a command's reply ended. */
type Outcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: unknown };

/** One blocking call under way. */
interface Call {
  /** Stops it (the first stop counts). */
  readonly halt: (stop: Stop) => void;
  /** Its connection, once its command was handed to it. */
  connection: SocketConnection | undefined;
  /** A CLIENT UNBLOCK already sent for it (by close()), to count first. */
  unblocking: Promise<unknown> | undefined;
  /** Settles once the call has. */
  readonly done: Promise<void>;
}

/** What the router needs of {@linkcode BlockingCalls}' owner. */
export interface BlockingHost {
  /** A fire-and-forget blocking command failed. */
  error(error: Error, command: string): void;
}

/** The blocking commands of one client; see the file's comment. */
export class BlockingCalls {
  readonly #shared: Connection;
  readonly #config: ConnectionConfig;
  readonly #host: BlockingHost;
  readonly #pool: Pool<SocketConnection>;
  readonly #ids = new WeakMap<Connection, ClientId>();
  /** Calls under way. */
  readonly #calls = new Set<Call>();
  #closed = false;

  /**
   * Constructs a new instance; opens nothing.
   *
   * @param shared The connection CLIENT UNBLOCK is sent on.
   * @param config The configuration dedicated connections are opened with
   * (never reconnecting, without health checks: a blocked connection is
   * silent), and whose `maxQueued` and `queueTimeout` bound the calls
   * waiting for one.
   * @param options The pool's bounds.
   * @param host Where fire-and-forget failures go.
   */
  constructor(
    shared: Connection,
    config: ConnectionConfig,
    options: BlockingPoolOptions,
    host: BlockingHost,
  ) {
    this.#shared = shared;
    this.#config = config;
    this.#host = host;
    this.#pool = new Pool({
      max: options.maxConnections,
      maxIdle: options.maxConnections,
      idleTimeout: options.idleTimeout,
      maxQueued: config.maxQueued,
      queueTimeout: config.queueTimeout,
      what: "blocking connections",
      bound: "maxBlockingConnections",
      action: (name) => `send ${name}`,
      open: () => this.#open(),
    });
  }

  /** Opens a dedicated connection and asks for its id (pipelined with its first command). */
  async #open(): Promise<SocketConnection> {
    const config = this.#config;
    const connection = await SocketConnection.open({
      ...config,
      reconnect: null,
      pingInterval: undefined,
      role: "blocking",
    });
    const reply = connection.send({
      command: CLIENT_ID,
      args: [],
      db: config.db,
      binary: false,
      bigint: false,
      decode: safeInteger,
    });
    const id: ClientId = { value: undefined, reply };
    reply.then((value) => {
      id.value = value as number;
    }, () => {
      // Unknown: a stopped call then closes the connection instead.
    });
    this.#ids.set(connection, id);
    return connection;
  }

  /**
   * Runs a blocking request on a dedicated connection and resolves with its
   * reply (see the file's comment for a stop).
   *
   * @param request The request (copied: the caller may reuse it).
   * @param limits A signal and/or a timeout that stop the call.
   */
  send(request: Request, limits: Limits | undefined): Promise<unknown> {
    return this.#run(copy(request), limits);
  }

  /**
   * {@linkcode BlockingCalls.send} whose reply is dropped; a failure goes
   * to the host.
   */
  sendVoid(request: Request, limits: Limits | undefined): void {
    const name = request.command.name;
    this.#run(copy(request), limits).then(undefined, (error) => {
      this.#host.error(asError(error), name);
    });
  }

  async #run(request: Request, limits: Limits | undefined): Promise<unknown> {
    const name = request.command.name;
    if (this.#closed) {
      throw new ConnectionError(`Cannot send ${name}: the client is closed`);
    }
    const signal = limits?.signal;
    if (signal?.aborted) throw asError(signal.reason);
    const state: { stop: Stop | undefined } = { stop: undefined };
    const stopped = Promise.withResolvers<undefined>();
    // Stops the wait for a connection.
    const waiting = new AbortController();
    const halt = (stop: Stop) => {
      if (state.stop !== undefined) return;
      state.stop = stop;
      waiting.abort(stop.kind === "abort" ? stop.error : undefined);
      stopped.resolve(undefined);
    };
    const onAbort = () =>
      halt({ kind: "abort", error: asError(signal!.reason) });
    signal?.addEventListener("abort", onAbort, { once: true });
    const timeout = limits?.timeout;
    const timer = timeout === undefined
      ? undefined
      : setTimeout(() => halt({ kind: "timeout", ms: timeout }), timeout);
    // WAIT: everything issued on the shared connection before it has run.
    const barrier = isWait(name)
      ? outcome(this.#shared.send(internal(PING, [], request.db)))
      : undefined;
    const done = Promise.withResolvers<void>();
    const call: Call = {
      halt,
      connection: undefined,
      unblocking: undefined,
      done: done.promise,
    };
    this.#calls.add(call);
    try {
      let connection: SocketConnection;
      try {
        connection = await this.#pool.acquire(name, waiting.signal);
      } catch (error) {
        if (state.stop !== undefined) throw stopError(name, state.stop, UNSENT);
        throw error;
      }
      if (state.stop !== undefined) {
        this.#pool.release(connection, true);
        throw stopError(name, state.stop, UNSENT);
      }
      let carried: Promise<Outcome> | undefined;
      if (barrier !== undefined) {
        const ready = await Promise.race([barrier, stopped.promise]);
        if (ready === undefined || !ready.ok) {
          this.#pool.release(connection, true);
          throw ready === undefined
            ? stopError(name, state.stop!, UNSENT)
            : ready.error;
        }
        carried = outcome(
          connection.send(internal(PUBLISH, [WAIT_CHANNEL, ""], request.db)),
        );
      }
      const reply = outcome(connection.send(request));
      call.connection = connection;
      const first = await Promise.race([reply, stopped.promise]);
      if (first !== undefined) {
        this.#pool.release(connection, !connection.closed);
        if (!first.ok) throw first.error;
        // Answered before WAIT's reply, so known by now.
        if (carried !== undefined) checkCarried(name, await carried);
        return first.value;
      }
      return await this.#unblock(call, connection, reply, name, state.stop!);
    } finally {
      this.#calls.delete(call);
      done.resolve();
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /**
   * Unblocks a stopped call's command with CLIENT UNBLOCK from the shared
   * connection, and settles the call by what its reply then says.
   */
  async #unblock(
    call: Call,
    connection: SocketConnection,
    reply: Promise<Outcome>,
    name: string,
    stop: Stop,
  ): Promise<unknown> {
    let settled: Outcome | undefined;
    void reply.then((result) => {
      settled = result;
    });
    const id = this.#ids.get(connection);
    const deadline = performance.now() + UNBLOCK_TIMEOUT;
    for (let attempt = 0; settled === undefined; attempt++) {
      const left = deadline - performance.now();
      if (left <= 0 || id === undefined) break;
      // Its reply comes before the blocking command's.
      if (id.value === undefined) await within(id.reply, left);
      if (id.value === undefined) break;
      let unblocked: unknown;
      try {
        const sent = call.unblocking;
        call.unblocking = undefined;
        unblocked = await (sent ?? this.#sendUnblock(id.value, deadline));
      } catch {
        break; // Refused (an ACL), closed, or no answer in time.
      }
      if (settled !== undefined) break;
      // 1: unblocked, its reply is on its way. 0: not blocked (yet): the
      // command is still on its way to the server, or its reply to us;
      // wait a little, then ask again.
      const wait = unblocked === 1 ? left : Math.min(left, 2 ** attempt);
      await within(reply, wait);
    }
    if (settled === undefined) {
      // Not confirmed: nothing of this connection may reach anyone now.
      connection.destroy(
        new ConnectionError(
          `Cannot finish ${name}: it was stopped and CLIENT UNBLOCK could not be confirmed, so its connection was closed`,
        ),
      );
      this.#pool.release(connection, false);
      throw stopError(name, stop, UNCONFIRMED);
    }
    this.#pool.release(connection, !connection.closed);
    if (settled.ok) {
      // The command took something before the UNBLOCK reached the server:
      // the caller gets it. WAIT's count is no such thing.
      if (settled.value !== null && !isWait(name)) return settled.value;
      throw stopError(name, stop, UNBLOCKED);
    }
    const error = settled.error;
    throw stopError(
      name,
      stop,
      error instanceof ConnectionError && error.mayHaveExecuted
        ? UNCONFIRMED
        : UNBLOCKED,
    );
  }

  /** CLIENT UNBLOCK `id` on the shared connection, answered by `deadline`. */
  #sendUnblock(id: number, deadline: number): Promise<unknown> {
    return this.#shared.send(
      {
        command: CLIENT_UNBLOCK,
        args: [id],
        db: this.#config.db,
        binary: false,
        bigint: false,
        decode: safeInteger,
      },
      { timeout: Math.max(1, Math.ceil(deadline - performance.now())) },
    );
  }

  /**
   * Rejects new calls and stops every call under way: the CLIENT UNBLOCK of
   * each blocked one is sent now, synchronously, so the caller may close
   * the shared connection right after (its close waits for the answers).
   * Those calls reject with a `ConnectionError` unless their pop won the
   * race. Resolves once they are settled and the dedicated connections are
   * closed.
   */
  close(): Promise<void> {
    this.#closed = true;
    const deadline = performance.now() + UNBLOCK_TIMEOUT;
    const calls = [...this.#calls];
    for (const call of calls) {
      const id = call.connection && this.#ids.get(call.connection)?.value;
      if (id !== undefined) {
        const sent = this.#sendUnblock(id, deadline);
        // Read by the call's own unblocking; no rejection left unhandled.
        sent.catch(() => {});
        call.unblocking = sent;
      }
      call.halt({ kind: "close" });
    }
    return Promise.all(calls.map((call) => call.done)).then(() =>
      this.#pool.close()
    );
  }
}

/** A request of its own, arguments included (the caller may reuse its own). */
function copy(request: Request): Request {
  return {
    command: request.command,
    args: request.args.slice(),
    db: request.db,
    binary: request.binary,
    bigint: request.bigint,
    decode: request.decode,
  };
}

/** A request the router sends itself, its reply as it comes. */
function internal(
  cmd: Command,
  args: (string | number)[],
  db: number,
): Request {
  return { command: cmd, args, db, binary: false, bigint: false, decode: null };
}

/**
 * Throws when the PUBLISH in front of WAIT failed: WAIT then counted
 * replicas against no write of the client, and its answer means nothing.
 */
function checkCarried(name: string, carried: Outcome): void {
  if (carried.ok) return;
  const error = asError(carried.error);
  const message =
    `Cannot wait for replicas: PUBLISH ${WAIT_CHANNEL}, which gives ${name}'s dedicated connection the replication offset of the client's writes, failed: ${error.message}`;
  throw error instanceof ReplyError
    ? new ReplyError(message, name, { code: error.code, cause: error })
    : new ConnectionError(message, { cause: error, mayHaveExecuted: true });
}

/** A reply as an {@linkcode Outcome}: never rejects. */
function outcome(reply: Promise<unknown>): Promise<Outcome> {
  return reply.then(
    (value) => ({ ok: true, value }),
    (error) => ({ ok: false, error }),
  );
}

/** WAIT and WAITAOF answer a count, not something taken. */
function isWait(name: string): boolean {
  return name === "WAIT" || name === "WAITAOF";
}

/** The error of a call stopped by `stop`, by how far its command had gone. */
function stopError(name: string, stop: Stop, phase: number): Error {
  if (stop.kind === "abort") return stop.error;
  const fate = phase === UNSENT
    ? "it was never sent"
    : phase === UNBLOCKED
    ? "it was unblocked (CLIENT UNBLOCK) having taken nothing"
    : "CLIENT UNBLOCK could not be confirmed, so its connection was closed (it may have taken something, now lost)";
  const mayHaveExecuted = phase === UNCONFIRMED;
  if (stop.kind === "timeout") {
    return new TimeoutError(
      `Command ${name} timed out after ${stop.ms} ms: ${fate}`,
      { mayHaveExecuted },
    );
  }
  return new ConnectionError(
    `Cannot finish ${name}: the client was closed; ${fate}`,
    { mayHaveExecuted },
  );
}
