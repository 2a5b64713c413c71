/**
 * sleeve: a Redis client for Deno with one multiplexed, pipelined connection
 * shared by every caller, in the line of Stack Exchange's BookSleeve.
 *
 * - Commands go on the wire the moment they are issued; everything issued in
 *   the same tick leaves in one write; replies are matched to callers in order.
 * - `redis.db(n)` runs commands in database `n` on the same connection; the
 *   client writes `SELECT` only when the database changes.
 * - `redis.fireAndForget` issues commands with no promise at all; failures are
 *   `"error"` events.
 * - `redis.binary` returns bulk strings as `Uint8Array`; `redis.bigint`
 *   returns integers as `bigint`; `redis.prefix("tenant:")` puts a prefix on
 *   every key.
 * - Every Redis 7 command is a typed method, with replies shaped the same
 *   under RESP2 and RESP3; `multi()` and `pipeline()` build typed batches,
 *   `watch()` runs optimistic transactions, `script()` runs Lua with EVALSHA,
 *   and `scan()`/`hscan()`/`sscan()`/`zscan()` are async iterators.
 * - `subscribe()`, `psubscribe()` and `ssubscribe()` return subscriptions
 *   that are async iterators of messages, on a subscriber connection of
 *   their own: bounded buffers, restored after a reconnection.
 * - Blocking commands (`blpop()`, `blmove()`, `xread({ block })`...) run on a
 *   pool of dedicated connections, never stalling the shared one, and are
 *   cancellable with `with({ signal })`; `monitor()` streams MONITOR lines.
 * - Redis Sentinel: `connect({ sentinels, masterName })` asks the sentinels
 *   where the master is on every (re)connection and follows their failovers.
 * - RESP3 (with a RESP2 fallback), decoded incrementally and binary-safe.
 *
 * ```ts
 * import { connect } from "@sleeve/redis";
 *
 * await using redis = await connect("redis://127.0.0.1:6379");
 *
 * await redis.set("greeting", "hello");
 * console.log(await redis.get("greeting")); // → "hello"
 *
 * // Issue now, await later: both are on the wire before either reply.
 * const a = redis.incr("a");
 * const b = redis.db(3).incr("b");
 * console.log(await a, await b); // → 1 1
 *
 * // A transaction: one batch, typed results.
 * const [ok, hits] = await redis.multi().set("k", "v").incr("hits").exec();
 * console.log(ok, hits); // → "OK" 1
 *
 * // No promise, no reply to wait for; failures become "error" events.
 * redis.addEventListener("error", (event) => console.error(event.command, event.error));
 * redis.fireAndForget.incr("hits");
 * ```
 *
 * @module
 */

