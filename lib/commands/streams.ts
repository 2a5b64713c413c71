// Stream commands: XADD ... XAUTOCLAIM, XINFO, consumer groups. One line per
// command; options become arguments in streams_options.ts, replies are
// shaped in streams_replies.ts. XREAD and XREADGROUP with `block` wait on a
// dedicated connection of the router's pool, never on the shared one.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { flag, integer, ok, text } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type StreamFields,
  type StreamOffsets,
  type StreamTrim,
  xaddArgs,
  type XAddOptions,
  xautoclaimArgs,
  type XAutoClaimOptions,
  xclaimArgs,
  type XClaimOptions,
  xgroupCreateArgs,
  type XGroupCreateOptions,
  xgroupSetidArgs,
  type XGroupSetIdOptions,
  xinfoStreamArgs,
  type XInfoStreamFullOptions,
  xpendingArgs,
  type XPendingRange,
  xrangeArgs,
  type XRangeOptions,
  xreadArgs,
  xreadgroupArgs,
  type XReadGroupOptions,
  type XReadOptions,
  xsetidArgs,
  type XSetIdOptions,
  xtrimArgs,
} from "./streams_options.ts";
import {
  helpLines,
  idArray,
  idOrNull,
  type StreamConsumerInfo,
  type StreamEntries,
  streamEntries,
  type StreamEntry,
  type StreamGroupEntry,
  type StreamGroupInfo,
  type StreamInfo,
  type StreamInfoFull,
  xautoclaimIdsReply,
  xautoclaimReply,
  type XAutoClaimResult,
  xinfoConsumersReply,
  xinfoGroupsReply,
  xinfoStreamFullReply,
  xinfoStreamReply,
  xpendingEntries,
  type XPendingEntry,
  type XPendingSummary,
  xpendingSummary,
  xreadgroupReply,
  xreadReply,
} from "./streams_replies.ts";

const XACK = command("XACK");
const XADD = command("XADD");
const XAUTOCLAIM = command("XAUTOCLAIM");
const XCLAIM = command("XCLAIM");
const XDEL = command("XDEL");
const XGROUP_CREATE = command("XGROUP CREATE");
const XGROUP_CREATECONSUMER = command("XGROUP CREATECONSUMER");
const XGROUP_DELCONSUMER = command("XGROUP DELCONSUMER");
const XGROUP_DESTROY = command("XGROUP DESTROY");
const XGROUP_HELP = command("XGROUP HELP");
const XGROUP_SETID = command("XGROUP SETID");
const XINFO_CONSUMERS = command("XINFO CONSUMERS");
const XINFO_GROUPS = command("XINFO GROUPS");
const XINFO_HELP = command("XINFO HELP");
const XINFO_STREAM = command("XINFO STREAM");
const XLEN = command("XLEN");
const XPENDING = command("XPENDING");
const XRANGE = command("XRANGE");
const XREAD = command("XREAD");
const XREADGROUP = command("XREADGROUP");
const XREVRANGE = command("XREVRANGE");
const XSETID = command("XSETID");
const XTRIM = command("XTRIM");

/**
 * Stream commands. Entries are `{ id, fields }` objects whose `fields` have
 * no prototype; ids, group and consumer names are text; XINFO replies are
 * objects with camelCase fields. Replies are the same under RESP2 and RESP3.
 * `xread` and `xreadgroup` with `block` wait on a dedicated connection of
 * their own, never holding up other commands, and
 * `redis.with({ signal, timeout })` cancels them.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type StreamCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const streams: StreamCommands<"promise", string, number> = redis;
 * await streams.xadd("events", { kind: "login", user: "ann" });
 * ```
 */
