// StreamCommands against a real redis-server, under RESP2 and RESP3 (whose
// XREAD and XINFO shapes differ), plus the argument builders and the reply
// decoders without a server.

import assert from "node:assert/strict";
import {
  type Redis,
  ReplyError,
  type StreamEntries,
  type StreamEntry,
  type StreamGroupEntry,
  type StreamInfo,
  type StreamInfoFull,
  UnexpectedReplyError,
  type XAddOptions,
  type XAutoClaimOptions,
  type XAutoClaimResult,
  type XClaimOptions,
  type XPendingEntry,
  type XPendingSummary,
} from "../../mod.ts";
import {
  xaddArgs,
  xinfoStreamArgs,
  xrangeArgs,
  xreadArgs,
  xsetidArgs,
  xtrimArgs,
} from "../../lib/commands/streams_options.ts";
import {
  xautoclaimArgs,
  xclaimArgs,
  xgroupCreateArgs,
  xgroupSetidArgs,
  xpendingArgs,
  xreadgroupArgs,
} from "../../lib/commands/stream_groups_options.ts";
import {
  xinfoConsumersReply,
  xreadReply,
} from "../../lib/commands/streams_replies.ts";
import { xpendingSummary } from "../../lib/commands/stream_groups_replies.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

/** A field record as the decoders make it: no prototype. */
const utf8 = new TextEncoder();

function fields<V>(values: Record<string, V>): Record<string, V> {
  return Object.assign(Object.create(null), values);
}

Deno.test("xaddArgs puts NOMKSTREAM, the trim clause and the id before the fields", () => {
  assert.deepStrictEqual(xaddArgs("s", { a: "1", b: 2 }, undefined), [
    "s",
    "*",
    "a",
    "1",
    "b",
    2,
  ]);
  const bytes = new Uint8Array([0xff]);
  assert.deepStrictEqual(
    xaddArgs("s", [["a", "1"], [bytes, "2"], ["a", "3"]], {
      id: "5-1",
      nomkstream: true,
      trim: { maxLen: 100, approximate: true, limit: 10 },
    }),
    [
      "s",
      "NOMKSTREAM",
      "MAXLEN",
      "~",
      100,
      "LIMIT",
      10,
      "5-1",
      "a",
      "1",
      bytes,
      "2",
      "a",
      "3",
    ],
  );
  assert.deepStrictEqual(
    xaddArgs("s", { a: "1" }, { trim: { minId: "7-0", approximate: false } }),
    ["s", "MINID", "=", "7-0", "*", "a", "1"],
  );
  assert.deepStrictEqual(xaddArgs("s", { a: "1" }, { nomkstream: false }), [
    "s",
    "*",
    "a",
    "1",
  ]);
});

Deno.test("xtrimArgs, xrangeArgs and xsetidArgs follow the commands' order", () => {
  assert.deepStrictEqual(xtrimArgs("s", { maxLen: 0 }), ["s", "MAXLEN", 0]);
  assert.deepStrictEqual(
    xtrimArgs("s", { minId: "1-0", approximate: true, limit: 0 }),
    ["s", "MINID", "~", "1-0", "LIMIT", 0],
  );
  assert.deepStrictEqual(xrangeArgs("s", "-", "+", undefined), ["s", "-", "+"]);
  assert.deepStrictEqual(xrangeArgs("s", "(1-0", "+", { count: 2 }), [
    "s",
    "(1-0",
    "+",
    "COUNT",
    2,
  ]);
  assert.deepStrictEqual(xsetidArgs("s", "9-0", undefined), ["s", "9-0"]);
  assert.deepStrictEqual(
    xsetidArgs("s", "9-0", { entriesAdded: 12, maxDeletedId: "3-0" }),
    ["s", "9-0", "ENTRIESADDED", 12, "MAXDELETEDID", "3-0"],
  );
});

