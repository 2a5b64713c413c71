// Requests that cannot be written yet (no socket, full buffers, a probe SELECT
// out, or a `with()` limit to check at write time), oldest first: bounded by
// maxQueued, expired after queueTimeout, cancelled by their limits. A batch is
// one entry: it waits, expires and fails as a unit. Owns no socket; its owner
// says when an entry can be written.

import {
  ConnectionError,
  ReplyError,
  TimeoutError,
  UnexpectedReplyError,
} from "../errors.ts";
import type { Limits, Request } from "./connection.ts";
import { asError, plural } from "./_util.ts";
import { rejection, type Resolve } from "./pending_queue.ts";

/** One request, or one batch, waiting to be written. */
export interface Waiting {
  /** The request, or the first of a batch (for messages). */
  readonly request: Request;
  /** A batch's requests; `null` for a single request. */
  readonly batch: readonly Request[] | null;
  /** Settles a single request; `null`: fire-and-forget (or a batch). */
  resolve: Resolve | null;
  /** Settles each request of a batch; `null`: a fire-and-forget batch. */
  resolves: (Resolve | null)[] | null;
  /** A deadline the request gets once written (no signal, no timer). */
  readonly timeout: number | undefined;
  /** When it started waiting (performance.now()). */
  since: number;
  /** Rejected by a limit before it was written: skip it. */
  cancelled: boolean;
  /** Set once written. */
  written: boolean;
  /** Drops a limit's timer and abort listener, if any. */
  release: (() => void) | null;
}

/**
 * A waiting entry for `request` (or `batch`). A single request is copied,
 * arguments included: callers of send() and sendVoid() may reuse theirs
 * once the call returns (see RequestSink in connection.ts). A batch's
 * requests are kept as they are.
 */
export function waiting(
  request: Request,
  resolve: Resolve | null,
  timeout?: number,
  batch: readonly Request[] | null = null,
  resolves: (Resolve | null)[] | null = null,
): Waiting {
  return {
    request: batch === null ? copy(request) : request,
    batch,
    resolve,
    resolves,
    timeout,
    since: 0,
    cancelled: false,
    written: false,
    release: null,
  };
}

/** A request of its own, arguments included. */
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

/** Whether an entry has no promise to settle (its failures are events). */
function isVoid(entry: Waiting): boolean {
  return entry.batch === null
    ? entry.resolve === null
    : entry.resolves === null;
}

/**
 * The error of the requests of `entry`, waiting for database `db`, when the
 * probe SELECT to it was refused with `error`. A server's refusal keeps its
 * code; a reply that is not OK at all (a proxy answering something else) is
 * an unexpected reply.
 */
export function refusedError(
  entry: Waiting,
  db: number,
  error: Error,
): ReplyError | UnexpectedReplyError {
  const name = entry.request.command.name;
  const what = entry.batch === null
    ? `${name} was`
    : `a batch of ${plural(entry.batch.length, "command")} was`;
  const message =
    `Cannot select database ${db}: ${error.message} (${what} not sent)`;
  return error instanceof ReplyError
    ? new ReplyError(message, name, { code: error.code, cause: error })
    : new UnexpectedReplyError(message, name, { cause: error });
}

/**
 * The error of a request that waited `limit` ms (queueTimeout): with a
 * socket, it was the write buffer, maxInFlight or an unanswered probe SELECT
 * in the way; without one, the connection.
 */
export function expiredError(
  limit: number,
  address: string,
  connected: boolean,
  failure: Error | undefined,
): Error {
  return connected
    ? new TimeoutError(
      `Cannot send command: it waited ${limit} ms (queueTimeout) to be written to ${address} (the write buffer or maxInFlight was full, or the first SELECT to its database was not answered)`,
    )
    : new ConnectionError(
      `Cannot send command: no connection to ${address} within ${limit} ms (queueTimeout)${
        failure ? `: ${failure.message}` : ""
      }`,
      { cause: failure },
    );
}

/** What the backlog needs of its owner. */
export interface BacklogHost {
  /** Whether nothing can be written now (so the maxQueued bound counts). */
  blocked(): boolean;
  /** Writes what can be written now. */
  admit(): void;
  /** Reports a fire-and-forget failure (`command` undefined: a count of them). */
  error(error: Error, command: string | undefined): void;
  /** The error of an entry that waited `limit` ms (queueTimeout). */
  expired(limit: number): Error;
  /** Something left the backlog without being written. */
  shrank(): void;
}

/** The bounds of a backlog. */
export interface BacklogLimits {
  /** Entries that may wait while writes are blocked. */
  readonly maxQueued: number;
  /** Milliseconds an entry may wait. */
  readonly queueTimeout: number;
}