export class StreamCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Appends an entry to the stream at `key` (creating it) and returns the
   * entry's id.
   *
   * @param key The key.
   * @param fields The entry's fields: an object, or `[field, value]` pairs.
   * @param options The id (default `"*"`: made by the server) and trimming.
   * @returns The new entry's id.
   * @throws {ReplyError} When the id is not greater than the stream's last id.
   * @see {@link https://redis.io/docs/latest/commands/xadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const id: string = await redis.xadd("events", { kind: "login", user: "ann" });
   * await redis.xadd("events", [["kind", "logout"]], { trim: { maxLen: 1000, approximate: true } });
   * console.log(await redis.xadd("sensors", { c: 21 }, { id: "1-1" })); // → "1-1"
   * console.log(id);
   * ```
   */
  xadd(
    key: RedisKey,
    fields: StreamFields,
    options?: XAddOptions & { nomkstream?: false },
  ): Result<M, string>;
  /**
   * Appends an entry to the stream at `key` and returns its id, or `null`
   * when `nomkstream` is set and the stream does not exist.
   *
   * @param key The key.
   * @param fields The entry's fields: an object, or `[field, value]` pairs.
   * @param options The id, `nomkstream` and trimming.
   * @returns The new entry's id, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/xadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.xadd("no-such-stream", { a: "1" }, { nomkstream: true })); // → null
   * ```
   */
  xadd(
    key: RedisKey,
    fields: StreamFields,
    options: XAddOptions,
  ): Result<M, string | null>;
  xadd(
    key: RedisKey,
    fields: StreamFields,
    options?: XAddOptions,
  ): Result<M, string | null> {
    const args = xaddArgs(key, fields, options);
    return this[EXEC].call(XADD, args, options?.nomkstream ? idOrNull : text);
  }

  /**
   * Returns the number of entries in the stream at `key` (0 when it does not exist).
   *
   * @param key The key.
   * @returns The number of entries.
   * @throws {ReplyError} `WRONGTYPE` when the key holds another type.
   * @see {@link https://redis.io/docs/latest/commands/xlen/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("events", { kind: "login" });
   * console.log(await redis.xlen("events")); // → 1
   * ```
   */
  xlen(key: RedisKey): Result<M, I> {
    return this[EXEC].call1(XLEN, key, integer<I>);
  }

  /**
   * Returns the entries with ids from `start` to `end`, lowest first.
   *
   * @param key The key.
   * @param start The lowest id: `"-"` for the first entry, `"(1-0"` to exclude it, or a time alone (`"1700000000000"`).
   * @param end The highest id: `"+"` for the last entry.
   * @param options At most `count` entries.
   * @returns The entries (empty when the key does not exist).
   * @see {@link https://redis.io/docs/latest/commands/xrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("events", { kind: "login" }, { id: "1-1" });
   * console.log(await redis.xrange("events", "-", "+", { count: 10 }));
   * // → [{ id: "1-1", fields: { kind: "login" } }]
   * ```
   */
  xrange(
    key: RedisKey,
    start: string,
    end: string,
    options?: XRangeOptions,
  ): Result<M, StreamEntry<B>[]> {
    return this[EXEC].call(
      XRANGE,
      xrangeArgs(key, start, end, options),
      streamEntries<B>,
    );
  }

  /**
   * Returns the entries with ids from `end` down to `start`, highest first.
   *
   * @param key The key.
   * @param end The highest id: `"+"` for the last entry.
   * @param start The lowest id: `"-"` for the first entry.
   * @param options At most `count` entries.
   * @returns The entries, newest first.
   * @see {@link https://redis.io/docs/latest/commands/xrevrange/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("events", { n: "1" });
   * await redis.xadd("events", { n: "2" });
   * const [latest] = await redis.xrevrange("events", "+", "-", { count: 1 });
   * console.log(latest?.fields.n); // → "2"
   * ```
   */
  xrevrange(
    key: RedisKey,
    end: string,
    start: string,
    options?: XRangeOptions,
  ): Result<M, StreamEntry<B>[]> {
    return this[EXEC].call(
      XREVRANGE,
      xrangeArgs(key, end, start, options),
      streamEntries<B>,
    );
  }

  /**
   * Deletes entries from the stream at `key`; returns how many existed.
   *
   * @param key The key.
   * @param ids The ids.
   * @returns The number deleted.
   * @see {@link https://redis.io/docs/latest/commands/xdel/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const id = await redis.xadd("events", { kind: "login" });
   * console.log(await redis.xdel("events", id, "1-0")); // → 1
   * ```
   */
  xdel(key: RedisKey, ...ids: string[]): Result<M, I> {
    return this[EXEC].call(XDEL, [key, ...ids], integer<I>);
  }

  /**
   * Trims the stream at `key` to at most `maxLen` entries, or evicts the
   * entries below `minId`; returns how many were evicted.
   *
   * @param key The key.
   * @param trim The threshold, and whether it may be approximate.
   * @returns The number of entries evicted.
   * @see {@link https://redis.io/docs/latest/commands/xtrim/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("events", { n: "1" });
   * await redis.xadd("events", { n: "2" });
   * console.log(await redis.xtrim("events", { maxLen: 1 })); // → 1
   * ```
   */
  xtrim(key: RedisKey, trim: StreamTrim): Result<M, I> {
    return this[EXEC].call(XTRIM, xtrimArgs(key, trim), integer<I>);
  }

  /**
   * Reads the entries after the given id of each stream: one
   * `{ key, entries }` per stream that has some, or `null` when none has.
   * With `block`, a read that finds none waits up to that many
   * milliseconds for entries (`"$"` as the id: only entries added after the
   * call), on a dedicated connection that holds up no other command, and
   * `null` means the time passed.
   *
   * @param streams Each key and the id to read after: an object (`{ s1: "0", s2: "$" }`) or `[key, id]` pairs.
   * @param options At most `count` entries per stream; `block` milliseconds to wait for some.
   * @returns The entries read per stream, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/xread/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("s1", { n: "1" });
   * const read = await redis.xread({ s1: "0", s2: "0" }, { count: 10 });
   * for (const { key, entries } of read ?? []) console.log(key, entries.length); // → s1 1
   * // Waits up to 1 s for an entry newer than the call:
   * console.log(await redis.xread({ s1: "$" }, { block: 1_000 })); // → null
   * ```
   */
  xread(
    streams: StreamOffsets,
    options?: XReadOptions,
  ): Result<M, StreamEntries<B>[] | null> {
    return this[EXEC].call(XREAD, xreadArgs(streams, options), xreadReply<B>);
  }

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

  /**
   * Describes the stream at `key`: its length, ids, radix tree, number of
   * groups, and first and last entries.
   *
   * @param key The key.
   * @returns The stream's description.
   * @throws {ReplyError} When the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xinfo-stream/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("events", { kind: "login" });
   * const info = await redis.xinfoStream("events");
   * console.log(info.length, info.lastEntry?.fields.kind); // → 1 "login"
   * ```
   */
  xinfoStream(key: RedisKey): Result<M, StreamInfo<B>>;
  /**
   * Describes the stream at `key` in full: its entries, and each group with
   * its pending entries and consumers (up to `count` of each list).
   *
   * @param key The key.
   * @param options `full: true`, and how many entries per list (default 10, 0 for all).
   * @returns The stream's full description.
   * @throws {ReplyError} When the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xinfo-stream/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const info = await redis.xinfoStream("jobs", { full: true, count: 0 });
   * console.log(info.groups[0]?.name, info.groups[0]?.consumers); // → "workers" []
   * ```
   */
  xinfoStream(
    key: RedisKey,
    options: XInfoStreamFullOptions,
  ): Result<M, StreamInfoFull<B>>;
  xinfoStream(
    key: RedisKey,
    options?: XInfoStreamFullOptions,
  ): Result<M, StreamInfo<B> | StreamInfoFull<B>> {
    const args = xinfoStreamArgs(key, options);
    if (options?.full) {
      return this[EXEC].call(XINFO_STREAM, args, xinfoStreamFullReply<B>);
    }
    return this[EXEC].call(XINFO_STREAM, args, xinfoStreamReply<B>);
  }

  /**
   * Describes each consumer group of the stream at `key`.
   *
   * @param key The key.
   * @returns One description per group.
   * @throws {ReplyError} When the key does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xinfo-groups/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * const [group] = await redis.xinfoGroups("jobs");
   * console.log(group?.name, group?.lastDeliveredId); // → "workers" "0-0"
   * ```
   */
  xinfoGroups(key: RedisKey): Result<M, StreamGroupInfo[]> {
    return this[EXEC].call1(XINFO_GROUPS, key, xinfoGroupsReply);
  }

  /**
   * Describes each consumer of `group`.
   *
   * @param key The key.
   * @param group The group.
   * @returns One description per consumer.
   * @throws {ReplyError} `NOGROUP` when the stream or the group does not exist.
   * @see {@link https://redis.io/docs/latest/commands/xinfo-consumers/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xgroupCreate("jobs", "workers", "$", { mkstream: true });
   * await redis.xgroupCreateconsumer("jobs", "workers", "worker-1");
   * const [consumer] = await redis.xinfoConsumers("jobs", "workers");
   * console.log(consumer?.name, consumer?.pending); // → "worker-1" 0
   * ```
   */
  xinfoConsumers(
    key: RedisKey,
    group: string,
  ): Result<M, StreamConsumerInfo[]> {
    return this[EXEC].call(XINFO_CONSUMERS, [key, group], xinfoConsumersReply);
  }

  /**
   * Returns the server's help text for XINFO, one line per element.
   *
   * @returns The lines of help.
   * @see {@link https://redis.io/docs/latest/commands/xinfo-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.xinfoHelp()).join("\n"));
   * ```
   */
  xinfoHelp(): Result<M, string[]> {
    return this[EXEC].call(XINFO_HELP, [], helpLines);
  }

  /**
   * Sets the last id of the stream at `key` (the id new entries must
   * exceed), and optionally its counters; meant for replication and
   * restoring streams.
   *
   * @param key The key.
   * @param lastId The new last id, not below the stream's highest id.
   * @param options The entries-added counter and the highest deleted id.
   * @returns `"OK"`.
   * @throws {ReplyError} When the key does not exist or the id is too small.
   * @see {@link https://redis.io/docs/latest/commands/xsetid/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.xadd("events", { kind: "login" }, { id: "1-1" });
   * console.log(await redis.xsetid("events", "5-0")); // → "OK"
   * ```
   */
  xsetid(
    key: RedisKey,
    lastId: string,
    options?: XSetIdOptions,
  ): Result<M, "OK"> {
    return this[EXEC].call(XSETID, xsetidArgs(key, lastId, options), ok);
  }
}
