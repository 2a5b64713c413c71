// The RESP encoder and decoder workloads of resp_bench.ts, built around the
// classes they are given: the working tree's, or (loaded a second time as
// `_resp_workloads.ts?baseline`, so its function literals and their type
// feedback are its own) a baseline commit's. Inputs are built here and each
// output checked once, so a broken fast path is never measured.

import type { RespDecoder } from "../lib/resp/decoder.ts";
import type { CommandEncoder } from "../lib/resp/encoder.ts";

/** The classes measured. */
export interface Resp {
  RespDecoder: typeof RespDecoder;
  CommandEncoder: typeof CommandEncoder;
}

/** One iteration of each workload. */
export interface RespWorkloads {
  encodeSet(): void;
  encodeGet(): void;
  decodePipelined(): void;
  decodeBig(): void;
  decodeTrickled(): void;
}

const utf8 = new TextEncoder();

/** Builds the inputs, checks the outputs once, and returns the workloads. */
export function respWorkloads(
  { RespDecoder, CommandEncoder }: Resp,
): RespWorkloads {
  const encoder = new CommandEncoder(512 * 1024 * 1024);
  const VALUE = "v".repeat(100);
  encoder.encode(["SET", "key:1", VALUE]);
  const expected = `*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$100\r\n${VALUE}\r\n`;
  if (new TextDecoder().decode(encoder.take()) !== expected) {
    throw new Error("encoder output changed");
  }

  const PIPELINED = utf8.encode(`$100\r\n${VALUE}\r\n`.repeat(1_000));
  const BIG = new Uint8Array(1024 * 1024 + 20);
  BIG.set(utf8.encode("$1048576\r\n"));
  BIG.set(utf8.encode("\r\n"), BIG.length - 2 - 8);
  const BIG_FRAME = BIG.subarray(0, 10 + 1024 * 1024 + 2);
  const TRICKLE_SIZE = 32 * 1024 * 1024;
  const TRICKLE_HEADER = utf8.encode(`$${TRICKLE_SIZE}\r\n`);
  // Separate chunks made up front: the decoder keeps views of the chunks of a
  // large bulk, so one chunk cannot be fed twice, and copying inside the timed
  // body would be counted as decoding.
  const TRICKLE_CHUNKS = Array.from(
    { length: TRICKLE_SIZE / (16 * 1024) },
    () => new Uint8Array(16 * 1024).fill(0x61),
  );
  const CRLF = utf8.encode("\r\n");

  function decodeAll(
    bytes: Uint8Array<ArrayBuffer>,
    chunk: number,
    binary = false,
  ): number {
    const decoder = new RespDecoder({ binary });
    let count = 0;
    for (let i = 0; i < bytes.length; i += chunk) {
      decoder.feed(bytes.subarray(i, i + chunk));
      while (decoder.next() !== undefined) count++;
    }
    return count;
  }
  if (decodeAll(PIPELINED, 64 * 1024) !== 1_000) {
    throw new Error("pipelined decode changed");
  }
  if (decodeAll(BIG_FRAME, 64 * 1024, true) !== 1) {
    throw new Error("1 MiB decode changed");
  }

  return {
    encodeSet() {
      for (let i = 0; i < 1_000; i++) encoder.encode(["SET", "key:1", VALUE]);
      encoder.release(encoder.take());
    },
    encodeGet() {
      for (let i = 0; i < 1_000; i++) encoder.encode(["GET", "key:1"]);
      encoder.release(encoder.take());
    },
    decodePipelined() {
      decodeAll(PIPELINED, 64 * 1024);
    },
    decodeBig() {
      decodeAll(BIG_FRAME, 64 * 1024, true);
    },
    decodeTrickled() {
      const decoder = new RespDecoder();
      decoder.feed(TRICKLE_HEADER);
      decoder.next();
      for (const chunk of TRICKLE_CHUNKS) {
        decoder.feed(chunk);
        decoder.next();
      }
      decoder.feed(CRLF.slice());
      if (decoder.next() === undefined) {
        throw new Error("trickled bulk not decoded");
      }
    },
  };
}
