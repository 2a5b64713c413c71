// Pub/sub: subscribe(), psubscribe() and ssubscribe() return subscriptions
// that iterate their messages, on a subscriber connection of the client's
// own (one per bulk type), with reference counting per channel, bounded
// buffers, restoration after a reconnection with the gap reported, and
// keyspace notifications. Under both protocols wherever the wire differs
// (RESP2 subscribe-mode arrays, RESP3 pushes).

import assert from "node:assert/strict";
import {
  connect,
  ConnectionError,
  type PubSubMessage,
  type Redis,
  ReplyError,
  type Subscription,
  type SubscriptionDropEvent,
  type SubscriptionGapEvent,
  TimeoutError,
} from "../../mod.ts";
import { Inbox } from "../../lib/inbox.ts";
import { commandCalls, resetCommandStats } from "../_support/commandstats.ts";
import { until } from "../_support/events.ts";
import { PROTOCOLS } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();
const gc = (globalThis as { gc?: () => void }).gc;

/** Reads `count` messages, failing when one takes longer than `ms`. */
async function take<B extends string | Uint8Array>(
  subscription: Subscription<B>,
  count: number,
  ms = 10_000,
): Promise<PubSubMessage<B>[]> {
  const messages: PubSubMessage<B>[] = [];
  while (messages.length < count) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), ms);
    });
    const next = await Promise.race([subscription.next(), late]);
    clearTimeout(timer);
    if (next === "late") {
      assert.fail(`received ${messages.length} of ${count} messages in time`);
    }
    if (next.done) assert.fail(`ended after ${messages.length} messages`);
    messages.push(next.value);
  }
  return messages;
}

/** A client per protocol on `port`, each over an empty server. */
async function eachClient(
  port: number,
  fn: (redis: Redis, protocol: 2 | 3) => Promise<void>,
): Promise<void> {
  for (const protocol of PROTOCOLS) {
    await using redis = await connect({ port, protocol });
    await redis.flushall();
    await fn(redis, protocol);
  }
}

Deno.test("subscribe() delivers { channel, message } (no pattern) once the server confirmed", async () => {
  await using server = await startRedisServer();
  await eachClient(server.port, async (redis) => {
    await using news = await redis.subscribe("news", "sports");
    // Confirmed: a PUBLISH right after finds the subscriber.
    assert.equal(await redis.publish("news", "hello"), 1);
    assert.equal(await redis.publish("sports", "goal"), 1);
    assert.equal(await redis.publish("weather", "rain"), 0);
    const [first, second] = await take(news, 2);
    assert.deepStrictEqual(first, { channel: "news", message: "hello" });
    assert.deepStrictEqual(second, { channel: "sports", message: "goal" });
    assert.ok(!("pattern" in first!));
    assert.equal(news.buffered, 0);
    assert.equal(news.dropped, 0);
    assert.equal(news.closed, false);
  });
});

Deno.test("psubscribe() delivers { channel, message, pattern }; a channel matched by two patterns arrives once per pattern", async () => {
  await using server = await startRedisServer();
  await eachClient(server.port, async (redis) => {
    await using news = await redis.psubscribe("news.*", "*.tech");
    assert.equal(await redis.publish("news.tech", "chips"), 2);
    const messages = await take(news, 2);
    assert.deepStrictEqual(
      messages.map((m) => m.pattern).sort(),
      ["*.tech", "news.*"],
    );
    for (const message of messages) {
      assert.equal(message.channel, "news.tech");
      assert.equal(message.message, "chips");
    }
  });
});

Deno.test("ssubscribe() delivers spublish() messages, and only those", async () => {
  await using server = await startRedisServer();
  await eachClient(server.port, async (redis) => {
    await using orders = await redis.ssubscribe("orders:{1}");
    assert.equal(await redis.publish("orders:{1}", "plain"), 0);
    assert.equal(await redis.spublish("orders:{1}", "paid"), 1);
    const [message] = await take(orders, 1);
    assert.deepStrictEqual(message, { channel: "orders:{1}", message: "paid" });
  });
});

