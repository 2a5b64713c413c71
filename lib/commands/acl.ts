// Access control: the ACL commands (users, categories, the log, ACL
// LOAD/SAVE). The other server commands are in server.ts and
// server_introspection.ts.

import type { RedisArg } from "../resp/encoder.ts";
import {
  type Bulk,
  EXEC,
  type Executor,
  type Int,
  type Mode,
  type Result,
} from "./_executor.ts";
import { integer, ok, text } from "./_reply.ts";
import { command } from "./_command.ts";
import type { AclLogOptions } from "./server_options.ts";
import {
  aclLogEntries,
  type AclLogEntry,
  type AclUser,
  aclUser,
} from "./acl_replies.ts";
import { textArray } from "./server_replies.ts";

const ACL_CAT = command("ACL CAT");
const ACL_DELUSER = command("ACL DELUSER");
const ACL_DRYRUN = command("ACL DRYRUN");
const ACL_GENPASS = command("ACL GENPASS");
const ACL_GETUSER = command("ACL GETUSER");
const ACL_HELP = command("ACL HELP");
const ACL_LIST = command("ACL LIST");
const ACL_LOAD = command("ACL LOAD");
const ACL_LOG = command("ACL LOG");
const ACL_SAVE = command("ACL SAVE");
const ACL_SETUSER = command("ACL SETUSER");
const ACL_USERS = command("ACL USERS");
const ACL_WHOAMI = command("ACL WHOAMI");

/**
 * Access control lists: users and their rules, command categories, the ACL
 * log, and loading or saving the ACL file.
 *
 * @typeParam M The view's mode.
 * @typeParam B The type of bulk-string replies.
 * @typeParam I The type of integer replies.
 *
 * @example Usage
 * ```ts
 * import { type AclCommands, connect } from "@sleeve/redis";
 *
 * await using redis = await connect();
 * const acl: AclCommands<"promise", string, number> = redis;
 * console.log(await acl.aclWhoami()); // → "default"
 * ```
 */
export class AclCommands<
  M extends Mode,
  B extends Bulk,
  I extends Int = number,
