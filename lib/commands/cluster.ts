// Cluster introspection commands: CLUSTER INFO, NODES, SHARDS, KEYSLOT, ...

import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
} from "./_executor.ts";

/**
 * Redis Cluster commands a client may use.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ClusterCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: ClusterCommands<"promise", string, number> = redis;
 * console.log(commands);
 * ```
 */
export class ClusterCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;
}
