// Stream consumer groups: XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM and
// XAUTOCLAIM. XREADGROUP with `block` waits on a dedicated connection of the
// router's pool, never on the shared one. The other stream commands (XINFO
// GROUPS and CONSUMERS included) are in streams.ts.

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
import type { StreamOffsets } from "./streams_options.ts";
import {
  xautoclaimArgs,
  type XAutoClaimOptions,
  xclaimArgs,
  type XClaimOptions,
  xgroupCreateArgs,
  type XGroupCreateOptions,
  xgroupSetidArgs,
  type XGroupSetIdOptions,
  xpendingArgs,
  type XPendingRange,
  xreadgroupArgs,
  type XReadGroupOptions,
} from "./stream_groups_options.ts";
import {
  helpLines,
  idArray,
  type StreamEntries,
  streamEntries,
  type StreamEntry,
} from "./streams_replies.ts";
import {
  type StreamGroupEntry,
  xautoclaimIdsReply,
  xautoclaimReply,
  type XAutoClaimResult,
  xpendingEntries,
  type XPendingEntry,
  type XPendingSummary,
  xpendingSummary,
  xreadgroupReply,
} from "./stream_groups_replies.ts";

const XACK = command("XACK");
const XAUTOCLAIM = command("XAUTOCLAIM");
const XCLAIM = command("XCLAIM");
const XGROUP_CREATE = command("XGROUP CREATE");
const XGROUP_CREATECONSUMER = command("XGROUP CREATECONSUMER");
const XGROUP_DELCONSUMER = command("XGROUP DELCONSUMER");
const XGROUP_DESTROY = command("XGROUP DESTROY");
const XGROUP_HELP = command("XGROUP HELP");
const XGROUP_SETID = command("XGROUP SETID");
const XPENDING = command("XPENDING");
const XREADGROUP = command("XREADGROUP");

/**
 * Stream consumer groups: creating and managing groups and consumers,
 * reading as a consumer, acknowledging, inspecting and claiming pending
 * entries. Entries are `{ id, fields }` objects whose `fields` have no
 * prototype. `xreadgroup` with `block` waits on a dedicated connection of
 * its own, never holding up other commands, and
 * `redis.with({ signal, timeout })` cancels it.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamGroupCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const groups: StreamGroupCommands<"promise", string, number> = redis;
 * await groups.xgroupCreate("jobs", "workers", "$", { mkstream: true });
 * ```
 */