Deno.test("xreadArgs and xreadgroupArgs list keys then ids, and BLOCK only when asked", () => {
  assert.deepStrictEqual(xreadArgs({ s1: "0", s2: "$" }, undefined), [
    "STREAMS",
    "s1",
    "s2",
    "0",
    "$",
  ]);
  const bytes = new Uint8Array([0xff]);
  assert.deepStrictEqual(
    xreadArgs([["s1", "1-0"], [bytes, "0"]], { count: 5 }),
    [
      "COUNT",
      5,
      "STREAMS",
      "s1",
      bytes,
      "1-0",
      "0",
    ],
  );
  assert.deepStrictEqual(
    xreadgroupArgs("g", "c", { s: ">" }, { count: 3, noack: true }),
    ["GROUP", "g", "c", "COUNT", 3, "NOACK", "STREAMS", "s", ">"],
  );
  assert.deepStrictEqual(xreadgroupArgs("g", "c", [["s", "0"]], undefined), [
    "GROUP",
    "g",
    "c",
    "STREAMS",
    "s",
    "0",
  ]);
  assert.deepStrictEqual(xreadArgs({ s: "$" }, { count: 1, block: 0 }), [
    "COUNT",
    1,
    "BLOCK",
    0,
    "STREAMS",
    "s",
    "$",
  ]);
  assert.deepStrictEqual(
    xreadgroupArgs("g", "c", { s: ">" }, { block: 500, noack: true }),
    ["GROUP", "g", "c", "BLOCK", 500, "NOACK", "STREAMS", "s", ">"],
  );
});

Deno.test("the XGROUP, XPENDING, XCLAIM, XAUTOCLAIM and XINFO builders add each option", () => {
  assert.deepStrictEqual(xgroupCreateArgs("s", "g", "$", undefined), [
    "s",
    "g",
    "$",
  ]);
  assert.deepStrictEqual(
    xgroupCreateArgs("s", "g", "0", { mkstream: true, entriesRead: 4 }),
    ["s", "g", "0", "MKSTREAM", "ENTRIESREAD", 4],
  );
  assert.deepStrictEqual(xgroupSetidArgs("s", "g", "$", { entriesRead: 0 }), [
    "s",
    "g",
    "$",
    "ENTRIESREAD",
    0,
  ]);
  assert.deepStrictEqual(xpendingArgs("s", "g", undefined), ["s", "g"]);
  assert.deepStrictEqual(xpendingArgs("s", "g", { count: 10 }), [
    "s",
    "g",
    "-",
    "+",
    10,
  ]);
  assert.deepStrictEqual(
    xpendingArgs("s", "g", {
      start: "(1-0",
      end: "9-0",
      count: 5,
      consumer: "c",
      idle: 1000,
    }),
    ["s", "g", "IDLE", 1000, "(1-0", "9-0", 5, "c"],
  );
  assert.deepStrictEqual(
    xclaimArgs("s", "g", "c", 10, ["1-0", "2-0"], undefined),
    [
      "s",
      "g",
      "c",
      10,
      "1-0",
      "2-0",
    ],
  );
  assert.deepStrictEqual(
    xclaimArgs("s", "g", "c", 0, ["1-0"], {
      idle: 5,
      time: 1700000000000,
      retryCount: 2,
      force: true,
      justId: true,
      lastId: "1-0",
    }),
    [
      "s",
      "g",
      "c",
      0,
      "1-0",
      "IDLE",
      5,
      "TIME",
      1700000000000,
      "RETRYCOUNT",
      2,
      "FORCE",
      "JUSTID",
      "LASTID",
      "1-0",
    ],
  );
  assert.deepStrictEqual(
    xautoclaimArgs("s", "g", "c", 100, "0-0", { count: 7, justId: true }),
    ["s", "g", "c", 100, "0-0", "COUNT", 7, "JUSTID"],
  );
  assert.deepStrictEqual(xinfoStreamArgs("s", undefined), ["s"]);
  assert.deepStrictEqual(xinfoStreamArgs("s", { full: true }), ["s", "FULL"]);
  assert.deepStrictEqual(xinfoStreamArgs("s", { full: true, count: 0 }), [
    "s",
    "FULL",
    "COUNT",
    0,
  ]);
});

