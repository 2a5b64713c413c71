// Stream commands: XADD, XRANGE, XREAD, XTRIM, XINFO STREAM... One line per
// command; options become arguments in streams_options.ts, replies are
// shaped in streams_replies.ts. XREAD with `block` waits on a dedicated
// connection of the router's pool, never on the shared one. Consumer groups
// are in stream_groups.ts.

import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { integer, ok, text } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  type StreamFields,
  type StreamOffsets,
  type StreamTrim,
  xaddArgs,
  type XAddOptions,
  xinfoStreamArgs,
  type XInfoStreamFullOptions,
  xrangeArgs,
  type XRangeOptions,
  xreadArgs,
  type XReadOptions,
  xsetidArgs,
  type XSetIdOptions,
  xtrimArgs,
} from "./streams_options.ts";
import {
  helpLines,
  idOrNull,
  type StreamConsumerInfo,
  type StreamEntries,
  streamEntries,
  type StreamEntry,
  type StreamGroupInfo,
  type StreamInfo,
  type StreamInfoFull,
  xinfoConsumersReply,
  xinfoGroupsReply,
  xinfoStreamFullReply,
  xinfoStreamReply,
  xreadReply,
} from "./streams_replies.ts";

const XADD = command("XADD");
const XDEL = command("XDEL");
const XINFO_CONSUMERS = command("XINFO CONSUMERS");
const XINFO_GROUPS = command("XINFO GROUPS");
const XINFO_HELP = command("XINFO HELP");
const XINFO_STREAM = command("XINFO STREAM");
const XLEN = command("XLEN");
const XRANGE = command("XRANGE");
const XREAD = command("XREAD");
const XREVRANGE = command("XREVRANGE");
const XSETID = command("XSETID");
const XTRIM = command("XTRIM");

/**
 * Stream commands. Entries are `{ id, fields }` objects whose `fields` have
 * no prototype; ids, group and consumer names are text; XINFO replies are
 * objects with camelCase fields. Replies are the same under RESP2 and RESP3.
 * `xread` with `block` waits on a dedicated connection of its own, never
 * holding up other commands, and `redis.with({ signal, timeout })` cancels
 * it. Consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM,
 * XAUTOCLAIM) are on {@linkcode StreamGroupCommands}.
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