Deno.test("binary views subscribe with Uint8Array channels, patterns and messages, byte-exact", async () => {
  await using server = await startRedisServer();
  const channel = new Uint8Array([0xff, 0x00, 0x0d, 0x0a, 0x80]);
  const payload = new Uint8Array([0xc3, 0x28, 0x00, 0xff, 0x0d, 0x0a]);
  await eachClient(server.port, async (redis) => {
    await using bytes = await redis.binary.subscribe(channel, "text");
    await using pattern = await redis.binary.psubscribe("te*");
    await using shard = await redis.binary.ssubscribe(channel);
    // The same channel on a string view: its own subscriber connection.
    await using text = await redis.subscribe("text");
    assert.equal(await redis.publish(channel, payload), 1);
    assert.equal(await redis.publish("text", "é"), 3);
    assert.equal(await redis.spublish(channel, payload), 1);
    const [a, b] = await take(bytes, 2);
    assert.deepStrictEqual(a, { channel, message: payload });
    assert.deepStrictEqual(b, {
      channel: utf8.encode("text"),
      message: utf8.encode("é"),
    });
    const [p] = await take(pattern, 1);
    assert.deepStrictEqual(p, {
      channel: utf8.encode("text"),
      message: utf8.encode("é"),
      pattern: utf8.encode("te*"),
    });
    assert.deepStrictEqual(await take(shard, 1), [
      { channel, message: payload },
    ]);
    assert.deepStrictEqual(await take(text, 1), [
      { channel: "text", message: "é" },
    ]);
  });
});

Deno.test("subscriptions are counted per channel: one SUBSCRIBE for the first, one UNSUBSCRIBE for the last", async () => {
  await using server = await startRedisServer();
  await eachClient(server.port, async (redis) => {
    await resetCommandStats(redis);
    const a = await redis.subscribe("shared", "a-only");
    const b = await redis.subscribe("shared");
    const c = await redis.psubscribe("sha*");
    let calls = await commandCalls(redis);
    assert.equal(calls.subscribe, 2);
    assert.equal(calls.psubscribe, 1);
    // One subscriber connection holds them all.
    assert.deepStrictEqual({ ...await redis.pubsubNumsub("shared") }, {
      shared: 1,
    });
    assert.equal(await redis.publish("shared", "1"), 2);
    assert.deepStrictEqual((await take(a, 1))[0]!.message, "1");
    assert.deepStrictEqual((await take(b, 1))[0]!.message, "1");
    assert.deepStrictEqual((await take(c, 1))[0]!.message, "1");

    await a.unsubscribe();
    calls = await commandCalls(redis);
    // "a-only" had no other subscription; "shared" still has b.
    assert.equal(calls.unsubscribe, 1);
    assert.deepStrictEqual(
      { ...await redis.pubsubNumsub("shared", "a-only") },
      {
        shared: 1,
        "a-only": 0,
      },
    );
    assert.equal(await redis.publish("shared", "2"), 2);
    assert.deepStrictEqual((await take(b, 1))[0]!.message, "2");
    await b.unsubscribe();
    await c.unsubscribe();
    calls = await commandCalls(redis);
    assert.equal(calls.unsubscribe, 2);
    assert.equal(calls.punsubscribe, 1);
    assert.equal(await redis.publish("shared", "3"), 0);
    // Again from none: a new SUBSCRIBE.
    await using d = await redis.subscribe("shared");
    assert.equal((await commandCalls(redis)).subscribe, 3);
    assert.equal(await redis.publish("shared", "4"), 1);
    assert.deepStrictEqual((await take(d, 1))[0]!.message, "4");
  });
});