Deno.test("stream decoders read RESP2 arrays and RESP3 maps alike and refuse other shapes", () => {
  const entries = [["1-0", ["a", "1"]]];
  const expected = [{
    key: "s",
    entries: [{ id: "1-0", fields: fields({ a: "1" }) }],
  }];
  assert.deepStrictEqual(xreadReply([["s", entries]]), expected);
  assert.deepStrictEqual(xreadReply(new Map([["s", entries]])), expected);
  assert.equal(xreadReply(null), null);
  assert.throws(() => xreadReply([["s"]]), TypeError);
  assert.throws(() => xreadReply([["s", [["1-0", null]]]]), TypeError);
  // A field a newer server adds is kept (camelCase) when it is a scalar.
  assert.deepStrictEqual(
    xinfoConsumersReply([
      [
        "name",
        "c",
        "pending",
        0,
        "idle",
        5,
        "inactive",
        -1,
        "new-thing",
        "x",
        "nested",
        [1],
      ],
    ]),
    [{ name: "c", pending: 0, idle: 5, inactive: -1, newThing: "x" }],
  );
  assert.deepStrictEqual(xpendingSummary([0, null, null, null]), {
    count: 0,
    smallest: null,
    greatest: null,
    consumers: [],
  });
  assert.throws(
    () => xpendingSummary([1, "1-0", "1-0", [["c", "x"]]]),
    TypeError,
  );
});

