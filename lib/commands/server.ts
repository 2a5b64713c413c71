// Server commands that carry no key: DBSIZE, FLUSHDB, FLUSHALL, INFO, TIME.

import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { array, integer, ok, text } from "./_reply.ts";
import type { RespValue } from "../resp/types.ts";
import { command } from "./_command.ts";

const DBSIZE = command("DBSIZE");
const FLUSHALL = command("FLUSHALL");
const FLUSHDB = command("FLUSHDB");
const INFO = command("INFO");
const TIME = command("TIME");

/** TIME's reply as `[seconds, microseconds]`. */
function time(value: RespValue): [number, number] {
  const items = array(value);
  if (items.length !== 2) throw new TypeError("expected two elements");
  return [Number(text(items[0]!)), Number(text(items[1]!))];
}

/**
 * Server commands.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ServerCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const server: ServerCommands<"promise", string> = redis;
 * console.log(await server.dbsize()); // → the number of keys
 * ```
 */
export class ServerCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Returns the number of keys in the view's database.
   *
   * @returns The number of keys.
   * @see {@link https://redis.io/docs/latest/commands/dbsize/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.db(3).dbsize()); // → keys in database 3
   * ```
   */
  dbsize(): Result<M, I> {
    return this[EXEC].call(DBSIZE, [], integer<I>);
  }

  /**
   * Deletes every key of the view's database.
   *
   * @param mode `"ASYNC"` to free memory in the background, `"SYNC"` to wait.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/flushdb/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.db(15).flushdb();
   * ```
   */
  flushdb(mode?: "ASYNC" | "SYNC"): Result<M, "OK"> {
    return this[EXEC].call(
      FLUSHDB,
      mode === undefined ? [] : [mode],
      ok,
    );
  }

  /**
   * Deletes every key of every database.
   *
   * @param mode `"ASYNC"` to free memory in the background, `"SYNC"` to wait.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/flushall/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.flushall();
   * ```
   */
  flushall(mode?: "ASYNC" | "SYNC"): Result<M, "OK"> {
    return this[EXEC].call(
      FLUSHALL,
      mode === undefined ? [] : [mode],
      ok,
    );
  }

  /**
   * Returns the server's INFO text (`# Section` headers and `field:value` lines).
   *
   * @param sections Sections to include, such as `"server"` or `"commandstats"`.
   * @returns The INFO text.
   * @see {@link https://redis.io/docs/latest/commands/info/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const info = await redis.info("server");
   * console.log(info.match(/redis_version:(\S+)/)?.[1]);
   * ```
   */
  info(...sections: string[]): Result<M, string> {
    return this[EXEC].call(INFO, [...sections], text);
  }

  /**
   * Returns the server's clock as `[unixSeconds, microseconds]`.
   *
   * @returns Seconds and microseconds.
   * @see {@link https://redis.io/docs/latest/commands/time/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const [seconds] = await redis.time();
   * console.log(new Date(seconds * 1000));
   * ```
   */
  time(): Result<M, [number, number]> {
    return this[EXEC].call(TIME, [], time);
  }
}
