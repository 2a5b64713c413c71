// What a command family needs to issue a command: an executor that sends the
// arguments and returns either a promise of the decoded reply ("promise"
// views) or nothing ("void": fire-and-forget views). Families know this
// interface, never the connection.

import type { Decode } from "../connection/connection.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { Command } from "./_command.ts";

export type { Decode };

/**
 * How a view returns results: `"promise"` for normal views, `"void"` for
 * fire-and-forget views.
 *
 * @example Usage
 * ```ts
 * import type { Mode } from "@sleeve/redis";
 *
 * const mode: Mode = "promise";
 * console.log(mode);
 * ```
 */
export type Mode = "promise" | "void";

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
 * views, `void` on `fireAndForget` views.
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
export type Result<M extends Mode, T> = M extends "promise" ? Promise<T> : void;

/** Issues commands for a view. Internal. */
export interface Executor<M extends Mode> {
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
   * Reports a command refused before sending: a rejected promise, or an
   * error event on fire-and-forget views.
   */
  refuse<T>(error: Error, command: string): Result<M, T>;
}

/** The key under which a view keeps its executor; not exported from mod.ts. */
export const EXEC: unique symbol = Symbol("sleeve.exec");