Deno.test("a subscription that lists a channel twice receives each message once", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await using twice = await redis.subscribe("dup", "dup");
  await redis.publish("dup", "x");
  await redis.publish("dup", "y");
  assert.deepStrictEqual((await take(twice, 2)).map((m) => m.message), [
    "x",
    "y",
  ]);
  assert.equal(twice.buffered, 0);
});

Deno.test("unsubscribe(), break and await using end the iteration normally and leave the channel", async () => {
  await using server = await startRedisServer();
  await eachClient(server.port, async (redis) => {
    // unsubscribe() ends a next() that is waiting, and discards the buffer.
    const waiting = await redis.subscribe("w");
    const pending = waiting.next();
    await redis.publish("w", "buffered?");
    assert.deepStrictEqual(await pending, {
      value: { channel: "w", message: "buffered?" },
      done: false,
    });
    await redis.publish("w", "discarded");
    await until(() => waiting.buffered === 1, "a buffered message");
    const next = waiting.next();
    const afterwards = waiting.next();
    assert.deepStrictEqual(await next, {
      value: { channel: "w", message: "discarded" },
      done: false,
    });
    const ended = waiting.next();
    await waiting.unsubscribe();
    assert.deepStrictEqual(await afterwards, { done: true, value: undefined });
    assert.deepStrictEqual(await ended, { done: true, value: undefined });
    assert.ok(waiting.closed);
    assert.equal(await redis.publish("w", "late"), 0);
    // Safe twice.
    await waiting.unsubscribe();

    // break out of for await.
    const loop = await redis.subscribe("b");
    await redis.publish("b", "1");
    await redis.publish("b", "2");
    const seen: string[] = [];
    for await (const { message } of loop) {
      seen.push(message);
      if (seen.length === 1) break;
    }
    assert.deepStrictEqual(seen, ["1"]);
    assert.ok(loop.closed);
    assert.equal(await redis.publish("b", "3"), 0);
    assert.deepStrictEqual(await loop.next(), { done: true, value: undefined });

    // await using.
    {
      await using _scoped = await redis.subscribe("s");
      assert.equal(await redis.publish("s", "x"), 1);
    }
    assert.equal(await redis.publish("s", "y"), 0);

    // A throw out of the loop unsubscribes too.
    const thrown = await redis.psubscribe("t*");
    await redis.publish("t1", "x");
    await assert.rejects(
      (async () => {
        for await (const _ of thrown) throw new Error("consumer failed");
      })(),
      /consumer failed/,
    );
    assert.ok(thrown.closed);
    assert.equal(await redis.pubsubNumpat(), 0);
  });
});

Deno.test("subscribe() refuses bad arguments before anything is sent", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await resetCommandStats(redis);
  await assert.rejects(redis.subscribe(), TypeError, "at least one channel");
  await assert.rejects(redis.psubscribe([]), TypeError, "at least one pattern");
  await assert.rejects(
    // @ts-expect-error: a number is not a channel
    redis.subscribe(1),
    TypeError,
    "string or a Uint8Array",
  );
  for (const bufferSize of [0, -1, 1.5, NaN]) {
    await assert.rejects(
      redis.subscribe(["c"], { bufferSize }),
      RangeError,
      "bufferSize",
    );
  }
  await assert.rejects(
    // @ts-expect-error: not a policy
    redis.subscribe(["c"], { overflow: "block" }),
    TypeError,
    "overflow",
  );
  // The array form takes options; the variadic one does not.
  await using _ok = await redis.subscribe(["c"], { bufferSize: Infinity });
  assert.equal((await commandCalls(redis)).subscribe, 1);
});

