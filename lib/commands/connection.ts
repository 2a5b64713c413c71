// Connection commands: PING, ECHO, CLIENT * (except what the client must own:
// CLIENT REPLY, TRACKING, CACHING, GETREDIR, TRACKINGINFO).

import type { RedisArg } from "../resp/encoder.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { bulk, flag, integer, ok, text, textArray } from "./_reply.ts";
import type { RespValue } from "../resp/types.ts";
import { command } from "./_command.ts";
import {
  clientKillArgs,
  type ClientKillFilters,
  clientListArgs,
  type ClientListOptions,
} from "./connection_options.ts";
import {
  type ClientInfo,
  clientInfo,
  clientList,
} from "./connection_replies.ts";

const CLIENT_GETNAME = command("CLIENT GETNAME");
const CLIENT_HELP = command("CLIENT HELP");
const CLIENT_ID = command("CLIENT ID");
const CLIENT_INFO = command("CLIENT INFO");
const CLIENT_KILL = command("CLIENT KILL");
const CLIENT_LIST = command("CLIENT LIST");
const CLIENT_NO_EVICT = command("CLIENT NO-EVICT");
const CLIENT_PAUSE = command("CLIENT PAUSE");
const CLIENT_SETNAME = command("CLIENT SETNAME");
const CLIENT_UNBLOCK = command("CLIENT UNBLOCK");
const CLIENT_UNPAUSE = command("CLIENT UNPAUSE");
const ECHO = command("ECHO");
const PING = command("PING");

/** A text reply or null (CLIENT GETNAME). */
function textOrNull(value: RespValue): string | null {
  return value === null ? null : text(value);
}

/**
 * Connection commands: PING, ECHO and the CLIENT subcommands a caller may
 * use on a shared connection. Those that would change how the client reads
 * replies (CLIENT REPLY, TRACKING, CACHING) belong to the client.
 *
 * The connection a view uses is shared by every caller and reopened after
 * a failure, so per-connection state set here (a name, no-evict) lasts
 * until the next reconnection.
 *
 * Methods return `Promise<T>` on `Redis` and its `db()`, `binary` and
 * `bigint` views, nothing on `fireAndForget`, and the builder in `multi()`
 * and `pipeline()`.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { connect, type ConnectionCommands } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const commands: ConnectionCommands<"promise", string, number> = redis;
 * console.log(await commands.ping()); // → "PONG"
 * ```
 */