> {
  /** @ignore The view\'s executor. */
  declare readonly [EXEC]: Executor<M>;

  // -------------------------------------------------------------------------
  // ACL

  /**
   * Returns the ACL categories, or the commands of one category.
   *
   * @param category A category, such as `"geo"` (without `@`).
   * @returns Category names, or command names.
   * @throws {ReplyError} When the category is unknown.
   * @see {@link https://redis.io/docs/latest/commands/acl-cat/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclCat()); // → ["keyspace", "read", "write", ...]
   * console.log(await redis.aclCat("hyperloglog")); // → ["pfmerge", "pfcount", ...]
   * ```
   */
  aclCat(category?: string): Result<M, string[]> {
    return this[EXEC].call(
      ACL_CAT,
      category === undefined ? [] : [category],
      textArray,
    );
  }

  /**
   * Deletes ACL users and disconnects their clients.
   *
   * @param usernames The users.
   * @returns How many users were deleted.
   * @throws {ReplyError} When one of them is the `default` user.
   * @see {@link https://redis.io/docs/latest/commands/acl-deluser/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclDeluser("alice", "bob")); // → 2
   * ```
   */
  aclDeluser(...usernames: string[]): Result<M, I> {
    return this[EXEC].call(ACL_DELUSER, [...usernames], integer<I>);
  }

  /**
   * Tells whether a user may run a command with these arguments, without
   * running it.
   *
   * @param username The user.
   * @param command The command's name.
   * @param args Its arguments.
   * @returns `"OK"` when allowed, otherwise the reason it would be denied.
   * @throws {ReplyError} When the user or the command is unknown.
   * @see {@link https://redis.io/docs/latest/commands/acl-dryrun/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclSetuser("reader", "on", "nopass", "~*", "+get");
   * console.log(await redis.aclDryrun("reader", "get", "a")); // → "OK"
   * console.log(await redis.aclDryrun("reader", "set", "a", "1")); // → "This user has no permissions to run the 'set' command"
   * ```
   */
  aclDryrun(
    username: string,
    command: string,
    ...args: RedisArg[]
  ): Result<M, string> {
    return this[EXEC].call(ACL_DRYRUN, [username, command, ...args], text);
  }

  /**
   * Returns a random password from the server's secure random source, in hex.
   *
   * @param bits How many random bits (256 by default); rounded up to a
   * multiple of 4, one hex digit each.
   * @returns The password.
   * @see {@link https://redis.io/docs/latest/commands/acl-genpass/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.aclGenpass(128)).length); // → 32
   * ```
   */
  aclGenpass(bits?: number): Result<M, string> {
    return this[EXEC].call(
      ACL_GENPASS,
      bits === undefined ? [] : [bits],
      text,
    );
  }

  /**
   * Returns a user's rules, or `null` when the user does not exist.
   *
   * @param username The user.
   * @returns Its flags, password hashes, command, key and channel rules, and selectors.
   * @see {@link https://redis.io/docs/latest/commands/acl-getuser/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const user = await redis.aclGetuser("default");
   * console.log(user?.commands, user?.keys); // → "+@all" "~*"
   * ```
   */
  aclGetuser(username: string): Result<M, AclUser | null> {
    return this[EXEC].call1(ACL_GETUSER, username, aclUser);
  }

  /**
   * Returns the server's help text for ACL.
   *
   * @returns The help lines.
   * @see {@link https://redis.io/docs/latest/commands/acl-help/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log((await redis.aclHelp()).join("\n"));
   * ```
   */
  aclHelp(): Result<M, string[]> {
    return this[EXEC].call(ACL_HELP, [], textArray);
  }

  /**
   * Returns every user's rules, one line per user, as an ACL file holds them.
   *
   * @returns The lines, such as `"user default on nopass ~* &* +@all"`.
   * @see {@link https://redis.io/docs/latest/commands/acl-list/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclList()); // → ["user default on nopass ~* &* +@all"]
   * ```
   */
  aclList(): Result<M, string[]> {
    return this[EXEC].call(ACL_LIST, [], textArray);
  }

  /**
   * Reloads the users from the server's ACL file, replacing them all, or
   * none when the file is invalid.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the server has no ACL file or the file is invalid.
   * @see {@link https://redis.io/docs/latest/commands/acl-load/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclLoad();
   * ```
   */
  aclLoad(): Result<M, "OK"> {
    return this[EXEC].call(ACL_LOAD, [], ok);
  }

  /**
   * Empties the ACL log.
   *
   * @param options `{ reset: true }`.
   * @returns `"OK"`.
   * @see {@link https://redis.io/docs/latest/commands/acl-log/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclLog({ reset: true });
   * ```
   */
  aclLog(options: { readonly reset: true }): Result<M, "OK">;

  /**
   * Returns the newest entries of the ACL log (denied commands, keys,
   * channels, failed logins), newest first.
   *
   * @param options How many entries to `count` (10 by default).
   * @returns The entries.
   * @see {@link https://redis.io/docs/latest/commands/acl-log/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * for (const entry of await redis.aclLog({ count: 3 })) {
   *   console.log(entry.reason, entry.username, entry.object, entry.ageSeconds);
   * }
   * ```
   */
  aclLog(options?: AclLogOptions): Result<M, AclLogEntry[]>;
  aclLog(
    options?: AclLogOptions | { readonly reset: true },
  ): Result<M, AclLogEntry[] | "OK"> {
    if (options !== undefined && "reset" in options && options.reset) {
      return this[EXEC].call(ACL_LOG, ["RESET"], ok);
    }
    const count = (options as AclLogOptions | undefined)?.count;
    return this[EXEC].call(
      ACL_LOG,
      count === undefined ? [] : [count],
      aclLogEntries,
    );
  }

  /**
   * Writes the users to the server's ACL file.
   *
   * @returns `"OK"`.
   * @throws {ReplyError} When the server has no ACL file or cannot write it.
   * @see {@link https://redis.io/docs/latest/commands/acl-save/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * await redis.aclSave();
   * ```
   */
  aclSave(): Result<M, "OK"> {
    return this[EXEC].call(ACL_SAVE, [], ok);
  }

  /**
   * Creates a user, or changes one, by applying rules in order.
   *
   * A rule may hold a password (`">secret"`): the server quotes the rule it
   * refuses in its error, so the client cuts that quote out of the
   * `ReplyError`'s message.
   *
   * @param username The user.
   * @param rules Rules such as `"on"`, `">password"`, `"~cache:*"`, `"+@read"`, `"reset"`.
   * @returns `"OK"`.
   * @throws {ReplyError} When a rule is invalid; none is then applied (the
   * message names no rule).
   * @see {@link https://redis.io/docs/latest/commands/acl-setuser/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * const password = await redis.aclGenpass();
   * await redis.aclSetuser("worker", "on", `>${password}`, "~jobs:*", "+@list");
   * ```
   */
  aclSetuser(username: string, ...rules: string[]): Result<M, "OK"> {
    return this[EXEC].call(ACL_SETUSER, [username, ...rules], ok);
  }

  /**
   * Returns the names of every user.
   *
   * @returns The user names.
   * @see {@link https://redis.io/docs/latest/commands/acl-users/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclUsers()); // → ["default"]
   * ```
   */
  aclUsers(): Result<M, string[]> {
    return this[EXEC].call(ACL_USERS, [], textArray);
  }

  /**
   * Returns the name of the user the connection is authenticated as.
   *
   * @returns The user name.
   * @see {@link https://redis.io/docs/latest/commands/acl-whoami/}
   *
   * @example Usage
   * ```ts
   * import { connect } from "@sleeve/redis";
   *
   * await using redis = await connect();
   * console.log(await redis.aclWhoami()); // → "default"
   * ```
   */
  aclWhoami(): Result<M, string> {
    return this[EXEC].call(ACL_WHOAMI, [], text);
  }
}
