// Admission of requests that cannot take the fast path: those with limits,
// those that must wait (no socket, full buffers, a probe SELECT out), batches,
// and the waiting ones moved to the socket once it has room, in order. A
// refused probe fails the requests waiting for its database. Owns no socket
// and no lifecycle: its owner says whether the connection is ready.

import {
  type Backlog,
  refusedError,
  type Waiting,
  waiting,
} from "./backlog.ts";
import type { ConnectionError } from "../errors.ts";
import type { Limits, Request } from "./connection.ts";
import type { Resolve } from "./pending_queue.ts";
import type { Socket } from "./socket.ts";
import { asError } from "./_util.ts";

/** What admission needs of the connection that owns it. */
export interface AdmissionHost {
  /** Whether a socket is up and past its handshake. */
  ready(): boolean;
  /** Whether the connection stopped taking requests (closing or closed). */
  closed(): boolean;
  /** The current socket, if any. */
  socket(): Socket | undefined;
  /** The socket to move waiting requests to: ready or draining, and alive. */
  writing(): Socket | undefined;
  /** The error of a request issued after the close. */
  closedError(): ConnectionError;
  /** Requests left the backlog (a close may be waiting for that). */
  shrank(): void;
}

/** The slow path of one connection's requests. */
export class Admission {
  readonly #host: AdmissionHost;
  readonly #backlog: Backlog;

  /**
   * Constructs a new instance.
   *
   * @param host The connection.
   * @param backlog Its waiting requests.
   */
  constructor(host: AdmissionHost, backlog: Backlog) {
    this.#host = host;
    this.#backlog = backlog;
  }

  /**
   * The rest of send() (`resolve` set) and sendVoid() (`resolve` null):
   * limits, waiting, a closed connection. Returns an error to give the
   * caller at once. A signal can fire before the coalesced write, so such
   * requests are checked at write time; so are timeouts on requests that
   * must wait. A timeout alone on a request written now cannot fire before
   * its write (that runs in this tick's microtasks): it becomes a deadline
   * in the reply FIFO, with no timer or backlog entry of its own. A limit on
   * a fire-and-forget request ends at its write.
   */
  sendSlowly(
    request: Request,
    resolve: Resolve | null,
    limits: Limits | undefined,
  ): Error | undefined {
    if (this.#host.closed()) return this.#host.closedError();
    const ready = this.canWrite(request.db);
    const timeout = resolve === null ? undefined : limits?.timeout;
    if (
      limits !== undefined &&
      (limits.signal !== undefined ||
        (limits.timeout !== undefined &&
          (!ready ||
            (timeout !== undefined &&
              !this.#host.socket()!.acceptsDeadline(timeout)))))
    ) {
      this.#addLimited(waiting(request, resolve), limits);
    } else if (!ready) {
      this.wait(waiting(request, resolve));
    } else {
      try {
        this.#host.socket()!.offer(request, resolve, timeout);
      } catch (error) {
        return asError(error);
      }
    }
    return undefined;
  }

  batch(
    requests: readonly Request[],
    resolves: (Resolve | null)[] | null,
    limits: Limits | undefined,
  ): void {
    const ready = this.#canWriteAll(requests);
    const timeout = limits?.timeout;
    if (
      limits !== undefined &&
      (limits.signal !== undefined ||
        (timeout !== undefined &&
          (!ready || !this.#host.socket()!.acceptsDeadline(timeout))))
    ) {
      // The limit's own timer covers the batch, written or not: no deadline.
      // A fire-and-forget batch's limit ends at its write, as a command's.
      this.#addLimited(
        waiting(requests[0]!, null, undefined, requests, resolves),
        limits,
      );
      return;
    }
    // Written now, a promise batch's timeout becomes a deadline per request;
    // a fire-and-forget batch, like a fire-and-forget command, keeps none.
    const entry = waiting(
      requests[0]!,
      null,
      resolves === null ? undefined : timeout,
      requests,
      resolves,
    );
    if (!ready) {
      this.wait(entry);
    } else {
      this.#writeEntry(this.#host.socket()!, entry);
    }
  }

  /**
   * Whether a request for `db` can be written now. When only its database
   * stands in the way (not yet confirmed on this socket), a probe SELECT
   * goes out, and the request waits for its answer.
   */
  canWrite(db: number): boolean {
    if (this.#backlog.live > 0 || !this.#host.ready()) return false;
    const socket = this.#host.socket()!;
    if (socket.blocked()) return false;
    return db === socket.db || socket.enter(db);
  }

  /** {@linkcode Admission.canWrite} for every database of a batch. */
  #canWriteAll(requests: readonly Request[]): boolean {
    if (this.#backlog.live > 0 || !this.#host.ready()) return false;
    const socket = this.#host.socket()!;
    return !socket.blocked() && socket.enterAll(requests);
  }

  wait(entry: Waiting): void {
    this.#backlog.add(entry);
    this.#host.socket()?.flushSoon();
  }

  #addLimited(entry: Waiting, limits: Limits): void {
    this.#backlog.addLimited(entry, limits);
    this.#host.socket()?.flushSoon();
  }

  /** Writes a waiting entry (taken from the backlog, or new); never throws. */
  #writeEntry(socket: Socket, entry: Waiting): void {
    try {
      if (entry.batch === null) {
        socket.offer(entry.request, entry.resolve, entry.timeout);
      } else {
        socket.writeBatch(entry.batch, entry.resolves, entry.timeout);
      }
    } catch (error) {
      this.#backlog.fail(entry, asError(error));
    }
  }

  /** Moves waiting requests to the socket, in order, while nothing blocks them. */
  admit(): void {
    const socket = this.#host.writing();
    if (socket === undefined) return;
    const backlog = this.#backlog;
    for (;;) {
      const entry = backlog.head();
      if (entry === undefined || socket.blocked()) break;
      // Its database may need a probe first: it then stays at the head.
      const ok = entry.batch === null
        ? entry.request.db === socket.db || socket.enter(entry.request.db)
        : socket.enterAll(entry.batch);
      if (!ok) break;
      this.#writeEntry(socket, backlog.take());
      if (socket.dead) return;
    }
    backlog.compact();
    this.#host.shrank();
  }

  /**
   * A probe SELECT to `db` was refused: every request waiting for that
   * database fails with a ReplyError saying so; nothing was sent for them,
   * and the socket carries on for everyone else.
   */
  refused(db: number, error: Error): void {
    this.#backlog.reject(
      (entry) =>
        entry.batch === null
          ? entry.request.db === db
          : entry.batch.some((r) => r.db === db),
      (entry) => refusedError(entry, db, error),
    );
  }
}
