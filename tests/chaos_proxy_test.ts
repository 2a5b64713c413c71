// Proves the chaos proxy in tests/_support works before fault tests rely on
// it: each toxic against a real redis-server, with raw RESP clients.

import assert from "node:assert/strict";
import { startChaosProxy } from "./_support/chaos_proxy.ts";
import { startRedisServer } from "./_support/redis_server.ts";
import { encodeCommand, RawConnection } from "./_support/raw_connection.ts";

const decoder = new TextDecoder();
const PING = encodeCommand(["PING"]);
const PONG = "+PONG\r\n";

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` (no event to wait for: the proxy's counters). */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 2_000;
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }
    await delay(2);
  }
}

/** Resolves "timeout" unless `promise` settles within `ms`; clears its timer. */
async function within<T>(
  promise: Promise<T>,
  ms: number,
): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads raw bytes until EOF (a reset counts as EOF) or until `done(text)`:
 * the text and how many reads got data. Closes the connection and throws
 * `Deno.errors.TimedOut` after `timeoutMs`, so a broken toxic fails, not hangs.
 */
async function readRaw(
  client: RawConnection,
  done: (text: string) => boolean = () => false,
  timeoutMs = 5_000,
): Promise<{ text: string; reads: number }> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    client.close();
  }, timeoutMs);
  const buffer = new Uint8Array(64 * 1024);
  let text = "";
  let reads = 0;
  try {
    while (!done(text)) {
      let n: number | null;
      try {
        n = await client.conn.read(buffer);
      } catch (error) {
        if (timedOut) {
          throw new Deno.errors.TimedOut(
            `read ${JSON.stringify(text)} then nothing for ${timeoutMs} ms`,
          );
        }
        if (error instanceof Deno.errors.ConnectionReset) break;
        throw error;
      }
      if (n === null) break;
      reads++;
      text += decoder.decode(buffer.subarray(0, n));
    }
    return { text, reads };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Counts the timers started through `setTimeout` and not yet fired or
 * cleared, until disposed: the test sanitizers of Deno 2.9.6 do not report
 * a pending timer.
 */
function trackTimers(): { readonly active: number } & Disposable {
  const originalSet = globalThis.setTimeout;
  const originalClear = globalThis.clearTimeout;
  const active = new Set<unknown>();
  globalThis.setTimeout = ((
    handler: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const id = originalSet(() => {
      active.delete(id);
      handler(...args);
    }, ms);
    active.add(id);
    return id;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((id?: ReturnType<typeof setTimeout>) => {
    active.delete(id);
    originalClear(id);
  }) as typeof clearTimeout;
  return {
    get active() {
      return active.size;
    },
    [Symbol.dispose]() {
      globalThis.setTimeout = originalSet;
      globalThis.clearTimeout = originalClear;
    },
  };
}

Deno.test("startChaosProxy() forwards both ways and counts connections and bytes", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  assert.equal(proxy.url, `redis://127.0.0.1:${proxy.port}`);
  assert.equal(proxy.accepted, 0);
  assert.equal(proxy.connections, 0);
  const set = encodeCommand(["SET", "k", "v"]);
  {
    using first = await RawConnection.connect({ port: proxy.port });
    assert.equal(await first.command(["PING"]), PONG);
    assert.equal(proxy.accepted, 1);
    assert.equal(proxy.connections, 1);
    assert.equal(proxy.bytesUp, PING.length);
    assert.equal(proxy.bytesDown, PONG.length);

    using second = await RawConnection.connect({ port: proxy.port });
    await second.write(set);
    assert.equal(await second.readReply(), "+OK\r\n");
    assert.equal(proxy.accepted, 2);
    assert.equal(proxy.connections, 2);
    assert.equal(proxy.bytesUp, PING.length + set.length);
    assert.equal(proxy.bytesDown, PONG.length + "+OK\r\n".length);
  }
  // The clients closed: each pair follows.
  await waitFor(() => proxy.connections === 0, "both pairs to close");
  assert.equal(proxy.accepted, 2);
  using direct = await RawConnection.connect(server);
  assert.equal(await direct.command(["GET", "k"]), "$1\r\nv\r\n");
});

Deno.test("ChaosProxy.latency() delays each direction by at least ms and keeps order under jitter", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  using client = await RawConnection.connect({ port: proxy.port });
  assert.equal(await client.command(["PING"]), PONG);

  proxy.latency(50);
  const started = performance.now();
  assert.equal(await client.command(["PING"]), PONG);
  const elapsed = performance.now() - started;
  // Request and reply are each held 50 ms: a lower bound only.
  assert.ok(elapsed >= 100, `round trip took ${elapsed} ms`);

  // Jitter larger than the gaps between writes must not reorder anything.
  proxy.latency(1, 20);
  const count = 30;
  for (let i = 0; i < count; i++) {
    await client.write(encodeCommand(["ECHO", `m${i}`]));
  }
  for (let i = 0; i < count; i++) {
    const expected = `m${i}`;
    assert.equal(
      await client.readReply(),
      `$${expected.length}\r\n${expected}\r\n`,
      `reply ${i} (seed ${proxy.seed})`,
    );
  }
});

