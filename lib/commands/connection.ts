// Connection commands: PING, ECHO, CLIENT * (except what the client must own).

import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
} from "./_executor.ts";

/**
 * Connection commands.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ConnectionCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: ConnectionCommands<"promise", string, number> = redis;
 * console.log(commands);
 * ```
 */
export class ConnectionCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;
}
