// PubSubCommands against a real redis-server, under RESP2 and RESP3, with
// raw connections as the subscribers.

import assert from "node:assert/strict";
import { eachProtocol } from "../_support/protocols.ts";
import { encodeCommand, RawConnection } from "../_support/raw_connection.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

/** A raw connection subscribed with `command` (SUBSCRIBE, ...) to `names`. */
async function subscriber(
  port: number,
  command: "SUBSCRIBE" | "PSUBSCRIBE" | "SSUBSCRIBE",
  ...names: string[]
): Promise<RawConnection> {
  const raw = await RawConnection.connect({ port });
  await raw.write(encodeCommand([command, ...names]));
  for (const _ of names) {
    assert.match((await raw.readReply())!, /subscribe\r\n/);
  }
  return raw;
}

Deno.test("PubSubCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "publish() returns how many subscribers received the message",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.publish("news", "nobody"), 0);
        using raw = await subscriber(port, "SUBSCRIBE", "news");
        assert.equal(await redis.publish("news", "hello"), 1);
        assert.equal(
          await raw.readReply(),
          "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n",
        );
        // A pattern subscription receives it too, as a second delivery.
        using pattern = await subscriber(port, "PSUBSCRIBE", "ne*");
        assert.equal(await redis.publish("news", new Uint8Array([0xff])), 2);
        assert.match((await pattern.readReply())!, /^\*4\r\n\$8\r\npmessage/);
        assert.equal(await redis.bigint.publish("news", "big"), 2n);
        assert.equal(await redis.binary.publish(utf8.encode("news"), "b"), 2);
      });
    },
  );

  await t.step(
    "spublish() reaches shard-channel subscribers only",
    async () => {
      await eachProtocol(port, async (redis) => {
        using plain = await subscriber(port, "SUBSCRIBE", "orders");
        assert.equal(await redis.spublish("orders", "nobody"), 0);
        using raw = await subscriber(port, "SSUBSCRIBE", "orders");
        assert.equal(await redis.spublish("orders", "paid"), 1);
        assert.equal(
          await raw.readReply(),
          "*3\r\n$8\r\nsmessage\r\n$6\r\norders\r\n$4\r\npaid\r\n",
        );
        assert.equal(await redis.bigint.spublish("orders", "x"), 1n);
        assert.equal(plain.closed, false);
      });
    },
  );

  await t.step(
    "pubsubChannels() and pubsubNumsub() see channel subscribers",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.deepStrictEqual(await redis.pubsubChannels(), []);
        using a = await subscriber(port, "SUBSCRIBE", "news", "sports");
        using b = await subscriber(port, "SUBSCRIBE", "news");
        using _p = await subscriber(port, "PSUBSCRIBE", "w*");
        assert.deepStrictEqual((await redis.pubsubChannels()).sort(), [
          "news",
          "sports",
        ]);
        assert.deepStrictEqual(await redis.pubsubChannels("n*"), ["news"]);
        assert.deepStrictEqual(await redis.pubsubChannels("x*"), []);
        assert.deepStrictEqual(await redis.binary.pubsubChannels("s*"), [
          utf8.encode("sports"),
        ]);
        const counts = await redis.pubsubNumsub("news", "sports", "weather");
        assert.deepStrictEqual({ ...counts }, {
          news: 2,
          sports: 1,
          weather: 0,
        });
        assert.equal(Object.getPrototypeOf(counts), null);
        assert.deepStrictEqual({ ...await redis.pubsubNumsub() }, {});
        assert.deepStrictEqual(
          { ...await redis.binary.pubsubNumsub(utf8.encode("news")) },
          { news: 2 },
        );
        assert.equal(a.closed || b.closed, false);
      });
    },
  );

  await t.step("pubsubNumpat() counts pattern subscriptions", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.pubsubNumpat(), 0);
      using _a = await subscriber(port, "PSUBSCRIBE", "a*", "b*");
      using _b = await subscriber(port, "PSUBSCRIBE", "a*");
      // Distinct patterns, over all clients.
      assert.equal(await redis.pubsubNumpat(), 2);
      assert.equal(await redis.bigint.pubsubNumpat(), 2n);
    });
  });

  await t.step(
    "pubsubShardchannels() and pubsubShardnumsub() see shard subscribers",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.deepStrictEqual(await redis.pubsubShardchannels(), []);
        using _a = await subscriber(port, "SSUBSCRIBE", "orders");
        using _b = await subscriber(port, "SSUBSCRIBE", "orders");
        using _c = await subscriber(port, "SSUBSCRIBE", "refunds");
        using _plain = await subscriber(port, "SUBSCRIBE", "news");
        assert.deepStrictEqual((await redis.pubsubShardchannels()).sort(), [
          "orders",
          "refunds",
        ]);
        assert.deepStrictEqual(await redis.pubsubShardchannels("o*"), [
          "orders",
        ]);
        assert.deepStrictEqual(
          await redis.binary.pubsubShardchannels("r*"),
          [utf8.encode("refunds")],
        );
        const counts = await redis.pubsubShardnumsub("orders", "news");
        assert.deepStrictEqual({ ...counts }, { orders: 2, news: 0 });
        assert.equal(Object.getPrototypeOf(counts), null);
      });
    },
  );

  await t.step("pubsubHelp() returns lines of text", async () => {
    await eachProtocol(port, async (redis) => {
      const lines = await redis.pubsubHelp();
      assert.ok(lines.some((line) => line.startsWith("NUMSUB")));
      assert.deepStrictEqual(await redis.binary.pubsubHelp(), lines);
    });
  });

  await t.step(
    "publishing methods queue in multi() and pipeline() with typed results",
    async () => {
      await eachProtocol(port, async (redis) => {
        using raw = await subscriber(port, "SUBSCRIBE", "news");
        const [sent, counts, channels, numpat] = await redis.multi()
          .publish("news", "in-tx")
          .pubsubNumsub("news")
          .pubsubChannels()
          .pubsubNumpat()
          .exec();
        assert.equal(sent, 1);
        assert.deepStrictEqual({ ...counts }, { news: 1 });
        assert.deepStrictEqual(channels, ["news"]);
        assert.equal(numpat, 0);
        assert.match((await raw.readReply())!, /in-tx\r\n$/);
        const [a, b] = await redis.pipeline()
          .publish("news", "one")
          .spublish("news", "two")
          .exec();
        assert.deepStrictEqual([a, b], [1, 0]);
        assert.match((await raw.readReply())!, /one\r\n$/);
        redis.fireAndForget.publish("news", "quiet");
        assert.match((await raw.readReply())!, /quiet\r\n$/);
      });
    },
  );
});
