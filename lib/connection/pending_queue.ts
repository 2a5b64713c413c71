// The FIFO of commands written (or about to be written) and waiting for a
// reply. A ring buffer of parallel arrays: pushing a command allocates
// nothing. Owns no socket and no decoding.

import { ConnectionError } from "../errors.ts";
import type { Decode, Request, RequestCommand, Settled } from "./connection.ts";
import type { RedisArg } from "../resp/encoder.ts";
import { plural } from "./_util.ts";

/** A reply decoder of any result type. */
type AnyDecode = Decode<unknown>;

/**
 * Settles a caller's promise: its resolving function. A failure is passed
 * as a thenable that rejects (see `rejection()`), so no reject function has
 * to be kept per command.
 */
export type Resolve = (value: unknown) => void;

/**
 * Settles an internal command (a SELECT the connection wrote on its own):
 * called with the decoded value, or with the error.
 */
export type Internal = (value: unknown, error?: Error) => void;

/** Flag: bulk strings come back as bytes. */
export const BINARY = 1;
/** Flag: the resolve slot holds an {@linkcode Internal} callback. */
export const INTERNAL = 2;
/** Flag: the command has a deadline (counted by the connection). */
export const TIMED = 4;
/** Flag: the caller was already rejected (timed out); the reply is dropped. */
export const ABANDONED = 8;
/** Flag: integer replies become bigints (the decoder is told). */
export const BIGINT = 16;
/**
 * Flag: a failure goes to the owner's {@linkcode Retake} first (its
 * arguments are kept in {@linkcode PendingQueue.retained}).
 */
export const RETAKE = 32;

/**
 * Offered a command flagged {@linkcode RETAKE} that failed (an error reply,
 * or its socket lost), rebuilt as a request in database 0, with its
 * resolving function (null for a fire-and-forget command): returns true
 * when it takes the command over (it settles `resolve` itself, later, or
 * reports a fire-and-forget failure), false to let it fail as any other. A
 * cluster router's way to follow a redirect or retry a refusal without a
 * promise or a closure of its own per command.
 */
export type Retake = (
  error: Error,
  request: Request,
  resolve: Resolve | null,
) => boolean;

const INITIAL_CAPACITY = 1024;

/**
 * A thenable that rejects with `error`. Resolving a promise with it rejects
 * the promise (one microtask later) without a reject function in hand; a
 * batch's own resolving functions recognise it and keep `error` instead.
 */
export class Rejection {
  /** Why the command failed. */
  readonly error: Error;

  /**
   * Constructs a new instance.
   *
   * @param error Why the command failed.
   */
  constructor(error: Error) {
    this.error = error;
  }

  /** Rejects whoever resolves a promise with this thenable. */
  then(_: unknown, reject: (error: Error) => void): void {
    reject(this.error);
  }
}

/** A {@linkcode Rejection} of `error`. */
export function rejection(error: Error): Rejection {
  return new Rejection(error);
}

/**
 * Ring buffer of pending commands. Read the head slot's fields through the
 * public arrays at index {@linkcode PendingQueue.head}, then call
 * {@linkcode PendingQueue.shift}.
 *
 * An entry with a `null` resolve is fire-and-forget: its reply is dropped
 * and its failure reported elsewhere.
 */
export class PendingQueue {
  /** Reply decoder of each slot (`null`: the raw value). */
  decode: (AnyDecode | null)[];
  /** Resolver of each slot (`null`: fire-and-forget; an `Internal` when flagged). */
  resolve: (Resolve | Internal | null)[];
  /** The command of each slot, for error messages. */
  command: (RequestCommand | null)[];
  /**
   * The arguments of each slot flagged {@linkcode RETAKE}: the one argument
   * itself when there is one (the caller's array may be reused at once),
   * else the array (handed over: never changed afterwards).
   */
  retained: (RedisArg | readonly RedisArg[] | undefined)[];
  /** `BINARY`, `INTERNAL`, `TIMED`, `ABANDONED`, `BIGINT` and `RETAKE` bits of each slot. */
  flags: Uint8Array;
  #mask: number;
  #head = 0;
  #length = 0;
  /** Entries ever pushed: the next entry's sequence number. */
  #pushed = 0;

  /** Constructs a new instance. */
  constructor() {
    this.decode = new Array(INITIAL_CAPACITY).fill(null);
    this.resolve = new Array(INITIAL_CAPACITY).fill(null);
    this.command = new Array(INITIAL_CAPACITY).fill(null);
    this.retained = new Array(INITIAL_CAPACITY).fill(undefined);
    this.flags = new Uint8Array(INITIAL_CAPACITY);
    this.#mask = INITIAL_CAPACITY - 1;
  }

  /** Number of pending entries. */
  get length(): number {
    return this.#length;
  }

  /** Index of the oldest entry in the arrays (meaningful when length > 0). */
  get head(): number {
    return this.#head;
  }

  /** Sequence number of the newest entry (entries are numbered from 0 as pushed). */
  get lastSeq(): number {
    return this.#pushed - 1;
  }

  /** Sequence number of the oldest entry (the next to be pushed when empty). */
  get firstSeq(): number {
    return this.#pushed - this.#length;
  }