Deno.test("send() refuses the SUBSCRIBE family, naming subscribe() and unsubscribe()", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const cases: [string, RegExp][] = [
    ["SUBSCRIBE", /redis\.subscribe\(/],
    ["PSUBSCRIBE", /redis\.psubscribe\(/],
    ["SSUBSCRIBE", /redis\.ssubscribe\(/],
    ["UNSUBSCRIBE", /unsubscribe\(\)/],
    ["PUNSUBSCRIBE", /unsubscribe\(\)/],
    ["SUNSUBSCRIBE", /unsubscribe\(\)/],
  ];
  for (const [command, pattern] of cases) {
    await assert.rejects(redis.send(command, "ch"), (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, new RegExp(`^Cannot send ${command}: `));
      assert.match(error.message, pattern);
      return true;
    });
  }
});

Deno.test("the server's refusal of a channel rejects subscribe(), subscribed to nothing", async () => {
  await using server = await startRedisServer();
  await using admin = await connect({ port: server.port });
  await admin.aclSetuser(
    "limited",
    "on",
    ">pw",
    "~*",
    "resetchannels",
    "&allowed*",
    "+@all",
  );
  for (const protocol of PROTOCOLS) {
    await using redis = await connect({
      port: server.port,
      protocol,
      username: "limited",
      password: "pw",
    });
    await assert.rejects(
      redis.subscribe("allowed", "forbidden"),
      (error) => {
        assert.ok(error instanceof ReplyError, String(error));
        assert.equal(error.code, "NOPERM");
        return true;
      },
    );
    // Nothing left subscribed, and the connection still works.
    assert.deepStrictEqual({ ...await admin.pubsubNumsub("allowed") }, {
      allowed: 0,
    });
    await using ok = await redis.subscribe("allowed");
    assert.equal(await admin.publish("allowed", "hi"), 1);
    assert.deepStrictEqual(await take(ok, 1), [{
      channel: "allowed",
      message: "hi",
    }]);
  }
});

Deno.test("100,000 messages, text and binary, from awaited and fire-and-forget publishers, arrive in order on channel and pattern subscriptions at once", async () => {
  await using server = await startRedisServer({
    args: ["--client-output-buffer-limit", "pubsub 0 0 0"],
  });
  const N = 100_000;
  const binaryPayload = (i: number) =>
    new Uint8Array([0xff, 0x00, i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff]);
  for (const protocol of PROTOCOLS) {
    await using redis = await connect({ port: server.port, protocol });
    const options = { bufferSize: Infinity };
    const subscriptions = [
      await redis.subscribe(["ord"], options),
      await redis.psubscribe(["or?"], options),
      await redis.binary.subscribe(["ord"], options),
      await redis.binary.psubscribe(["or?"], options),
    ] as Subscription<string | Uint8Array>[];
    const received = subscriptions.map(async (subscription, s) => {
      const binary = s >= 2;
      let i = 0;
      for await (const { channel, message, pattern } of subscription) {
        if (binary) {
          assert.deepStrictEqual(channel, utf8.encode("ord"));
          const expected = i % 2 === 0
            ? utf8.encode(`text ${i}`)
            : binaryPayload(i);
          if (
            !(message instanceof Uint8Array) ||
            message.length !== expected.length ||
            !message.every((byte, k) => byte === expected[k])
          ) {
            assert.fail(`message ${i} of subscription ${s}: ${message}`);
          }
        } else {
          assert.equal(channel, "ord");
          // A binary payload arrives decoded as UTF-8 (lossy) on a string view.
          if (i % 2 === 0 && message !== `text ${i}`) {
            assert.fail(`message ${i} of subscription ${s}: ${message}`);
          }
        }
        if (s % 2 === 1) {
          assert.deepStrictEqual(pattern, binary ? utf8.encode("or?") : "or?");
        }
        if (++i === N) break;
      }
      return i;
    });
    const replies: Promise<number>[] = [];
    for (let i = 0; i < N; i++) {
      const payload = i % 2 === 0 ? `text ${i}` : binaryPayload(i);
      switch (i % 5) {
        case 0:
          if (i % 1000 === 0) {
            // An awaited caller, one at a time.
            assert.equal(await redis.publish("ord", payload), 4);
            break;
          }
          replies.push(redis.publish("ord", payload));
          break;
        case 1:
          redis.fireAndForget.publish("ord", payload);
          break;
        case 2:
          replies.push(redis.binary.publish("ord", payload));
          break;
        case 3:
          redis.binary.fireAndForget.publish("ord", payload);
          break;
        default:
          replies.push(redis.db(1).publish("ord", payload));
      }
    }
    for (const reply of await Promise.all(replies)) assert.equal(reply, 4);
    assert.deepStrictEqual(await Promise.all(received), [N, N, N, N]);
    for (const subscription of subscriptions) {
      assert.equal(subscription.dropped, 0);
      assert.ok(subscription.closed, `protocol ${protocol}`);
    }
  }
});

Deno.test("a consumer that stops reading while 1,000,000 messages arrive keeps memory bounded, and the dropped count is exact", async () => {
  assert.ok(gc, "run with --v8-flags=--expose-gc");
  await using server = await startRedisServer({
    args: ["--client-output-buffer-limit", "pubsub 0 0 0"],
  });
  await using redis = await connect({ port: server.port });
  const N = 1_000_000;
  const SIZE = 1_000;
  const BATCH = 50_000;
  const publish = redis.script(`
    for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do
      redis.call("PUBLISH", "flood", "message " .. i)
    end
    return 0
  `);
  await using slow = await redis.subscribe(["flood"], { bufferSize: SIZE });
  let reported = 0;
  let events = 0;
  slow.addEventListener("drop", (event: SubscriptionDropEvent) => {
    reported += event.count;
    events++;
    assert.equal(event.total, reported);
  });
  gc!();
  gc!();
  const before = Deno.memoryUsage().heapUsed;
  let peak = 0;
  for (let first = 1; first <= N; first += BATCH) {
    await publish.run([], [first, first + BATCH - 1]);
    // Received as fast as published: the subscriber never lags far.
    await until(
      () => slow.dropped + slow.buffered === first + BATCH - 1,
      `message ${first + BATCH - 1}`,
      30_000,
    );
    gc!();
    peak = Math.max(peak, Deno.memoryUsage().heapUsed - before);
  }
  assert.equal(slow.buffered, SIZE);
  assert.equal(slow.dropped, N - SIZE);
  // The last drop event has been dispatched (one per batch of reads).
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(reported, N - SIZE);
  assert.ok(events < N / 100, `${events} drop events`);
  // 1,000 messages kept: well under 16 MB, where keeping every message
  // would take over 100 MB.
  assert.ok(
    peak < 16 * 1024 * 1024,
    `heap grew by ${(peak / 1024 / 1024).toFixed(1)} MB`,
  );
  // drop-oldest: the newest 1,000 are kept, in order.
  const kept = await take(slow, SIZE);
  assert.equal(kept[0]!.message, `message ${N - SIZE + 1}`);
  assert.equal(kept[SIZE - 1]!.message, `message ${N}`);
  for (let i = 1; i < SIZE; i++) {
    assert.equal(kept[i]!.message, `message ${N - SIZE + 1 + i}`);
  }
});

Deno.test("overflow: drop-newest keeps the oldest messages in order, and drop events add up to the exact count", async () => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await using redis = await connect({ port: server.port, protocol });
    await using oldest = await redis.subscribe(["q"], {
      bufferSize: 10,
      overflow: "drop-newest",
    });
    await using newest = await redis.binary.subscribe(["q"], {
      bufferSize: 10,
    });
    const counts = [0, 0];
    oldest.addEventListener("drop", (e) => counts[0]! += e.count);
    newest.addEventListener("drop", (e) => counts[1]! += e.count);
    for (let i = 0; i < 1000; i++) redis.fireAndForget.publish("q", `${i}`);
    await redis.ping();
    await until(
      () => oldest.dropped === 990 && newest.dropped === 990,
      "drops",
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepStrictEqual(counts, [990, 990]);
    assert.deepStrictEqual(
      (await take(oldest, 10)).map((m) => m.message),
      ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
    );
    const decoder = new TextDecoder();
    assert.deepStrictEqual(
      (await take(newest, 10)).map((m) => decoder.decode(m.message)),
      ["990", "991", "992", "993", "994", "995", "996", "997", "998", "999"],
    );
    // Reading made room: the next one is kept.
    await redis.publish("q", "after");
    assert.equal((await take(oldest, 1))[0]!.message, "after");
  }
});