Deno.test("ChaosProxy delivers what the server sent before closing, then closes the pair", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  using client = await RawConnection.connect({ port: proxy.port });
  assert.equal(await client.command(["PING"]), PONG);
  // Under latency the +OK is still queued when the server's EOF arrives.
  proxy.latency(30);
  await client.write(encodeCommand(["QUIT"]));
  assert.deepEqual(await readRaw(client), { text: "+OK\r\n", reads: 1 });
  await waitFor(() => proxy.connections === 0, "the pair to close");
});

Deno.test("ChaosProxy.slice() delivers a large reply whole, in many reads", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  const value = Array.from(
    { length: 32 * 1024 },
    (_, i) => String.fromCharCode(97 + (i * 7) % 26),
  ).join("");
  {
    using direct = await RawConnection.connect(server);
    assert.equal(await direct.command(["SET", "big", value]), "+OK\r\n");
  }
  using client = await RawConnection.connect({ port: proxy.port });
  assert.equal(await client.command(["PING"]), PONG);
  const before = proxy.bytesDown;

  proxy.slice(1024, 1);
  const expected = `$${value.length}\r\n${value}\r\n`;
  await client.write(encodeCommand(["GET", "big"]));
  const { text, reads } = await readRaw(
    client,
    (text) => text.length >= expected.length,
  );
  assert.equal(text, expected, `seed ${proxy.seed}`);
  // Slices average ~512 bytes, 1 ms apart: ~64 of them.
  assert.ok(reads >= 10, `${reads} reads (seed ${proxy.seed})`);
  assert.equal(proxy.bytesDown - before, expected.length);
});

Deno.test("ChaosProxy.stall() holds data both ways until resume()", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  using direct = await RawConnection.connect(server);
  using subscriber = await RawConnection.connect({ port: proxy.port });
  assert.equal(
    await subscriber.command(["SUBSCRIBE", "ch"]),
    "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n",
  );
  using writer = await RawConnection.connect({ port: proxy.port });
  assert.equal(await writer.command(["PING"]), PONG);

  proxy.stall();
  await writer.write(encodeCommand(["SET", "k", "held"]));
  // The server sends the message to the proxy, which holds it.
  assert.equal(await direct.command(["PUBLISH", "ch", "hello"]), ":1\r\n");
  const message = subscriber.readReply({ timeoutMs: 5_000 });
  const ok = writer.readReply({ timeoutMs: 5_000 });
  assert.equal(await within(Promise.race([message, ok]), 200), "timeout");
  // The SET is held too: the server has not seen it.
  assert.equal(await direct.command(["GET", "k"]), "$-1\r\n");

  proxy.resume();
  assert.equal(
    await message,
    "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
  );
  assert.equal(await ok, "+OK\r\n");
  assert.equal(await direct.command(["GET", "k"]), "$4\r\nheld\r\n");
  assert.equal(proxy.connections, 2);
});

Deno.test("ChaosProxy.reset() closes current connections, data in flight included, and accepts new ones", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  using idle = await RawConnection.connect({ port: proxy.port });
  assert.equal(await idle.command(["PING"]), PONG);
  using busy = await RawConnection.connect({ port: proxy.port });
  assert.equal(await busy.command(["PING"]), PONG);
  proxy.stall();
  await busy.write(PING);

  proxy.reset();
  assert.equal(proxy.connections, 0);
  // RawConnection.readReply() answers null on EOF or reset.
  assert.equal(await idle.readReply({ timeoutMs: 5_000 }), null);
  assert.equal(await busy.readReply({ timeoutMs: 5_000 }), null);

  proxy.resume();
  using fresh = await RawConnection.connect({ port: proxy.port });
  assert.equal(await fresh.command(["PING"]), PONG);
  assert.equal(proxy.accepted, 3);
  assert.equal(proxy.connections, 1);
});

Deno.test("ChaosProxy.cutAfter(5) cuts a GET reply after exactly 5 bytes, then EOF", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  const value = "x".repeat(100);
  {
    using direct = await RawConnection.connect(server);
    assert.equal(await direct.command(["SET", "k", value]), "+OK\r\n");
  }
  using client = await RawConnection.connect({ port: proxy.port });
  assert.equal(await client.command(["PING"]), PONG);

  proxy.cutAfter(5);
  await client.write(encodeCommand(["GET", "k"]));
  assert.deepEqual(await readRaw(client), { text: "$100\r", reads: 1 });
  assert.equal(proxy.connections, 0);

  // Only the pairs open at the call are cut.
  using later = await RawConnection.connect({ port: proxy.port });
  assert.equal(await later.command(["GET", "k"]), `$100\r\n${value}\r\n`);
});

