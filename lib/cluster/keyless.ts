// Commands that are not sent whole to one slot's master: a multi-key
// command whose keys span slots, split per slot and merged (split.ts); a
// keyless command, by the command table's request policy: to every master
// with the replies combined by its response policy, SCAN walking every master
// with a cursor that names the node, or to any master.

import { type Command, command as commandNamed } from "../commands/_command.ts";
import type { Limits, Request } from "../connection/connection.ts";
import type { RedisArg } from "../resp/encoder.ts";
import type { RespValue } from "../resp/types.ts";
import { crossSlot, decodeAs, issued, type RunHost } from "./_requests.ts";
import { aggregate, mergeSplit, splitBySlot } from "./split.ts";

const SCAN = commandNamed("SCAN");
const RANDOMKEY = commandNamed("RANDOMKEY");

/** A command whose keys span slots: split per slot, or refused. */
export async function splitRequest(
  host: RunHost,
  request: Request,
  limits: Limits | undefined,
): Promise<unknown> {
  const command = request.command as Command;
  const split = splitBySlot(command, request.args);
  if (split === undefined) throw crossSlot(command.name);
  const start = issued(limits);
  const replies = await Promise.all(split.parts.map((part) =>
    host.sendToSlot(
      { ...request, args: part.args, decode: null },
      limits,
      part.slot,
      start,
    )
  ));
  return decodeAs(request, () => mergeSplit(split, replies as RespValue[]));
}

/** A command without keys: by its request policy. */
export function keyless(
  host: RunHost,
  request: Request,
  limits: Limits | undefined,
): Promise<unknown> {
  const command = request.command as Command;
  const policy = command.requestPolicy;
  if (command === SCAN) return scan(host, request, limits);
  if (
    (policy === "all_shards" || policy === "all_nodes") &&
    command.responsePolicy !== "special"
  ) {
    return fanOut(host, request, limits);
  }
  return host.run(
    request,
    limits,
    { address: host.anyMaster() },
    undefined,
    issued(limits),
  );
}

/** Sends a command to every master and combines the replies. */
async function fanOut(
  host: RunHost,
  request: Request,
  limits: Limits | undefined,
): Promise<unknown> {
  const command = request.command as Command;
  const start = issued(limits);
  const masters = host.masters();
  const settled = await Promise.allSettled(masters.map((address) =>
    host.run(
      { ...request, decode: null },
      limits,
      { address },
      undefined,
      start,
    )
  ));
  const replies: RespValue[] = [];
  let failure: unknown;
  for (const s of settled) {
    if (s.status === "fulfilled") replies.push(s.value as RespValue);
    else failure ??= s.reason;
  }
  if (command.responsePolicy === "one_succeeded") {
    if (replies.length === 0) throw failure;
    return decodeAs(request, () => replies[0]!);
  }
  if (failure !== undefined) throw failure;
  if (command === RANDOMKEY) {
    const keys = replies.filter((reply) => reply !== null);
    return decodeAs(
      request,
      () => keys[Math.floor(Math.random() * keys.length)] ?? null,
    );
  }
  return decodeAs(request, () => aggregate(command.responsePolicy, replies));
}

/**
 * SCAN over every master in turn: the cursor names the node
 * (`<cursor>@<host:port>`) and comes back "0" after the last master.
 */
function scan(
  host: RunHost,
  request: Request,
  limits: Limits | undefined,
): Promise<unknown> {
  const [cursor, ...rest] = request.args;
  const masters = host.masters().sort();
  let address: string;
  let nodeCursor: RedisArg;
  const text = cursor instanceof Uint8Array
    ? new TextDecoder().decode(cursor)
    : String(cursor ?? "0");
  const at = text.lastIndexOf("@");
  if (at < 0) {
    if (text !== "0") {
      return Promise.reject(
        new TypeError(
          "Cannot scan: a cluster's SCAN cursor is 0 or one it returned",
        ),
      );
    }
    address = masters[0] ?? host.anyMaster();
    nodeCursor = "0";
  } else {
    address = text.slice(at + 1);
    nodeCursor = text.slice(0, at);
  }
  const decode = request.decode;
  const next = (reply: RespValue): RespValue => {
    if (!Array.isArray(reply) || reply.length !== 2) return reply;
    const raw = reply[0];
    const c = raw instanceof Uint8Array
      ? new TextDecoder().decode(raw)
      : String(raw);
    let out: string;
    if (c !== "0") out = `${c}@${address}`;
    else {
      const following = masters.find((m) => m > address);
      out = following === undefined ? "0" : `0@${following}`;
    }
    return [out, reply[1]!];
  };
  return host.run(
    {
      ...request,
      args: [nodeCursor, ...rest],
      decode: (value, bigint) => {
        const rewritten = next(value);
        return decode === null ? rewritten : decode(rewritten, bigint);
      },
    },
    limits,
    { address },
    undefined,
    issued(limits),
  );
}