Deno.test("after the server restarts every subscription is restored, the gap is reported where it happened, and later messages arrive", async () => {
  await using server = await startRedisServer();
  const clients = await Promise.all(
    PROTOCOLS.map((protocol) => connect({ port: server.port, protocol })),
  );
  try {
    const subscriptions: Subscription<string | Uint8Array>[] = [];
    for (const redis of clients) {
      subscriptions.push(
        await redis.subscribe("events", "other"),
        await redis.psubscribe("ev*"),
        await redis.binary.ssubscribe("events"),
      );
    }
    // Each consumer records messages and the gap event, in the order seen.
    const logs = subscriptions.map(() => [] as string[]);
    const restored = subscriptions.map((subscription, i) =>
      new Promise<SubscriptionGapEvent>((resolve) => {
        subscription.addEventListener("gap", (event) => {
          logs[i]!.push("gap");
          resolve(event);
        });
      })
    );
    const consumers = subscriptions.map(async (subscription, i) => {
      const decoder = new TextDecoder();
      for await (const { message } of subscription) {
        const text = typeof message === "string"
          ? message
          : decoder.decode(message);
        logs[i]!.push(text);
        if (text === "after") break;
      }
    });
    const publisher = clients[0]!;
    await publisher.publish("events", "before");
    await publisher.spublish("events", "before");
    await until(() => logs.every((log) => log.length === 1), "before");

    await server.restart();
    const gaps = await Promise.all(restored);
    for (const gap of gaps) assert.ok(gap.error instanceof ConnectionError);
    // Restored on the new server: every message published now arrives.
    assert.deepStrictEqual({ ...await publisher.pubsubNumsub("events") }, {
      events: 2,
    });
    // Unique patterns: both clients' "ev*".
    assert.equal(await publisher.pubsubNumpat(), 1);
    assert.equal(await publisher.publish("events", "after"), 4);
    assert.equal(await publisher.spublish("events", "after"), 2);
    await Promise.all(consumers);
    for (const [i, log] of logs.entries()) {
      assert.deepStrictEqual(log, ["before", "gap", "after"], `#${i}`);
      assert.equal(subscriptions[i]!.gaps, 1);
    }
  } finally {
    for (const redis of clients) await redis.close();
  }
});

