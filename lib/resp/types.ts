// The JavaScript shapes of RESP2/RESP3 values and the decoder's limits.
// Imports only errors; knows nothing about sockets or commands.

import type { ReplyError } from "../errors.ts";

/**
 * A decoded RESP2 or RESP3 value, as returned by
 * {@linkcode RespDecoder.next} and by `Redis.send()`.
 *
 * | RESP type                         | JavaScript value                                              |
 * | --------------------------------- | ------------------------------------------------------------- |
 * | simple string `+`                 | `string`                                                      |
 * | bulk string `$`, verbatim `=`     | `string` (UTF-8), or `Uint8Array` in binary mode; verbatim strings lose their `txt:` prefix |
 * | integer `:`                       | `number`, or `bigint` outside ±(2^53 − 1), so it is never rounded |
 * | null `_`, `$-1`, `*-1`            | `null`                                                        |
 * | double `,`                        | `number` (`Infinity`, `-Infinity`, `NaN`, `-0` kept)          |
 * | boolean `#`                       | `boolean`                                                     |
 * | big number `(`                    | `bigint`                                                      |
 * | error `-`, blob error `!`         | `ReplyError` (a value when nested; a rejection at top level)  |
 * | array `*`, push `>`               | `RespValue[]`                                                 |
 * | map `%`                           | `Map<RespValue, RespValue>`                                   |
 * | set `~`                           | `Set<RespValue>`                                              |
 * | attribute `\|`                    | dropped; the value it annotates is returned                   |
 *
 * Streamed strings (`$?`) and streamed aggregates (`*?`, `%?`, `~?`) decode
 * to the same values as their length-prefixed forms.
 *
 * @example Usage
 * ```ts
 * import type { RespValue } from "@sleeve/redis";
 *
 * const reply: RespValue = new Map<RespValue, RespValue>([["proto", 3]]);
 * console.log(reply);
 * ```
 */
export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | ReplyError
  | RespValue[]
  | Map<RespValue, RespValue>
  | Set<RespValue>;

/**
 * Limits the decoder enforces. A frame over a limit is a `ProtocolError`.
 *
 * @example Usage
 * ```ts
 * import { RespDecoder, type RespDecoderOptions } from "@sleeve/redis";
 *
 * const options: RespDecoderOptions = { maxBulkLength: 1024 * 1024 };
 * const decoder = new RespDecoder(options);
 * console.log(decoder.binary); // → false
 * ```
 */
export interface RespDecoderOptions {
  /**
   * The largest bulk string accepted, in bytes. A larger declared length is
   * rejected as soon as its header arrives.
   *
   * @default {536870912}
   */
  maxBulkLength?: number;
  /**
   * The deepest nesting of aggregates accepted.
   *
   * @default {1024}
   */
  maxDepth?: number;
  /**
   * The most elements one aggregate may declare (a map counts each key and
   * value).
   *
   * @default {4294967295}
   */
  maxElements?: number;
  /**
   * The longest line accepted for simple strings, errors and numbers, in bytes.
   *
   * @default {1048576}
   */
  maxLineLength?: number;
  /**
   * Decode bulk strings to `Uint8Array` instead of UTF-8 strings.
   *
   * @default {false}
   */
  binary?: boolean;
  /**
   * Decode the bulk strings of RESP3 push frames to `Uint8Array` instead of
   * UTF-8 strings (`binary` does not apply to push frames).
   *
   * @default {false}
   */
  pushBinary?: boolean;
}

/** 512 MiB, Redis's own `proto-max-bulk-len` default. */
export const DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;
/** Same bound as hiredis's `REDIS_READER_MAX_REPLY_DEPTH`. */
export const DEFAULT_MAX_DEPTH = 1024;
/** Same bound as hiredis's `REDIS_READER_MAX_ARRAY_ELEMENTS`. */
export const DEFAULT_MAX_ELEMENTS = 4294967295;
/** 1 MiB. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;