export { connect, Redis, type RedisStats } from "./lib/client.ts";
export type { CacheStats } from "./lib/cache/store.ts";
export type { ConnectionStats } from "./lib/connection/counters.ts";
export type { BatchEvent, CommandEvent, CommandHooks } from "./lib/observe.ts";
export { type EventLogger, logEvents } from "./lib/log_events.ts";
export { type CommandLimits, RedisView } from "./lib/view.ts";
export {
  RedisCloseEvent,
  RedisDisconnectEvent,
  RedisErrorEvent,
  type RedisEventMap,
  RedisPushEvent,
  RedisReconnectingEvent,
} from "./lib/events.ts";
export type {
  CacheOptions,
  ConnectOptions,
  ReconnectOptions,
  TlsOptions,
} from "./lib/options.ts";
export {
  type AddressMap,
  type ClusterCounters,
  type ClusterOptions,
  connectCluster,
  RedisCluster,
  type ReplicaReads,
} from "./lib/cluster/client.ts";
export {
  ClusterError,
  ConnectionError,
  type ConnectionErrorOptions,
  CrossSlotError,
  IntegerRangeError,
  ProtocolError,
  RedisError,
  ReplyError,
  type ReplyErrorOptions,
  SentinelError,
  type SentinelFailure,
  TimeoutError,
  UnexpectedReplyError,
  WatchError,
} from "./lib/errors.ts";
export type {
  Bulk,
  Int,
  Mode,
  Queued,
  Result,
  Root,
} from "./lib/commands/_executor.ts";
export type { RedisKey } from "./lib/commands/_base.ts";
export type { FieldValues } from "./lib/commands/_reply.ts";
export { DataCommands } from "./lib/commands/data.ts";
export {
  type CommandFailure,
  type ExecResults,
  Pipeline,
} from "./lib/commands/pipeline.ts";
export type { WatchOptions } from "./lib/watch.ts";
export { Monitor, type MonitorOptions } from "./lib/monitor.ts";
export type { MonitorLine } from "./lib/monitor_line.ts";
export {
  type PubSubMessage,
  type SubscribeOptions,
  Subscription,
  type SubscriptionEventMap,
} from "./lib/subscription.ts";
export {
  type OverflowPolicy,
  SubscriptionDropEvent,
  SubscriptionGapEvent,
} from "./lib/inbox.ts";
export { BitmapCommands } from "./lib/commands/bitmaps.ts";
export type {
  BitFieldGet,
  BitFieldIncrBy,
  BitFieldOffset,
  BitFieldOperation,
  BitFieldOverflow,
  BitFieldSet,
  BitFieldType,
  BitOperation,
  BitPosRange,
  BitRange,
} from "./lib/commands/bitmaps_options.ts";
export { ClusterCommands } from "./lib/commands/cluster.ts";
export { ClusterAdminCommands } from "./lib/commands/cluster_admin.ts";
export type {
  ClusterLink,
  ClusterNode,
  ClusterShard,
  ClusterShardNode,
  ClusterSlots,
  ClusterSlotsNode,
  EpochBump,
  SlotMove,
  SlotRange,
} from "./lib/commands/cluster_replies.ts";
export { ConnectionCommands } from "./lib/commands/connection.ts";
export type {
  ClientKillFilters,
  ClientListOptions,
  ClientType,
} from "./lib/commands/connection_options.ts";
export type { ClientInfo } from "./lib/commands/connection_replies.ts";
export { GeoCommands } from "./lib/commands/geo.ts";
export { GeoRadiusCommands } from "./lib/commands/geo_radius.ts";
export type {
  GeoAddOptions,
  GeoBox,
  GeoMember,
  GeoPosition,
  GeoQueryOptions,
  GeoRadius,
  GeoRadiusStoreOptions,
  GeoSearchBy,
  GeoSearchFrom,
  GeoSearchOptions,
  GeoSearchStoreOptions,
  GeoUnit,
} from "./lib/commands/geo_options.ts";
export type { GeoMatch } from "./lib/commands/geo_replies.ts";
export { HyperLogLogCommands } from "./lib/commands/hyperloglog.ts";
export { PubSubCommands } from "./lib/commands/pubsub.ts";
export { ScriptingCommands } from "./lib/commands/scripting.ts";
export { ScriptCommands } from "./lib/commands/scripts.ts";
export { FunctionCommands } from "./lib/commands/functions.ts";
export { Script } from "./lib/script.ts";
export type {
  FunctionListOptions,
  FunctionLoadOptions,
  FunctionRestorePolicy,
} from "./lib/commands/scripting_options.ts";
export type {
  FunctionEngineStats,
  FunctionInfo,
  FunctionLibrary,
  FunctionLibraryWithCode,
  FunctionStats,
  RunningFunction,
} from "./lib/commands/scripting_replies.ts";
export { StreamCommands } from "./lib/commands/streams.ts";
export { StreamGroupCommands } from "./lib/commands/stream_groups.ts";
export type {
  StreamFields,
  StreamOffsets,
  StreamTrim,
  StreamTrimMode,
  XAddOptions,
  XInfoStreamFullOptions,
  XRangeOptions,
  XReadOptions,
  XSetIdOptions,
} from "./lib/commands/streams_options.ts";
export type {
  XAutoClaimOptions,
  XClaimOptions,
  XGroupCreateOptions,
  XGroupSetIdOptions,
  XPendingRange,
  XReadGroupOptions,
} from "./lib/commands/stream_groups_options.ts";
export type {
  StreamConsumerFullInfo,
  StreamConsumerInfo,
  StreamEntries,
  StreamEntry,
  StreamGroupFullInfo,
  StreamGroupInfo,
  StreamInfo,
  StreamInfoBase,
  StreamInfoFull,
  StreamPendingInfo,
} from "./lib/commands/streams_replies.ts";
export type {
  StreamGroupEntry,
  XAutoClaimResult,
  XPendingEntry,
  XPendingSummary,
} from "./lib/commands/stream_groups_replies.ts";
export { KeyCommands } from "./lib/commands/keys.ts";
export { KeyExpiryCommands } from "./lib/commands/key_expiry.ts";
export { KeyTransferCommands } from "./lib/commands/key_transfer.ts";
export type {
  CopyOptions,
  ExpireCondition,
  MigrateOptions,
  RestoreOptions,
  ScanOptions,
  SortOptions,
  SortRoOptions,
} from "./lib/commands/keys_options.ts";
export { StringCommands } from "./lib/commands/strings.ts";
export type {
  GetExOptions,
  KeyValues,
  SetOptions,
} from "./lib/commands/strings_options.ts";
export { StringRangeCommands } from "./lib/commands/string_ranges.ts";
export type {
  LcsIdxOptions,
  LcsIdxResult,
  LcsLenOptions,
  LcsMatch,
} from "./lib/commands/string_ranges_options.ts";
export { HashCommands } from "./lib/commands/hashes.ts";
export type {
  CollectionScanOptions,
  HashFields,
  HRandFieldOptions,
} from "./lib/commands/hashes_options.ts";
export { ListCommands } from "./lib/commands/lists.ts";
export { ListMoveCommands } from "./lib/commands/list_moves.ts";
export type { LposOptions, PopOptions } from "./lib/commands/lists_options.ts";
export type { PoppedElements } from "./lib/commands/lists_replies.ts";
export { SetCommands } from "./lib/commands/sets.ts";
export type { InterCardOptions } from "./lib/commands/sets_options.ts";
export { SortedSetCommands } from "./lib/commands/sorted_sets.ts";
export { SortedSetRangeCommands } from "./lib/commands/sorted_set_ranges.ts";
export { SortedSetPopCommands } from "./lib/commands/sorted_set_pops.ts";
export { SortedSetAlgebraCommands } from "./lib/commands/sorted_set_algebra.ts";
export type {
  RangeLimit,
  WithScoresOptions,
  ZAddIncrOptions,
  ZAddMembers,
  ZAddOptions,
  ZAggregateOptions,
  ZCombineOptions,
  ZRangeByLexOptions,
  ZRangeByScoreOptions,
  ZRangeOptions,
  ZRangeStoreOptions,
} from "./lib/commands/sorted_sets_options.ts";
export type {
  PoppedMember,
  PoppedMembers,
  ScoredMember,
} from "./lib/commands/sorted_sets_replies.ts";
export { ServerCommands } from "./lib/commands/server.ts";
export { ServerIntrospectionCommands } from "./lib/commands/server_introspection.ts";
export { AclCommands } from "./lib/commands/acl.ts";
export type {
  AclLogOptions,
  BgsaveOptions,
  CommandListFilter,
  CommandListOptions,
  ConfigParameters,
  LolwutOptions,
  MemoryUsageOptions,
} from "./lib/commands/server_options.ts";
export type {
  ConnectedReplica,
  InfoSections,
  MasterRole,
  ReplicaRole,
  ReplicaState,
  Role,
  SentinelRole,
  ServerTime,
} from "./lib/commands/server_replies.ts";
export type {
  CommandArgument,
  CommandChange,
  CommandDocs,
  CommandInfo,
  CommandKeySpec,
  KeyFlags,
  KeySearchBegin,
  KeySearchFind,
} from "./lib/commands/command_replies.ts";
export type {
  LatencyHistogram,
  LatencyLatest,
  LatencySample,
  MemoryStats,
  SlowlogEntry,
} from "./lib/commands/server_introspection_replies.ts";
export type {
  AclLogEntry,
  AclSelector,
  AclUser,
} from "./lib/commands/acl_replies.ts";
export type { RedisArg } from "./lib/resp/encoder.ts";
export { RespDecoder } from "./lib/resp/decoder.ts";
export {
  RespDecoderStream,
  type RespDecoderStreamOptions,
} from "./lib/resp/decoder_stream.ts";
export type { RespDecoderOptions, RespValue } from "./lib/resp/types.ts";