Deno.test("a subscription made while the server is down is confirmed once it is back", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  // The subscriber connection is open, then the server goes away.
  await (await redis.subscribe("warm")).unsubscribe();
  await server.stop();
  const later = redis.subscribe("late");
  await new Promise((resolve) => setTimeout(resolve, 200));
  await server.restart();
  await using late = await later;
  assert.equal(late.gaps, 0);
  assert.equal(await redis.publish("late", "on time"), 1);
  assert.deepStrictEqual(await take(late, 1), [{
    channel: "late",
    message: "on time",
  }]);
});

Deno.test("a subscriber connection that fails for good makes the iteration throw after the buffered messages", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, reconnect: false });
  const doomed = await redis.subscribe("d");
  await redis.publish("d", "last words");
  await until(() => doomed.buffered === 1, "the message");
  server.kill("SIGKILL");
  await server.exited;
  const [message] = await take(doomed, 1);
  assert.equal(message!.message, "last words");
  await assert.rejects(doomed.next(), ConnectionError);
  assert.deepStrictEqual(await doomed.next(), { done: true, value: undefined });
  assert.ok(doomed.closed);
});

Deno.test("close() ends every subscription after its buffered messages; subscribe() after close() rejects", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  const a = await redis.subscribe("a");
  const b = await redis.binary.psubscribe("*");
  await redis.publish("a", "kept");
  await until(() => a.buffered === 1 && b.buffered === 1, "the messages");
  const waiting = b.next();
  await redis.close();
  assert.equal((await waiting).done, false);
  assert.equal((await a.next()).value?.message, "kept");
  assert.deepStrictEqual(await a.next(), { done: true, value: undefined });
  assert.deepStrictEqual(await b.next(), { done: true, value: undefined });
  assert.ok(a.closed && b.closed);
  await assert.rejects(redis.subscribe("a"), ConnectionError, "closed");
  await a.unsubscribe();
});

