// Options of the geospatial commands (GEOADD, GEOSEARCH, GEOSEARCHSTORE and
// the GEORADIUS family) and the arguments they become. Pure functions,
// tested without a server.

import type { RedisArg } from "../resp/encoder.ts";
import type { RedisKey } from "./_base.ts";

/**
 * A unit of distance: meters, kilometers, feet or miles.
 *
 * @example Usage
 * ```ts
 * import type { GeoUnit } from "@sleeve/redis";
 *
 * const unit: GeoUnit = "km";
 * console.log(unit);
 * ```
 */
export type GeoUnit = "m" | "km" | "ft" | "mi";

/**
 * A point on Earth, in degrees.
 *
 * @example Usage
 * ```ts
 * import type { GeoPosition } from "@sleeve/redis";
 *
 * const palermo: GeoPosition = { longitude: 13.361389, latitude: 38.115556 };
 * console.log(palermo);
 * ```
 */
export interface GeoPosition {
  /** Longitude, from -180 to 180. */
  longitude: number;
  /** Latitude, from about -85.05 to 85.05. */
  latitude: number;
}

/**
 * A member and its position, for {@linkcode GeoCommands.geoadd}.
 *
 * @example Usage
 * ```ts
 * import type { GeoMember } from "@sleeve/redis";
 *
 * const city: GeoMember = { longitude: 13.361389, latitude: 38.115556, member: "Palermo" };
 * console.log(city);
 * ```
 */
export interface GeoMember extends GeoPosition {
  /** The member. */
  member: RedisArg;
}

/**
 * Options of {@linkcode GeoCommands.geoadd}. At most one of `nx`, `xx`.
 *
 * @example Usage
 * ```ts
 * import type { GeoAddOptions } from "@sleeve/redis";
 *
 * const options: GeoAddOptions = { xx: true, ch: true };
 * console.log(options);
 * ```
 */
export interface GeoAddOptions {
  /**
   * Only add new members; never move existing ones.
   *
   * @default {false}
   */
  nx?: boolean;
  /**
   * Only move existing members; never add new ones.
   *
   * @default {false}
   */
  xx?: boolean;
  /**
   * Return the number of members added or moved, instead of only added.
   *
   * @default {false}
   */
  ch?: boolean;
}

/**
 * Where a search is centred: on a member of the set, or on a point.
 *
 * @example Usage
 * ```ts
 * import type { GeoSearchFrom } from "@sleeve/redis";
 *
 * const fromMember: GeoSearchFrom = { member: "Palermo" };
 * const fromPoint: GeoSearchFrom = { longitude: 15, latitude: 37 };
 * console.log(fromMember, fromPoint);
 * ```
 */
export type GeoSearchFrom = { member: RedisArg } | GeoPosition;

/**
 * A circle to search in: every member within `radius` of the centre.
 *
 * @example Usage
 * ```ts
 * import type { GeoRadius } from "@sleeve/redis";
 *
 * const nearby: GeoRadius = { radius: 200, unit: "km" };
 * console.log(nearby);
 * ```
 */
export interface GeoRadius {
  /** The radius. */
  radius: number;
  /** The radius's unit. */
  unit: GeoUnit;
}

/**
 * A rectangle to search in, centred on the centre and aligned with the
 * meridians.
 *
 * @example Usage
 * ```ts
 * import type { GeoBox } from "@sleeve/redis";
 *
 * const box: GeoBox = { width: 400, height: 200, unit: "km" };
 * console.log(box);
 * ```
 */
export interface GeoBox {
  /** The width (east to west). */
  width: number;
  /** The height (north to south). */
  height: number;
  /** The unit of `width` and `height`. */
  unit: GeoUnit;
}

/**
 * The area of a search: a circle or a rectangle.
 *
 * @example Usage
 * ```ts
 * import type { GeoSearchBy } from "@sleeve/redis";
 *
 * const areas: GeoSearchBy[] = [{ radius: 5, unit: "mi" }, { width: 10, height: 10, unit: "km" }];
 * console.log(areas);
 * ```
 */
export type GeoSearchBy = GeoRadius | GeoBox;

/**
 * Order and count, shared by every geospatial search.
 *
 * @example Usage
 * ```ts
 * import type { GeoQueryOptions } from "@sleeve/redis";
 *
 * const nearestFive: GeoQueryOptions = { order: "ASC", count: 5 };
 * console.log(nearestFive);
 * ```
 */
export interface GeoQueryOptions {
  /**
   * Sort by distance from the centre: `"ASC"` nearest first, `"DESC"`
   * farthest first. Unsorted when absent.
   *
   * @default {undefined}
   */
  order?: "ASC" | "DESC";
  /**
   * Return at most this many members.
   *
   * @default {undefined}
   */
  count?: number;
  /**
   * With `count`, stop as soon as `count` members are found (faster; not
   * necessarily the nearest).
   *
   * @default {false}
   */
  any?: boolean;
}

/**
 * Options of {@linkcode GeoCommands.geosearch} and the GEORADIUS family:
 * order, count, and what to return with each member. With any of
 * `withCoord`, `withDist`, `withHash` the search returns
 * {@linkcode GeoMatch} objects instead of members.
 *
 * @example Usage
 * ```ts
 * import type { GeoSearchOptions } from "@sleeve/redis";
 *
 * const options: GeoSearchOptions = { order: "ASC", count: 5, withDist: true };
 * console.log(options);
 * ```
 */