Deno.test("StreamCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "xadd() returns ids, honours id, nomkstream and trim",
    async () => {
      await eachProtocol(port, async (redis) => {
        const id = await redis.xadd("s", { a: "1", b: 2 });
        assert.match(id, /^\d+-\d+$/);
        assert.equal(await redis.xadd("t", [["f", "v"]], { id: "5-1" }), "5-1");
        assert.equal(await redis.xadd("t", { f: "w" }, { id: "5-*" }), "5-2");
        await assert.rejects(
          redis.xadd("t", { f: "x" }, { id: "1-1" }),
          ReplyError,
        );
        assert.equal(
          await redis.xadd("missing", { a: "1" }, { nomkstream: true }),
          null,
        );
        assert.equal(await redis.exists("missing"), 0);
        assert.equal(
          await redis.xadd("t", { f: "y" }, { id: "6-0", nomkstream: true }),
          "6-0",
        );
        assert.equal(
          await redis.xadd("t", { f: "z" }, { id: "7-0", trim: { maxLen: 2 } }),
          "7-0",
        );
        assert.deepStrictEqual(
          (await redis.xrange("t", "-", "+")).map((e) => e.id),
          ["6-0", "7-0"],
        );
        await redis.xadd("t", { f: "m" }, {
          id: "8-0",
          trim: { minId: "7-0" },
        });
        assert.equal(await redis.xlen("t"), 2);
        await redis.set("str", "x");
        await assertWrongType(redis.xadd("str", { a: "1" }), "XADD");
      });
    },
  );

  await t.step(
    "xrange() and xrevrange() return { id, fields } with null-prototype fields",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.xadd("s", { a: "1", b: "2" }, { id: "1-1" });
        await redis.xadd("s", [["__proto__", "p"], ["c", "3"]], { id: "2-0" });
        await redis.xadd("s", { d: "" }, { id: "3-0" });
        assert.deepStrictEqual(await redis.xrange("s", "-", "+"), [
          { id: "1-1", fields: fields({ a: "1", b: "2" }) },
          {
            id: "2-0",
            fields: Object.assign(Object.create(null), { c: "3" }, {
              ["__proto__"]: "p",
            }),
          },
          { id: "3-0", fields: fields({ d: "" }) },
        ]);
        const [second] = await redis.xrange("s", "(1-1", "+", { count: 1 });
        assert.equal(second?.fields["__proto__"], "p");
        assert.equal(Object.getPrototypeOf(second?.fields), null);
        assert.deepStrictEqual(
          (await redis.xrevrange("s", "+", "-", { count: 2 })).map((e) => e.id),
          ["3-0", "2-0"],
        );
        assert.deepStrictEqual(await redis.xrange("s", "4", "+"), []);
        assert.deepStrictEqual(await redis.xrange("nope", "-", "+"), []);
        assert.deepStrictEqual(await redis.xrevrange("nope", "+", "-"), []);
      });
    },
  );

  await t.step("xlen(), xdel() and xtrim() count entries", async () => {
    await eachProtocol(port, async (redis) => {
      assert.equal(await redis.xlen("s"), 0);
      for (let i = 1; i <= 10; i++) {
        await redis.xadd("s", { n: String(i) }, { id: `${i}-0` });
      }
      assert.equal(await redis.xlen("s"), 10);
      assert.equal(await redis.xdel("s", "1-0", "2-0", "99-0"), 2);
      assert.equal(await redis.xtrim("s", { minId: "4-0" }), 1);
      assert.equal(
        await redis.xtrim("s", { maxLen: 5, approximate: false }),
        2,
      );
      assert.deepStrictEqual(
        (await redis.xrange("s", "-", "+")).map((e) => e.id),
        ["6-0", "7-0", "8-0", "9-0", "10-0"],
      );
      // Approximate trimming removes only whole nodes (100 entries by
      // default): with LIMIT below the node's size, nothing.
      assert.equal(
        await redis.xtrim("s", { maxLen: 0, approximate: true, limit: 2 }),
        0,
      );
      assert.equal(await redis.xtrim("s", { maxLen: 0, approximate: true }), 5);
      assert.equal(await redis.xlen("s"), 0);
      assert.equal(await redis.xtrim("nope", { maxLen: 0 }), 0);
    });
  });

  await t.step(
    "xread() returns { key, entries } per stream, or null, from records or pairs",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.xread({ s1: "0" }), null);
        await redis.xadd("s1", { a: "1" }, { id: "1-0" });
        await redis.xadd("s1", { a: "2" }, { id: "2-0" });
        await redis.xadd("s2", { b: "1" }, { id: "1-0" });
        assert.deepStrictEqual(
          await redis.xread({ s1: "0", s2: "0", s3: "0" }),
          [
            {
              key: "s1",
              entries: [
                { id: "1-0", fields: fields({ a: "1" }) },
                { id: "2-0", fields: fields({ a: "2" }) },
              ],
            },
            { key: "s2", entries: [{ id: "1-0", fields: fields({ b: "1" }) }] },
          ],
        );
        assert.deepStrictEqual(
          await redis.xread([["s2", "0"], ["s1", "1-0"]], { count: 1 }),
          [
            { key: "s2", entries: [{ id: "1-0", fields: fields({ b: "1" }) }] },
            { key: "s1", entries: [{ id: "2-0", fields: fields({ a: "2" }) }] },
          ],
        );
        // "$" without blocking: nothing newer than now.
        assert.equal(await redis.xread({ s1: "$", s2: "$" }), null);
        assert.equal(await redis.xread({ s1: "2-0" }), null);
      });
    },
  );

  await t.step(
    "consumer groups: create, read, pending, ack, claim, autoclaim, delete",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(
          await redis.xgroupCreate("jobs", "g", "$", { mkstream: true }),
          "OK",
        );
        await assert.rejects(redis.xgroupCreate("jobs", "g", "$"), (error) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "BUSYGROUP");
          return true;
        });
        await assert.rejects(redis.xgroupCreate("none", "g", "$"), ReplyError);
        assert.equal(await redis.xgroupCreateconsumer("jobs", "g", "c1"), true);
        assert.equal(
          await redis.xgroupCreateconsumer("jobs", "g", "c1"),
          false,
        );
        assert.equal(await redis.xreadgroup("g", "c1", { jobs: ">" }), null);
        assert.deepStrictEqual(await redis.xpending("jobs", "g"), {
          count: 0,
          smallest: null,
          greatest: null,
          consumers: [],
        });

        for (let i = 1; i <= 4; i++) {
          await redis.xadd("jobs", { n: String(i) }, { id: `${i}-0` });
        }
        assert.deepStrictEqual(
          await redis.xreadgroup("g", "c1", { jobs: ">" }, { count: 2 }),
          [{
            key: "jobs",
            entries: [
              { id: "1-0", fields: fields({ n: "1" }) },
              { id: "2-0", fields: fields({ n: "2" }) },
            ],
          }],
        );
        assert.deepStrictEqual(
          await redis.xreadgroup("g", "c2", [["jobs", ">"]], { count: 1 }),
          [{
            key: "jobs",
            entries: [{ id: "3-0", fields: fields({ n: "3" }) }],
          }],
        );
        // noack: delivered but never pending.
        assert.deepStrictEqual(
          (await redis.xreadgroup("g", "c3", { jobs: ">" }, { noack: true }))
            ?.[0]?.entries.map((e) => e.id),
          ["4-0"],
        );
        assert.deepStrictEqual(await redis.xpending("jobs", "g"), {
          count: 3,
          smallest: "1-0",
          greatest: "3-0",
          consumers: [{ name: "c1", count: 2 }, { name: "c2", count: 1 }],
        });
        const pending = await redis.xpending("jobs", "g", { count: 10 });
        assert.deepStrictEqual(
          pending.map(({ id, consumer, deliveries }) => ({
            id,
            consumer,
            deliveries,
          })),
          [
            { id: "1-0", consumer: "c1", deliveries: 1 },
            { id: "2-0", consumer: "c1", deliveries: 1 },
            { id: "3-0", consumer: "c2", deliveries: 1 },
          ],
        );
        for (const entry of pending) {
          assert.ok(Number.isInteger(entry.idle) && entry.idle >= 0);
        }
        assert.deepStrictEqual(
          (await redis.xpending("jobs", "g", {
            start: "(1-0",
            end: "+",
            count: 10,
            consumer: "c1",
          })).map((e) => e.id),
          ["2-0"],
        );
        assert.deepStrictEqual(
          await redis.xpending("jobs", "g", { count: 10, idle: 3_600_000 }),
          [],
        );

        // Re-reading history: a deleted pending entry has null fields.
        assert.equal(await redis.xdel("jobs", "1-0"), 1);
        assert.deepStrictEqual(
          await redis.xreadgroup("g", "c1", { jobs: "0" }),
          [
            {
              key: "jobs",
              entries: [
                { id: "1-0", fields: null },
                { id: "2-0", fields: fields({ n: "2" }) },
              ],
            },
          ],
        );

        assert.deepStrictEqual(
          await redis.xclaim("jobs", "g", "c2", 0, ["2-0"], { retryCount: 5 }),
          [{ id: "2-0", fields: fields({ n: "2" }) }],
        );
        assert.deepStrictEqual(
          await redis.xclaim("jobs", "g", "c1", 0, ["2-0", "3-0"], {
            justId: true,
          }),
          ["2-0", "3-0"],
        );
        // An idle time far in the future claims nothing.
        assert.deepStrictEqual(
          await redis.xclaim("jobs", "g", "c2", 3_600_000, ["2-0"]),
          [],
        );
        const [claimed] = await redis.xpending("jobs", "g", {
          start: "2-0",
          end: "2-0",
          count: 1,
        });
        assert.equal(claimed?.consumer, "c1");
        assert.equal(claimed?.deliveries, 5);

        assert.deepStrictEqual(
          await redis.xautoclaim("jobs", "g", "c3", 0, "0-0", { count: 1 }),
          { next: "2-0", entries: [], deleted: ["1-0"] },
        );
        assert.deepStrictEqual(
          await redis.xautoclaim("jobs", "g", "c3", 0, "2-0"),
          {
            next: "0-0",
            entries: [
              { id: "2-0", fields: fields({ n: "2" }) },
              { id: "3-0", fields: fields({ n: "3" }) },
            ],
            deleted: [],
          },
        );
        assert.deepStrictEqual(
          await redis.xautoclaim("jobs", "g", "c1", 0, "0-0", { justId: true }),
          { next: "0-0", entries: ["2-0", "3-0"], deleted: [] },
        );

        assert.equal(await redis.xack("jobs", "g", "2-0", "9-0"), 1);
        assert.equal(await redis.xgroupDelconsumer("jobs", "g", "c1"), 1);
        assert.equal(await redis.xgroupDelconsumer("jobs", "g", "c1"), 0);
        assert.deepStrictEqual(await redis.xpending("jobs", "g"), {
          count: 0,
          smallest: null,
          greatest: null,
          consumers: [],
        });

        assert.equal(
          await redis.xgroupSetid("jobs", "g", "0", { entriesRead: 0 }),
          "OK",
        );
        assert.deepStrictEqual(
          (await redis.xreadgroup("g", "c1", { jobs: ">" }))?.[0]?.entries.map((
            e,
          ) => e.id),
          ["2-0", "3-0", "4-0"],
        );
        await assert.rejects(
          redis.xreadgroup("nogroup", "c", { jobs: ">" }),
          (error) => {
            assert.ok(error instanceof ReplyError);
            assert.equal(error.code, "NOGROUP");
            return true;
          },
        );
        assert.equal(await redis.xgroupDestroy("jobs", "g"), true);
        assert.equal(await redis.xgroupDestroy("jobs", "g"), false);
      });
    },
  );

  await t.step(
    "xinfoStream(), xinfoGroups() and xinfoConsumers() return camelCase objects with numbers",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.xadd("s", { a: "1" }, { id: "1-0" });
        await redis.xadd("s", { b: "2" }, { id: "2-0" });
        await redis.xadd("s", { c: "3" }, { id: "3-0" });
        await redis.xdel("s", "3-0");
        assert.deepStrictEqual(await redis.xinfoStream("s"), {
          length: 2,
          radixTreeKeys: 1,
          radixTreeNodes: 2,
          lastGeneratedId: "3-0",
          maxDeletedEntryId: "3-0",
          entriesAdded: 3,
          recordedFirstEntryId: "1-0",
          groups: 0,
          firstEntry: { id: "1-0", fields: fields({ a: "1" }) },
          lastEntry: { id: "2-0", fields: fields({ b: "2" }) },
        });
        await redis.xgroupCreate("empty", "g", "$", { mkstream: true });
        const empty = await redis.xinfoStream("empty");
        assert.equal(empty.firstEntry, null);
        assert.equal(empty.lastEntry, null);
        assert.equal(empty.groups, 1);

        // After a deletion in its unread range, a group's counters are unknown.
        await redis.xgroupCreate("s", "d", "0");
        assert.deepStrictEqual(await redis.xinfoGroups("s"), [{
          name: "d",
          consumers: 0,
          pending: 0,
          lastDeliveredId: "0-0",
          entriesRead: null,
          lag: null,
        }]);

        await redis.xadd("q", { a: "1" }, { id: "1-0" });
        await redis.xadd("q", { b: "2" }, { id: "2-0" });
        await redis.xadd("q", { c: "3" }, { id: "3-0" });
        await redis.xgroupCreate("q", "g", "0");
        await redis.xgroupCreate("q", "h", "$");
        await redis.xreadgroup("g", "c1", { q: ">" }, { count: 1 });
        await redis.xgroupCreateconsumer("q", "g", "c2");
        assert.deepStrictEqual(await redis.xinfoGroups("q"), [
          {
            name: "g",
            consumers: 2,
            pending: 1,
            lastDeliveredId: "1-0",
            entriesRead: 1,
            lag: 2,
          },
          {
            name: "h",
            consumers: 0,
            pending: 0,
            lastDeliveredId: "3-0",
            entriesRead: null,
            lag: 0,
          },
        ]);
        const consumers = await redis.xinfoConsumers("q", "g");
        assert.deepStrictEqual(
          consumers.map(({ name, pending }) => ({ name, pending })),
          [{ name: "c1", pending: 1 }, { name: "c2", pending: 0 }],
        );
        for (const consumer of consumers) {
          assert.ok(Number.isInteger(consumer.idle) && consumer.idle >= 0);
        }

        const full = await redis.xinfoStream("q", { full: true });
        assert.deepStrictEqual(full.entries, [
          { id: "1-0", fields: fields({ a: "1" }) },
          { id: "2-0", fields: fields({ b: "2" }) },
          { id: "3-0", fields: fields({ c: "3" }) },
        ]);
        assert.equal(full.length, 3);
        assert.equal(full.lastGeneratedId, "3-0");
        assert.equal(full.maxDeletedEntryId, "0-0");
        assert.equal(full.recordedFirstEntryId, "1-0");
        assert.equal(full.entriesAdded, 3);
        assert.equal(full.groups.length, 2);
        const [g] = full.groups;
        assert.equal(g?.name, "g");
        assert.equal(g?.lastDeliveredId, "1-0");
        assert.equal(g?.entriesRead, 1);
        assert.equal(g?.lag, 2);
        assert.equal(g?.pelCount, 1);
        assert.equal(g?.pending.length, 1);
        const pending = g!.pending[0]!;
        assert.deepStrictEqual(
          { ...pending, deliveryTime: 0 },
          { id: "1-0", consumer: "c1", deliveryTime: 0, deliveryCount: 1 },
        );
        assert.ok(pending.deliveryTime > 1_600_000_000_000);
        assert.deepStrictEqual(g?.consumers.map((c) => c.name), ["c1", "c2"]);
        const c1 = g!.consumers[0]!;
        assert.equal(c1.pelCount, 1);
        assert.ok(Number.isInteger(c1.seenTime));
        const c1Pending = c1.pending.map((p) => [p.id, p.deliveryCount]);
        assert.deepStrictEqual(c1Pending, [["1-0", 1]]);
        assert.equal(typeof c1.pending[0]?.deliveryTime, "number");
        assert.deepStrictEqual(full.groups[1]?.consumers, []);
        const limited = await redis.xinfoStream("q", { full: true, count: 1 });
        assert.equal(limited.entries.length, 1);

        await assert.rejects(redis.xinfoStream("nope"), ReplyError);
        const help = await redis.xinfoHelp();
        assert.ok(help.some((line) => line.startsWith("CONSUMERS")));
        const groupHelp = await redis.xgroupHelp();
        assert.ok(groupHelp.some((line) => line.startsWith("CREATECONSUMER")));
      });
    },
  );

  await t.step(
    "xsetid() moves the last id and the counters XINFO reports",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.xadd("s", { a: "1" }, { id: "5-0" });
        assert.equal(await redis.xsetid("s", "10-0"), "OK");
        assert.equal((await redis.xinfoStream("s")).lastGeneratedId, "10-0");
        await assert.rejects(
          redis.xadd("s", { a: "2" }, { id: "9-0" }),
          ReplyError,
        );
        assert.equal(
          await redis.xsetid("s", "12-0", {
            entriesAdded: 42,
            maxDeletedId: "11-0",
          }),
          "OK",
        );
        const info = await redis.xinfoStream("s");
        assert.equal(info.entriesAdded, 42);
        assert.equal(info.maxDeletedEntryId, "11-0");
        await assert.rejects(redis.xsetid("s", "1-0"), ReplyError);
        await assert.rejects(redis.xsetid("nope", "1-0"), ReplyError);
      });
    },
  );

  await t.step(
    "binary views return keys and values as Uint8Array, ids and names as text",
    async () => {
      await eachProtocol(port, async (redis) => {
        const blob = new Uint8Array([0xff, 0x00, 0xfe]);
        const key = new Uint8Array([0x80, 0x81]);
        await redis.xadd(key, [["f", blob]], { id: "1-0" });
        const bin = redis.binary;
        assert.deepStrictEqual(await bin.xrange(key, "-", "+"), [
          { id: "1-0", fields: fields({ f: blob }) },
        ]);
        assert.deepStrictEqual(await bin.xread([[key, "0"]]), [
          { key, entries: [{ id: "1-0", fields: fields({ f: blob }) }] },
        ]);
        await bin.xgroupCreate(key, "g", "0");
        assert.deepStrictEqual(await bin.xreadgroup("g", "c", [[key, ">"]]), [
          { key, entries: [{ id: "1-0", fields: fields({ f: blob }) }] },
        ]);
        assert.deepStrictEqual(await bin.xpending(key, "g"), {
          count: 1,
          smallest: "1-0",
          greatest: "1-0",
          consumers: [{ name: "c", count: 1 }],
        });
        const info = await bin.xinfoStream(key);
        assert.equal(info.lastGeneratedId, "1-0");
        assert.deepStrictEqual(info.firstEntry?.fields.f, blob);
        assert.equal((await bin.xinfoGroups(key))[0]?.name, "g");
        assert.deepStrictEqual(
          await bin.xclaim(key, "g", "d", 0, ["1-0"], { justId: true }),
          ["1-0"],
        );
        assert.equal(
          await bin.xadd(key, { g: "x" }),
          await bin.xrevrange(key, "+", "-", { count: 1 }).then((e) =>
            e[0]?.id
          ),
        );
        assert.equal(typeof await redis.bigint.xlen(key), "bigint");
        assert.equal(await redis.bigint.xlen(key), 2n);
      });
    },
  );

  await t.step(
    "binary views reject entries whose field names are not UTF-8 rather than drop a field",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.xadd("s", [
          [new Uint8Array([0xff]), "1"],
          [new Uint8Array([0xfe]), "2"],
        ], { id: "1-0" });
        for (
          const read of [
            () => redis.binary.xrange("s", "-", "+"),
            () => redis.binary.xread({ s: "0" }),
          ]
        ) {
          await assert.rejects(read(), (error) => {
            assert.ok(error instanceof UnexpectedReplyError);
            assert.match(error.message, /UTF-8/);
            return true;
          });
        }
        await redis.xadd("s", { "\uFEFFf": "v" }, { id: "2-0" });
        assert.deepStrictEqual(await redis.binary.xrange("s", "2-0", "+"), [
          { id: "2-0", fields: fields({ "\uFEFFf": utf8.encode("v") }) },
        ]);
      });
    },
  );

  await t.step(
    "multi() and pipeline() queue typed stream commands",
    async () => {
      await eachProtocol(port, async (redis) => {
        const results = succeeded(
          await redis.multi()
            .xadd("s", { a: "1" }, { id: "1-0" })
            .xadd("s", { b: "2" }, { id: "2-0" })
            .xlen("s")
            .xrange("s", "-", "+")
            .xread({ s: "1-0" })
            .xgroupCreate("s", "g", "0")
            .xreadgroup("g", "c", { s: ">" })
            .xack("s", "g", "1-0")
            .xpending("s", "g")
            .exec(),
        );
        const [a, b, len, range, read, created, group, acked, summary] =
          results;
        assert.equal(a, "1-0");
        assert.equal(b, "2-0");
        assert.equal(len, 2);
        assert.deepStrictEqual(range, [
          { id: "1-0", fields: fields({ a: "1" }) },
          { id: "2-0", fields: fields({ b: "2" }) },
        ]);
        assert.deepStrictEqual(read, [
          { key: "s", entries: [{ id: "2-0", fields: fields({ b: "2" }) }] },
        ]);
        assert.equal(created, "OK");
        assert.equal(group?.[0]?.entries.length, 2);
        assert.equal(acked, 1);
        assert.equal(summary.count, 1);

        const [info, trimmed, deleted, nothing] = succeeded(
          await redis.pipeline()
            .xinfoStream("s")
            .xtrim("s", { maxLen: 1 })
            .xdel("s", "2-0")
            .xadd("missing", { a: "1" }, { nomkstream: true })
            .exec(),
        );
        assert.equal(info.length, 2);
        assert.equal(trimmed, 1);
        assert.equal(deleted, 1);
        assert.equal(nothing, null);
      });
    },
  );
});