Deno.test("a with() view's timeout and signal bound the wait for the confirmation", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  await using warm = await redis.subscribe("warm");
  server.kill("SIGSTOP");
  try {
    await assert.rejects(
      redis.with({ timeout: 100 }).subscribe("slow"),
      TimeoutError,
    );
    const controller = new AbortController();
    const aborted = redis.with({ signal: controller.signal }).psubscribe("s*");
    controller.abort(new Error("stop waiting"));
    await assert.rejects(aborted, /stop waiting/);
  } finally {
    server.kill("SIGCONT");
  }
  // Left behind: nothing subscribed.
  await until(
    async () => (await redis.pubsubNumsub("slow")).slow === 0,
    "the late UNSUBSCRIBE",
  );
  assert.equal(await redis.pubsubNumpat(), 0);
  assert.equal(await redis.publish("warm", "still"), 1);
  assert.equal((await take(warm, 1))[0]!.message, "still");
});

Deno.test("every view subscribes: db(), fireAndForget, bigint, prefix() (channels are not prefixed) and inside watch()", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port });
  const views = [
    redis.db(3),
    redis.fireAndForget,
    redis.bigint,
    redis.prefix("tenant:"),
  ];
  for (const [i, view] of views.entries()) {
    await using subscription = await view.subscribe(`v${i}`);
    assert.equal(await redis.publish(`v${i}`, "x"), 1);
    assert.deepStrictEqual(await take(subscription, 1), [{
      channel: `v${i}`,
      message: "x",
    }]);
  }
  await redis.watch(["k"], async (tx) => {
    await using inside = await tx.subscribe("w");
    assert.equal(await redis.publish("w", "y"), 1);
    assert.equal((await take(inside, 1))[0]!.message, "y");
  });
  // A client whose default database is not 0: its subscriber connection
  // selects it in the handshake, never in subscribe mode (RESP2 refuses it).
  for (const protocol of PROTOCOLS) {
    await using other = await connect({ port: server.port, protocol, db: 2 });
    await using first = await other.subscribe("d2");
    await using second = await other.db(5).subscribe("d2", "d5");
    assert.equal(await other.publish("d2", "z"), 1);
    assert.equal((await take(first, 1))[0]!.message, "z");
    assert.equal((await take(second, 1))[0]!.message, "z");
  }
});

Deno.test("keyspace notifications come through psubscribe() and subscribe()", async () => {
  await using server = await startRedisServer({
    args: ["--notify-keyspace-events", "KEA"],
  });
  await eachClient(server.port, async (redis) => {
    await using keyspace = await redis.psubscribe("__keyspace@0__:user:*");
    await using sets = await redis.subscribe("__keyevent@0__:set");
    await redis.set("user:1", "ann");
    await redis.set("other", "x");
    await redis.pexpire("user:1", 1);
    await redis.db(1).set("user:2", "bob");
    const events = await take(keyspace, 2);
    assert.deepStrictEqual(events, [
      {
        channel: "__keyspace@0__:user:1",
        message: "set",
        pattern: "__keyspace@0__:user:*",
      },
      {
        channel: "__keyspace@0__:user:1",
        message: "expire",
        pattern: "__keyspace@0__:user:*",
      },
    ]);
    const [expired] = await take(keyspace, 1, 5_000);
    assert.equal(expired!.message, "expired");
    assert.deepStrictEqual(
      (await take(sets, 2)).map((m) => m.message),
      ["user:1", "other"],
    );
  });
});

