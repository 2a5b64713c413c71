// ServerCommands against a real redis-server, under RESP2 and RESP3.

import assert from "node:assert/strict";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";

Deno.test("ServerCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step("dbsize() counts the keys of each db view", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.dbsize(), 0);
      await redis.db(3).mset({ a: "1", b: "2" });
      await redis.set("zero", "0");
      assert.equal(await redis.db(3).dbsize(), 2);
      assert.equal(await redis.dbsize(), 1);
      assert.equal(await redis.db(0).dbsize(), 1);
      assert.equal(await redis.db(4).dbsize(), 0);
      assert.equal(await redis.binary.db(3).dbsize(), 2);
    });
  });

  await t.step("flushdb() empties only the view's database", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("a", "1");
      await redis.db(3).set("b", "2");
      assert.equal(await redis.db(3).flushdb(), "OK");
      assert.equal(await redis.db(3).dbsize(), 0);
      assert.equal(await redis.dbsize(), 1);
      assert.equal(await redis.flushdb("SYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
      await redis.set("c", "3");
      assert.equal(await redis.flushdb("ASYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
    });
  });

  await t.step("flushall() empties every database", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("a", "1");
      await redis.db(5).set("b", "2");
      assert.equal(await redis.flushall("SYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
      assert.equal(await redis.db(5).dbsize(), 0);
      await redis.set("a", "1");
      assert.equal(await redis.db(2).flushall("ASYNC"), "OK");
      assert.equal(await redis.dbsize(), 0);
    });
  });

  await t.step(
    "info() returns the INFO text, also on binary views",
    async () => {
      await eachProtocol(port, async (redis) => {
        const all = await redis.info();
        assert.equal(typeof all, "string");
        assert.match(all, /^# Server\r\n/);
        assert.match(all, /\r\nredis_version:\d+\.\d+/);
        const sections = await redis.info("server", "clients");
        assert.match(sections, /# Server/);
        assert.match(sections, /# Clients/);
        assert.doesNotMatch(sections, /# Memory/);
        const binary = await redis.binary.info("server");
        assert.equal(typeof binary, "string");
        assert.match(binary, new RegExp(`\\r\\ntcp_port:${port}\\r\\n`));
      });
    },
  );

  await t.step(
    "time() returns the server clock as [seconds, microseconds]",
    async () => {
      await eachProtocol(port, async (redis) => {
        const before = Math.floor(Date.now() / 1000);
        const [seconds, micros] = await redis.time();
        const after = Math.ceil(Date.now() / 1000);
        assert.ok(
          Number.isInteger(seconds) && seconds >= before - 1 &&
            seconds <= after + 1,
          `${seconds}`,
        );
        assert.ok(
          Number.isInteger(micros) && micros >= 0 && micros < 1_000_000,
          `${micros}`,
        );
        const [binarySeconds] = await redis.binary.time();
        assert.equal(typeof binarySeconds, "number");
      });
    },
  );

  await t.step(
    "fireAndForget server commands return nothing and keep their order",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("a", "1");
        assert.equal(redis.fireAndForget.flushdb(), undefined);
        assert.equal(redis.fireAndForget.ping(), undefined);
        assert.equal(await redis.dbsize(), 0);
      });
    },
  );
});