/** The waiting requests of one connection. */
export class Backlog {
  readonly #host: BacklogHost;
  readonly #maxQueued: number;
  readonly #queueTimeout: number;
  #entries: Waiting[] = [];
  #head = 0;
  /** Entries still to be written: not cancelled, expired or admitted. */
  #live = 0;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  /** Fire-and-forget requests refused by maxQueued this tick. */
  #dropped = 0;

  /**
   * Constructs a new instance.
   *
   * @param host Its owner.
   * @param limits Its bounds.
   */
  constructor(host: BacklogHost, limits: BacklogLimits) {
    this.#host = host;
    this.#maxQueued = limits.maxQueued;
    this.#queueTimeout = limits.queueTimeout;
  }

  /** Entries still to be written. */
  get live(): number {
    return this.#live;
  }

  /**
   * Adds an entry, or refuses it when maxQueued entries already wait. The
   * bound counts only while something blocks the writes: an entry with a
   * `with()` limit on a ready connection passes through the backlog (to be
   * checked at write time) and is never refused by it.
   */
  add(entry: Waiting): void {
    const max = this.#maxQueued;
    const host = this.#host;
    // A burst queued behind a with() command on a ready connection: write
    // what fits now, so that the buffer and in-flight bounds count.
    if (this.#live >= max && !host.blocked()) host.admit();
    if (this.#live >= max && host.blocked()) {
      entry.release?.();
      if (isVoid(entry)) {
        const count = entry.batch?.length ?? 1;
        if (this.#dropped === 0) queueMicrotask(this.reportDropped);
        this.#dropped += count;
      } else {
        this.fail(
          entry,
          new ConnectionError(
            `Cannot queue ${entry.request.command.name}: ${max} commands are already waiting to be written (maxQueued)`,
          ),
        );
      }
      return;
    }
    entry.since = performance.now();
    this.#entries.push(entry);
    this.#live++;
    if (this.#sweepTimer === undefined) {
      this.#sweepTimer = setTimeout(this.#sweep, this.#queueTimeout);
    }
  }

  /**
   * Adds a request (or batch) with a timeout and/or a signal: a limit hit
   * before the write keeps it off the wire; after the write, the caller is
   * rejected and the reply, when it comes, is dropped. Resolves once the
   * single request (or every request of the batch) is settled.
   */
  addLimited(entry: Waiting, limits: Limits): void {
    const { timeout, signal } = limits;
    const name = entry.request.command.name;
    if (signal?.aborted) {
      this.fail(entry, asError(signal.reason));
      return;
    }
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
      if (!entry.written) {
        entry.cancelled = true;
        this.#live--;
        this.#host.shrank();
      }
      this.fail(entry, error);
    };
    const onAbort = () => cancel(asError(signal!.reason));
    if (timeout !== undefined) {
      timer = setTimeout(() => {
        const written = entry.written;
        const fate = written
          ? "it was sent and may still run on the server"
          : "it was never sent";
        cancel(
          new TimeoutError(
            `Command ${name} timed out after ${timeout} ms: ${fate}`,
            { mayHaveExecuted: written },
          ),
        );
      }, timeout);
    }
    signal?.addEventListener("abort", onAbort, { once: true });
    entry.release = release;
    // Once every request is settled (replied or failed), the limits go.
    const resolve = entry.resolve;
    if (resolve !== null) {
      entry.resolve = (value) => {
        release();
        resolve(value);
      };
    }
    const resolves = entry.resolves;
    if (resolves !== null) {
      let left = resolves.length;
      entry.resolves = resolves.map((settle) => (value: unknown) => {
        if (--left === 0) release();
        settle?.(value);
      });
    }
    this.add(entry);
  }

  /** The oldest entry still to be written, if any. */
  head(): Waiting | undefined {
    const entries = this.#entries;
    while (this.#head < entries.length) {
      const entry = entries[this.#head]!;
      if (!entry.cancelled) return entry;
      entries[this.#head++] = undefined!;
    }
    return undefined;
  }

  /** Removes the head entry, which its owner is writing. */
  take(): Waiting {
    const entry = this.#entries[this.#head]!;
    this.#entries[this.#head++] = undefined!;
    this.#live--;
    entry.written = true;
    // A fire-and-forget request's limits end at the write: it has no
    // promise to reject afterwards.
    if (isVoid(entry)) entry.release?.();
    return entry;
  }

  /** Fails every entry `matches` selects with the error `failure` makes for it. */
  reject(
    matches: (entry: Waiting) => boolean,
    failure: (entry: Waiting) => Error,
  ): void {
    const entries = this.#entries;
    const failed: Waiting[] = [];
    for (let k = this.#head; k < entries.length; k++) {
      const entry = entries[k]!;
      if (entry.cancelled || !matches(entry)) continue;
      entry.cancelled = true;
      entry.release?.();
      this.#live--;
      failed.push(entry);
    }
    this.compact();
    // Last: an error listener may issue commands (for this very database,
    // retrying) synchronously; they are new, and are not failed here.
    for (const entry of failed) this.fail(entry, failure(entry));
    this.#host.shrank();
  }

  /**
   * Fails every entry (the connection closed with `error`, a command "not
   * sent"). Returns the error to report for the fire-and-forget requests
   * dropped, counted into one, if any.
   */
  clear(error: Error): ConnectionError | undefined {
    const entries = this.#entries;
    let droppedVoid = 0;
    for (let k = this.#head; k < entries.length; k++) {
      const entry = entries[k]!;
      if (entry.cancelled) continue;
      entry.release?.();
      if (isVoid(entry)) droppedVoid += entry.batch?.length ?? 1;
      else this.fail(entry, error);
    }
    this.#entries = [];
    this.#head = 0;
    this.#live = 0;
    if (this.#sweepTimer !== undefined) clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    if (droppedVoid === 0) return undefined;
    return new ConnectionError(
      `Dropped ${
        plural(droppedVoid, "fire-and-forget command")
      }: ${error.message}`,
      { cause: error },
    );
  }

  /** Drops the consumed prefix; stops the sweep when nothing waits. */
  compact(): void {
    const head = this.#head;
    if (head === this.#entries.length) {
      this.#entries = [];
      this.#head = 0;
      if (this.#sweepTimer !== undefined) {
        clearTimeout(this.#sweepTimer);
        this.#sweepTimer = undefined;
      }
    } else if (head >= 1024 && head * 2 >= this.#entries.length) {
      // Under sustained backpressure the backlog never empties: drop the
      // consumed prefix so the array stays within twice what is waiting.
      this.#entries = this.#entries.slice(head);
      this.#head = 0;
    }
  }

  /** Settles every request of `entry` with `error` (or reports it). */
  fail(entry: Waiting, error: Error): void {
    if (entry.batch === null) {
      if (entry.resolve !== null) entry.resolve(rejection(error));
      else this.#host.error(error, entry.request.command.name);
      return;
    }
    const resolves = entry.resolves;
    for (let i = 0; i < entry.batch.length; i++) {
      const settle = resolves?.[i];
      if (settle) settle(rejection(error));
      else this.#host.error(error, entry.batch[i]!.command.name);
    }
  }

  /** Reports the fire-and-forget requests maxQueued refused, in one event. */
  reportDropped = (): void => {
    const count = this.#dropped;
    // Reported already, by a close before this microtask.
    if (count === 0) return;
    this.#dropped = 0;
    this.#host.error(
      new ConnectionError(
        `Dropped ${
          plural(count, "fire-and-forget command")
        }: ${this.#maxQueued} commands were already waiting to be written (maxQueued)`,
      ),
      undefined,
    );
  };

  /** Rejects entries older than queueTimeout; re-arms for the next one. */
  #sweep = (): void => {
    this.#sweepTimer = undefined;
    const limit = this.#queueTimeout;
    const now = performance.now();
    const entries = this.#entries;
    let expiredVoid = 0;
    let error: Error | undefined;
    while (this.#head < entries.length) {
      const entry = entries[this.#head]!;
      if (!entry.cancelled && now - entry.since < limit) break;
      entries[this.#head++] = undefined!;
      if (entry.cancelled) continue;
      this.#live--;
      entry.release?.();
      error ??= this.#host.expired(limit);
      if (isVoid(entry)) expiredVoid += entry.batch?.length ?? 1;
      else this.fail(entry, error);
    }
    this.compact();
    if (this.#head < this.#entries.length && this.#sweepTimer === undefined) {
      const head = this.#entries[this.#head]!;
      this.#sweepTimer = setTimeout(
        this.#sweep,
        Math.max(1, limit - (now - head.since)),
      );
    }
    // Last: a listener may queue commands (and arm the sweep) itself.
    if (expiredVoid > 0) {
      this.#host.error(
        new ConnectionError(
          `Dropped ${plural(expiredVoid, "fire-and-forget command")}: ${
            error!.message
          }`,
          { cause: error },
        ),
        undefined,
      );
    }
    this.#host.shrank();
  };
}
