// List moves and multi-list pops: LMOVE, RPOPLPUSH, LMPOP and the blocking
// BLPOP, BRPOP, BLMOVE, BLMPOP, BRPOPLPUSH. The blocking ones run on a
// dedicated connection of the router's pool; the other list commands are in lists.ts.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { bulkOrNull } from "./_reply.ts";
import { command } from "./_command.ts";
import { mpopArgs, type PopOptions } from "./lists_options.ts";
import {
  keyAndElement,
  type PoppedElements,
  poppedElements,
} from "./lists_replies.ts";

const BLMOVE = command("BLMOVE");
const BLMPOP = command("BLMPOP");
const BLPOP = command("BLPOP");
const BRPOP = command("BRPOP");
const BRPOPLPUSH = command("BRPOPLPUSH");
const LMOVE = command("LMOVE");
const LMPOP = command("LMPOP");
const RPOPLPUSH = command("RPOPLPUSH");

/**
 * List moves and pops across several lists: move an element from one list
 * to another (`lmove`, `rpoplpush`), pop from the first non-empty list
 * (`lmpop`), and the blocking forms that wait for an element (`blpop`,
 * `brpop`, `blmove`, `blmpop`, `brpoplpush`). The blocking ones wait on a
 * dedicated connection of their own (see the `maxBlockingConnections`
 * option), so they never hold up the other commands, and
 * `redis.with({ signal, timeout })` cancels them. The other list commands
 * are on {@linkcode ListCommands}.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ListMoveCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const moves: ListMoveCommands<"promise", string, number> = redis;
 * await redis.rpush("todo", "job-1");
 * console.log(await moves.lmove("todo", "doing", "LEFT", "RIGHT")); // → "job-1"
 * ```
 */