export interface GeoSearchOptions extends GeoQueryOptions {
  /**
   * Return each member's position.
   *
   * @default {false}
   */
  withCoord?: boolean;
  /**
   * Return each member's distance from the centre, in the search's unit.
   *
   * @default {false}
   */
  withDist?: boolean;
  /**
   * Return each member's raw geohash (a 52-bit integer).
   *
   * @default {false}
   */
  withHash?: boolean;
}

/**
 * Options of {@linkcode GeoCommands.geosearchstore}.
 *
 * @example Usage
 * ```ts
 * import type { GeoSearchStoreOptions } from "@sleeve/redis";
 *
 * const options: GeoSearchStoreOptions = { count: 10, storeDist: true };
 * console.log(options);
 * ```
 */
export interface GeoSearchStoreOptions extends GeoQueryOptions {
  /**
   * Store each member with its distance from the centre as its score,
   * instead of its position (a plain sorted set, not a geo set).
   *
   * @default {false}
   */
  storeDist?: boolean;
}

/**
 * Options of {@linkcode GeoRadiusCommands.georadius} and
 * {@linkcode GeoRadiusCommands.georadiusbymember} that store the result instead of
 * returning it: `store` keeps members with their positions, `storeDist`
 * with their distances as scores.
 *
 * @example Usage
 * ```ts
 * import type { GeoRadiusStoreOptions } from "@sleeve/redis";
 *
 * const options: GeoRadiusStoreOptions = { storeDist: "nearby", count: 10 };
 * console.log(options);
 * ```
 */
export type GeoRadiusStoreOptions =
  & GeoQueryOptions
  & (
    | { store: RedisKey; storeDist?: undefined }
    | { storeDist: RedisKey; store?: undefined }
  );

/** Turns GEOADD's members and options into arguments. */
export function geoaddArgs(
  key: RedisKey,
  members: readonly GeoMember[],
  options: GeoAddOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key];
  if (options?.nx) args.push("NX");
  if (options?.xx) args.push("XX");
  if (options?.ch) args.push("CH");
  for (const { longitude, latitude, member } of members) {
    args.push(longitude, latitude, member);
  }
  return args;
}

/** Appends ORDER, COUNT [ANY]. */
function pushQuery(args: RedisArg[], options: GeoQueryOptions | undefined) {
  if (options?.order !== undefined) args.push(options.order);
  if (options?.count !== undefined) args.push("COUNT", options.count);
  if (options?.any) args.push("ANY");
}

/** Appends WITHCOORD, WITHDIST, WITHHASH. */
function pushWith(args: RedisArg[], options: GeoSearchOptions | undefined) {
  if (options?.withCoord) args.push("WITHCOORD");
  if (options?.withDist) args.push("WITHDIST");
  if (options?.withHash) args.push("WITHHASH");
}

/** Appends FROMMEMBER/FROMLONLAT and BYRADIUS/BYBOX. */
function pushArea(args: RedisArg[], from: GeoSearchFrom, by: GeoSearchBy) {
  if ("member" in from) args.push("FROMMEMBER", from.member);
  else args.push("FROMLONLAT", from.longitude, from.latitude);
  if ("radius" in by) args.push("BYRADIUS", by.radius, by.unit);
  else args.push("BYBOX", by.width, by.height, by.unit);
}

/** Turns GEOSEARCH's arguments and options into arguments. */
export function geosearchArgs(
  key: RedisKey,
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoSearchOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [key];
  pushArea(args, from, by);
  pushQuery(args, options);
  pushWith(args, options);
  return args;
}

/** Turns GEOSEARCHSTORE's arguments and options into arguments. */
export function geosearchstoreArgs(
  destination: RedisKey,
  source: RedisKey,
  from: GeoSearchFrom,
  by: GeoSearchBy,
  options: GeoSearchStoreOptions | undefined,
): RedisArg[] {
  const args: RedisArg[] = [destination, source];
  pushArea(args, from, by);
  pushQuery(args, options);
  if (options?.storeDist) args.push("STOREDIST");
  return args;
}

/**
 * Appends the options of GEORADIUS and GEORADIUSBYMEMBER (and their _RO
 * forms) after the radius and unit.
 */
export function georadiusArgs(
  args: RedisArg[],
  radius: GeoRadius,
  options: GeoSearchOptions | GeoRadiusStoreOptions | undefined,
): RedisArg[] {
  args.push(radius.radius, radius.unit);
  pushWith(args, options as GeoSearchOptions | undefined);
  pushQuery(args, options);
  const store = options as Partial<GeoRadiusStoreOptions> | undefined;
  if (store?.store !== undefined) args.push("STORE", store.store);
  if (store?.storeDist !== undefined) args.push("STOREDIST", store.storeDist);
  return args;
}

/**
 * Which WITH* options are set, as bits (1 coordinates, 2 distance, 4 hash):
 * what the reply holds for each member.
 */
export function withMask(options: GeoSearchOptions | undefined): number {
  if (options === undefined) return 0;
  return (options.withCoord ? 1 : 0) | (options.withDist ? 2 : 0) |
    (options.withHash ? 4 : 0);
}
