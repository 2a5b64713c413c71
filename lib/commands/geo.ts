// Geospatial commands: GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH,
// GEOSEARCHSTORE and the deprecated GEORADIUS family. One line per command;
// options become arguments in geo_options.ts, replies are shaped in
// geo_replies.ts. Coordinates and distances are numbers in both protocols.

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
import { doubleOrNull, integer } from "./_reply.ts";
import { command } from "./_command.ts";
import {
  geoaddArgs,
  type GeoAddOptions,
  type GeoMember,
  type GeoPosition,
  type GeoRadius,
  georadiusArgs,
  type GeoRadiusStoreOptions,
  geosearchArgs,
  type GeoSearchBy,
  type GeoSearchFrom,
  type GeoSearchOptions,
  geosearchstoreArgs,
  type GeoSearchStoreOptions,
  type GeoUnit,
  withMask,
} from "./geo_options.ts";
import {
  geohashes,
  type GeoMatch,
  positions,
  searchReply,
} from "./geo_replies.ts";

const GEOADD = command("GEOADD");
const GEODIST = command("GEODIST");
const GEOHASH = command("GEOHASH");
const GEOPOS = command("GEOPOS");
const GEORADIUS = command("GEORADIUS");
const GEORADIUS_RO = command("GEORADIUS_RO");
const GEORADIUSBYMEMBER = command("GEORADIUSBYMEMBER");
const GEORADIUSBYMEMBER_RO = command("GEORADIUSBYMEMBER_RO");
const GEOSEARCH = command("GEOSEARCH");
const GEOSEARCHSTORE = command("GEOSEARCHSTORE");

/**
 * Geospatial commands: members of a sorted set placed on Earth, searched by
 * distance. Positions, distances and hashes are numbers in both protocols;
 * searches return members, or {@linkcode GeoMatch} objects when asked for
 * coordinates, distances or hashes.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type GeoCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const geo: GeoCommands<"promise", string, number> = redis;
 * await geo.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
 * ```
 */
