// The bit values of command flags and key-spec flags, and the server's names
// for them. Imports nothing, so the specs generator can use it even when the
// generated table is stale or broken.

/** Command flag `write`: may modify the keyspace. */
export const WRITE = 1 << 0;
/** Command flag `readonly`: never modifies keys. */
export const READONLY = 1 << 1;
/** Command flag `denyoom`: refused while the server is over `maxmemory`. */
export const DENYOOM = 1 << 2;
/** Command flag `module`: implemented by a module. */
export const MODULE = 1 << 3;
/** Command flag `admin`: an administrative command. */
export const ADMIN = 1 << 4;
/** Command flag `pubsub`: a publish/subscribe command. */
export const PUBSUB = 1 << 5;
/** Command flag `noscript`: not allowed in scripts. */
export const NOSCRIPT = 1 << 6;
/** Command flag `blocking`: may block the client (see `isBlocking()`). */
export const BLOCKING = 1 << 7;
/** Command flag `loading`: allowed while the dataset loads. */
export const LOADING = 1 << 8;
/** Command flag `stale`: allowed on a replica with stale data. */
export const STALE = 1 << 9;
/** Command flag `skip_monitor`: not shown to MONITOR. */
export const SKIP_MONITOR = 1 << 10;
/** Command flag `skip_slowlog`: not logged by SLOWLOG. */
export const SKIP_SLOWLOG = 1 << 11;
/** Command flag `asking`: accepted for an importing slot after ASKING. */
export const ASKING = 1 << 12;
/** Command flag `fast`: O(1) or O(log N). */
export const FAST = 1 << 13;
/** Command flag `no_auth`: allowed before authentication. */
export const NO_AUTH = 1 << 14;
/** Command flag `may_replicate`: may be replicated although not a write. */
export const MAY_REPLICATE = 1 << 15;
/** Command flag `no_mandatory_keys`: may legitimately name no key. */
export const NO_MANDATORY_KEYS = 1 << 16;
/** Command flag `no_async_loading`: refused during async loading. */
export const NO_ASYNC_LOADING = 1 << 17;
/** Command flag `no_multi`: not allowed inside MULTI. */
export const NO_MULTI = 1 << 18;
/** Command flag `movablekeys`: key positions depend on the arguments. */
export const MOVABLE_KEYS = 1 << 19;
/** Command flag `allow_busy`: allowed while a script or function is busy. */
export const ALLOW_BUSY = 1 << 20;

/**
 * Routing bit of `Command.route` (not a server flag): the command may hold
 * its connection until data arrives or a timeout passes (the `blocking`
 * flag, and WAIT and WAITAOF, which carry none), so the router sends it to a
 * dedicated connection when its arguments make it block (`isBlocking()`).
 */
export const ROUTE_BLOCKING = 1 << 0;

/** The server's command flag names (COMMAND INFO) and their bits. */
export const COMMAND_FLAGS: Readonly<Record<string, number>> = {
  write: WRITE,
  readonly: READONLY,
  denyoom: DENYOOM,
  module: MODULE,
  admin: ADMIN,
  pubsub: PUBSUB,
  noscript: NOSCRIPT,
  blocking: BLOCKING,
  loading: LOADING,
  stale: STALE,
  "skip_monitor": SKIP_MONITOR,
  "skip_slowlog": SKIP_SLOWLOG,
  asking: ASKING,
  fast: FAST,
  "no_auth": NO_AUTH,
  "may_replicate": MAY_REPLICATE,
  "no_mandatory_keys": NO_MANDATORY_KEYS,
  "no_async_loading": NO_ASYNC_LOADING,
  "no_multi": NO_MULTI,
  movablekeys: MOVABLE_KEYS,
  "allow_busy": ALLOW_BUSY,
};

/** Key-spec flag `RO`: the key is only read. */
export const KEY_RO = 1 << 0;
/** Key-spec flag `RW`: the key is read and written. */
export const KEY_RW = 1 << 1;
/** Key-spec flag `OW`: the key is overwritten without being read. */
export const KEY_OW = 1 << 2;
/** Key-spec flag `RM`: the key is deleted. */
export const KEY_RM = 1 << 3;
/** Key-spec flag `access`: user data of the key is returned. */
export const KEY_ACCESS = 1 << 4;
/** Key-spec flag `update`: data is updated in place. */
export const KEY_UPDATE = 1 << 5;
/** Key-spec flag `insert`: data is only added. */
export const KEY_INSERT = 1 << 6;
/** Key-spec flag `delete`: data is only removed. */
export const KEY_DELETE = 1 << 7;
/** Key-spec flag `not_key`: the argument is a shard channel, not a key. */
export const KEY_NOT_KEY = 1 << 8;
/** Key-spec flag `incomplete`: the spec may miss keys. */
export const KEY_INCOMPLETE = 1 << 9;
/** Key-spec flag `variable_flags`: the flags depend on the arguments. */
export const KEY_VARIABLE_FLAGS = 1 << 10;

/** The server's key-spec flag names (COMMAND INFO) and their bits. */
export const KEY_FLAGS: Readonly<Record<string, number>> = {
  RO: KEY_RO,
  RW: KEY_RW,
  OW: KEY_OW,
  RM: KEY_RM,
  access: KEY_ACCESS,
  update: KEY_UPDATE,
  insert: KEY_INSERT,
  delete: KEY_DELETE,
  "not_key": KEY_NOT_KEY,
  incomplete: KEY_INCOMPLETE,
  "variable_flags": KEY_VARIABLE_FLAGS,
};

/** Where a cluster router sends a command (tip `request_policy:*`). */
export type RequestPolicy =
  | "all_nodes"
  | "all_shards"
  | "multi_shard"
  | "special";

/** How a cluster router combines replies (tip `response_policy:*`). */
export type ResponsePolicy =
  | "one_succeeded"
  | "all_succeeded"
  | "agg_logical_and"
  | "agg_logical_or"
  | "agg_min"
  | "agg_max"
  | "agg_sum"
  | "special";

/** The request policies the server documents. */
export const REQUEST_POLICIES: readonly RequestPolicy[] = [
  "all_nodes",
  "all_shards",
  "multi_shard",
  "special",
];

/** The response policies the server documents. */
export const RESPONSE_POLICIES: readonly ResponsePolicy[] = [
  "one_succeeded",
  "all_succeeded",
  "agg_logical_and",
  "agg_logical_or",
  "agg_min",
  "agg_max",
  "agg_sum",
  "special",
];

/** Tips that are neither policy: whether the output is deterministic. */
export const OTHER_TIPS: readonly string[] = [
  "nondeterministic_output",
  "nondeterministic_output_order",
];

/** The COMMAND DOCS `doc_flags` the table keeps. */
export const DOC_FLAGS: readonly string[] = ["deprecated", "syscmd"];
