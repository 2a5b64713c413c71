// The FIFO of commands written (or about to be written) and waiting for a
// reply. A ring buffer of parallel arrays: pushing a command allocates
// nothing. Owns no socket and no decoding.

import type { ReplyDecoder } from "./connection.ts";

/** Resolves a caller's promise. */
export type Resolve = (value: unknown) => void;
/** Rejects a caller's promise. */
export type Reject = (error: Error) => void;

const INITIAL_CAPACITY = 1024;

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
  decode: (ReplyDecoder | null)[];
  /** Resolver of each slot (`null`: fire-and-forget). */
  resolve: (Resolve | null)[];
  /** Rejecter of each slot (`null`: fire-and-forget). */
  reject: (Reject | null)[];
  /** The command (its first argument) of each slot, for error messages. */
  command: unknown[];
  /** Whether each slot wants bulk strings as bytes. */
  binary: boolean[];
  #mask: number;
  #head = 0;
  #length = 0;

  /** Constructs a new instance. */
  constructor() {
    this.decode = new Array(INITIAL_CAPACITY).fill(null);
    this.resolve = new Array(INITIAL_CAPACITY).fill(null);
    this.reject = new Array(INITIAL_CAPACITY).fill(null);
    this.command = new Array(INITIAL_CAPACITY).fill(null);
    this.binary = new Array(INITIAL_CAPACITY).fill(false);
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

  /** Appends an entry. */
  push(
    decode: ReplyDecoder | null,
    resolve: Resolve | null,
    reject: Reject | null,
    command: unknown,
    binary: boolean,
  ): void {
    if (this.#length > this.#mask) this.#grow();
    const i = (this.#head + this.#length) & this.#mask;
    this.decode[i] = decode;
    this.resolve[i] = resolve;
    this.reject[i] = reject;
    this.command[i] = command;
    this.binary[i] = binary;
    this.#length++;
  }

  /** Drops the oldest entry (read its fields first). */
  shift(): void {
    const i = this.#head;
    this.decode[i] = null;
    this.resolve[i] = null;
    this.reject[i] = null;
    this.command[i] = null;
    this.#head = (i + 1) & this.#mask;
    this.#length--;
  }

  #grow(): void {
    const capacity = (this.#mask + 1) * 2;
    const head = this.#head;
    const length = this.#length;
    this.decode = reorder(this.decode, head, length, capacity, null);
    this.resolve = reorder(this.resolve, head, length, capacity, null);
    this.reject = reorder(this.reject, head, length, capacity, null);
    this.command = reorder(this.command, head, length, capacity, null);
    this.binary = reorder(this.binary, head, length, capacity, false);
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
