// deno-lint-ignore-file no-console -- prints its figures.
// Sequential SET+GET pairs (each command awaited before the next), against
// two floors on the same server, run in alternating blocks in one process:
//
// - raw: hand-written RESP on Deno.connect, write then read into one reused
//   buffer, replies recognised by their length (what sequential_bench.ts
//   calls the floor);
// - raw-reader: the same bytes, but with sleeve's I/O shape: a read loop
//   always waiting on conn.read and a promise per command that it settles,
//   writes issued from a microtask. What Deno costs for that shape, with no
//   encoding, decoding or queue.
//
// Reports pairs/s and client CPU µs per pair (medians), and the ratios per
// round. Round trips on this machine are dominated by wake-up latency, which
// drifts with the load of the other core: compare within a round.
//
//   deno run -A bench/profile/sequential.ts [--rounds=9] [--pairs=5000] [--only=sleeve,raw,raw-reader] [--port=N]

import { connect } from "../../mod.ts";
import { rawPairs } from "../_raw_pairs.ts";
import { cpuMs, flag, median, startRedisServer } from "./_common.ts";

const ROUNDS = Number(flag("rounds", "9"));
const PAIRS = Number(flag("pairs", "5000"));
const ONLY = flag("only", "raw,raw-reader,sleeve").split(",");

// --port=N: use a running server (to compare with other runtimes on it).
const PORT = Number(flag("port", "0"));
await using server = PORT === 0 ? await startRedisServer() : undefined;
const port = PORT === 0 ? server!.port : PORT;
await using redis = await connect({ port });

const VALUE = "v".repeat(100);
const utf8 = new TextEncoder();
const SET_BYTES = utf8.encode(
  `*3\r\n$3\r\nSET\r\n$7\r\nseq:raw\r\n$100\r\n${VALUE}\r\n`,
);
const GET_BYTES = utf8.encode("*2\r\n$3\r\nGET\r\n$7\r\nseq:raw\r\n");
const SET_REPLY = 5; // +OK\r\n
const GET_REPLY = 100 + 8; // $100\r\n...\r\n

// --- raw: write, then read (the bench's floor) ---------------------------------------
using raw = await rawPairs(port, "seq:raw", VALUE);

// --- raw-reader: sleeve's shape ------------------------------------------------------
const shaped = await Deno.connect({ hostname: "127.0.0.1", port });
shaped.setNoDelay(true);
let expected = 0;
let received = 0;
let settle: (() => void) | undefined;
let pendingWrite: Uint8Array | undefined;
const shapedBuffer = new Uint8Array(64 * 1024);
void (async () => {
  for (;;) {
    // Closed at the end: a read cut short then is no failure.
    const n = await shaped.read(shapedBuffer).catch(() => null);
    if (n === null) return;
    received += n;
    if (received >= expected && settle !== undefined) {
      const done = settle;
      settle = undefined;
      done();
    }
  }
})();
const flush = () => {
  const data = pendingWrite!;
  pendingWrite = undefined;
  void shaped.write(data);
};

function shapedCommand(command: Uint8Array, replyLength: number) {
  received = 0;
  expected = replyLength;
  pendingWrite = command;
  queueMicrotask(flush);
  return new Promise<void>((resolve) => {
    settle = resolve;
  });
}

async function shapedPairs(): Promise<void> {
  for (let i = 0; i < PAIRS; i++) {
    await shapedCommand(SET_BYTES, SET_REPLY);
    await shapedCommand(GET_BYTES, GET_REPLY);
  }
}

// --- sleeve -----------------------------------------------------------------------
async function sleevePairs(): Promise<void> {
  for (let i = 0; i < PAIRS; i++) {
    await redis.set("seq:sleeve", VALUE);
    await redis.get("seq:sleeve");
  }
}

const variants: Record<string, () => Promise<void>> = {
  "raw": () => raw.pairs(PAIRS),
  "raw-reader": shapedPairs,
  "sleeve": sleevePairs,
};
if (await redis.set("seq:sleeve", VALUE) !== "OK") throw new Error("SET");
if (await redis.get("seq:sleeve") !== VALUE) throw new Error("GET");
for (const name of ONLY) await variants[name]!(); // warm-up

const rate: Record<string, number[]> = {};
const cpu: Record<string, number[]> = {};
for (const name of ONLY) {
  rate[name] = [];
  cpu[name] = [];
}
for (let r = 0; r < ROUNDS; r++) {
  // Rotate the order so no variant always runs first.
  const order = [
    ...ONLY.slice(r % ONLY.length),
    ...ONLY.slice(0, r % ONLY.length),
  ];
  for (const name of order) {
    const cpuStart = cpuMs();
    const started = performance.now();
    await variants[name]!();
    const ms = performance.now() - started;
    rate[name]!.push(PAIRS / (ms / 1000));
    cpu[name]!.push((cpuMs() - cpuStart) * 1000 / PAIRS);
  }
}
for (const name of ONLY) {
  console.log(
    `sequential SET+GET ${name} pairs/s: median ${
      median(rate[name]!).toFixed(0)
    } (${rate[name]!.map((f) => (f / 1000).toFixed(1)).join(" ")} k)`,
  );
  console.log(
    `sequential SET+GET ${name} client CPU µs per pair: median ${
      median(cpu[name]!).toFixed(1)
    }`,
  );
}
if (ONLY.includes("sleeve")) {
  for (const floor of ONLY.filter((name) => name !== "sleeve")) {
    const ratios = rate[floor]!.map((f, i) => f / rate.sleeve![i]!);
    console.log(
      `${floor}/sleeve pairs/s per round: median ${
        median(ratios).toFixed(3)
      } (${ratios.map((x) => x.toFixed(2)).join(" ")})`,
    );
  }
}
shaped.close();
