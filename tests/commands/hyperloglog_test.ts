// HyperLogLogCommands against a real redis-server, under RESP2 and RESP3.

import assert from "node:assert/strict";
import { ReplyError } from "../../mod.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

Deno.test("HyperLogLogCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "pfadd() reports a change; pfcount() estimates distinct elements",
    async () => {
      await eachProtocol(port, async (redis) => {
        const changed: boolean = await redis.pfadd("h", "a", "b", "c");
        assert.equal(changed, true);
        assert.equal(await redis.pfadd("h", "a", "b"), false);
        const count: number = await redis.pfcount("h");
        assert.equal(count, 3);
        // No elements: creates the key once.
        assert.equal(await redis.pfadd("empty"), true);
        assert.equal(await redis.pfadd("empty"), false);
        assert.equal(await redis.pfcount("empty"), 0);
        assert.equal(await redis.pfcount("missing"), 0);
        // Bytes and numbers are elements too; 0xff and "ÿ" differ.
        assert.equal(
          await redis.pfadd("mixed", new Uint8Array([0xff]), "ÿ", 42, "42"),
          true,
        );
        assert.equal(await redis.pfcount("mixed"), 2 + 1);
        assert.equal(await redis.bigint.pfcount("h"), 3n);
      });
    },
  );

  await t.step("pfcount() of several keys estimates their union", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.pfadd("monday", "ann", "bob");
      await redis.pfadd("tuesday", "bob", "cy");
      assert.equal(await redis.pfcount("monday", "tuesday"), 3);
      assert.equal(await redis.pfcount("monday", "missing"), 2);
      // Nothing was merged into the sources.
      assert.equal(await redis.pfcount("monday"), 2);
    });
  });

  await t.step("pfcount() of many elements is within 2%", async () => {
    await eachProtocol(port, async (redis) => {
      const elements: string[] = [];
      for (let i = 0; i < 10_000; i++) elements.push(`user:${i}`);
      await redis.pfadd("many", ...elements);
      const count = await redis.pfcount("many");
      assert.ok(
        Math.abs(count - 10_000) < 200,
        `estimate ${count} too far from 10000`,
      );
    });
  });

  await t.step("pfmerge() stores the union in the destination", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.pfadd("monday", "ann", "bob");
      await redis.pfadd("tuesday", "bob", "cy");
      const status: "OK" = await redis.pfmerge("week", "monday", "tuesday");
      assert.equal(status, "OK");
      assert.equal(await redis.pfcount("week"), 3);
      // The destination is a source when it exists.
      await redis.pfadd("wednesday", "dee");
      assert.equal(await redis.pfmerge("week", "wednesday"), "OK");
      assert.equal(await redis.pfcount("week"), 4);
      // No sources: creates an empty one.
      assert.equal(await redis.pfmerge("none"), "OK");
      assert.equal(await redis.exists("none"), 1);
      assert.equal(await redis.pfcount("none"), 0);
      // It is a string underneath: binary views read its bytes.
      const raw = await redis.binary.get("week");
      assert.ok(raw instanceof Uint8Array);
      assert.equal(new TextDecoder().decode(raw.subarray(0, 4)), "HYLL");
    });
  });

  await t.step(
    "multi() and pipeline() queue the typed HyperLogLog commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        const [added, again, merged, count] = succeeded(
          await redis.multi()
            .pfadd("a", "x", "y")
            .pfadd("a", "x")
            .pfmerge("b", "a")
            .pfcount("b")
            .exec(),
        );
        const n: number = count;
        assert.deepStrictEqual([added, again, merged, n], [
          true,
          false,
          "OK",
          2,
        ]);
        assert.deepStrictEqual(
          await redis.pipeline().pfadd("c", "z").pfcount("a", "c").exec(),
          [true, 3],
        );
      });
    },
  );

  await t.step(
    "HyperLogLog commands reject WRONGTYPE and strings that are not HyperLogLogs",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a");
        const calls: [() => Promise<unknown>, string][] = [
          [() => redis.pfadd("l", "x"), "PFADD"],
          [() => redis.pfcount("l"), "PFCOUNT"],
          [() => redis.pfmerge("d", "l"), "PFMERGE"],
        ];
        for (const [call, command] of calls) {
          await assert.rejects(call(), (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "WRONGTYPE");
            assert.equal(error.command, command);
            return true;
          });
        }
        await redis.set("s", "plain text");
        await assert.rejects(redis.pfadd("s", "x"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "WRONGTYPE");
          return true;
        });
      });
    },
  );
});