// Compile-time checks: the overloads give each form its own result type.
// Never called; `deno check` fails if a type is wrong.
async function _overloadTypes(
  redis: Redis,
  claim: XClaimOptions,
  autoclaim: XAutoClaimOptions,
  add: XAddOptions,
) {
  const id: string = await redis.xadd("s", { a: "1" });
  const trimmed: string = await redis.xadd("s", { a: "1" }, {
    trim: { maxLen: 10 },
  });
  const maybe: string | null = await redis.xadd("s", { a: "1" }, {
    nomkstream: true,
  });
  const unknown: string | null = await redis.xadd("s", { a: "1" }, add);
  // @ts-expect-error nomkstream may give null
  const wrongId: string = await redis.xadd("s", { a: "1" }, {
    nomkstream: true,
  });
  const entries: StreamEntry[] = await redis.xclaim("s", "g", "c", 0, ["1-0"]);
  const ids: string[] = await redis.xclaim("s", "g", "c", 0, ["1-0"], {
    justId: true,
  });
  const either: StreamEntry[] | string[] = await redis.xclaim(
    "s",
    "g",
    "c",
    0,
    ["1-0"],
    claim,
  );
  // @ts-expect-error justId gives ids
  const wrong: StreamEntry[] = await redis.xclaim("s", "g", "c", 0, [], {
    justId: true,
  });
  const auto: XAutoClaimResult<StreamEntry<Uint8Array>> = await redis.binary
    .xautoclaim("s", "g", "c", 0, "0-0");
  const autoIds: XAutoClaimResult<string> = await redis.xautoclaim(
    "s",
    "g",
    "c",
    0,
    "0-0",
    { justId: true },
  );
  const autoEither = await redis.xautoclaim("s", "g", "c", 0, "0-0", autoclaim);
  const summary: XPendingSummary = await redis.xpending("s", "g");
  const pending: XPendingEntry[] = await redis.xpending("s", "g", { count: 1 });
  const info: StreamInfo = await redis.xinfoStream("s");
  const full: StreamInfoFull<Uint8Array> = await redis.binary.xinfoStream("s", {
    full: true,
  });
  const read: StreamEntries<Uint8Array>[] | null = await redis.binary.xread({
    s: "0",
  });
  const group: StreamEntries<string, StreamGroupEntry>[] | null = await redis
    .xreadgroup("g", "c", { s: ">" });
  const length: bigint = await redis.bigint.xlen("s");
  const blocked: StreamEntries[] | null = await redis.xread({ s: "$" }, {
    block: 1,
  });
  return [
    id,
    trimmed,
    maybe,
    unknown,
    wrongId,
    entries,
    ids,
    either,
    wrong,
    auto,
    autoIds,
    autoEither,
    summary,
    pending,
    info,
    full,
    read,
    group,
    length,
    blocked,
  ];
}
