// What a subscriber connection needs to tell its frames apart: the pub/sub
// frame kinds (messages, and the confirmations of SUBSCRIBE and its family),
// and the commands the confirmations answer. Under RESP3 every one of them
// is a push frame; under RESP2 an array. A message is never a reply; a
// confirmation is the reply of the (un)subscribe command of its kind
// waiting at the head of the reply queue (the subscriber sends one channel
// per command, so each command gets exactly one), and otherwise a notice
// from the server (a shard channel whose slot moved away).

import type { RespValue } from "../resp/types.ts";
import type { RequestCommand } from "./connection.ts";
import { internalCommand } from "./_util.ts";

/** Not a pub/sub frame. */
export const NOT_PUBSUB = 0;
/** `message`: a channel message, `[kind, channel, message]`. */
export const MESSAGE = 1;
/** `pmessage`: a pattern message, `[kind, pattern, channel, message]`. */
export const PMESSAGE = 2;
/** `smessage`: a shard channel message, `[kind, channel, message]`. */
export const SMESSAGE = 3;
/** The first confirmation kind; `[kind, name, count]`. */
export const SUBSCRIBED = 4;
/** `psubscribe`. */
export const PSUBSCRIBED = 5;
/** `ssubscribe`. */
export const SSUBSCRIBED = 6;
/** `unsubscribe`. */
export const UNSUBSCRIBED = 7;
/** `punsubscribe`. */
export const PUNSUBSCRIBED = 8;
/** `sunsubscribe`. */
export const SUNSUBSCRIBED = 9;

/** The commands a subscriber sends, by what they subscribe to. */
export const SUBSCRIBE: RequestCommand = internalCommand("SUBSCRIBE");
export const PSUBSCRIBE: RequestCommand = internalCommand("PSUBSCRIBE");
export const SSUBSCRIBE: RequestCommand = internalCommand("SSUBSCRIBE");
export const UNSUBSCRIBE: RequestCommand = internalCommand("UNSUBSCRIBE");
export const PUNSUBSCRIBE: RequestCommand = internalCommand("PUNSUBSCRIBE");
export const SUNSUBSCRIBE: RequestCommand = internalCommand("SUNSUBSCRIBE");

/** The command each confirmation kind answers, by kind. */
const ANSWERS: readonly (RequestCommand | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
  SUBSCRIBE,
  PSUBSCRIBE,
  SSUBSCRIBE,
  UNSUBSCRIBE,
  PUNSUBSCRIBE,
  SUNSUBSCRIBE,
];

const KINDS: ReadonlyMap<string, number> = new Map([
  ["message", MESSAGE],
  ["pmessage", PMESSAGE],
  ["smessage", SMESSAGE],
  ["subscribe", SUBSCRIBED],
  ["psubscribe", PSUBSCRIBED],
  ["ssubscribe", SSUBSCRIBED],
  ["unsubscribe", UNSUBSCRIBED],
  ["punsubscribe", PUNSUBSCRIBED],
  ["sunsubscribe", SUNSUBSCRIBED],
]);

/** The longest kind name, in bytes. */
const LONGEST_KIND = 12;

/**
 * The pub/sub kind of a frame (a RESP3 push or a RESP2 array whose first
 * element names it, as text or as bytes), or {@linkcode NOT_PUBSUB}.
 */
export function frameKind(value: RespValue): number {
  if (!Array.isArray(value) || value.length < 3) return NOT_PUBSUB;
  const first = value[0];
  if (typeof first === "string") {
    // The hot case: a text message.
    if (first === "message") return MESSAGE;
    return KINDS.get(first) ?? NOT_PUBSUB;
  }
  if (!(first instanceof Uint8Array) || first.length > LONGEST_KIND) {
    return NOT_PUBSUB;
  }
  // 0x6d: "m" of "message", the hot case of a binary subscriber.
  if (first.length === 7 && first[0] === 0x6d && first[6] === 0x65) {
    return MESSAGE;
  }
  return KINDS.get(String.fromCharCode(...first)) ?? NOT_PUBSUB;
}

/** Whether a kind is a message (and never a reply). */
export function isMessage(kind: number): boolean {
  return kind >= MESSAGE && kind <= SMESSAGE;
}

/**
 * Whether a confirmation of `kind` answers `command` (the command waiting
 * at the head of the reply queue).
 */
export function answers(kind: number, command: RequestCommand): boolean {
  return ANSWERS[kind] === command;
}
