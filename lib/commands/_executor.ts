// What a command family needs to issue a command: an executor that sends the
// arguments and returns either a promise of the decoded reply ("promise"
// views) or nothing ("void": fire-and-forget views). Families know this
// interface, never the connection.

import type { Decode } from "../connection/connection.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { Command } from "./_command.ts";
import type { Pipeline } from "./pipeline.ts";

export type { Decode };

/**
 * How a view returns results: `"promise"` for normal views, `"void"` for
 * fire-and-forget views, {@linkcode Queued} for the builders of
 * `multi()` and `pipeline()` (each method queues its command and returns the
 * builder).
 *
 * @example Usage
 * ```ts
 * import type { Mode } from "@sleeve/redis";
 *
 * const mode: Mode = "promise";
 * console.log(mode);
 * ```
 */
export type Mode = "promise" | "void" | Queued<unknown[], Bulk, Int, Root>;

/**
 * The mode of the view a builder was made from, which decides what its
 * `exec()` returns: a promise, or nothing (`fireAndForget`).
 *
 * @example Usage
 * ```ts
 * import type { Root } from "@sleeve/redis";
 *
 * const root: Root = "void";
 * console.log(root);
 * ```
 */
export type Root = "promise" | "void";

/**
 * The mode of a `multi()` or `pipeline()` builder: the results queued so
 * far (`R`), the builder's bulk and integer types, and its root mode.
 * A type only: no value has it.
 *
 * @typeParam R The types of the results queued so far, in order.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 * @typeParam P The mode of the view the builder was made from.
 *
 * @example Usage
 * ```ts
 * import type { Queued } from "@sleeve/redis";
 *
 * type Empty = Queued<[], string, number, "promise">;
 * const results: Empty[typeof Symbol.iterator] | undefined = undefined;
 * console.log(results);
 * ```
 */
export interface Queued<
  R extends unknown[],
  B extends Bulk,
  I extends Int,
  P extends Root,
> {
  /** @ignore Carries the type parameters. */
  readonly [Symbol.iterator]?: [R, B, I, P];
}

/**
 * The type of integer replies: `number` on normal views (a value beyond
 * ±(2^53 − 1) rejects with an {@linkcode IntegerRangeError} holding the
 * exact `bigint`), `bigint` on `bigint` views.
 *
 * @example Usage
 * ```ts
 * import type { Int } from "@sleeve/redis";
 *
 * const counters: Int[] = [1, 2n];
 * console.log(counters);
 * ```
 */
export type Int = number | bigint;

/**
 * The type of a bulk-string reply: `string` on normal views, `Uint8Array` on
 * `binary` views.
 *
 * @example Usage
 * ```ts
 * import type { Bulk } from "@sleeve/redis";
 *
 * const value: Bulk = new Uint8Array([1, 2, 3]);
 * console.log(value);
 * ```
 */
export type Bulk = string | Uint8Array;

/**
 * What a command method returns: `Promise<T>` on `Redis` and `db()`/`binary`
 * views, `void` on `fireAndForget` views, and the builder itself (with `T`
 * added to its results) in `multi()` and `pipeline()`.
 *
 * @typeParam M The view's mode.
 * @typeParam T The decoded reply.
 *
 * @example Usage
 * ```ts
 * import type { Result } from "@sleeve/redis";
 *
 * const reply: Result<"promise", number> = Promise.resolve(1);
 * console.log(await reply); // → 1
 * ```
 */
export type Result<M extends Mode, T> = M extends "promise" ? Promise<T>
  : M extends "void" ? void
  : M extends Queued<infer R, infer B, infer I, infer P>
    ? Pipeline<[...R, T], B, I, P>
  : never;

/** Issues commands for a view. Internal. */
export interface Executor<M extends Mode> {
  /**
   * Whether the view is `binary`: bulk strings reach decoders as
   * `Uint8Array`. For the few replies whose shape changes with it
   * (`hgetall()`: a `Map` of bytes instead of a record keyed by text).
   */
  readonly binary: boolean;
  /**
   * Sends `command` with `args` (the arguments after its name) and returns
   * the reply passed through `decode`. The method's declared result is
   * `Result<M, T>` and `decode` is a `Decode<T>`: a decoder of another type
   * does not compile, and at run time it checks the reply's shape.
   */
  call<T>(command: Command, args: RedisArg[], decode: Decode<T>): Result<M, T>;
  /**
   * {@linkcode Executor.call} for a command with exactly one argument,
   * without an argument array per call.
   */
  call1<T>(command: Command, arg: RedisArg, decode: Decode<T>): Result<M, T>;
  /**
   * {@linkcode Executor.call} for a reply whose bulk strings are bytes on
   * every view (DUMP's serialized value): they reach `decode` as
   * `Uint8Array` even when the view returns text.
   */
  callBytes<T>(
    command: Command,
    args: RedisArg[],
    decode: Decode<T>,
  ): Result<M, T>;
  /**
   * Reports a command refused before sending: a rejected promise, or an
   * error event on fire-and-forget views.
   */
  refuse<T>(error: Error, command: string): Result<M, T>;
}

/** The key under which a view keeps its executor; not exported from mod.ts. */
export const EXEC: unique symbol = Symbol("sleeve.exec");
