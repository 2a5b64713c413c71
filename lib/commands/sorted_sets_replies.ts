// Reply shapes of the sorted-set commands ({ member, score } objects, ZMPOP's
// key and members, BZPOPMIN's key, member and score) and the decoders that
// build them from either protocol.

import type { RespValue } from "../resp/types.ts";
import type { Bulk } from "./_executor.ts";
import { array, bulk, double, scoredMembers } from "./_reply.ts";

/**
 * A sorted-set member with its score, as every `withScores` reply
 * (`zrange`, `zunion`, `zrandmember`, ...) and `zpopmin`/`zpopmax`/`zmpop`
 * return it under both protocols. The score is a `number`, `Infinity` or
 * `-Infinity` included.
 *
 * @typeParam B The type of members: `string`, or `Uint8Array` on `binary` views.
 *
 * @example Usage
 * ```ts
 * import { connect, type ScoredMember } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.zadd("scores", { ann: 10, bob: 7 });
 * const top: ScoredMember[] = await redis.zrange("scores", 0, 0, {
 *   rev: true,
 *   withScores: true,
 * });
 * console.log(top); // → [{ member: "ann", score: 10 }]
 * ```
 */
export interface ScoredMember<B extends Bulk = string> {
  /** The member. */
  member: B;
  /** Its score. */
  score: number;
}

/**
 * What {@linkcode SortedSetPopCommands.zmpop} returns: the key it popped from
 * and the members it removed, with their scores.
 *
 * @typeParam B The type of keys and members: `string`, or `Uint8Array` on `binary` views.
 *
 * @example Usage
 * ```ts
 * import { connect, type PoppedMembers } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.zadd("scores", { ann: 10, bob: 7 });
 * const popped: PoppedMembers | null = await redis.zmpop(["scores"], "MIN");
 * console.log(popped); // → { key: "scores", members: [{ member: "bob", score: 7 }] }
 * ```
 */
export interface PoppedMembers<B extends Bulk = string> {
  /** The key the members were popped from. */
  key: B;
  /** The members removed, in the order popped. */
  members: ScoredMember<B>[];
}

/** ZMPOP's reply: null, or `[key, [[member, score], ...]]`. */
export function poppedMembers<B extends Bulk>(
  value: RespValue,
): PoppedMembers<B> | null {
  if (value === null) return null;
  const items = array(value);
  if (items.length !== 2) {
    throw new TypeError(
      `expected a key and its members, received ${items.length} elements`,
    );
  }
  return { key: bulk<B>(items[0]!), members: scoredMembers<B>(items[1]!) };
}

/**
 * What {@linkcode SortedSetPopCommands.bzpopmin} and
 * {@linkcode SortedSetPopCommands.bzpopmax} return: the key they popped from,
 * the member removed and its score.
 *
 * @typeParam B The type of keys and members: `string`, or `Uint8Array` on `binary` views.
 *
 * @example Usage
 * ```ts
 * import { connect, type PoppedMember } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * await redis.zadd("scores", { ann: 10, bob: 7 });
 * const popped: PoppedMember | null = await redis.bzpopmin(["scores"], 1);
 * console.log(popped); // → { key: "scores", member: "bob", score: 7 }
 * ```
 */
export interface PoppedMember<B extends Bulk = string> {
  /** The key the member was popped from. */
  key: B;
  /** The member removed. */
  member: B;
  /** Its score. */
  score: number;
}

/** BZPOPMIN's and BZPOPMAX's reply: null, or `[key, member, score]`. */
export function poppedMember<B extends Bulk>(
  value: RespValue,
): PoppedMember<B> | null {
  if (value === null) return null;
  const items = array(value);
  if (items.length !== 3) {
    throw new TypeError(
      `expected a key, a member and a score, received ${items.length} elements`,
    );
  }
  return {
    key: bulk<B>(items[0]!),
    member: bulk<B>(items[1]!),
    score: double(items[2]!),
  };
}
