// RESP encoder and decoder with no server: the client's own CPU per command
// and per reply, and the cost of large and trickled frames. The workloads
// are in _resp_workloads.ts. Normally two groups, "encode" and "decode"; with
// a baseline commit (deno task bench:baseline) each workload gets a group of
// its own, the working tree's code beside that commit's.

import { RespDecoder } from "../lib/resp/decoder.ts";
import { CommandEncoder } from "../lib/resp/encoder.ts";
import { baseline, benchSleeve } from "./_baseline.ts";
import { type RespWorkloads, respWorkloads } from "./_resp_workloads.ts";

const now = respWorkloads({ RespDecoder, CommandEncoder });
let then: RespWorkloads | undefined;
if (baseline !== undefined) {
  // The same workload code as a second module instance, around the
  // baseline's classes (at that commit's paths, which today's match).
  const [decoder, encoder, workloads] = await Promise.all([
    baseline.import<{ RespDecoder: typeof RespDecoder }>(
      "lib/resp/decoder.ts",
    ),
    baseline.import<{ CommandEncoder: typeof CommandEncoder }>(
      "lib/resp/encoder.ts",
    ),
    import("./_resp_workloads.ts?baseline") as Promise<
      typeof import("./_resp_workloads.ts")
    >,
  ]);
  then = workloads.respWorkloads({
    RespDecoder: decoder.RespDecoder,
    CommandEncoder: encoder.CommandEncoder,
  });
}

function bench(
  group: "encode" | "decode",
  name: string,
  first: boolean,
  workload: keyof RespWorkloads,
): void {
  if (then === undefined) {
    Deno.bench({ group, name, baseline: first, fn: now[workload] });
    return;
  }
  benchSleeve(
    {
      group: `${group}: ${name}`,
      name: "sleeve",
      baseline: true,
      fn: now[workload],
    },
    then[workload],
  );
}

bench("encode", "1,000 × SET key 100-byte value", true, "encodeSet");
bench("encode", "1,000 × GET key", false, "encodeGet");
bench(
  "decode",
  "1,000 pipelined 100-byte bulk replies in 64 KiB chunks",
  true,
  "decodePipelined",
);
bench("decode", "a 1 MiB bulk in 64 KiB chunks (binary)", false, "decodeBig");
bench(
  "decode",
  "a 32 MiB bulk trickled in 16 KiB chunks",
  false,
  "decodeTrickled",
);
