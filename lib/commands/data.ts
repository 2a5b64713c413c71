// DataCommands: every command family's methods on one class, the base of
// every view and of the multi()/pipeline() builders. The families are
// separate classes (one file each, one docs page each); their methods are
// copied onto DataCommands' prototype here, and an interface of the same
// name gives it their types.

import type { Bulk, Executor, Int, Mode } from "./_executor.ts";
import { EXEC } from "./_executor.ts";
import { AclCommands } from "./acl.ts";
import { BitmapCommands } from "./bitmaps.ts";
import { ClusterCommands } from "./cluster.ts";
import { ClusterAdminCommands } from "./cluster_admin.ts";
import { ConnectionCommands } from "./connection.ts";
import { GeoCommands } from "./geo.ts";
import { GeoRadiusCommands } from "./geo_radius.ts";
import { HashCommands } from "./hashes.ts";
import { HyperLogLogCommands } from "./hyperloglog.ts";
import { KeyCommands } from "./keys.ts";
import { KeyExpiryCommands } from "./key_expiry.ts";
import { KeyTransferCommands } from "./key_transfer.ts";
import { ListCommands } from "./lists.ts";
import { ListMoveCommands } from "./list_moves.ts";
import { PubSubCommands } from "./pubsub.ts";
import { ScriptingCommands } from "./scripting.ts";
import { ScriptCommands } from "./scripts.ts";
import { FunctionCommands } from "./functions.ts";
import { ServerCommands } from "./server.ts";
import { ServerIntrospectionCommands } from "./server_introspection.ts";
import { SetCommands } from "./sets.ts";
import { SortedSetCommands } from "./sorted_sets.ts";
import { SortedSetAlgebraCommands } from "./sorted_set_algebra.ts";
import { SortedSetPopCommands } from "./sorted_set_pops.ts";
import { SortedSetRangeCommands } from "./sorted_set_ranges.ts";
import { StreamCommands } from "./streams.ts";
import { StreamGroupCommands } from "./stream_groups.ts";
import { StringCommands } from "./strings.ts";
import { StringRangeCommands } from "./string_ranges.ts";

/** The families, in the order their methods are copied (names never clash). */
const FAMILIES = [
  StringCommands,
  StringRangeCommands,
  BitmapCommands,
  KeyCommands,
  KeyExpiryCommands,
  KeyTransferCommands,
  HashCommands,
  ListCommands,
  ListMoveCommands,
  SetCommands,
  SortedSetCommands,
  SortedSetRangeCommands,
  SortedSetPopCommands,
  SortedSetAlgebraCommands,
  HyperLogLogCommands,
  GeoCommands,
  GeoRadiusCommands,
  StreamCommands,
  StreamGroupCommands,
  ScriptingCommands,
  ScriptCommands,
  FunctionCommands,
  PubSubCommands,
  ConnectionCommands,
  ServerCommands,
  ServerIntrospectionCommands,
  AclCommands,
  ClusterCommands,
  ClusterAdminCommands,
] as const;

/**
 * Every command of every family, bound to an executor: the base of
 * {@linkcode RedisView} (and so of `Redis`) and of the `multi()` and
 * `pipeline()` builders. Its methods are documented on the family pages it
 * extends: {@linkcode StringCommands}, {@linkcode KeyCommands},
 * {@linkcode HashCommands}, {@linkcode StreamCommands}, ...
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type DataCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: DataCommands<"promise", string, number> = redis;
 * console.log(await commands.get("key"));
 * ```
 */
export class DataCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  readonly [EXEC]: Executor<M>;

  /**
   * Constructs a new instance. Get views from a client instead.
   *
   * @param executor Issues the view's commands.
   * @ignore
   */
  constructor(executor: Executor<M>) {
    this[EXEC] = executor;
  }
}

/**
 * The command families whose methods {@linkcode DataCommands} carries (a
 * class cannot extend several classes; an interface of the same name can).
 */
export interface DataCommands<M extends Mode, B extends Bulk, I extends Int>
  extends
    StringCommands<M, B, I>,
    StringRangeCommands<M, B, I>,
    BitmapCommands<M, B, I>,
    KeyCommands<M, B, I>,
    KeyExpiryCommands<M, B, I>,
    KeyTransferCommands<M, B, I>,
    HashCommands<M, B, I>,
    ListCommands<M, B, I>,
    ListMoveCommands<M, B, I>,
    SetCommands<M, B, I>,
    SortedSetCommands<M, B, I>,
    SortedSetRangeCommands<M, B, I>,
    SortedSetPopCommands<M, B, I>,
    SortedSetAlgebraCommands<M, B, I>,
    HyperLogLogCommands<M, B, I>,
    GeoCommands<M, B, I>,
    GeoRadiusCommands<M, B, I>,
    StreamCommands<M, B, I>,
    StreamGroupCommands<M, B, I>,
    ScriptingCommands<M, B, I>,
    ScriptCommands<M, B, I>,
    FunctionCommands<M, B, I>,
    PubSubCommands<M, B, I>,
    ConnectionCommands<M, B, I>,
    ServerCommands<M, B, I>,
    ServerIntrospectionCommands<M, B, I>,
    AclCommands<M, B, I>,
    ClusterCommands<M, B, I>,
    ClusterAdminCommands<M, B, I> {}

const target = DataCommands.prototype as unknown as Record<string, unknown>;
for (const family of FAMILIES) {
  const source = family.prototype;
  for (const name of Object.getOwnPropertyNames(source)) {
    if (name === "constructor") continue;
    if (Object.hasOwn(target, name)) {
      throw new TypeError(`Cannot mix in ${family.name}.${name}: it clashes`);
    }
    Object.defineProperty(
      target,
      name,
      Object.getOwnPropertyDescriptor(source, name)!,
    );
  }
}

/** The names of every command method, for the coverage test. */
export function commandMethods(): string[] {
  return Object.getOwnPropertyNames(target).filter((n) => n !== "constructor");
}