export class ListMoveCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Pops an element from one end of `source` and pushes it onto one end of
   * `destination` (which may be the same list); returns the element, or
   * `null` when `source` does not exist.
   *
   * @param source The list to pop from.
   * @param destination The list to push onto.
   * @param from `"LEFT"` (head) or `"RIGHT"` (tail) of `source`.
   * @param to `"LEFT"` (head) or `"RIGHT"` (tail) of `destination`.
   * @returns The element moved, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/lmove/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "a", "b");
   * console.log(await redis.lmove("todo", "doing", "LEFT", "RIGHT")); // → "a"
   * ```
   */
  lmove(
    source: RedisKey,
    destination: RedisKey,
    from: "LEFT" | "RIGHT",
    to: "LEFT" | "RIGHT",
  ): Result<M, B | null> {
    return this[EXEC].call(
      LMOVE,
      [source, destination, from, to],
      bulkOrNull<B>,
    );
  }

  /**
   * Pops the last element of `source` and pushes it onto the head of
   * `destination` (which may be the same list); returns the element, or
   * `null` when `source` does not exist.
   *
   * @deprecated Redis deprecates RPOPLPUSH since 6.2: use
   * {@linkcode ListMoveCommands.lmove} with `"RIGHT", "LEFT"`, which does the same.
   *
   * @param source The list to pop from.
   * @param destination The list to push onto.
   * @returns The element moved, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when either key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/rpoplpush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "a", "b");
   * console.log(await redis.rpoplpush("todo", "doing")); // → "b"
   * ```
   */
  rpoplpush(source: RedisKey, destination: RedisKey): Result<M, B | null> {
    return this[EXEC].call(RPOPLPUSH, [source, destination], bulkOrNull<B>);
  }

  /**
   * Pops elements from one end of the first list in `keys` that is not
   * empty; returns that key and the elements, or `null` when every list is
   * empty or missing.
   *
   * @param keys The lists to try, in order.
   * @param where `"LEFT"` (head) or `"RIGHT"` (tail).
   * @param options How many elements to pop at most.
   * @returns The key and the elements popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the first non-empty key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/lmpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b", "c");
   * const popped = await redis.lmpop(["urgent", "jobs"], "LEFT", { count: 2 });
   * console.log(popped); // → { key: "jobs", elements: ["a", "b"] }
   * ```
   */
  lmpop(
    keys: readonly RedisKey[],
    where: "LEFT" | "RIGHT",
    options?: PopOptions,
  ): Result<M, PoppedElements<B> | null> {
    return this[EXEC].call(
      LMPOP,
      mpopArgs(keys, where, options),
      poppedElements<B>,
    );
  }

  /**
   * Pops the first element of the first list in `keys` that is not empty,
   * waiting up to `timeoutSeconds` for one to be pushed when all are empty;
   * returns that list's key and the element, or `null` when the time
   * passed. Waits on a dedicated connection, never holding up other
   * commands; `redis.with({ signal, timeout })` cancels the wait (see
   * {@linkcode RedisView.with}).
   *
   * @param keys The lists to try, in order.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The key and the element popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/blpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "resize");
   * console.log(await redis.blpop(["urgent", "jobs"], 1)); // → ["jobs", "resize"]
   * console.log(await redis.blpop(["urgent", "jobs"], 0.1)); // → null (after 0.1 s)
   * ```
   */
  blpop(
    keys: readonly RedisKey[],
    timeoutSeconds: number,
  ): Result<M, [B, B] | null> {
    return this[EXEC].call(BLPOP, [...keys, timeoutSeconds], keyAndElement<B>);
  }

  /**
   * Pops the last element of the first list in `keys` that is not empty,
   * waiting up to `timeoutSeconds` for one, as {@linkcode ListMoveCommands.blpop}
   * does from the head.
   *
   * @param keys The lists to try, in order.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The key and the element popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when a key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/brpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b");
   * console.log(await redis.brpop(["jobs"], 1)); // → ["jobs", "b"]
   * ```
   */
  brpop(
    keys: readonly RedisKey[],
    timeoutSeconds: number,
  ): Result<M, [B, B] | null> {
    return this[EXEC].call(BRPOP, [...keys, timeoutSeconds], keyAndElement<B>);
  }

  /**
   * {@linkcode ListMoveCommands.lmove} that waits up to `timeoutSeconds` for an
   * element when `source` is empty: pops it from one end of `source`,
   * pushes it onto one end of `destination`, and returns it, or `null`
   * when the time passed. The element is never out of both lists, which
   * makes it the step of a reliable queue (move a job to a processing
   * list, remove it once done).
   *
   * @param source The list to pop from.
   * @param destination The list to push onto.
   * @param from `"LEFT"` (head) or `"RIGHT"` (tail) of `source`.
   * @param to `"LEFT"` (head) or `"RIGHT"` (tail) of `destination`.
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The element moved, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when either key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/blmove/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "job-1");
   * const job = await redis.blmove("todo", "doing", "LEFT", "RIGHT", 5);
   * if (job !== null) {
   *   // ... work on it, then drop it from the processing list:
   *   await redis.lrem("doing", 1, job);
   * }
   * ```
   */
  blmove(
    source: RedisKey,
    destination: RedisKey,
    from: "LEFT" | "RIGHT",
    to: "LEFT" | "RIGHT",
    timeoutSeconds: number,
  ): Result<M, B | null> {
    return this[EXEC].call(
      BLMOVE,
      [source, destination, from, to, timeoutSeconds],
      bulkOrNull<B>,
    );
  }

  /**
   * {@linkcode ListMoveCommands.lmpop} that waits up to `timeoutSeconds` for an
   * element when every list is empty: pops elements from one end of the
   * first list in `keys` that is not empty; returns that key and the
   * elements, or `null` when the time passed.
   *
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @param keys The lists to try, in order.
   * @param where `"LEFT"` (head) or `"RIGHT"` (tail).
   * @param options How many elements to pop at most.
   * @returns The key and the elements popped, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when the first non-empty key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/blmpop/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("jobs", "a", "b", "c");
   * const popped = await redis.blmpop(1, ["urgent", "jobs"], "LEFT", { count: 2 });
   * console.log(popped); // → { key: "jobs", elements: ["a", "b"] }
   * ```
   */
  blmpop(
    timeoutSeconds: number,
    keys: readonly RedisKey[],
    where: "LEFT" | "RIGHT",
    options?: PopOptions,
  ): Result<M, PoppedElements<B> | null> {
    return this[EXEC].call(
      BLMPOP,
      [timeoutSeconds, ...mpopArgs(keys, where, options)],
      poppedElements<B>,
    );
  }

  /**
   * {@linkcode ListMoveCommands.rpoplpush} that waits up to `timeoutSeconds`
   * for an element when `source` is empty; returns the element moved, or
   * `null` when the time passed.
   *
   * @deprecated Redis deprecates BRPOPLPUSH since 6.2: use
   * {@linkcode ListMoveCommands.blmove} with `"RIGHT", "LEFT"`, which does the same.
   *
   * @param source The list to pop from (its tail).
   * @param destination The list to push onto (its head).
   * @param timeoutSeconds Seconds to wait (fractions allowed); 0 waits
   * until an element comes.
   * @returns The element moved, or `null`.
   * @throws {ReplyError} `WRONGTYPE` when either key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/brpoplpush/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.rpush("todo", "a", "b");
   * console.log(await redis.brpoplpush("todo", "doing", 1)); // → "b"
   * ```
   */
  brpoplpush(
    source: RedisKey,
    destination: RedisKey,
    timeoutSeconds: number,
  ): Result<M, B | null> {
    return this[EXEC].call(
      BRPOPLPUSH,
      [source, destination, timeoutSeconds],
      bulkOrNull<B>,
    );
  }
}