  /** Index in the arrays of entry `seq`, or -1 when it has left the queue. */
  indexOf(seq: number): number {
    const offset = seq - (this.#pushed - this.#length);
    if (offset < 0 || offset >= this.#length) return -1;
    return (this.#head + offset) & this.#mask;
  }

  /** Appends an entry. */
  push(
    decode: AnyDecode | null,
    resolve: Resolve | Internal | null,
    command: RequestCommand,
    flags: number,
  ): void {
    if (this.#length > this.#mask) this.#grow();
    const i = (this.#head + this.#length) & this.#mask;
    this.decode[i] = decode;
    this.resolve[i] = resolve;
    this.command[i] = command;
    this.flags[i] = flags;
    this.#length++;
    this.#pushed++;
  }

  /** Keeps the arguments of the entry just pushed (flagged {@linkcode RETAKE}). */
  retain(args: readonly RedisArg[]): void {
    const i = (this.#head + this.#length - 1) & this.#mask;
    this.retained[i] = args.length === 1 ? args[0] : args;
  }

  /** The request of entry `i`, flagged {@linkcode RETAKE}, rebuilt (database 0). */
  request(i: number): Request {
    const kept = this.retained[i];
    const flags = this.flags[i]!;
    return {
      command: this.command[i]!,
      args: Array.isArray(kept) ? kept : [kept as RedisArg],
      db: 0,
      binary: (flags & BINARY) !== 0,
      bigint: (flags & BIGINT) !== 0,
      decode: this.decode[i]!,
    };
  }

  /** Drops the oldest entry (read its fields first). */
  shift(): void {
    const i = this.#head;
    this.decode[i] = null;
    this.resolve[i] = null;
    this.command[i] = null;
    this.retained[i] = undefined;
    this.#head = (i + 1) & this.#mask;
    this.#length--;
  }

  /** Drops the newest entry (a batch that could not be encoded whole). */
  pop(): void {
    const i = (this.#head + this.#length - 1) & this.#mask;
    this.decode[i] = null;
    this.resolve[i] = null;
    this.command[i] = null;
    this.retained[i] = undefined;
    this.#length--;
    this.#pushed--;
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const head = this.#head;
    const length = this.#length;
    this.decode = reorder(this.decode, head, length, capacity, null);
    this.resolve = reorder(this.resolve, head, length, capacity, null);
    this.command = reorder(this.command, head, length, capacity, null);
    this.retained = reorder(this.retained, head, length, capacity, undefined);
    const flags = new Uint8Array(capacity);
    for (let k = 0; k < length; k++) {
      flags[k] = this.flags[(head + k) & this.#mask]!;
    }
    this.flags = flags;
    this.#head = 0;
    this.#mask = capacity - 1;
  }
}

/** Copies a full ring (oldest first) into a new array of `capacity` slots. */
function reorder<T>(
  ring: T[],
  head: number,
  length: number,
  capacity: number,
  empty: T,
): T[] {
  const out = new Array<T>(capacity).fill(empty);
  const mask = ring.length - 1;
  for (let k = 0; k < length; k++) out[k] = ring[(head + k) & mask]!;
  return out;
}

/**
 * Empties `queue` of a socket given up with `error`: rejects every entry,
 * flagging as maybe executed the ones handed to the socket (all but the
 * `unsent` newest). Fire-and-forget entries are counted into (at most) two
 * errors returned, rather than one event each: a teardown may hold 100,000
 * of them; the owner reports them once its state is updated. An entry
 * flagged {@linkcode RETAKE} is offered to `retake` first.
 */
export function failPending(
  queue: PendingQueue,
  unsent: number,
  error: Error,
  retake?: Retake,
): Error[] {
  const sent = queue.length - unsent;
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
  let lostVoid = 0;
  let unsentVoid = 0;
  for (let k = 0; queue.length > 0; k++) {
    const i = queue.head;
    const resolve = queue.resolve[i]!;
    const flags = queue.flags[i]!;
    const request = (flags & RETAKE) !== 0 ? queue.request(i) : undefined;
    queue.shift();
    // A timed-out command's caller was already rejected.
    if ((flags & ABANDONED) !== 0) continue;
    const failure = k < sent ? sentError : unsentError;
    if (
      request !== undefined && retake !== undefined &&
      retake(failure, request, resolve as Resolve | null)
    ) continue;
    if (resolve === null) {
      if (k < sent) lostVoid++;
      else unsentVoid++;
    } else if ((flags & INTERNAL) !== 0) {
      (resolve as Internal)(undefined, failure);
    } else (resolve as Resolve)(new Rejection(failure));
  }
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

/**
 * Resolving functions for the `count` requests of a batch, each recording
 * its request's outcome once (a request failed by its batch's limit may
 * still get its reply later), and the promise of all outcomes.
 */
export function settleEach(
  count: number,
): { resolves: ((value: unknown) => void)[]; settled: Promise<Settled[]> } {
  const results: Settled[] = new Array(count);
  const done = Promise.withResolvers<Settled[]>();
  let left = count;
  if (count === 0) done.resolve(results);
  const resolves = Array.from({ length: count }, (_, i) => (value: unknown) => {
    if (results[i] !== undefined) return;
    results[i] = value instanceof Rejection
      ? { ok: false, error: value.error }
      : { ok: true, value };
    if (--left === 0) done.resolve(results);
  });
  return { resolves, settled: done.promise };
}
