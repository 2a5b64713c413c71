// Publishing: PUBLISH, SPUBLISH, PUBSUB *.

import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import type { RedisKey } from "./_base.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import {
  array,
  bulkArray,
  integer,
  safeInteger,
  text,
  textArray,
} from "./_reply.ts";
import { command } from "./_command.ts";

const PUBLISH = command("PUBLISH");
const PUBSUB_CHANNELS = command("PUBSUB CHANNELS");
const PUBSUB_HELP = command("PUBSUB HELP");
const PUBSUB_NUMPAT = command("PUBSUB NUMPAT");
const PUBSUB_NUMSUB = command("PUBSUB NUMSUB");
const PUBSUB_SHARDCHANNELS = command("PUBSUB SHARDCHANNELS");
const PUBSUB_SHARDNUMSUB = command("PUBSUB SHARDNUMSUB");
const SPUBLISH = command("SPUBLISH");

/**
 * PUBSUB NUMSUB's reply, `channel, count, ...` (a RESP3 map would do too),
 * as a record with no prototype, keyed by channel name as text.
 */
function subscriberCounts(value: RespValue): Record<string, number> {
  const out: Record<string, number> = Object.create(null);
  if (value instanceof Map) {
    for (const [channel, count] of value) {
      out[text(channel)] = safeInteger(count);
    }
    return out;
  }
  const items = array(value);
  if (items.length % 2 !== 0) {
    throw new TypeError("expected channel/count pairs, received an odd count");
  }
  for (let i = 0; i < items.length; i += 2) {
    out[text(items[i]!)] = safeInteger(items[i + 1]!);
  }
  return out;
}

/**
 * Publish and pub/sub introspection commands. Subscribing is not here: it
 * needs a connection of its own, and returns an async iterator rather than
 * a reply, so `subscribe()`, `psubscribe()` and `ssubscribe()` are methods
 * of every view (`RedisView`), not of builders.
 *
 * Methods return `Promise<T>` on `Redis` and its `db()`, `binary` and
 * `bigint` views, nothing on `fireAndForget`, and the builder in `multi()`
 * and `pipeline()`.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type PubSubCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: PubSubCommands<"promise", string, number> = redis;
 * console.log(await commands.publish("news", "hello")); // → receivers
 * ```
 */
export class PubSubCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Sends a message to the subscribers of a channel (and of the patterns
   * matching it) and returns how many received it.
   *
   * @param channel The channel.
   * @param message The message.
   * @returns The number of subscribers that received it (on a cluster, of
   * the node that took the command).
   * @see {@link https://redis.io/docs/latest/commands/publish/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.publish("news", "hello")); // → 0 with no subscriber
   * ```
   */
  publish(channel: RedisKey, message: RedisArg): Result<M, I> {
    return this[EXEC].call(PUBLISH, [channel, message], integer<I>);
  }

  /**
   * Sends a message to the subscribers of a shard channel (SSUBSCRIBE) and
   * returns how many received it.
   *
   * @param shardChannel The shard channel.
   * @param message The message.
   * @returns The number of subscribers that received it.
   * @see {@link https://redis.io/docs/latest/commands/spublish/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.spublish("orders:{42}", "paid")); // → 0 with no subscriber
   * ```
   */
  spublish(shardChannel: RedisKey, message: RedisArg): Result<M, I> {
    return this[EXEC].call(SPUBLISH, [shardChannel, message], integer<I>);
  }

  /**
   * Lists the channels that have at least one subscriber (pattern
   * subscriptions do not count), optionally only those matching `pattern`.
   *
   * @param pattern A glob-style pattern.
   * @returns The channel names.
   * @see {@link https://redis.io/docs/latest/commands/pubsub-channels/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.pubsubChannels("news.*")); // → channels with subscribers
   * ```
   */
  pubsubChannels(pattern?: RedisArg): Result<M, B[]> {
    return this[EXEC].call(
      PUBSUB_CHANNELS,
      pattern === undefined ? [] : [pattern],
      bulkArray<B>,
    );
  }

  /**
   * Returns the number of pattern subscriptions (PSUBSCRIBE) of all clients.
   *
   * @returns The number of patterns subscribed to.
   * @see {@link https://redis.io/docs/latest/commands/pubsub-numpat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.pubsubNumpat()); // → 0 with no pattern subscriber
   * ```
   */
  pubsubNumpat(): Result<M, I> {
    return this[EXEC].call(PUBSUB_NUMPAT, [], integer<I>);
  }

  /**
   * Counts the subscribers of each channel (pattern subscriptions do not
   * count).
   *
   * @param channels The channels.
   * @returns The count per channel, keyed by channel name (as text).
   * @see {@link https://redis.io/docs/latest/commands/pubsub-numsub/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const counts = await redis.pubsubNumsub("news", "sports");
   * console.log(counts.news, counts.sports); // → 0 0 with no subscriber
   * ```
   */
  pubsubNumsub(...channels: RedisKey[]): Result<M, Record<string, number>> {
    return this[EXEC].call(PUBSUB_NUMSUB, [...channels], subscriberCounts);
  }

  /**
   * Lists the shard channels that have at least one subscriber (SSUBSCRIBE),
   * optionally only those matching `pattern`.
   *
   * @param pattern A glob-style pattern.
   * @returns The shard channel names.
   * @see {@link https://redis.io/docs/latest/commands/pubsub-shardchannels/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.pubsubShardchannels("orders:*"));
   * ```
   */
  pubsubShardchannels(pattern?: RedisArg): Result<M, B[]> {
    return this[EXEC].call(
      PUBSUB_SHARDCHANNELS,
      pattern === undefined ? [] : [pattern],
      bulkArray<B>,
    );
  }

  /**
   * Counts the subscribers of each shard channel.
   *
   * @param shardChannels The shard channels.
   * @returns The count per shard channel, keyed by name (as text).
   * @see {@link https://redis.io/docs/latest/commands/pubsub-shardnumsub/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const counts = await redis.pubsubShardnumsub("orders:{42}");
   * console.log(counts["orders:{42}"]); // → 0 with no subscriber
   * ```
   */
  pubsubShardnumsub(
    ...shardChannels: RedisKey[]
  ): Result<M, Record<string, number>> {
    return this[EXEC].call(
      PUBSUB_SHARDNUMSUB,
      [...shardChannels],
      subscriberCounts,
    );
  }

  /**
   * Returns the server's help text for PUBSUB subcommands, one line each.
   *
   * @returns The lines of help.
   * @see {@link https://redis.io/docs/latest/commands/pubsub-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.pubsubHelp()).join("\n"));
   * ```
   */
  pubsubHelp(): Result<M, string[]> {
    return this[EXEC].call(PUBSUB_HELP, [], textArray);
  }
}
