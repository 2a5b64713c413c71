// The root of the command-family chain: holds the view's executor. Extends
// EventTarget so that the Redis client (the last class of the chain) is one.

import type { Bulk, Executor, Mode } from "./_executor.ts";
import { EXEC } from "./_executor.ts";

/**
 * A key or other name argument: text (sent as UTF-8) or raw bytes.
 *
 * @example Usage
 * ```ts
 * import type { RedisKey } from "@sleeve/redis";
 *
 * const keys: RedisKey[] = ["user:1", new Uint8Array([0xff, 0x00])];
 * console.log(keys.length); // → 2
 * ```
 */
export type RedisKey = string | Uint8Array;

/**
 * The base of every command family. Methods return `Promise<T>` on `Redis`,
 * `db()` and `binary` views, and `void` on `fireAndForget` views; bulk
 * strings come back as `B` (`string`, or `Uint8Array` on `binary` views).
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { type CommandsBase, connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const base: CommandsBase<"promise", string> = redis;
 * console.log(base instanceof EventTarget); // → true
 * ```
 */
export class CommandsBase<M extends Mode, B extends Bulk> extends EventTarget {
  /** @ignore The view's executor. */
  readonly [EXEC]: Executor<M>;

  /**
   * Constructs a new instance. Use `connect()` to get a client.
   *
   * @param executor Issues the view's commands.
   */
  constructor(executor: Executor<M>) {
    super();
    this[EXEC] = executor;
  }
}
