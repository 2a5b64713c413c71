// Geospatial commands: GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH,
// GEOSEARCHSTORE (the deprecated GEORADIUS family is in geo_radius.ts). One line per command;
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
}
