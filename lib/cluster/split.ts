// How one command becomes several in a cluster and their replies one again:
// a multi-key command whose keys span slots (MGET, MSET, DEL, UNLINK, EXISTS,
// TOUCH) is split into one command per slot, and a keyless command the
// command table sends to every shard or node has its replies combined by its
// response policy. Pure: works on raw replies, before the caller's decoder.

import type { Command } from "../commands/_command.ts";
import { ReplyError } from "../errors.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import { keySlot } from "./slot.ts";

/** How a splittable command's replies come back together. */
type Merge = "values" | "sum" | "ok";

/**
 * The commands split per slot: how many arguments form one key's group
 * (MSET's key and value), and how the replies merge. MSETNX is not here: its
 * all-or-nothing promise does not survive a split.
 */
const SPLITTABLE: ReadonlyMap<string, { step: number; merge: Merge }> = new Map(
  [
    ["MGET", { step: 1, merge: "values" }],
    ["MSET", { step: 2, merge: "ok" }],
    ["DEL", { step: 1, merge: "sum" }],
    ["UNLINK", { step: 1, merge: "sum" }],
    ["EXISTS", { step: 1, merge: "sum" }],
    ["TOUCH", { step: 1, merge: "sum" }],
  ],
);

/** One slot's share of a split command. */
export interface Part {
  /** The slot all its keys hash to. */
  readonly slot: number;
  /** Its arguments, in the caller's order. */
  readonly args: RedisArg[];
  /** For each of its key groups, the group's index in the caller's command. */
  readonly groups: number[];
}

/** A command split per slot, and how to merge its parts' replies. */
export interface Split {
  readonly parts: readonly Part[];
  /** Key groups in the caller's command (MGET's reply length). */
  readonly groups: number;
  readonly merge: Merge;
}

/**
 * Splits a command whose keys hash to more than one slot into one command
 * per slot (parts in the order their first key appears), or returns
 * undefined when the command cannot be split.
 *
 * @param command The command (its keys span slots).
 * @param args Its arguments after the name.
 * @returns The parts, or undefined.
 */
export function splitBySlot(
  command: Command,
  args: readonly RedisArg[],
): Split | undefined {
  const how = SPLITTABLE.get(command.name);
  if (how === undefined || args.length % how.step !== 0) return undefined;
  const bySlot = new Map<number, Part>();
  const groups = args.length / how.step;
  for (let g = 0; g < groups; g++) {
    const at = g * how.step;
    const key = args[at]!;
    const slot = keySlot(
      typeof key === "string" || key instanceof Uint8Array ? key : String(key),
    );
    let part = bySlot.get(slot);
    if (part === undefined) {
      part = { slot, args: [], groups: [] };
      bySlot.set(slot, part);
    }
    for (let i = 0; i < how.step; i++) part.args.push(args[at + i]!);
    part.groups.push(g);
  }
  return { parts: [...bySlot.values()], groups, merge: how.merge };
}

/**
 * The reply the caller's command would have had, from its parts' raw
 * replies (in `split.parts` order): MGET's values back in the caller's key
 * order, the sum of DEL's counts, MSET's `OK`.
 *
 * @param split The split.
 * @param replies Each part's raw reply.
 * @returns The merged raw reply.
 * @throws {TypeError} When a part's reply does not have the expected shape.
 */
export function mergeSplit(split: Split, replies: RespValue[]): RespValue {
  switch (split.merge) {
    case "values": {
      const values: RespValue[] = new Array(split.groups);
      split.parts.forEach((part, p) => {
        const reply = replies[p];
        if (!Array.isArray(reply) || reply.length !== part.groups.length) {
          throw new TypeError(
            `expected an array of ${part.groups.length} values from the slot ${part.slot} part`,
          );
        }
        part.groups.forEach((g, i) => values[g] = reply[i]!);
      });
      return values;
    }
    case "sum":
      return sum(replies);
    case "ok":
      return replies[0]!;
  }
}

/**
 * Combines the replies of a command sent to every shard (or node) by its
 * response policy: `agg_sum` adds, `agg_min` takes the least, `agg_logical_and`
 * ANDs arrays of flags element-wise, `all_succeeded` (replies that were all
 * successes) gives the first, and a command without a policy (KEYS,
 * SLOWLOG GET) gets the arrays concatenated. `one_succeeded` and `special`
 * are handled by the caller.
 *
 * @param policy The command's response policy, or null.
 * @param replies One successful raw reply per node.
 * @returns The combined raw reply.
 * @throws {TypeError} When a reply does not have the policy's shape.
 */
export function aggregate(
  policy: string | null,
  replies: RespValue[],
): RespValue {
  switch (policy) {
    case "agg_sum":
      return sum(replies);
    case "agg_min":
    case "agg_max": {
      let best: number | bigint | undefined;
      for (const reply of replies) {
        const n = integerOf(reply);
        if (
          best === undefined || (policy === "agg_min" ? n < best : n > best)
        ) best = n;
      }
      return best ?? 0;
    }
    case "agg_logical_and":
    case "agg_logical_or": {
      const and = policy === "agg_logical_and";
      let out: RespValue[] | undefined;
      for (const reply of replies) {
        if (!Array.isArray(reply)) throw new TypeError("expected an array");
        if (out === undefined) {
          out = reply.map((v) => Number(integerOf(v) !== 0));
        } else {
          if (reply.length !== out.length) {
            throw new TypeError("expected arrays of the same length");
          }
          for (let i = 0; i < out.length; i++) {
            const v = integerOf(reply[i]) !== 0;
            out[i] = Number(and ? out[i] === 1 && v : out[i] === 1 || v);
          }
        }
      }
      return out ?? [];
    }
    case "all_succeeded":
      return replies[0] ?? null;
    default: {
      const out: RespValue[] = [];
      for (const reply of replies) {
        if (Array.isArray(reply)) out.push(...reply);
        else if (reply instanceof Set) out.push(...reply);
        else throw new TypeError("expected an array from every node");
      }
      return out;
    }
  }
}

function sum(replies: RespValue[]): number | bigint {
  let total = 0n;
  for (const reply of replies) total += BigInt(integerOf(reply));
  const n = Number(total);
  // As one node would answer: a number while it is exact.
  return Number.isSafeInteger(n) ? n : total;
}

function integerOf(reply: RespValue | undefined): number | bigint {
  if (typeof reply === "number" || typeof reply === "bigint") return reply;
  if (typeof reply === "boolean") return reply ? 1 : 0;
  if (reply instanceof ReplyError) throw reply;
  throw new TypeError("expected an integer from every node");
}
