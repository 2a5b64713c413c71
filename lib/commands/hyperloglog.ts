// HyperLogLog commands: PFADD, PFCOUNT, PFMERGE.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { flag, integer, ok } from "./_reply.ts";
import { command } from "./_command.ts";

const PFADD = command("PFADD");
const PFCOUNT = command("PFCOUNT");
const PFMERGE = command("PFMERGE");

/**
 * HyperLogLog commands: count distinct elements in about 12 KiB per key,
 * with a standard error of 0.81%.
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
 * await commands.pfadd("visitors", "ann", "bob", "ann");
 * console.log(await commands.pfcount("visitors")); // → 2
 * ```
 */
export class HyperLogLogCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Adds elements to the HyperLogLog at `key` (creating it when missing);
   * returns whether its estimate may have changed.
   *
   * @param key The key.
   * @param elements The elements (none only creates the key).
   * @returns `true` when an internal register changed or the key was
   * created, `false` otherwise.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type, or a
   * string that is not a HyperLogLog.
   * @see {@link https://redis.io/docs/latest/commands/pfadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.pfadd("visitors", "ann", "bob")); // → true
   * console.log(await redis.pfadd("visitors", "ann")); // → false
   * ```
   */
  pfadd(key: RedisKey, ...elements: RedisArg[]): Result<M, boolean> {
    return this[EXEC].call(PFADD, [key, ...elements], flag);
  }

  /**
   * Returns the estimated number of distinct elements added to the
   * HyperLogLog at `key`, or to the union of several (without changing them).
   *
   * @param keys The keys (a missing key counts as empty).
   * @returns The estimate.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/pfcount/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.pfadd("monday", "ann", "bob");
   * await redis.pfadd("tuesday", "bob", "cy");
   * console.log(await redis.pfcount("monday", "tuesday")); // → 3
   * ```
   */
  pfcount(...keys: RedisKey[]): Result<M, I> {
    return this[EXEC].call(PFCOUNT, [...keys], integer<I>);
  }

  /**
   * Merges HyperLogLogs into `destination` (which is one of the sources
   * when it exists): its estimate becomes that of their union.
   *
   * @param destination Where to store the union.
   * @param sources The HyperLogLogs to merge in.
   * @returns `"OK"`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/pfmerge/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.pfadd("monday", "ann", "bob");
   * await redis.pfadd("tuesday", "bob", "cy");
   * await redis.pfmerge("week", "monday", "tuesday");
   * console.log(await redis.pfcount("week")); // → 3
   * ```
   */
  pfmerge(destination: RedisKey, ...sources: RedisKey[]): Result<M, "OK"> {
    return this[EXEC].call(PFMERGE, [destination, ...sources], ok);
  }
}
