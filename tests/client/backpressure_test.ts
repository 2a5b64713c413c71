// Short writes and write backpressure against a frozen server: a 64 MiB SET
// cannot leave in one write (the kernel takes ~4 MiB),
// and 1,000 small SETs issued behind it wait for room in a 1 MiB write
// buffer. After the server resumes, every byte must have arrived once, in
// order, and every promise must resolve in issue order.

import assert from "node:assert/strict";
import { connect } from "../../mod.ts";
import {
  connectToFake,
  type FakeConnection,
  startFakeServer,
} from "../_support/fake_server.ts";
import { encodeCommand } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const BIG = 64 * 1024 * 1024;
const SMALL = 1_000;

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 64 KiB per call.
  for (let offset = 0; offset < length; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  }
  return bytes;
}

Deno.test("Redis writes a 64 MiB SET whole and 1,000 queued SETs after it, in order, across a frozen server", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxBufferedBytes: 1024 * 1024,
  });
  const big = randomBytes(BIG);
  const order: number[] = [];
  const track = (index: number, reply: Promise<"OK" | null>) =>
    reply.then((value) => {
      order.push(index);
      return value;
    });

  server.kill("SIGSTOP");
  let replies: Promise<"OK" | null>[];
  try {
    replies = [track(0, redis.set("big", big))];
    for (let i = 1; i <= SMALL; i++) {
      replies.push(track(i, redis.set(`small:${i}`, `value:${i}`)));
    }
    // One macrotask lets the flush microtask start writing. Nothing below
    // depends on how far it got: the kernel takes ~4 MiB from a peer that
    // does not read (fact 10), so the 64 MiB write is necessarily short and
    // still pending, and the 1,000 SETs (issued while 64 MiB were buffered,
    // over the 1 MiB high-water mark) necessarily waiting, when the server
    // resumes. (/proc/net/tcp would show the stuck bytes, but reading it
    // needs --allow-all.)
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    server.kill("SIGCONT");
  }

  assert.deepEqual(await Promise.all(replies), Array(SMALL + 1).fill("OK"));
  assert.deepEqual(order, Array.from({ length: SMALL + 1 }, (_, i) => i));

  assert.equal(await redis.strlen("big"), BIG);
  const samples = [
    0,
    4096,
    // Around where the first (short) write ended, ~3.7 MiB in.
    3_866_000,
    BIG / 2 - 1,
    BIG - 4096,
    ...Array.from(
      { length: 16 },
      () => Math.floor(Math.random() * (BIG - 4096)),
    ),
  ];
  for (const start of samples) {
    assert.deepEqual(
      await redis.binary.getrange("big", start, start + 4095),
      big.subarray(start, start + 4096),
      `bytes ${start}..${start + 4095}`,
    );
  }
  const whole = await redis.binary.get("big");
  assert.ok(whole !== null && whole.length === BIG);
  assert.equal(firstDifference(whole, big), -1);

  const keys = Array.from({ length: SMALL }, (_, i) => `small:${i + 1}`);
  assert.deepEqual(
    await redis.mget(...keys),
    keys.map((_, i) => `value:${i + 1}`),
  );
  assert.equal(await redis.dbsize(), SMALL + 1);
});

