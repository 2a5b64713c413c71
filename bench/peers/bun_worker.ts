// Runs under Bun, not Deno (bench/peers/bun.ts starts it): Bun's built-in
// Redis client cannot run inside Deno, so the benches drive this long-lived
// child over a line protocol. Each request on stdin is one bench iteration,
// "<workload> <count>"; the answer on stdout, "ok" or "err <message>", comes
// once the whole iteration is done. Requests are handled one at a time.
//
//   empty 0     nothing (the IPC round trip alone)
//   check 0     "ok <length of bench:1m> <length of bench:seq>"
//   seq N       N sequential SET+GET pairs of a 100-byte value
//   raw N       the same on a raw Bun TCP socket, no client (Bun's floor)
//   get1m N     N sequential GETs of the 1 MiB value bench:1m, as bytes
//   burst N     N SETs of 100 bytes (keys burst:0..N-1) issued at once,
//               then all awaited
//
// Usage: bun bench/peers/bun_worker.ts <port>
//
// Bun's globals are declared here (what this file uses of them), so that
// `deno task check:bench` type-checks it too.

import process from "node:process";

interface BunRedisClient {
  connect(): Promise<void>;
  set(key: string, value: string): Promise<unknown>;
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  close(): void;
}

interface BunSocket {
  write(data: Uint8Array): number;
}

declare const Bun: {
  RedisClient: new (url: string) => BunRedisClient;
  connect(options: {
    hostname: string;
    port: number;
    socket: { data(socket: BunSocket, chunk: Uint8Array): void };
  }): Promise<BunSocket>;
};

const port = Number(process.argv[2]);
if (!Number.isInteger(port)) throw new Error("usage: bun_worker.ts <port>");

const client = new Bun.RedisClient(`redis://127.0.0.1:${port}`);
await client.connect();

const VALUE_100 = "v".repeat(100);

// --- The raw socket: pre-encoded commands, replies counted by length -------

const utf8 = new TextEncoder();
const SET_BYTES = utf8.encode(
  `*3\r\n$3\r\nSET\r\n$9\r\nbench:seq\r\n$100\r\n${VALUE_100}\r\n`,
);
const GET_BYTES = utf8.encode("*2\r\n$3\r\nGET\r\n$9\r\nbench:seq\r\n");
let received = 0;
let expected = 0;
let wake: (() => void) | undefined;
const raw = await Bun.connect({
  hostname: "127.0.0.1",
  port,
  socket: {
    data(_socket, chunk) {
      received += chunk.length;
      if (received >= expected && wake !== undefined) {
        const resolve = wake;
        wake = undefined;
        resolve();
      }
    },
  },
});
function rawRoundTrip(command: Uint8Array, replyLength: number): Promise<void> {
  received = 0;
  expected = replyLength;
  const done = new Promise<void>((resolve) => wake = resolve);
  raw.write(command);
  return done;
}

// --- Workloads ----------------------------------------------------------------

let burstKeys: string[] = [];
let burst: Promise<unknown>[] = [];

async function run(workload: string, count: number): Promise<string> {
  switch (workload) {
    case "empty":
      return "ok";
    case "check": {
      const big = await client.getBuffer("bench:1m");
      const seq = await client.get("bench:seq");
      return `ok ${big?.length ?? -1} ${seq?.length ?? -1}`;
    }
    case "seq":
      for (let i = 0; i < count; i++) {
        await client.set("bench:seq", VALUE_100);
        await client.get("bench:seq");
      }
      return "ok";
    case "raw":
      for (let i = 0; i < count; i++) {
        await rawRoundTrip(SET_BYTES, 5); // +OK\r\n
        await rawRoundTrip(GET_BYTES, 100 + 8); // $100\r\n...\r\n
      }
      return "ok";
    case "get1m":
      for (let i = 0; i < count; i++) await client.getBuffer("bench:1m");
      return "ok";
    case "burst":
      if (burstKeys.length !== count) {
        burstKeys = Array.from({ length: count }, (_, i) => `burst:${i}`);
        burst = new Array(count);
      }
      for (let i = 0; i < count; i++) {
        burst[i] = client.set(burstKeys[i]!, VALUE_100);
      }
      await Promise.all(burst);
      return "ok";
    default:
      return `err unknown workload ${workload}`;
  }
}

// --- The line protocol ----------------------------------------------------------

let buffered = "";
const text = new TextDecoder();
for await (const chunk of process.stdin) {
  buffered += text.decode(chunk as Uint8Array, { stream: true });
  let newline: number;
  while ((newline = buffered.indexOf("\n")) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    const [workload = "", count = "0"] = line.split(" ");
    let answer: string;
    try {
      answer = await run(workload, Number(count));
    } catch (error) {
      answer = `err ${String(error).replaceAll("\n", " ")}`;
    }
    process.stdout.write(`${answer}\n`);
  }
}
client.close();
process.exit(0);