Deno.test("ChaosProxy.cutAfter() cuts a reply at every offset", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  for (let offset = 0; offset < PONG.length; offset++) {
    using client = await RawConnection.connect({ port: proxy.port });
    await waitFor(() => proxy.connections === 1, "the pair to open");
    proxy.cutAfter(offset);
    await client.write(PING);
    const { text } = await readRaw(client);
    assert.equal(text, PONG.slice(0, offset), `offset ${offset}`);
    await waitFor(() => proxy.connections === 0, "the pair to close");
  }
});

Deno.test("ChaosProxy.down() closes every connection and each new one until up()", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  using before = await RawConnection.connect({ port: proxy.port });
  assert.equal(await before.command(["PING"]), PONG);

  proxy.down();
  assert.equal(await before.readReply({ timeoutMs: 5_000 }), null);
  {
    // The kernel completes the handshake; the proxy accepts, then closes.
    using during = await RawConnection.connect({ port: proxy.port });
    assert.deepEqual(await readRaw(during), { text: "", reads: 0 });
  }
  assert.equal(proxy.accepted, 2);
  assert.equal(proxy.connections, 0);

  proxy.up();
  using after = await RawConnection.connect({ port: proxy.port });
  assert.equal(await after.command(["PING"]), PONG);
  assert.equal(proxy.accepted, 3);
  assert.equal(proxy.connections, 1);
});

Deno.test("ChaosProxy.clear() releases every toxic but keeps down()", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({ port: server.port });
  using client = await RawConnection.connect({ port: proxy.port });
  assert.equal(await client.command(["PING"]), PONG);

  proxy.cutAfter(1);
  proxy.latency(60_000);
  proxy.slice(1, 60_000);
  proxy.stall();
  await client.write(PING);
  const reply = client.readReply({ timeoutMs: 5_000 });
  assert.equal(await within(reply, 50), "timeout");
  proxy.clear();
  assert.equal(await reply, PONG);
  assert.equal(proxy.connections, 1);

  proxy.down();
  proxy.clear();
  {
    using refused = await RawConnection.connect({ port: proxy.port });
    assert.equal(await refused.readReply({ timeoutMs: 5_000 }), null);
  }
  proxy.up();
  using again = await RawConnection.connect({ port: proxy.port });
  assert.equal(await again.command(["PING"]), PONG);
});

Deno.test("ChaosProxy.close() closes every socket and timer, even with data held", async () => {
  await using server = await startRedisServer();
  using timers = trackTimers();
  const proxy = startChaosProxy({ port: server.port });
  using delayed = await RawConnection.connect({ port: proxy.port });
  assert.equal(await delayed.command(["PING"]), PONG);
  using stalled = await RawConnection.connect({ port: proxy.port });
  assert.equal(await stalled.command(["PING"]), PONG);

  proxy.latency(60_000);
  await delayed.write(PING);
  // Let the PING reach the proxy, so a latency timer is armed when closing.
  await delay(20);
  proxy.stall();
  await stalled.write(PING);
  await delay(20);

  await proxy.close();
  assert.equal(timers.active, 0);
  assert.equal(proxy.connections, 0);
  assert.equal(await delayed.readReply({ timeoutMs: 5_000 }), null);
  assert.equal(await stalled.readReply({ timeoutMs: 5_000 }), null);
  await proxy.close();
  await assert.rejects(
    Deno.connect({ hostname: "127.0.0.1", port: proxy.port }),
    Deno.errors.ConnectionRefused,
  );
  // The test sanitizers (ops, resources) check that nothing is left behind.
});

Deno.test("startChaosProxy() uses the given seed or a random one, and checks arguments", async () => {
  {
    await using seeded = startChaosProxy({ port: 1, seed: 42 });
    assert.equal(seeded.seed, 42);
  }
  await using proxy = startChaosProxy({ port: 1 });
  assert.ok(Number.isInteger(proxy.seed) && proxy.seed >= 0);
  assert.ok(proxy.seed < 2 ** 32);
  for (const seed of [-1, 1.5, 2 ** 32, NaN]) {
    assert.throws(() => startChaosProxy({ port: 1, seed }), RangeError);
  }
  assert.throws(() => proxy.latency(-1), RangeError);
  assert.throws(() => proxy.latency(1, Infinity), RangeError);
  assert.throws(() => proxy.slice(0), RangeError);
  assert.throws(() => proxy.slice(1.5), RangeError);
  assert.throws(() => proxy.slice(1, -1), RangeError);
  assert.throws(() => proxy.cutAfter(-1), RangeError);
  assert.throws(() => proxy.cutAfter(0.5), RangeError);
});
