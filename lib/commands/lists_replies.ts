// Reply shapes of the list commands (LMPOP's key and elements, BLPOP's key
// and element) and the decoders that build them from either protocol.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, bulk, bulkArray } from "./_reply.ts";

/**
 * What {@linkcode ListMoveCommands.lmpop} returns: the key it popped from and the
 * elements it removed, in the order popped.
 *
 * @typeParam B The type of keys and elements: `string`, or `Uint8Array` on `binary` views.
 *
 * @example Usage
 * ```ts
 * import { connect, type PoppedElements } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.rpush("jobs", "a", "b");
 * const popped: PoppedElements | null = await redis.lmpop(["urgent", "jobs"], "LEFT");
 * console.log(popped); // → { key: "jobs", elements: ["a"] }
 * ```
 */
export interface PoppedElements<B extends Bulk = string> {
  /** The key the elements were popped from. */
  key: B;
  /** The elements removed, in the order popped. */
  elements: B[];
}

/** LMPOP's reply: null, or `[key, [element, ...]]`. */
export function poppedElements<B extends Bulk>(
  value: RespValue,
): PoppedElements<B> | null {
  if (value === null) return null;
  const items = array(value);
  if (items.length !== 2) {
    throw new TypeError(
      `expected a key and its elements, received ${items.length} elements`,
    );
  }
  return { key: bulk<B>(items[0]!), elements: bulkArray<B>(items[1]!) };
}

/** BLPOP's and BRPOP's reply: null, or `[key, element]`. */
export function keyAndElement<B extends Bulk>(
  value: RespValue,
): [B, B] | null {
  if (value === null) return null;
  const items = array(value);
  if (items.length !== 2) {
    throw new TypeError(
      `expected a key and an element, received ${items.length} elements`,
    );
  }
  return [bulk<B>(items[0]!), bulk<B>(items[1]!)];
}