Deno.test("a RESP2 subscriber connection survives its health checks in subscribe mode", async () => {
  await using server = await startRedisServer();
  for (const protocol of PROTOCOLS) {
    await using redis = await connect({
      port: server.port,
      protocol,
      pingInterval: 20,
    });
    const errors: Event[] = [];
    redis.addEventListener("error", (event) => errors.push(event));
    await using quiet = await redis.subscribe("quiet");
    // The binary subscriber connection reads its PONGs as bytes.
    await using bytes = await redis.binary.subscribe("quiet");
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await redis.publish("quiet", "still here"), 2);
    assert.equal((await take(quiet, 1))[0]!.message, "still here");
    assert.deepStrictEqual(
      (await take(bytes, 1))[0]!.message,
      utf8.encode("still here"),
    );
    assert.equal(quiet.gaps + bytes.gaps, 0);
    assert.deepStrictEqual(errors, []);
  }
});

// --- the inbox, without a server ----------------------------------------------

Deno.test("Inbox keeps gap markers when it drops the oldest messages, merging gaps that meet", async () => {
  const inbox = new Inbox<number>(2, "drop-oldest");
  const gaps: string[] = [];
  inbox.target.addEventListener("gap", (event) => {
    gaps.push((event as SubscriptionGapEvent).error.message);
  });
  inbox.deliver(1);
  inbox.gap(new Error("first"), Promise.resolve());
  inbox.deliver(2);
  inbox.gap(new Error("second"), Promise.resolve());
  inbox.deliver(3);
  // Full (2 messages): 1 and then 2 are dropped; the gaps meet and merge.
  inbox.deliver(4);
  assert.equal(inbox.dropped, 2);
  assert.equal(inbox.gaps, 2);
  assert.equal(inbox.buffered, 2);
  assert.deepStrictEqual(await inbox.next(), { value: 3, done: false });
  assert.deepStrictEqual(gaps, ["second"]);
  assert.deepStrictEqual(await inbox.next(), { value: 4, done: false });
  inbox.end();
  assert.deepStrictEqual(await inbox.next(), { done: true, value: undefined });
});

Deno.test("Inbox reports a gap only once restored, and wakes a waiting reader with it", async () => {
  const inbox = new Inbox<string>(Infinity, "drop-oldest");
  const seen: string[] = [];
  inbox.target.addEventListener("gap", () => seen.push("gap"));
  const waiting = inbox.next();
  const restored = Promise.withResolvers<void>();
  inbox.gap(new Error("lost"), restored.promise);
  inbox.deliver("after");
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepStrictEqual(seen, []);
  restored.resolve();
  assert.deepStrictEqual(await waiting, { value: "after", done: false });
  assert.deepStrictEqual(seen, ["gap"]);
  inbox.fail(new Error("failed"));
  await assert.rejects(inbox.next(), /failed/);
  assert.deepStrictEqual(await inbox.next(), { done: true, value: undefined });
});

Deno.test("Inbox grows its ring past its first capacity and keeps order", async () => {
  const inbox = new Inbox<number>(100, "drop-newest");
  for (let i = 0; i < 150; i++) inbox.deliver(i);
  assert.equal(inbox.dropped, 50);
  for (let i = 0; i < 100; i++) {
    assert.deepStrictEqual(await inbox.next(), { value: i, done: false });
  }
  inbox.close();
  assert.deepStrictEqual(await inbox.next(), { done: true, value: undefined });
});
