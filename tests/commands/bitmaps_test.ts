// BitmapCommands against a real redis-server, under RESP2 and RESP3, plus the
// argument builders without a server.

import assert from "node:assert/strict";
import { IntegerRangeError, ReplyError } from "../../mod.ts";
import {
  bitfieldArgs,
  bitfieldRoArgs,
  bitRangeArgs,
} from "../../lib/commands/bitmaps_options.ts";
import { eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

Deno.test("bitRangeArgs adds start, end and the unit only when given", () => {
  assert.deepStrictEqual(bitRangeArgs(["k"], undefined), ["k"]);
  assert.deepStrictEqual(bitRangeArgs(["k", 1], { start: 2 }), ["k", 1, 2]);
  assert.deepStrictEqual(bitRangeArgs(["k"], { start: 0, end: -1 }), [
    "k",
    0,
    -1,
  ]);
  assert.deepStrictEqual(
    bitRangeArgs(["k"], { start: 3, end: 9, unit: "BIT" }),
    ["k", 3, 9, "BIT"],
  );
});

Deno.test("bitfieldArgs gives each set and incrby exactly its own overflow", () => {
  assert.deepStrictEqual(bitfieldArgs("k", []), ["k"]);
  assert.deepStrictEqual(
    bitfieldArgs("k", [
      { get: "u8", offset: 0 },
      // WRAP is in force: no clause.
      { set: "i8", offset: "#1", value: -5 },
      { incrby: "u4", offset: 100, increment: 1, overflow: "SAT" },
      // Still SAT: no clause.
      { incrby: "u4", offset: 104, increment: 2n, overflow: "SAT" },
      // Back to the default: WRAP again, explicitly.
      { incrby: "u4", offset: 108, increment: 3 },
      { set: "u2", offset: 0, value: 9, overflow: "FAIL" },
      // A get does not change the overflow in force.
      { get: "i64", offset: "#0" },
      { set: "u2", offset: 0, value: 9, overflow: "FAIL" },
    ]),
    [
      "k",
      ...["GET", "u8", 0],
      ...["SET", "i8", "#1", -5],
      ...["OVERFLOW", "SAT", "INCRBY", "u4", 100, 1],
      ...["INCRBY", "u4", 104, 2n],
      ...["OVERFLOW", "WRAP", "INCRBY", "u4", 108, 3],
      ...["OVERFLOW", "FAIL", "SET", "u2", 0, 9],
      ...["GET", "i64", "#0"],
      ...["SET", "u2", 0, 9],
    ],
  );
  assert.throws(
    () => bitfieldArgs("k", [{} as never]),
    (error) => {
      assert.ok(error instanceof TypeError);
      assert.match(error.message, /^Cannot build BITFIELD: /);
      return true;
    },
  );
});

Deno.test("bitfieldRoArgs lists the reads", () => {
  assert.deepStrictEqual(
    bitfieldRoArgs("k", [{ get: "u8", offset: 0 }, {
      get: "i4",
      offset: "#2",
    }]),
    ["k", "GET", "u8", 0, "GET", "i4", "#2"],
  );
});

Deno.test("BitmapCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "setbit() returns the previous bit; getbit() reads it",
    async () => {
      await eachProtocol(port, async (redis) => {
        const previous: 0 | 1 = await redis.setbit("b", 7, 1);
        assert.equal(previous, 0);
        assert.equal(await redis.setbit("b", 7, 1), 1);
        assert.equal(await redis.setbit("b", 0, 1), 0);
        assert.equal(await redis.getbit("b", 7), 1);
        assert.equal(await redis.getbit("b", 1), 0);
        assert.equal(await redis.getbit("b", 1000), 0);
        assert.equal(await redis.getbit("missing", 3), 0);
        assert.equal(await redis.setbit("b", 7, 0), 1);
        assert.deepStrictEqual(
          await redis.binary.get("b"),
          new Uint8Array([0x80]),
        );
        // Growing the string pads it with zero bytes.
        assert.equal(await redis.setbit("b", 23, 1), 0);
        assert.deepStrictEqual(
          await redis.binary.get("b"),
          new Uint8Array([0x80, 0, 1]),
        );
        // A bit is a number on every view.
        assert.equal(await redis.bigint.getbit("b", 0), 1);
        assert.equal(await redis.binary.getbit("b", 23), 1);
        await assert.rejects(redis.setbit("b", -1, 1), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.command, "SETBIT");
          return true;
        });
      });
    },
  );

  await t.step("bitcount() counts set bits, in bytes or bits", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("s", "foobar");
      const all: number = await redis.bitcount("s");
      assert.equal(all, 26);
      assert.equal(await redis.bitcount("s", { start: 0, end: 0 }), 4);
      assert.equal(await redis.bitcount("s", { start: 1, end: 1 }), 6);
      assert.equal(await redis.bitcount("s", { start: -2, end: -1 }), 7);
      assert.equal(
        await redis.bitcount("s", { start: 1, end: 1, unit: "BYTE" }),
        6,
      );
      assert.equal(
        await redis.bitcount("s", { start: 5, end: 30, unit: "BIT" }),
        17,
      );
      assert.equal(await redis.bitcount("missing"), 0);
      assert.equal(await redis.bigint.bitcount("s"), 26n);
    });
  });

  await t.step(
    "bitpos() finds the first 0 or 1, from a byte or in a range",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.set("s", new Uint8Array([0xff, 0xf0, 0x00]));
        assert.equal(await redis.bitpos("s", 0), 12);
        assert.equal(await redis.bitpos("s", 1), 0);
        assert.equal(await redis.bitpos("s", 1, { start: 1 }), 8);
        assert.equal(await redis.bitpos("s", 1, { start: 2 }), -1);
        assert.equal(await redis.bitpos("s", 0, { start: 0, end: 0 }), -1);
        assert.equal(
          await redis.bitpos("s", 1, { start: 9, end: 20, unit: "BIT" }),
          9,
        );
        assert.equal(
          await redis.bitpos("s", 0, { start: 2, end: 7, unit: "BIT" }),
          -1,
        );
        // All ones, no end: the first 0 is just past the string.
        await redis.set("ones", new Uint8Array([0xff]));
        assert.equal(await redis.bitpos("ones", 0), 8);
        assert.equal(await redis.bitpos("missing", 0), 0);
        assert.equal(await redis.bitpos("missing", 1), -1);
      });
    },
  );

  await t.step("bitop() combines keys bit by bit", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("a", new Uint8Array([0b1100_1100, 0xff]));
      await redis.set("b", new Uint8Array([0b1010_1010]));
      const and: number = await redis.bitop("AND", "and", "a", "b");
      assert.equal(and, 2);
      assert.deepStrictEqual(
        await redis.binary.get("and"),
        new Uint8Array([0b1000_1000, 0]),
      );
      assert.equal(await redis.bitop("OR", "or", "a", "b"), 2);
      assert.deepStrictEqual(
        await redis.binary.get("or"),
        new Uint8Array([0b1110_1110, 0xff]),
      );
      assert.equal(await redis.bitop("XOR", "xor", "a", "b"), 2);
      assert.deepStrictEqual(
        await redis.binary.get("xor"),
        new Uint8Array([0b0110_0110, 0xff]),
      );
      assert.equal(await redis.bitop("NOT", "not", "b"), 1);
      assert.deepStrictEqual(
        await redis.binary.get("not"),
        new Uint8Array([0b0101_0101]),
      );
      // No source exists: the destination is deleted.
      assert.equal(await redis.bitop("OR", "and", "missing"), 0);
      assert.equal(await redis.exists("and"), 0);
      await assert.rejects(redis.bitop("NOT", "not", "a", "b"), (error) => {
        assert.ok(error instanceof ReplyError);
        assert.equal(error.command, "BITOP");
        return true;
      });
    });
  });

  await t.step(
    "bitfield() runs get, set and incrby with per-operation overflow",
    async () => {
      await eachProtocol(port, async (redis) => {
        const results: (number | null)[] = await redis.bitfield("f", [
          { incrby: "u4", offset: "#0", increment: 10 },
          { incrby: "u4", offset: "#0", increment: 10, overflow: "SAT" },
          { incrby: "u4", offset: "#0", increment: 1, overflow: "FAIL" },
          // The default again: wraps around.
          { incrby: "u4", offset: "#0", increment: 1 },
          { get: "u4", offset: "#0" },
          { set: "i8", offset: 8, value: -5 },
          { set: "i8", offset: 8, value: 300, overflow: "FAIL" },
          { set: "i8", offset: 8, value: 300, overflow: "SAT" },
          { get: "i8", offset: "#1" },
        ]);
        assert.deepStrictEqual(results, [10, 15, null, 0, 0, 0, null, -5, 127]);
        assert.deepStrictEqual(
          await redis.binary.get("f"),
          new Uint8Array([0x00, 0x7f]),
        );
        assert.deepStrictEqual(await redis.bitfield("f", []), []);
        await assert.rejects(
          redis.bitfield("f", [{ get: "u64", offset: 0 }]),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.command, "BITFIELD");
            return true;
          },
        );
      });
    },
  );

  await t.step(
    "bitfield() on i64 past 2^53 rejects with the exact value; the bigint view returns it",
    async () => {
      await eachProtocol(port, async (redis) => {
        const big = 2n ** 62n + 1n;
        assert.deepStrictEqual(
          await redis.bigint.bitfield("f", [
            { set: "i64", offset: 0, value: big },
            { get: "i64", offset: 0 },
            { incrby: "i64", offset: 0, increment: -1n },
          ]),
          [0n, big, big - 1n],
        );
        await assert.rejects(
          redis.bitfield("f", [{ get: "i64", offset: 0 }]),
          (error) => {
            assert.ok(error instanceof IntegerRangeError);
            assert.equal(error.value, big - 1n);
            assert.equal(error.command, "BITFIELD");
            return true;
          },
        );
        assert.deepStrictEqual(
          await redis.bigint.bitfieldRo("f", [{ get: "i64", offset: 0 }]),
          [big - 1n],
        );
      });
    },
  );

  await t.step("bitfieldRo() reads fields", async () => {
    await eachProtocol(port, async (redis) => {
      await redis.set("bytes", new Uint8Array([1, 0xff]));
      const values: number[] = await redis.bitfieldRo("bytes", [
        { get: "u8", offset: 0 },
        { get: "i8", offset: "#1" },
        { get: "u4", offset: 8 },
        { get: "u8", offset: 1000 },
      ]);
      assert.deepStrictEqual(values, [1, -1, 15, 0]);
      assert.deepStrictEqual(await redis.bitfieldRo("missing", []), []);
    });
  });

  await t.step(
    "multi() and pipeline() queue the typed bitmap commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        const [set, get, count, pos, op, field, ro] = succeeded(
          await redis.multi()
            .setbit("m", 1, 1)
            .getbit("m", 1)
            .bitcount("m")
            .bitpos("m", 1)
            .bitop("NOT", "inverted", "m")
            .bitfield("m", [{ incrby: "u8", offset: 0, increment: 1 }])
            .bitfieldRo("m", [{ get: "u8", offset: 0 }])
            .exec(),
        );
        const bit: 0 | 1 = get;
        const fields: (number | null)[] = field;
        assert.deepStrictEqual(
          [set, bit, count, pos, op, fields, ro],
          [0, 1, 1, 1, 1, [0x41], [0x41]],
        );
        assert.deepStrictEqual(
          await redis.pipeline().getbit("inverted", 1).bitcount("inverted", {
            start: 0,
            end: 0,
          }).exec(),
          [0, 7],
        );
        assert.deepStrictEqual(
          await redis.bigint.pipeline().bitcount("m").bitfieldRo("m", [{
            get: "u8",
            offset: 0,
          }]).exec(),
          [2n, [0x41n]],
        );
      });
    },
  );

  await t.step(
    "bitmap commands reject WRONGTYPE with the command's name",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.rpush("l", "a");
        const calls: [() => Promise<unknown>, string][] = [
          [() => redis.setbit("l", 0, 1), "SETBIT"],
          [() => redis.getbit("l", 0), "GETBIT"],
          [() => redis.bitcount("l"), "BITCOUNT"],
          [() => redis.bitpos("l", 1), "BITPOS"],
          [() => redis.bitop("AND", "d", "l"), "BITOP"],
          [() => redis.bitfield("l", [{ get: "u8", offset: 0 }]), "BITFIELD"],
          [() => redis.bitfieldRo("l", []), "BITFIELD_RO"],
        ];
        for (const [call, command] of calls) {
          await assert.rejects(call(), (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "WRONGTYPE");
            assert.equal(error.command, command);
            return true;
          });
        }
      });
    },
  );
});
