// What a command family needs to issue a command: an executor that sends the
// arguments and returns either a promise of the decoded reply ("promise"
// views) or nothing ("void": fire-and-forget views). Families know this
// interface, never the connection.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";

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

/** Turns a raw reply into a method's result, checking its shape. Throws on a mismatch. */
export type Decode = (value: RespValue) => unknown;

/** Issues commands for a view. Internal. */
export interface Executor<M extends Mode> {
  /**
   * Sends `args` and returns the reply passed through `decode` (or the raw
   * reply when `decode` is null). `T` is the method's declared result;
   * `decode` checks at run time that the reply has that shape.
   */
  call<T>(args: RedisArg[], decode: Decode | null): Result<M, T>;
  /**
   * Reports a command refused before sending: a rejected promise, or an
   * error event on fire-and-forget views.
   */
  refuse<T>(error: Error, command: string): Result<M, T>;
}

/** The key under which a view keeps its executor; not exported from mod.ts. */
export const EXEC: unique symbol = Symbol("sleeve.exec");
