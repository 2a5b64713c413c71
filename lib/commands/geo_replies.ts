// The shapes of geospatial replies and their decoders. RESP3 sends
// coordinates as doubles, RESP2 as strings; distances are strings in both.
// Both decode to numbers.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import type { GeoPosition } from "./geo_options.ts";
import { array, bulk, bulkArray, double, safeInteger, text } from "./_reply.ts";

/**
 * A member found by {@linkcode GeoCommands.geosearch} (or the GEORADIUS
 * family) with `withCoord`, `withDist` or `withHash`: each field is present
 * exactly when its option was set.
 *
 * @typeParam B The type of members.
 *
 * @example Usage
 * ```ts
 * import { connect, type GeoMatch } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.geoadd("cities", [{ longitude: 13.361389, latitude: 38.115556, member: "Palermo" }]);
 * const found: GeoMatch[] = await redis.geosearch(
 *   "cities",
 *   { longitude: 15, latitude: 37 },
 *   { radius: 200, unit: "km" },
 *   { withDist: true },
 * );
 * console.log(found[0]?.member, found[0]?.distance); // → "Palermo" 190.4424
 * ```
 */
export interface GeoMatch<B extends Bulk = string> {
  /** The member. */
  member: B;
  /** With `withDist`: its distance from the centre, in the search's unit. */
  distance?: number;
  /** With `withHash`: its raw 52-bit geohash. */
  hash?: number;
  /** With `withCoord`: its position. */
  coordinates?: GeoPosition;
}

function position(value: RespValue): GeoPosition {
  const pair = array(value);
  if (pair.length !== 2) {
    throw new TypeError(
      `expected a longitude and a latitude, received ${pair.length} elements`,
    );
  }
  return { longitude: double(pair[0]!), latitude: double(pair[1]!) };
}

/** GEOPOS's reply: a position or null per member. */
export function positions(value: RespValue): (GeoPosition | null)[] {
  return array(value).map((item) => item === null ? null : position(item));
}

/** GEOHASH's reply: a geohash (text) or null per member. */
export function geohashes(value: RespValue): (string | null)[] {
  return array(value).map((item) => item === null ? null : text(item));
}

/**
 * A search reply with WITH* options: per member an array of the member,
 * then its distance, hash and coordinates, each present when asked for.
 */
function matches<B extends Bulk>(
  mask: number,
): (value: RespValue) => GeoMatch<B>[] {
  const coord = (mask & 1) !== 0;
  const dist = (mask & 2) !== 0;
  const hash = (mask & 4) !== 0;
  const size = 1 + (coord ? 1 : 0) + (dist ? 1 : 0) + (hash ? 1 : 0);
  return (value) =>
    array(value).map((item) => {
      const row = array(item);
      if (row.length !== size) {
        throw new TypeError(
          `expected ${size} elements per member, received ${row.length}`,
        );
      }
      const out: GeoMatch<B> = { member: bulk<B>(row[0]!) };
      let i = 1;
      if (dist) out.distance = double(row[i++]!);
      if (hash) out.hash = safeInteger(row[i++]!);
      if (coord) out.coordinates = position(row[i++]!);
      return out;
    });
}

/** The decoders of search replies, by {@linkcode withMask}'s bits. */
const BY_MASK: ((value: RespValue) => unknown)[] = [bulkArray];
for (let mask = 1; mask < 8; mask++) BY_MASK.push(matches(mask));

/**
 * The decoder of a search reply: members alone (mask 0), or
 * {@linkcode GeoMatch} objects.
 */
export function searchReply<B extends Bulk>(
  mask: number,
): (value: RespValue) => B[] | GeoMatch<B>[] {
  return BY_MASK[mask] as (value: RespValue) => B[] | GeoMatch<B>[];
}
