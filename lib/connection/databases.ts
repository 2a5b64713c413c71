// Which database one socket is in, and which databases it may switch to with a
// SELECT pipelined in front of a command. A database is confirmed once a
// SELECT to it succeeded on this socket (or the handshake left the socket in
// it); a SELECT to any other is a probe, answered before anything is written
// behind it, so a refused SELECT can never let a command run elsewhere.

import { ReplyError } from "../errors.ts";
import type { RequestCommand } from "./connection.ts";

/**
 * Commands read while this is set were written behind an inline SELECT the
 * server refused: they ran in database `current`, not `db`.
 */
export interface Stray {
  /** The database they were meant for. */
  readonly db: number;
  /** The database the server stayed in. */
  readonly current: number;
  /** The SELECT's refusal. */
  readonly error: Error;
}

/** The error of a command that ran in another database than its own. */
export function strayError(command: RequestCommand, stray: Stray): ReplyError {
  const code = stray.error instanceof ReplyError ? stray.error.code : "ERR";
  return new ReplyError(
    `Cannot run ${command.name} in database ${stray.db}: SELECT was refused (${stray.error.message}), so it ran in database ${stray.current}`,
    command.name,
    { code, cause: stray.error },
  );
}

/** What one SELECT reply settled. */
export interface SelectOutcome {
  /** The database the SELECT asked for. */
  readonly db: number;
  /** Whether it was a probe (nothing was written behind it). */
  readonly probe: boolean;
  /** The database the server is in now. */
  readonly current: number;
}

/** The database state of one socket. */
export class Databases {
  /** The database the socket will be in once every written command has run. */
  written = 0;
  /** The database a probe SELECT asks for, or -1 when none is out. */
  probing = -1;
  /** The database the server is in, as of the replies read so far. */
  #current = 0;
  #confirmed = new Set<number>([0]);
  // SELECTs written and not yet answered, oldest first.
  #targets: number[] = [];
  #probes: boolean[] = [];
  #head = 0;

  /** Starts over on a socket in `db` (where the handshake left it). */
  reset(db: number): void {
    this.written = db;
    this.probing = -1;
    this.#current = db;
    this.#confirmed = new Set([db]);
    this.#targets = [];
    this.#probes = [];
    this.#head = 0;
  }

  /** Whether a SELECT to `db` may be pipelined in front of a command. */
  confirmed(db: number): boolean {
    return this.#confirmed.has(db);
  }

  /** Records a SELECT to `db` just written. */
  selecting(db: number, probe: boolean): void {
    this.#targets.push(db);
    this.#probes.push(probe);
    this.written = db;
    if (probe) this.probing = db;
  }

  /** Forgets the newest SELECT recorded: its bytes were dropped unsent. */
  unselect(written: number): void {
    this.#targets.pop();
    this.#probes.pop();
    this.written = written;
  }

  /**
   * Settles the oldest SELECT with its reply: success confirms its database;
   * a refusal leaves the server where it was, and when no later SELECT was
   * written, so are the commands written from now on.
   */
  answered(ok: boolean): SelectOutcome {
    const head = this.#head;
    const db = this.#targets[head]!;
    const probe = this.#probes[head]!;
    if (head + 1 === this.#targets.length) {
      this.#targets = [];
      this.#probes = [];
      this.#head = 0;
    } else {
      this.#head = head + 1;
    }
    if (probe) this.probing = -1;
    if (ok) {
      this.#current = db;
      this.#confirmed.add(db);
    } else {
      this.#confirmed.delete(db);
      if (this.#targets.length === 0) this.written = this.#current;
    }
    return { db, probe, current: this.#current };
  }
}
