// The deprecated GEORADIUS family: GEORADIUS, GEORADIUSBYMEMBER and their
// read-only forms, with the same options and results as GEOSEARCH. The
// other geospatial commands are in geo.ts.

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
import { integer } from "./_reply.ts";
import { type Command, command } from "./_command.ts";
import {
  type GeoPosition,
  type GeoRadius,
  georadiusArgs,
  type GeoRadiusStoreOptions,
  type GeoSearchOptions,
  withMask,
} from "./geo_options.ts";
import { type GeoMatch, searchReply } from "./geo_replies.ts";

const GEORADIUS = command("GEORADIUS");
const GEORADIUS_RO = command("GEORADIUS_RO");
const GEORADIUSBYMEMBER = command("GEORADIUSBYMEMBER");
const GEORADIUSBYMEMBER_RO = command("GEORADIUSBYMEMBER_RO");

/**
 * The deprecated GEORADIUS family; {@linkcode GeoCommands.geosearch} and
 * {@linkcode GeoCommands.geosearchstore} replace it.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type GeoRadiusCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const radius: GeoRadiusCommands<"promise", string, number> = redis;
 * console.log(radius);
 * ```
 */
export class GeoRadiusCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Stores the members within `radius` of a point at the key named by
   * `store` (or by `storeDist`, with distances as scores); returns how many.
   *
   * @deprecated Redis deprecates GEORADIUS: use
   * {@linkcode GeoCommands.geosearchstore} with `{ longitude, latitude }`
   * and `{ radius, unit }`.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options `store` or `storeDist`, order and count.
   * @returns The number of members stored.
   * @see {@link https://redis.io/docs/latest/commands/georadius/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.georadius(
   *   "cities",
   *   { longitude: 13, latitude: 38 },
   *   { radius: 100, unit: "km" },
   *   { store: "nearby" },
   * )); // → 1
   * ```
   */
  georadius(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options: GeoRadiusStoreOptions,
  ): Result<M, I>;
  /**
   * Returns the members within `radius` of a point.
   *
   * @deprecated Redis deprecates GEORADIUS: use
   * {@linkcode GeoCommands.geosearch} with `{ longitude, latitude }` and
   * `{ radius, unit }`, which takes the same options.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options Order and count.
   * @returns The members found.
   * @see {@link https://redis.io/docs/latest/commands/georadius/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.georadius(
   *   "cities",
   *   { longitude: 13, latitude: 38 },
   *   { radius: 100, unit: "km" },
   * )); // → ["Palermo"]
   * ```
   */
  georadius(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options?: GeoSearchOptions & {
      withCoord?: false;
      withDist?: false;
      withHash?: false;
    },
  ): Result<M, B[]>;
  /**
   * Returns the members within `radius` of a point, each with its
   * coordinates, distance or hash as asked.
   *
   * @deprecated Redis deprecates GEORADIUS: use
   * {@linkcode GeoCommands.geosearch} with `{ longitude, latitude }` and
   * `{ radius, unit }`, which takes the same options.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options `withCoord`, `withDist`, `withHash` (at least one), order and count.
   * @returns The members found, with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/georadius/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const [palermo] = await redis.georadius(
   *   "cities",
   *   { longitude: 13, latitude: 38 },
   *   { radius: 100, unit: "km" },
   *   { withDist: true },
   * );
   * console.log(palermo?.distance);
   * ```
   */
  georadius(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options:
      & GeoSearchOptions
      & ({ withCoord: true } | { withDist: true } | { withHash: true }),
  ): Result<M, GeoMatch<B>[]>;
  /**
   * As the other forms, when whether a `with*` option is set is known only
   * at run time.
   *
   * @deprecated Redis deprecates GEORADIUS: use
   * {@linkcode GeoCommands.geosearch}.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options The options.
   * @returns The members found, alone or with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/georadius/}
   *
   * @example Usage
   * ```ts
   * import { connect, type GeoSearchOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: GeoSearchOptions = { withHash: Math.random() < 0.5 };
   * console.log(await redis.georadius("cities", { longitude: 0, latitude: 0 }, { radius: 1, unit: "m" }, options)); // → []
   * ```
   */
  georadius(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]>;
  georadius(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options?: GeoSearchOptions | GeoRadiusStoreOptions,
  ): Result<M, I | B[] | GeoMatch<B>[]> {
    return radiusQuery<M, B, I>(
      this[EXEC],
      GEORADIUS,
      [key, center.longitude, center.latitude],
      radius,
      options,
    );
  }

  /**
   * Returns the members within `radius` of a point; the read-only form of
   * GEORADIUS (which replicas accept).
   *
   * @deprecated Redis deprecates GEORADIUS_RO: use
   * {@linkcode GeoCommands.geosearch} with `{ longitude, latitude }` and
   * `{ radius, unit }`, which takes the same options.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options Order and count.
   * @returns The members found.
   * @see {@link https://redis.io/docs/latest/commands/georadius_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.georadiusRo(
   *   "cities",
   *   { longitude: 13, latitude: 38 },
   *   { radius: 100, unit: "km" },
   * )); // → ["Palermo"]
   * ```
   */
  georadiusRo(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options?: GeoSearchOptions & {
      withCoord?: false;
      withDist?: false;
      withHash?: false;
    },
  ): Result<M, B[]>;
  /**
   * Returns the members within `radius` of a point, each with its
   * coordinates, distance or hash as asked; the read-only form of GEORADIUS.
   *
   * @deprecated Redis deprecates GEORADIUS_RO: use
   * {@linkcode GeoCommands.geosearch}, which takes the same options.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options `withCoord`, `withDist`, `withHash` (at least one), order and count.
   * @returns The members found, with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/georadius_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const [palermo] = await redis.georadiusRo(
   *   "cities",
   *   { longitude: 13, latitude: 38 },
   *   { radius: 100, unit: "km" },
   *   { withCoord: true },
   * );
   * console.log(palermo?.coordinates);
   * ```
   */
  georadiusRo(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options:
      & GeoSearchOptions
      & ({ withCoord: true } | { withDist: true } | { withHash: true }),
  ): Result<M, GeoMatch<B>[]>;
  /**
   * As the other forms, when whether a `with*` option is set is known only
   * at run time.
   *
   * @deprecated Redis deprecates GEORADIUS_RO: use
   * {@linkcode GeoCommands.geosearch}.
   *
   * @param key The key.
   * @param center The centre.
   * @param radius The radius and its unit.
   * @param options The options.
   * @returns The members found, alone or with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/georadius_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect, type GeoSearchOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: GeoSearchOptions = { withHash: Math.random() < 0.5 };
   * console.log(await redis.georadiusRo("cities", { longitude: 0, latitude: 0 }, { radius: 1, unit: "m" }, options)); // → []
   * ```
   */
  georadiusRo(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]>;
  georadiusRo(
    key: RedisKey,
    center: GeoPosition,
    radius: GeoRadius,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]> {
    return this[EXEC].call(
      GEORADIUS_RO,
      georadiusArgs([key, center.longitude, center.latitude], radius, options),
      searchReply<B>(withMask(options)),
    );
  }

  /**
   * Stores the members within `radius` of `member` at the key named by
   * `store` (or by `storeDist`, with distances as scores); returns how many.
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER: use
   * {@linkcode GeoCommands.geosearchstore} with `{ member }` and
   * `{ radius, unit }`.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options `store` or `storeDist`, order and count.
   * @returns The number of members stored.
   * @throws {ReplyError} When `member` is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.georadiusbymember(
   *   "cities",
   *   "Palermo",
   *   { radius: 100, unit: "km" },
   *   { storeDist: "distances" },
   * )); // → 1
   * ```
   */
  georadiusbymember(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options: GeoRadiusStoreOptions,
  ): Result<M, I>;
  /**
   * Returns the members within `radius` of `member`.
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER: use
   * {@linkcode GeoCommands.geosearch} with `{ member }` and
   * `{ radius, unit }`, which takes the same options.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options Order and count.
   * @returns The members found.
   * @throws {ReplyError} When `member` is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.georadiusbymember("cities", "Palermo", { radius: 1, unit: "km" })); // → ["Palermo"]
   * ```
   */
  georadiusbymember(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options?: GeoSearchOptions & {
      withCoord?: false;
      withDist?: false;
      withHash?: false;
    },
  ): Result<M, B[]>;
  /**
   * Returns the members within `radius` of `member`, each with its
   * coordinates, distance or hash as asked.
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER: use
   * {@linkcode GeoCommands.geosearch} with `{ member }` and
   * `{ radius, unit }`, which takes the same options.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options `withCoord`, `withDist`, `withHash` (at least one), order and count.
   * @returns The members found, with what was asked.
   * @throws {ReplyError} When `member` is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const [self] = await redis.georadiusbymember("cities", "Palermo", { radius: 1, unit: "km" }, { withDist: true });
   * console.log(self?.distance); // → 0
   * ```
   */
  georadiusbymember(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options:
      & GeoSearchOptions
      & ({ withCoord: true } | { withDist: true } | { withHash: true }),
  ): Result<M, GeoMatch<B>[]>;
  /**
   * As the other forms, when whether a `with*` option is set is known only
   * at run time.
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER: use
   * {@linkcode GeoCommands.geosearch}.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options The options.
   * @returns The members found, alone or with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember/}
   *
   * @example Usage
   * ```ts
   * import { connect, type GeoSearchOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const options: GeoSearchOptions = { withHash: Math.random() < 0.5 };
   * console.log(await redis.georadiusbymember("cities", "Palermo", { radius: 1, unit: "m" }, options));
   * ```
   */
  georadiusbymember(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]>;
  georadiusbymember(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options?: GeoSearchOptions | GeoRadiusStoreOptions,
  ): Result<M, I | B[] | GeoMatch<B>[]> {
    return radiusQuery<M, B, I>(
      this[EXEC],
      GEORADIUSBYMEMBER,
      [key, member],
      radius,
      options,
    );
  }

  /**
   * Returns the members within `radius` of `member`; the read-only form of
   * GEORADIUSBYMEMBER (which replicas accept).
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER_RO: use
   * {@linkcode GeoCommands.geosearch} with `{ member }` and
   * `{ radius, unit }`, which takes the same options.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options Order and count.
   * @returns The members found.
   * @throws {ReplyError} When `member` is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.georadiusbymemberRo("cities", "Palermo", { radius: 1, unit: "km" })); // → ["Palermo"]
   * ```
   */
  georadiusbymemberRo(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options?: GeoSearchOptions & {
      withCoord?: false;
      withDist?: false;
      withHash?: false;
    },
  ): Result<M, B[]>;
  /**
   * Returns the members within `radius` of `member`, each with its
   * coordinates, distance or hash as asked; the read-only form of
   * GEORADIUSBYMEMBER.
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER_RO: use
   * {@linkcode GeoCommands.geosearch}, which takes the same options.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options `withCoord`, `withDist`, `withHash` (at least one), order and count.
   * @returns The members found, with what was asked.
   * @throws {ReplyError} When `member` is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const [self] = await redis.georadiusbymemberRo("cities", "Palermo", { radius: 1, unit: "km" }, { withHash: true });
   * console.log(self?.hash); // → 3479099956230698
   * ```
   */
  georadiusbymemberRo(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options:
      & GeoSearchOptions
      & ({ withCoord: true } | { withDist: true } | { withHash: true }),
  ): Result<M, GeoMatch<B>[]>;
  /**
   * As the other forms, when whether a `with*` option is set is known only
   * at run time.
   *
   * @deprecated Redis deprecates GEORADIUSBYMEMBER_RO: use
   * {@linkcode GeoCommands.geosearch}.
   *
   * @param key The key.
   * @param member The member at the centre.
   * @param radius The radius and its unit.
   * @param options The options.
   * @returns The members found, alone or with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/georadiusbymember_ro/}
   *
   * @example Usage
   * ```ts
   * import { connect, type GeoSearchOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const options: GeoSearchOptions = { withHash: Math.random() < 0.5 };
   * console.log(await redis.georadiusbymemberRo("cities", "Palermo", { radius: 1, unit: "m" }, options));
   * ```
   */
  georadiusbymemberRo(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]>;
  georadiusbymemberRo(
    key: RedisKey,
    member: RedisArg,
    radius: GeoRadius,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]> {
    return this[EXEC].call(
      GEORADIUSBYMEMBER_RO,
      georadiusArgs([key, member], radius, options),
      searchReply<B>(withMask(options)),
    );
  }
}

/** Whether GEORADIUS options store the result instead of returning it. */
function isStore(
  options: GeoSearchOptions | GeoRadiusStoreOptions | undefined,
): options is GeoRadiusStoreOptions {
  const store = options as Partial<GeoRadiusStoreOptions> | undefined;
  return store?.store !== undefined || store?.storeDist !== undefined;
}

/**
 * Sends GEORADIUS or GEORADIUSBYMEMBER around `origin` (the key and a point,
 * or the key and a member): the number stored when the options store the
 * result, the matches otherwise.
 */
function radiusQuery<M extends Mode, B extends Bulk, I extends Int>(
  executor: Executor<M>,
  cmd: Command,
  origin: RedisArg[],
  radius: GeoRadius,
  options: GeoSearchOptions | GeoRadiusStoreOptions | undefined,
): Result<M, I | B[] | GeoMatch<B>[]> {
  const args = georadiusArgs(origin, radius, options);
  if (isStore(options)) return executor.call(cmd, args, integer<I>);
  return executor.call(cmd, args, searchReply<B>(withMask(options)));
}