/** Index of the first differing byte, or -1 when equal. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

Deno.test("Redis admits commands waiting on a full write buffer in order, rejecting only an unencodable one", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxBufferedBytes: 1024 * 1024,
  });
  const errors: Event[] = [];
  redis.addEventListener("error", (event) => errors.push(event));
  const chunk = (i: number) => new Uint8Array(1024 * 1024).fill(i);
  const order: number[] = [];
  const outcomes: Promise<unknown>[] = [];
  server.kill("SIGSTOP");
  try {
    for (let i = 0; i < 100; i++) {
      // Each 1 MiB value fills the buffer, so every later command waits.
      const reply = i === 50
        ? redis.set(`chunk:${i}`, NaN)
        : redis.db(i % 3).set(`chunk:${i}`, chunk(i));
      outcomes.push(reply.then(
        (value) => {
          order.push(i);
          return value;
        },
        (error: unknown) => {
          order.push(i);
          return error;
        },
      ));
      if (i % 10 === 0) redis.fireAndForget.db(i % 3).incr("ff");
    }
    // See the first test: correctness below does not depend on this.
    await new Promise((resolve) => setTimeout(resolve, 0));
  } finally {
    server.kill("SIGCONT");
  }
  const results = await Promise.all(outcomes);
  results.forEach((result, i) => {
    if (i === 50) assert.ok(result instanceof TypeError, Deno.inspect(result));
    else assert.equal(result, "OK", `#${i}`);
  });
  // The refused one settles when it is refused, the rest in issue order.
  assert.deepEqual(
    order.filter((i) => i !== 50),
    Array.from({ length: 100 }, (_, i) => i).filter((i) => i !== 50),
  );
  assert.deepEqual(errors, []);
  for (const i of [0, 1, 49, 51, 99]) {
    const view = redis.db(i % 3);
    assert.equal(await view.strlen(`chunk:${i}`), 1024 * 1024);
    assert.deepEqual(
      await view.binary.getrange(`chunk:${i}`, 1000, 1003),
      new Uint8Array(4).fill(i),
    );
  }
  assert.equal(await redis.db(1).exists("chunk:50"), 0);
  let increments = 0;
  for (const db of [0, 1, 2]) {
    increments += Number(await redis.db(db).get("ff") ?? 0);
  }
  assert.equal(increments, 10);
});

/**
 * Reads one `SET big <size bytes>` from `conn` at about 6 MB/s, then
 * answers it: a server that is alive but slow to take a large command.
 */
async function readSlowly(conn: FakeConnection, size: number): Promise<void> {
  const expected = encodeCommand(["SET", "big", "x".repeat(size)]).length;
  const chunk = new Uint8Array(64 * 1024);
  for (let got = 0; got < expected;) {
    const n = await conn.conn.read(chunk);
    if (n === null) throw new Error(`client closed after ${got} bytes`);
    got += n;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await conn.write("+OK\r\n");
}

Deno.test("Redis never gives up on a slow server still taking a large command: neither the health check nor close()", async (t) => {
  for (const mode of ["pingInterval", "close()"] as const) {
    await t.step(mode, async () => {
      await using fake = await startFakeServer();
      const { redis, conn } = await connectToFake(fake, {
        // Well over a second: in a parallel test run on two cores a worker
        // can go without CPU for about that long, which is no sign of a
        // dead server.
        connectTimeout: 2_000,
        pingInterval: mode === "pingInterval" ? 100 : undefined,
        reconnect: false,
      });
      // 32 MiB at ~6 MB/s: over 4 s with no reply possible, since the
      // server cannot answer a command it has not read whole.
      const size = 32 * 1024 * 1024;
      const set = redis.set("big", "x".repeat(size));
      const server = readSlowly(conn, size);
      const started = performance.now();
      if (mode === "close()") await redis.close();
      assert.equal(await set, "OK");
      await server;
      assert.ok(performance.now() - started > 3_000, "the upload was fast");
      if (mode === "pingInterval") await redis.close();
      conn.close();
    });
  }
});

Deno.test("Redis keeps maxQueued and maxBufferedBytes for a burst queued behind a with() command", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({
    port: server.port,
    maxQueued: 10,
    maxBufferedBytes: 1024,
  });
  const first = redis.with({ signal: new AbortController().signal }).set(
    "first",
    "1",
  );
  let refused = 0;
  const accepted: Promise<unknown>[] = [];
  for (let i = 0; i < 2_000; i++) {
    const set = redis.set(`k${i}`, "v".repeat(32));
    accepted.push(set.catch((error) => {
      assert.match(error.message, /maxQueued/);
      refused++;
      return "refused";
    }));
  }
  assert.equal(await first, "OK");
  const outcomes = await Promise.all(accepted);
  assert.ok(refused > 1_000, `only ${refused} of 2,000 refused`);
  const written = outcomes.filter((o) => o === "OK").length;
  assert.equal(written + refused, 2_000);
  assert.equal(await redis.dbsize(), written + 1);
});
