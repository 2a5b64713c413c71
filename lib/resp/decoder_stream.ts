// A thin TransformStream over RespDecoder, for users who pipe raw RESP.

import { ProtocolError } from "../errors.ts";
import { RespDecoder } from "./decoder.ts";
import type { RespDecoderOptions, RespValue } from "./types.ts";

/**
 * Options of {@linkcode RespDecoderStream}.
 *
 * @example Usage
 * ```ts
 * import { RespDecoderStream, type RespDecoderStreamOptions } from "@sleeve/redis";
 *
 * const options: RespDecoderStreamOptions = { onPush: (push) => console.log(push) };
 * const stream = new RespDecoderStream(options);
 * console.log(stream.readable instanceof ReadableStream); // → true
 * ```
 */
export interface RespDecoderStreamOptions extends RespDecoderOptions {
  /**
   * Receives RESP3 push frames instead of the readable side. When omitted,
   * push frames are emitted on the readable side like arrays.
   *
   * @default {undefined}
   */
  onPush?: (push: RespValue[]) => void;
}

/**
 * Decodes a stream of RESP bytes into a stream of values, one per top-level
 * frame, with any chunking. A malformed stream errors the readable side with
 * a `ProtocolError`; bytes left incomplete at the end are an error too.
 *
 * @example Usage
 * ```ts
 * import { RespDecoderStream } from "@sleeve/redis";
 *
 * const bytes = new TextEncoder().encode("+OK\r\n:1\r\n$5\r\nhello\r\n");
 * const values = await Array.fromAsync(
 *   ReadableStream.from([bytes]).pipeThrough(new RespDecoderStream()),
 * );
 * console.log(values); // → ["OK", 1, "hello"]
 * ```
 */
export class RespDecoderStream
  extends TransformStream<Uint8Array<ArrayBuffer>, RespValue> {
  /**
   * Constructs a new instance.
   *
   * @param options Decoder limits, binary mode, and where push frames go.
   */
  constructor(options: RespDecoderStreamOptions = {}) {
    const decoder = new RespDecoder(options);
    const onPush = options.onPush;
    super({
      transform(chunk, controller) {
        decoder.feed(chunk);
        for (;;) {
          const value = decoder.next();
          if (value === undefined) return;
          if (
            onPush !== undefined && decoder.lastWasPush && Array.isArray(value)
          ) onPush(value);
          else controller.enqueue(value);
        }
      },
      flush() {
        if (decoder.inFrame) {
          throw new ProtocolError(
            "Cannot decode RESP stream: it ended inside a frame",
          );
        }
      },
    });
  }
}
