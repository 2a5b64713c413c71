// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE.

import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
} from "./_executor.ts";

/**
 * HyperLogLog commands.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type HyperLogLogCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: HyperLogLogCommands<"promise", string, number> = redis;
 * console.log(commands);
 * ```
 */
export class HyperLogLogCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;
}