export class StreamGroupCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Reads entries as `consumer` of `group`: with id `">"` entries never
   * delivered to the group (which become pending for this consumer unless
   * `noack`), with another id this consumer's pending entries after it.
   * One `{ key, entries }` per stream, or `null` when no stream has new
   * entries. With `block`, a read of `">"` that finds none waits up to that
   * many milliseconds for some, on a dedicated connection that holds up no
   * other command.
   *
   * @param group The consumer group.
   * @param consumer The consumer (created on first use).
   * @param streams Each key and the id to read after: an object or `[key, id]` pairs.
   * @param options At most `count` entries per stream, `block` milliseconds to wait for some, and `noack`.
   * @returns The entries read per stream (a re-read pending entry that was deleted has `fields: null`), or `null`.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xreadgroup/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * await redis.xadd("jobs", { task: "resize" });
   * const read = await redis.xreadgroup("workers", "worker-1", { jobs: ">" }, {
   *   count: 1,
   *   block: 5_000,
   * });
   * const entry = read?.[0]?.entries[0];
   * if (entry) await redis.xack("jobs", "workers", entry.id);
   * ```
   */
  xreadgroup(
    group: string,
    consumer: string,
    streams: StreamOffsets,
    options?: XReadGroupOptions,
  ): Result<M, StreamEntries<B, StreamGroupEntry<B>>[] | null> {
    return this[EXEC].call(
      XREADGROUP,
      xreadgroupArgs(group, consumer, streams, options),
      xreadgroupReply<B>,
    );
  }

  /**
   * Creates consumer group `group` on the stream at `key`, starting after
   * `id` (`"$"`: only entries added from now on; `"0"`: every entry).
   *
   * @param key The key.
   * @param group The group's name.
   * @param id The last id the group counts as delivered.
   * @param options `mkstream` to create a missing stream, and `entriesRead`.
   * @returns `"OK"`.
   * @throws {ReplyError} `BUSYGROUP` when the group exists; an error when the stream does not exist and `mkstream` is not set.
   * @see {@link https://redis.io/docs/latest/commands/xgroup-create/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true })); // → "OK"
   * ```
   */
  xgroupCreate(
    key: RedisKey,
    group: string,
    id: string,
    options?: XGroupCreateOptions,
  ): Result<M, "OK"> {
    return this[EXEC].call(
      XGROUP_CREATE,
      xgroupCreateArgs(key, group, id, options),
      ok,
    );
  }

  /**
   * Creates `consumer` in `group`; returns whether it was created (`false`
   * when it existed).
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer's name.
   * @returns Whether the consumer was created.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xgroup-createconsumer/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * console.log(await redis.xgroupCreateconsumer("jobs", "workers", "worker-1")); // → true
   * ```
   */
  xgroupCreateconsumer(
    key: RedisKey,
    group: string,
    consumer: string,
  ): Result<M, boolean> {
    return this[EXEC].call(XGROUP_CREATECONSUMER, [key, group, consumer], flag);
  }

  /**
   * Deletes `consumer` from `group`; returns how many pending entries it had
   * (they are no longer pending for anyone).
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer.
   * @returns The number of pending entries the consumer had.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xgroup-delconsumer/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * await redis.xgroupCreateconsumer("jobs", "workers", "worker-1");
   * console.log(await redis.xgroupDelconsumer("jobs", "workers", "worker-1")); // → 0
   * ```
   */
  xgroupDelconsumer(
    key: RedisKey,
    group: string,
    consumer: string,
  ): Result<M, I> {
    return this[EXEC].call(
      XGROUP_DELCONSUMER,
      [key, group, consumer],
      integer<I>,
    );
  }

  /**
   * Deletes consumer group `group`, its consumers and its pending list;
   * returns whether it existed.
   *
   * @param key The key.
   * @param group The group.
   * @returns Whether the group was deleted.
   * @throws {ReplyError} When the stream does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xgroup-destroy/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * console.log(await redis.xgroupDestroy("jobs", "workers")); // → true
   * ```
   */
  xgroupDestroy(key: RedisKey, group: string): Result<M, boolean> {
    return this[EXEC].call(XGROUP_DESTROY, [key, group], flag);
  }

  /**
   * Sets the last id `group` counts as delivered (`"$"` for the stream's
   * last entry, `"0"` to deliver everything again).
   *
   * @param key The key.
   * @param group The group.
   * @param id The new last delivered id.
   * @param options `entriesRead`, to keep the group's lag right.
   * @returns `"OK"`.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xgroup-setid/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * console.log(await redis.xgroupSetid("jobs", "workers", "0", { entriesRead: 0 })); // → "OK"
   * ```
   */
  xgroupSetid(
    key: RedisKey,
    group: string,
    id: string,
    options?: XGroupSetIdOptions,
  ): Result<M, "OK"> {
    return this[EXEC].call(
      XGROUP_SETID,
      xgroupSetidArgs(key, group, id, options),
      ok,
    );
  }

  /**
   * Returns the server's help text for XGROUP, one line per element.
   *
   * @returns The lines of help.
   * @see {@link https://redis.io/docs/latest/commands/xgroup-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.xgroupHelp()).join("\n"));
   * ```
   */
  xgroupHelp(): Result<M, string[]> {
    return this[EXEC].call(XGROUP_HELP, [], helpLines);
  }

  /**
   * Acknowledges entries for `group`, removing them from its pending list;
   * returns how many were pending.
   *
   * @param key The key.
   * @param group The group.
   * @param ids The ids.
   * @returns The number acknowledged.
   * @see {@link https://redis.io/docs/latest/commands/xack/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const id = await redis.xadd("jobs", { task: "resize" });
   * await redis.xreadgroup("workers", "worker-1", { jobs: ">" });
   * console.log(await redis.xack("jobs", "workers", id)); // → 1
   * ```
   */
  xack(key: RedisKey, group: string, ...ids: string[]): Result<M, I> {
    return this[EXEC].call(XACK, [key, group, ...ids], integer<I>);
  }

  /**
   * Summarizes the entries `group` delivered and nobody acknowledged yet:
   * how many, the lowest and highest ids, and how many per consumer.
   *
   * @param key The key.
   * @param group The group.
   * @returns The summary.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xpending/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * console.log(await redis.xpending("jobs", "workers"));
   * // → { count: 0, smallest: null, greatest: null, consumers: [] }
   * ```
   */
  xpending(key: RedisKey, group: string): Result<M, XPendingSummary>;

  /**
   * Lists the entries `group` delivered and nobody acknowledged yet, in a
   * range of ids, optionally of one consumer and idle for a while.
   *
   * @param key The key.
   * @param group The group.
   * @param range The ids (default all), `count`, `consumer` and `idle`.
   * @returns The pending entries, lowest id first.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xpending/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * await redis.xadd("jobs", { task: "resize" });
   * await redis.xreadgroup("workers", "worker-1", { jobs: ">" });
   * for (const entry of await redis.xpending("jobs", "workers", { count: 10, idle: 0 })) {
   *   console.log(entry.id, entry.consumer, entry.deliveries); // → … "worker-1" 1
   * }
   * ```
   */
  xpending(
    key: RedisKey,
    group: string,
    range: XPendingRange,
  ): Result<M, XPendingEntry[]>;
  xpending(
    key: RedisKey,
    group: string,
    range?: XPendingRange,
  ): Result<M, XPendingSummary | XPendingEntry[]> {
    const args = xpendingArgs(key, group, range);
    if (range === undefined) {
      return this[EXEC].call(XPENDING, args, xpendingSummary);
    }
    return this[EXEC].call(XPENDING, args, xpendingEntries);
  }

  /**
   * Gives pending entries idle for at least `minIdleTime` milliseconds to
   * `consumer`, and returns those it took.
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer that takes them.
   * @param minIdleTime Only entries idle for at least this many milliseconds.
   * @param ids The ids to claim.
   * @param options Idle time, delivery counter, `force`, `lastId`.
   * @returns The claimed entries.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xclaim/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const id = await redis.xadd("jobs", { task: "resize" });
   * await redis.xreadgroup("workers", "worker-1", { jobs: ">" });
   * const [entry] = await redis.xclaim("jobs", "workers", "worker-2", 0, [id]);
   * console.log(entry?.fields.task); // → "resize"
   * ```
   */
  xclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    ids: string[],
    options?: XClaimOptions & { justId?: false },
  ): Result<M, StreamEntry<B>[]>;

  /**
   * As the other form, with `justId: true`: returns only the claimed ids,
   * and leaves the delivery counters alone.
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer that takes them.
   * @param minIdleTime Only entries idle for at least this many milliseconds.
   * @param ids The ids to claim.
   * @param options `justId: true`, and idle time, delivery counter, `force`, `lastId`.
   * @returns The claimed ids.
   * @see {@link https://redis.io/docs/latest/commands/xclaim/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const id = await redis.xadd("jobs", { task: "resize" });
   * await redis.xreadgroup("workers", "worker-1", { jobs: ">" });
   * console.log(await redis.xclaim("jobs", "workers", "worker-2", 0, [id], { justId: true })); // → [id]
   * ```
   */
  xclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    ids: string[],
    options: XClaimOptions & { justId: true },
  ): Result<M, string[]>;

  /**
   * As the other forms, when whether `justId` is set is known only at run
   * time: returns entries, or ids.
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer that takes them.
   * @param minIdleTime Only entries idle for at least this many milliseconds.
   * @param ids The ids to claim.
   * @param options The options.
   * @returns The claimed entries, or their ids with `justId`.
   * @see {@link https://redis.io/docs/latest/commands/xclaim/}
   *
   * @example Usage
   * ```ts
   * import { connect, type XClaimOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: XClaimOptions = { justId: Math.random() < 0.5 };
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * console.log(await redis.xclaim("jobs", "workers", "worker-2", 0, ["0-1"], options)); // → []
   * ```
   */
  xclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    ids: string[],
    options?: XClaimOptions,
  ): Result<M, StreamEntry<B>[] | string[]>;
  xclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    ids: string[],
    options?: XClaimOptions,
  ): Result<M, StreamEntry<B>[] | string[]> {
    const args = xclaimArgs(key, group, consumer, minIdleTime, ids, options);
    if (options?.justId) return this[EXEC].call(XCLAIM, args, idArray);
    return this[EXEC].call(XCLAIM, args, streamEntries<B>);
  }

  /**
   * Scans `group`'s pending list from id `start` and gives the entries
   * idle for at least `minIdleTime` milliseconds to `consumer`: returns
   * them, the id to continue from (`"0-0"` when done) and the pending ids
   * that no longer exist (removed from the list).
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer that takes them.
   * @param minIdleTime Only entries idle for at least this many milliseconds.
   * @param start The id to start from (`"0-0"` for the beginning).
   * @param options How many to examine at most (default 100).
   * @returns The next start, the claimed entries and the deleted ids.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xautoclaim/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * await redis.xadd("jobs", { task: "resize" });
   * await redis.xreadgroup("workers", "worker-1", { jobs: ">" });
   * const { next, entries } = await redis.xautoclaim("jobs", "workers", "worker-2", 0, "0-0");
   * console.log(next, entries.length); // → "0-0" 1
   * ```
   */
  xautoclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    options?: XAutoClaimOptions & { justId?: false },
  ): Result<M, XAutoClaimResult<StreamEntry<B>>>;

  /**
   * As the other form, with `justId: true`: the claimed entries are ids,
   * and the delivery counters are left alone.
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer that takes them.
   * @param minIdleTime Only entries idle for at least this many milliseconds.
   * @param start The id to start from (`"0-0"` for the beginning).
   * @param options `justId: true`, and how many to examine at most.
   * @returns The next start, the claimed ids and the deleted ids.
   * @see {@link https://redis.io/docs/latest/commands/xautoclaim/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const { entries } = await redis.xautoclaim("jobs", "workers", "worker-2", 0, "0-0", { justId: true });
   * console.log(entries); // → []
   * ```
   */
  xautoclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    options: XAutoClaimOptions & { justId: true },
  ): Result<M, XAutoClaimResult<string>>;

  /**
   * As the other forms, when whether `justId` is set is known only at run
   * time: the claimed entries are entries, or ids.
   *
   * @param key The key.
   * @param group The group.
   * @param consumer The consumer that takes them.
   * @param minIdleTime Only entries idle for at least this many milliseconds.
   * @param start The id to start from (`"0-0"` for the beginning).
   * @param options The options.
   * @returns The next start, the claimed entries (or ids) and the deleted ids.
   * @see {@link https://redis.io/docs/latest/commands/xautoclaim/}
   *
   * @example Usage
   * ```ts
   * import { connect, type XAutoClaimOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: XAutoClaimOptions = { justId: Math.random() < 0.5 };
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const { next } = await redis.xautoclaim("jobs", "workers", "w", 0, "0-0", options);
   * console.log(next); // → "0-0"
   * ```
   */
  xautoclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    options?: XAutoClaimOptions,
  ): Result<M, XAutoClaimResult<StreamEntry<B>> | XAutoClaimResult<string>>;
  xautoclaim(
    key: RedisKey,
    group: string,
    consumer: string,
    minIdleTime: number,
    start: string,
    options?: XAutoClaimOptions,
  ): Result<M, XAutoClaimResult<StreamEntry<B>> | XAutoClaimResult<string>> {
    const args = xautoclaimArgs(
      key,
      group,
      consumer,
      minIdleTime,
      start,
      options,
    );
    if (options?.justId) {
      return this[EXEC].call(XAUTOCLAIM, args, xautoclaimIdsReply);
    }
    return this[EXEC].call(XAUTOCLAIM, args, xautoclaimReply<B>);
  }
}
