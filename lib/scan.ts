// The SCAN family as async iterators: each asks for one page at a time
// through a promise executor (the view's, so db(), binary, bigint, with() and
// prefix() apply), yields its items, and sends the next call only when the
// consumer asks for more, so `break` leaves nothing in flight.

import type { RedisArg } from "./resp/encoder.ts";
import type { RespValue } from "./resp/types.ts";
import type { RedisKey } from "./commands/_base.ts";
import { command } from "./commands/_command.ts";
import type { Bulk, Executor } from "./commands/_executor.ts";
import {
  array,
  bulk,
  bulkArray,
  scanPage,
  scoredMembers,
  text,
} from "./commands/_reply.ts";
import type { CollectionScanOptions } from "./commands/hashes_options.ts";
import { scanArgs, type ScanOptions } from "./commands/keys_options.ts";
import type { ScoredMember } from "./commands/sorted_sets_replies.ts";

const SCAN = command("SCAN");
const HSCAN = command("HSCAN");
const SSCAN = command("SSCAN");
const ZSCAN = command("ZSCAN");

/** The cursor of a page and the page: `[cursor, items]`. */
type Page<T> = [string, T[]];

/** One page of an iteration: the reply to `command` at `cursor`. */
type Fetch<T> = (cursor: string) => Promise<Page<T>>;

/** Yields every item of every page, asking for a page only when needed. */
async function* pages<T>(fetch: Fetch<T>): AsyncGenerator<T, void, undefined> {
  let cursor = "0";
  do {
    const [next, items] = await fetch(cursor);
    cursor = next;
    for (let i = 0; i < items.length; i++) yield items[i]!;
  } while (cursor !== "0");
}

/**
 * SCAN's keys.
 *
 * @param exec A promise executor of the view.
 * @param options MATCH, COUNT, TYPE.
 * @returns The keys, page by page.
 */
export function scanKeys<B extends Bulk>(
  exec: Executor<"promise">,
  options: ScanOptions | undefined,
): AsyncGenerator<B, void, undefined> {
  const rest = scanArgs([], options);
  return pages((cursor) => exec.call(SCAN, [cursor, ...rest], scanPage<B>));
}

/**
 * HSCAN's `[field, value]` pairs.
 *
 * @param exec A promise executor of the view.
 * @param key The hash.
 * @param options MATCH, COUNT.
 * @returns The pairs, page by page.
 */
export function scanHash<B extends Bulk>(
  exec: Executor<"promise">,
  key: RedisKey,
  options: CollectionScanOptions | undefined,
): AsyncGenerator<[B, B], void, undefined> {
  const rest = scanArgs([], options);
  return pages((cursor) =>
    exec.call(HSCAN, collectionArgs(key, cursor, rest), fieldPage<B>)
  );
}

/**
 * SSCAN's members.
 *
 * @param exec A promise executor of the view.
 * @param key The set.
 * @param options MATCH, COUNT.
 * @returns The members, page by page.
 */
export function scanSet<B extends Bulk>(
  exec: Executor<"promise">,
  key: RedisKey,
  options: CollectionScanOptions | undefined,
): AsyncGenerator<B, void, undefined> {
  const rest = scanArgs([], options);
  return pages((cursor) =>
    exec.call(SSCAN, collectionArgs(key, cursor, rest), scanPage<B>)
  );
}

/**
 * ZSCAN's members and scores.
 *
 * @param exec A promise executor of the view.
 * @param key The sorted set.
 * @param options MATCH, COUNT.
 * @returns The members with their scores, page by page.
 */
export function scanSortedSet<B extends Bulk>(
  exec: Executor<"promise">,
  key: RedisKey,
  options: CollectionScanOptions | undefined,
): AsyncGenerator<ScoredMember<B>, void, undefined> {
  const rest = scanArgs([], options);
  return pages((cursor) =>
    exec.call(ZSCAN, collectionArgs(key, cursor, rest), scoredPage<B>)
  );
}

function collectionArgs(
  key: RedisKey,
  cursor: string,
  rest: readonly RedisArg[],
): RedisArg[] {
  const args: RedisArg[] = [key, cursor];
  for (let i = 0; i < rest.length; i++) args.push(rest[i]!);
  return args;
}

/** The cursor and items of a SCAN-family reply. */
function page(value: RespValue): [string, RespValue] {
  const items = array(value);
  if (items.length !== 2) {
    throw new TypeError(
      `expected a cursor and a page, received ${items.length} elements`,
    );
  }
  return [text(items[0]!), items[1]!];
}

/** HSCAN's page: a flat `field, value, ...` array (or a map), as pairs. */
export function fieldPage<B extends Bulk>(value: RespValue): Page<[B, B]> {
  const [cursor, items] = page(value);
  const pairs: [B, B][] = [];
  if (items instanceof Map) {
    for (const [field, v] of items) pairs.push([bulk<B>(field), bulk<B>(v)]);
    return [cursor, pairs];
  }
  const flat = bulkArray<B>(items);
  if (flat.length % 2 !== 0) {
    throw new TypeError("expected an even number of elements");
  }
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return [cursor, pairs];
}

/** ZSCAN's page: members and scores (bulk strings or doubles), as objects. */
export function scoredPage<B extends Bulk>(
  value: RespValue,
): Page<ScoredMember<B>> {
  const [cursor, items] = page(value);
  return [cursor, scoredMembers<B>(items)];
}
