// What the cluster router's parts share about one request: its copy, its
// deadline, its retry state, the ASKING and topology requests, the refusal
// behind a transaction's EXECABORT, decoding a combined reply, and the
// errors and pauses of a retry. Pure, but for the timers of the pauses.

import { decodeError } from "../connection/replies.ts";
import {
  BLOCKING,
  type Command,
  command as commandNamed,
  isBlocking,
  READONLY,
} from "../commands/_command.ts";
import type { Limits, Request, Settled } from "../connection/connection.ts";
import {
  ConnectionError,
  CrossSlotError,
  ReplyError,
  TimeoutError,
} from "../errors.ts";
import type { RespValue } from "../resp/types.ts";
import { notApplied } from "./redirect.ts";

const ASKING = commandNamed("ASKING");
const CLUSTER_SHARDS = commandNamed("CLUSTER SHARDS");
const CLUSTER_SLOTS = commandNamed("CLUSTER SLOTS");
/** An empty argument list, shared. */
export const NO_ARGS: readonly never[] = [];

/**
 * Where a request goes: the owner of a slot (a replica of it for a read,
 * with replica reads), or one node.
 */
export type Target = { slot: number; address?: undefined; read?: boolean } | {
  slot?: undefined;
  address: string;
  read?: undefined;
};

/** The retry state of one command. */
export interface Attempts {
  redirects: number;
  retries: number;
  /** performance.now() when it must be done; set at the first refusal. */
  deadline: number | undefined;
  /** The node an ASK sent it to, for its next attempt only. */
  asking: string | undefined;
}

/** An attempt that failed, and the node it was made on. */
export interface Failed {
  readonly error: unknown;
  readonly address: string;
}

/** What the parts of the cluster router need to send a request on. */
export interface RunHost {
  /** Sends until answered, following redirects and retrying refusals. */
  run(
    request: Request,
    limits: Limits | undefined,
    target: Target,
    failed: Failed | undefined,
    start: number | undefined,
  ): Promise<unknown>;
  /**
   * Sends a request whose keys are all in `slot` to its master as
   * {@linkcode RunHost.run} does, by the fast path when it can (nothing
   * waits, no limits). `request` is handed over: never changed afterwards.
   */
  sendToSlot(
    request: Request,
    limits: Limits | undefined,
    slot: number,
    start: number | undefined,
  ): Promise<unknown>;
  /** A master for a keyless use, in turn. */
  anyMaster(): string;
  /** The masters serving slots now, by address. */
  masters(): string[];
}

/** A copy of a request the caller may reuse, its arguments included. */
export function copy(request: Request): Request {
  return {
    command: request.command,
    args: request.args.length === 0 ? NO_ARGS : request.args.slice(),
    db: request.db,
    binary: request.binary,
    bigint: request.bigint,
    decode: request.decode,
  };
}

/** When a command with a timeout was issued (its deadline counts from it). */
export function issued(limits: Limits | undefined): number | undefined {
  return limits?.timeout === undefined ? undefined : performance.now();
}

/** The limits of a retry: what is left of the deadline. */
export function remaining(
  request: Request,
  limits: Limits | undefined,
  deadline: number | undefined,
  last: unknown,
): Limits | undefined {
  if (deadline === undefined || limits?.timeout === undefined) return limits;
  const left = deadline - performance.now();
  if (left <= 0) throw expired(request, limits.timeout, last);
  return { timeout: left, signal: limits.signal };
}

/** A command's timeout passed while nodes refused it unapplied. */
export function expired(request: Request, timeout: number, last: unknown) {
  return new TimeoutError(
    `Cannot run ${request.command.name}: its ${timeout} ms passed while the cluster refused it unapplied (${
      (last as Error | undefined)?.message ?? "no answer"
    }), so it did not run`,
    { cause: last, mayHaveExecuted: false },
  );
}

/** Whether a request may go to a replica: read-only and not blocking. */
export function reads(command: Command, request: Request): boolean {
  return (command.flags & READONLY) !== 0 &&
    !isBlocking(command, request.args);
}

/** Whether sending a request twice cannot change anything. */
export function idempotent(request: Request): boolean {
  const flags = (request.command as Command).flags;
  return (flags & READONLY) !== 0 && (flags & BLOCKING) === 0;
}

export function askingRequest(): Request {
  return {
    command: ASKING,
    args: NO_ARGS,
    db: 0,
    binary: false,
    bigint: false,
    decode: null,
  };
}

export function topologyRequest(query: "SHARDS" | "SLOTS"): Request {
  return {
    command: query === "SHARDS" ? CLUSTER_SHARDS : CLUSTER_SLOTS,
    args: NO_ARGS,
    db: 0,
    binary: false,
    bigint: false,
    decode: null,
  };
}

/**
 * The refusal that explains a transaction's EXECABORT when a node refused
 * it unapplied (a redirect or TRYAGAIN while queueing), else undefined.
 */
export function unapplied(settled: readonly Settled[]): Error | undefined {
  const exec = settled[settled.length - 1]!;
  if (exec.ok || !(exec.error instanceof ReplyError)) return undefined;
  if (exec.error.code !== "EXECABORT") return undefined;
  for (const s of settled) {
    if (s.ok) continue;
    const error = s.error;
    if (
      error instanceof ReplyError &&
      (error.code === "MOVED" || error.code === "ASK" || notApplied(error))
    ) return error;
  }
  return undefined;
}

/** The reply a caller's decoder makes of a combined raw reply. */
export function decodeAs(request: Request, combine: () => RespValue): unknown {
  try {
    const value = combine();
    const decode = request.decode;
    return decode === null ? value : decode(value, request.bigint);
  } catch (error) {
    // A node's error reply stays what it is.
    if (error instanceof ReplyError) throw error;
    throw decodeError(error, request.command);
  }
}

export function crossSlot(name: string, what = name): CrossSlotError {
  return new CrossSlotError(
    name,
    `Cannot send ${what}: its keys hash to different cluster slots, so nothing was sent (give them a common hash tag, such as {user1}.name and {user1}.email)`,
  );
}

export function closedError(): ConnectionError {
  return new ConnectionError("Cannot send command: the client is closed");
}
