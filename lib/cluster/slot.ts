// Owns the Redis Cluster hash slot of a key and of a whole request: CRC16
// (XMODEM) of the key's bytes, or of its hash tag, modulo 16384. Strings are
// hashed as their UTF-8 bytes without being encoded into a buffer, so neither
// form allocates.

import type { RedisArg } from "../resp/encoder.ts";
import type { Command } from "../commands/_command.ts";
import { keyIndexes } from "../commands/_key_positions.ts";
import { KEY_INCOMPLETE } from "../commands/_flags.ts";

/** The number of hash slots of a Redis Cluster. */
export const SLOTS = 16384;

/**
 * What {@linkcode requestSlot} answers for a request whose keys hash to
 * several slots: the server would reply `-CROSSSLOT`.
 */
export const CROSS_SLOT: unique symbol = Symbol("CROSS_SLOT");

const OPEN = 0x7b; // "{"
const CLOSE = 0x7d; // "}"

/** CRC16 with polynomial 0x1021, no reflection, initial value 0, by byte. */
const TABLE: Uint16Array = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc & 0x8000) !== 0 ? (crc << 1) ^ 0x1021 : crc << 1;
    }
    table[byte] = crc & 0xffff;
  }
  return table;
})();

/**
 * CRC16-XMODEM of `bytes[start..end)`, as Redis Cluster hashes keys
 * ("123456789" → 0x31C3).
 *
 * @param bytes The bytes.
 * @param start The first byte hashed.
 * @param end One past the last byte hashed.
 * @returns The 16-bit CRC.
 */
export function crc16(
  bytes: Uint8Array,
  start = 0,
  end: number = bytes.length,
): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xff00) ^ TABLE[((crc >>> 8) ^ bytes[i]!) & 0xff]!;
  }
  return crc;
}

/** Feeds one byte into a CRC16-XMODEM. */
function step(crc: number, byte: number): number {
  return ((crc << 8) & 0xff00) ^ TABLE[((crc >>> 8) ^ byte) & 0xff]!;
}

/**
 * CRC16-XMODEM of the UTF-8 encoding of `text[start..end)` (UTF-16 code
 * units), encoding as TextEncoder does: a lone surrogate becomes U+FFFD.
 */
function crc16Utf8(text: string, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      crc = step(crc, c);
      continue;
    }
    if (c < 0x800) {
      crc = step(crc, 0xc0 | (c >> 6));
      crc = step(crc, 0x80 | (c & 0x3f));
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        crc = step(crc, 0xf0 | (point >> 18));
        crc = step(crc, 0x80 | ((point >> 12) & 0x3f));
        crc = step(crc, 0x80 | ((point >> 6) & 0x3f));
        crc = step(crc, 0x80 | (point & 0x3f));
        continue;
      }
      c = 0xfffd;
    }
    crc = step(crc, 0xe0 | (c >> 12));
    crc = step(crc, 0x80 | ((c >> 6) & 0x3f));
    crc = step(crc, 0x80 | (c & 0x3f));
  }
  return crc;
}

/**
 * The hash slot of a key, as `CLUSTER KEYSLOT` computes it: CRC16-XMODEM
 * modulo 16384 of the key's bytes, or, when the key holds a hash tag (a
 * non-empty run between its first `{` and the next `}`), of the tag's bytes
 * only, so `{user1000}.following` and `{user1000}.followers` share a slot.
 * A string is hashed as its UTF-8 bytes. Allocates nothing.
 *
 * @param key The key.
 * @returns The slot, 0 to 16383.
 */
export function keySlot(key: string | Uint8Array): number {
  if (typeof key === "string") {
    // "{" and "}" never occur inside a multi-byte UTF-8 sequence, so the tag
    // found on UTF-16 code units is the tag of the bytes.
    const open = key.indexOf("{");
    if (open >= 0) {
      const close = key.indexOf("}", open + 1);
      if (close > open + 1) {
        return crc16Utf8(key, open + 1, close) & (SLOTS - 1);
      }
    }
    return crc16Utf8(key, 0, key.length) & (SLOTS - 1);
  }
  const open = key.indexOf(OPEN);
  if (open >= 0) {
    const close = key.indexOf(CLOSE, open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOTS - 1);
  }
  return crc16(key, 0, key.length) & (SLOTS - 1);
}

/** The slot of one argument, sent as the encoder sends it. */
function argSlot(arg: RedisArg): number {
  if (typeof arg === "string" || arg instanceof Uint8Array) {
    return keySlot(arg);
  }
  if (typeof arg === "bigint") return keySlot(String(arg));
  if (arg === Infinity) return keySlot("inf");
  if (arg === -Infinity) return keySlot("-inf");
  return keySlot(String(arg));
}

/**
 * Whether every call of `command` names exactly one key, at a fixed
 * position (GET, SET, HSET...; a call of the wrong arity names none).
 *
 * @param command The command, from `command()` or `resolve()` of _command.ts.
 */
export function hasOneKey(command: Command): boolean {
  const specs = command.keySpecs;
  if (specs.length !== 1) return false;
  const spec = specs[0]!;
  return spec.beginSearch === "index" && spec.findKeys === "range" &&
    spec.lastKey === 0 && (spec.flags & KEY_INCOMPLETE) === 0;
}

/**
 * The hash slot a request must be sent to: the slot of all its keys (shard
 * channels of `SPUBLISH`/`SSUBSCRIBE`/`SUNSUBSCRIBE` count as keys), found
 * with the command table's key positions.
 *
 * @param command The command, from `command()` or `resolve()` of _command.ts.
 * @param args The arguments after the command's name tokens.
 * @returns The slot; `undefined` when the request has no keys (any node, or
 *   the command's request policy, decides); {@linkcode CROSS_SLOT} when its
 *   keys hash to more than one slot.
 */
export function requestSlot(
  command: Command,
  args: readonly RedisArg[],
): number | undefined | typeof CROSS_SLOT {
  // The common case (GET, SET, HSET...: one key spec, one key at a fixed
  // position) without the general search's array.
  if (hasOneKey(command)) {
    const argc = command.tokens + args.length;
    const arity = command.arity;
    if (arity >= 0 ? argc !== arity : argc < -arity) return undefined;
    const key = args[command.keySpecs[0]!.index - command.tokens];
    return key === undefined ? undefined : argSlot(key);
  }
  const keys = keyIndexes(command, args, true);
  if (keys.length === 0) return undefined;
  const slot = argSlot(args[keys[0]!]!);
  for (let k = 1; k < keys.length; k++) {
    if (argSlot(args[keys[k]!]!) !== slot) return CROSS_SLOT;
  }
  return slot;
}