export class ConnectionCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view's executor. */
  declare readonly [EXEC]: Executor<M>;

  /**
   * Checks the connection: returns `"PONG"`, or `message` when given.
   *
   * @param message Optional text to echo.
   * @returns `"PONG"` or the message.
   * @see {@link https://redis.io/docs/latest/commands/ping/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.ping()); // → "PONG"
   * ```
   */
  ping(message?: RedisArg): Result<M, string | B> {
    return this[EXEC].call(
      PING,
      message === undefined ? [] : [message],
      bulk<B>,
    );
  }

  /**
   * Returns `message`.
   *
   * @param message The text.
   * @returns The same text.
   * @see {@link https://redis.io/docs/latest/commands/echo/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.echo("hi")); // → "hi"
   * ```
   */
  echo(message: RedisArg): Result<M, B> {
    return this[EXEC].call1(ECHO, message, bulk<B>);
  }

  /**
   * Returns the id the server gave this client's connection. It changes
   * when the client reconnects.
   *
   * @returns The connection's id.
   * @see {@link https://redis.io/docs/latest/commands/client-id/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const id = await redis.clientId();
   * console.log((await redis.clientInfo()).id === id); // → true
   * ```
   */
  clientId(): Result<M, I> {
    return this[EXEC].call(CLIENT_ID, [], integer<I>);
  }

  /**
   * Describes this client's connection, as the server sees it.
   *
   * @returns The connection's fields.
   * @see {@link https://redis.io/docs/latest/commands/client-info/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect({ name: "worker-1" });
   * const me = await redis.clientInfo();
   * console.log(me.name, me.resp); // → "worker-1" 3
   * ```
   */
  clientInfo(): Result<M, ClientInfo> {
    return this[EXEC].call(CLIENT_INFO, [], clientInfo);
  }

  /**
   * Describes the server's client connections: all of them, those of one
   * type, or those with the given ids.
   *
   * @param options A type or ids to select by (not both).
   * @returns One object per connection.
   * @see {@link https://redis.io/docs/latest/commands/client-list/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const client of await redis.clientList({ type: "NORMAL" })) {
   *   console.log(client.id, client.addr, client.name, client.idle);
   * }
   * ```
   */
  clientList(options?: ClientListOptions): Result<M, ClientInfo[]> {
    return this[EXEC].call(CLIENT_LIST, clientListArgs(options), clientList);
  }

  /**
   * Returns this connection's name, or `null` when it has none.
   *
   * @returns The name, or `null`.
   * @see {@link https://redis.io/docs/latest/commands/client-getname/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect({ name: "worker-1" });
   * console.log(await redis.clientGetname()); // → "worker-1"
   * ```
   */
  clientGetname(): Result<M, string | null> {
    return this[EXEC].call(CLIENT_GETNAME, [], textOrNull);
  }

  /**
   * Names this client's connection (`""` removes the name). The name lasts
   * until the client reconnects: it then sends the `name` given to
   * `connect()`, or none. Set `name` there for a name that survives.
   *
   * @param name The name: printable ASCII without spaces, or `""`.
   * @returns `"OK"`.
   * @throws {ReplyError} When the name contains spaces or other characters
   * the server refuses.
   * @see {@link https://redis.io/docs/latest/commands/client-setname/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clientSetname("reporting");
   * console.log(await redis.clientGetname()); // → "reporting"
   * ```
   */
  clientSetname(name: string): Result<M, "OK"> {
    return this[EXEC].call1(CLIENT_SETNAME, name, ok);
  }

  /**
   * Closes the connection from one client address, `ip:port` (the form
   * CLIENT KILL had before filters).
   *
   * @param addr The client's address, as in `clientList()`'s `addr`.
   * @returns `"OK"`.
   * @throws {ReplyError} When no connection comes from that address.
   * @see {@link https://redis.io/docs/latest/commands/client-kill/}
   *
   * @example Usage
   * ```ts
   * import { connect, ReplyError } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clientKill("10.0.0.7:51234").catch((error) => {
   *   if (!(error instanceof ReplyError)) throw error; // no such client
   * });
   * ```
   */
  clientKill(addr: string): Result<M, "OK">;
  /**
   * Closes the connections that match every filter given and returns how
   * many it closed. This client's own connection is spared unless
   * `skipme` is `false`.
   *
   * @param filters Which connections to close.
   * @returns The number of connections closed.
   * @throws {ReplyError} When a filter is invalid (an unknown user, ...).
   * @see {@link https://redis.io/docs/latest/commands/client-kill/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.clientKill({ type: "PUBSUB" })); // → connections closed
   * ```
   */
  clientKill(filters: ClientKillFilters): Result<M, I>;
  clientKill(target: string | ClientKillFilters): Result<M, "OK" | I> {
    return typeof target === "string"
      ? this[EXEC].call1(CLIENT_KILL, target, ok)
      : this[EXEC].call(CLIENT_KILL, clientKillArgs(target), integer<I>);
  }

  /**
   * Suspends the commands of every client, this one included, for
   * `timeout` milliseconds: all commands, or with `"WRITE"` only those that
   * may write (reads go on). Held commands are not refused: they run when
   * the pause ends, unless a command timeout ends their wait first.
   *
   * @param timeout How long to pause, in milliseconds.
   * @param mode `"ALL"` (the default) or `"WRITE"`.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/client-pause/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clientPause(500, "WRITE");
   * console.log(await redis.clientUnpause()); // → "OK"
   * ```
   */
  clientPause(timeout: number, mode?: "WRITE" | "ALL"): Result<M, "OK"> {
    return this[EXEC].call(
      CLIENT_PAUSE,
      mode === undefined ? [timeout] : [timeout, mode],
      ok,
    );
  }

  /**
   * Ends a pause started by {@linkcode ConnectionCommands.clientPause}
   * before its timeout; the commands it held run.
   *
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/client-unpause/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clientPause(10_000, "WRITE");
   * await redis.clientUnpause();
   * console.log(await redis.set("k", "v")); // → "OK"
   * ```
   */
  clientUnpause(): Result<M, "OK"> {
    return this[EXEC].call(CLIENT_UNPAUSE, [], ok);
  }

  /**
   * Exempts this client's connection from eviction under
   * `maxmemory-clients` (`true`), or ends the exemption (`false`). Lasts
   * until the client reconnects.
   *
   * @param enabled Whether the connection is exempt.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/client-no-evict/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.clientNoEvict(true);
   * console.log((await redis.clientInfo()).flags.includes("e")); // → true
   * ```
   */
  clientNoEvict(enabled: boolean): Result<M, "OK"> {
    return this[EXEC].call1(CLIENT_NO_EVICT, enabled ? "ON" : "OFF", ok);
  }

  /**
   * Wakes another connection blocked in a blocking command (BLPOP, XREAD
   * BLOCK, WAIT...): as if it timed out (`"TIMEOUT"`, the default), or with
   * an `UNBLOCKED` error (`"ERROR"`).
   *
   * @param id The blocked connection's id.
   * @param mode `"TIMEOUT"` or `"ERROR"`.
   * @returns `true` when the connection was blocked and is now unblocked.
   * @see {@link https://redis.io/docs/latest/commands/client-unblock/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const blocked = await redis.clientList();
   * for (const client of blocked.filter((c) => c.flags.includes("b"))) {
   *   await redis.clientUnblock(client.id, "ERROR");
   * }
   * ```
   */
  clientUnblock(id: Int, mode?: "TIMEOUT" | "ERROR"): Result<M, boolean> {
    return this[EXEC].call(
      CLIENT_UNBLOCK,
      mode === undefined ? [id] : [id, mode],
      flag,
    );
  }

  /**
   * Returns the server's help text for CLIENT subcommands, one line each.
   *
   * @returns The lines of help.
   * @see {@link https://redis.io/docs/latest/commands/client-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.clientHelp()).join("\n"));
   * ```
   */
  clientHelp(): Result<M, string[]> {
    return this[EXEC].call(CLIENT_HELP, [], textArray);
  }
}