export class GeoCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Adds members with their positions to the geo set at `key`, or moves
   * them; returns how many were added (or added and moved, with `ch`).
   *
   * @param key The key.
   * @param members The members and their longitudes and latitudes.
   * @param options Conditions (`nx`, `xx`) and `ch`.
   * @returns The number of members added (or changed).
   * @throws {ReplyError} When a position is out of range, or `WRONGTYPE`.
   * @see {@link https://redis.io/docs/latest/commands/geoadd/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.geoadd("cities", [
   *   { longitude: 13.361389, latitude: 38.115556, member: "Palermo" },
   *   { longitude: 15.087269, latitude: 37.502669, member: "Catania" },
   * ])); // → 2
   * ```
   */
  geoadd(
    key: RedisKey,
    members: GeoMember[],
    options?: GeoAddOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      GEOADD,
      geoaddArgs(key, members, options),
      integer<I>,
    );
  }

  /**
   * Returns the distance between two members, or `null` when either is
   * missing.
   *
   * @param key The key.
   * @param member1 One member.
   * @param member2 The other member.
   * @param unit The distance's unit (meters by default).
   * @returns The distance, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/geodist/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [
   *   { longitude: 13.361389, latitude: 38.115556, member: "Palermo" },
   *   { longitude: 15.087269, latitude: 37.502669, member: "Catania" },
   * ]);
   * console.log(await redis.geodist("cities", "Palermo", "Catania", "km")); // → 166.2742
   * ```
   */
  geodist(
    key: RedisKey,
    member1: RedisArg,
    member2: RedisArg,
    unit?: GeoUnit,
  ): Result<M, number | null> {
    const args = unit === undefined
      ? [key, member1, member2]
      : [key, member1, member2, unit];
    return this[EXEC].call(GEODIST, args, doubleOrNull);
  }

  /**
   * Returns the 11-character geohash of each member, `null` for each that
   * is missing.
   *
   * @param key The key.
   * @param members The members.
   * @returns One geohash (or `null`) per member.
   * @see {@link https://redis.io/docs/latest/commands/geohash/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.geohash("cities", "Palermo", "Rome")); // → ["sqc8b49rny0", null]
   * ```
   */
  geohash(key: RedisKey, ...members: RedisArg[]): Result<M, (string | null)[]> {
    return this[EXEC].call(GEOHASH, [key, ...members], geohashes);
  }

  /**
   * Returns the position of each member, `null` for each that is missing.
   * Positions are stored with about 0.6 m precision, so they differ
   * slightly from what was added.
   *
   * @param key The key.
   * @param members The members.
   * @returns One position (or `null`) per member.
   * @see {@link https://redis.io/docs/latest/commands/geopos/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * const [palermo, rome] = await redis.geopos("cities", "Palermo", "Rome");
   * console.log(palermo?.longitude.toFixed(4), rome); // → "13.3614" null
   * ```
   */
  geopos(
    key: RedisKey,
    ...members: RedisArg[]
  ): Result<M, (GeoPosition | null)[]> {
    return this[EXEC].call(GEOPOS, [key, ...members], positions);
  }

  /**
   * Returns the members within an area (a circle or a box) around a member
   * or a point.
   *
   * @param key The key.
   * @param from The centre: `{ member }` or `{ longitude, latitude }`.
   * @param by The area: `{ radius, unit }` or `{ width, height, unit }`.
   * @param options Order and count.
   * @returns The members found.
   * @throws {ReplyError} When `from` names a member that is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/geosearch/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [
   *   { longitude: 13.361389, latitude: 38.115556, member: "Palermo" },
   *   { longitude: 15.087269, latitude: 37.502669, member: "Catania" },
   * ]);
   * console.log(await redis.geosearch(
   *   "cities",
   *   { longitude: 15, latitude: 37 },
   *   { radius: 200, unit: "km" },
   *   { order: "ASC" },
   * )); // → ["Catania", "Palermo"]
   * ```
   */
  geosearch(
    key: RedisKey,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchOptions & {
      withCoord?: false;
      withDist?: false;
      withHash?: false;
    },
  ): Result<M, B[]>;
  /**
   * Returns the members within an area around a member or a point, each
   * with its coordinates, distance or hash as asked.
   *
   * @param key The key.
   * @param from The centre: `{ member }` or `{ longitude, latitude }`.
   * @param by The area: `{ radius, unit }` or `{ width, height, unit }`.
   * @param options `withCoord`, `withDist`, `withHash` (at least one), order and count.
   * @returns The members found, with what was asked.
   * @throws {ReplyError} When `from` names a member that is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/geosearch/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [
   *   { longitude: 13.361389, latitude: 38.115556, member: "Palermo" },
   *   { longitude: 15.087269, latitude: 37.502669, member: "Catania" },
   * ]);
   * const found = await redis.geosearch(
   *   "cities",
   *   { member: "Palermo" },
   *   { width: 400, height: 400, unit: "km" },
   *   { withDist: true, withCoord: true, order: "ASC" },
   * );
   * for (const { member, distance, coordinates } of found) {
   *   console.log(member, distance, coordinates?.latitude);
   * }
   * ```
   */
  geosearch(
    key: RedisKey,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options:
      & GeoSearchOptions
      & ({ withCoord: true } | { withDist: true } | { withHash: true }),
  ): Result<M, GeoMatch<B>[]>;
  /**
   * As the other forms, when whether a `with*` option is set is known only
   * at run time: returns members, or {@linkcode GeoMatch} objects.
   *
   * @param key The key.
   * @param from The centre: `{ member }` or `{ longitude, latitude }`.
   * @param by The area: `{ radius, unit }` or `{ width, height, unit }`.
   * @param options The options.
   * @returns The members found, alone or with what was asked.
   * @see {@link https://redis.io/docs/latest/commands/geosearch/}
   *
   * @example Usage
   * ```ts
   * import { connect, type GeoSearchOptions } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const options: GeoSearchOptions = { withDist: Math.random() < 0.5 };
   * console.log(await redis.geosearch("cities", { longitude: 0, latitude: 0 }, { radius: 1, unit: "m" }, options)); // → []
   * ```
   */
  geosearch(
    key: RedisKey,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]>;
  geosearch(
    key: RedisKey,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchOptions,
  ): Result<M, B[] | GeoMatch<B>[]> {
    return this[EXEC].call(
      GEOSEARCH,
      geosearchArgs(key, from, by, options),
      searchReply<B>(withMask(options)),
    );
  }

  /**
   * Stores the members within an area around a member or a point at
   * `destination` (with their positions, or with their distances as scores
   * with `storeDist`), replacing it; returns how many were stored.
   *
   * @param destination The key to store the result at.
   * @param source The key of the geo set to search.
   * @param from The centre: `{ member }` or `{ longitude, latitude }`.
   * @param by The area: `{ radius, unit }` or `{ width, height, unit }`.
   * @param options Order, count and `storeDist`.
   * @returns The number of members stored.
   * @throws {ReplyError} When `from` names a member that is not in the set.
   * @see {@link https://redis.io/docs/latest/commands/geosearchstore/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
   * console.log(await redis.geosearchstore(
   *   "near-palermo",
   *   "cities",
   *   { member: "Palermo" },
   *   { radius: 100, unit: "km" },
   *   { storeDist: true },
   * )); // → 1
   * ```
   */
  geosearchstore(
    destination: RedisKey,
    source: RedisKey,
    from: GeoSearchFrom,
    by: GeoSearchBy,
    options?: GeoSearchStoreOptions,
  ): Result<M, I> {
    return this[EXEC].call(
      GEOSEARCHSTORE,
      geosearchstoreArgs(destination, source, from, by, options),
      integer<I>,
    );
  }

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
    const args = georadiusArgs(
      [key, center.longitude, center.latitude],
      radius,
      options,
    );
    if (isStore(options)) return this[EXEC].call(GEORADIUS, args, integer<I>);
    return this[EXEC].call(
      GEORADIUS,
      args,
      searchReply<B>(withMask(options)),
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
    const args = georadiusArgs([key, member], radius, options);
    if (isStore(options)) {
      return this[EXEC].call(GEORADIUSBYMEMBER, args, integer<I>);
    }
    return this[EXEC].call(
      GEORADIUSBYMEMBER,
      args,
      searchReply<B>(withMask(options)),
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
