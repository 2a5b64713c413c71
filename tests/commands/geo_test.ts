// GeoCommands against a real redis-server, under RESP2 and RESP3 (RESP3
// sends coordinates as doubles, RESP2 as strings), plus the argument
// builders without a server.

import assert from "node:assert/strict";
import {
  type GeoMatch,
  type GeoPosition,
  type GeoSearchOptions,
  type Redis,
  ReplyError,
} from "../../mod.ts";
import {
  geoaddArgs,
  georadiusArgs,
  geosearchArgs,
  geosearchstoreArgs,
  withMask,
} from "../../lib/commands/geo_options.ts";
import { assertWrongType, eachProtocol } from "../_support/protocols.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { succeeded } from "../_support/results.ts";

const PALERMO = {
  longitude: 13.361389,
  latitude: 38.115556,
  member: "Palermo",
};
const CATANIA = {
  longitude: 15.087269,
  latitude: 37.502669,
  member: "Catania",
};
const CENTER = { longitude: 15, latitude: 37 };

/** Asserts that a position is where a member was put (stored to ~0.6 m). */
function assertNear(
  actual: GeoPosition | null | undefined,
  expected: GeoPosition,
) {
  assert.ok(actual, "expected a position");
  assert.ok(Math.abs(actual.longitude - expected.longitude) < 1e-5);
  assert.ok(Math.abs(actual.latitude - expected.latitude) < 1e-5);
}

Deno.test("geoaddArgs puts conditions before longitude/latitude/member triples", () => {
  assert.deepStrictEqual(geoaddArgs("g", [PALERMO], undefined), [
    "g",
    13.361389,
    38.115556,
    "Palermo",
  ]);
  const bytes = new Uint8Array([0xff]);
  assert.deepStrictEqual(
    geoaddArgs("g", [PALERMO, { longitude: 1, latitude: 2, member: bytes }], {
      xx: true,
      ch: true,
    }),
    ["g", "XX", "CH", 13.361389, 38.115556, "Palermo", 1, 2, bytes],
  );
  assert.deepStrictEqual(geoaddArgs("g", [], { nx: true }), ["g", "NX"]);
});

Deno.test("geosearchArgs and geosearchstoreArgs name the centre, the area, then the options", () => {
  assert.deepStrictEqual(
    geosearchArgs("g", { member: "m" }, { radius: 5, unit: "km" }, undefined),
    ["g", "FROMMEMBER", "m", "BYRADIUS", 5, "km"],
  );
  assert.deepStrictEqual(
    geosearchArgs("g", CENTER, { width: 2, height: 3, unit: "mi" }, {
      order: "DESC",
      count: 4,
      any: true,
      withCoord: true,
      withDist: true,
      withHash: true,
    }),
    [
      "g",
      "FROMLONLAT",
      15,
      37,
      "BYBOX",
      2,
      3,
      "mi",
      "DESC",
      "COUNT",
      4,
      "ANY",
      "WITHCOORD",
      "WITHDIST",
      "WITHHASH",
    ],
  );
  assert.deepStrictEqual(
    geosearchstoreArgs("d", "g", { member: "m" }, { radius: 1, unit: "m" }, {
      order: "ASC",
      count: 2,
      storeDist: true,
    }),
    [
      "d",
      "g",
      "FROMMEMBER",
      "m",
      "BYRADIUS",
      1,
      "m",
      "ASC",
      "COUNT",
      2,
      "STOREDIST",
    ],
  );
  assert.deepStrictEqual(
    geosearchstoreArgs("d", "g", CENTER, { radius: 1, unit: "ft" }, {
      storeDist: false,
    }),
    ["d", "g", "FROMLONLAT", 15, 37, "BYRADIUS", 1, "ft"],
  );
});

Deno.test("georadiusArgs appends the radius, WITH*, order, count and STORE/STOREDIST", () => {
  assert.deepStrictEqual(
    georadiusArgs(["g", 15, 37], { radius: 200, unit: "km" }, undefined),
    ["g", 15, 37, 200, "km"],
  );
  assert.deepStrictEqual(
    georadiusArgs(["g", "m"], { radius: 1, unit: "m" }, {
      withDist: true,
      withHash: true,
      order: "ASC",
      count: 3,
    }),
    ["g", "m", 1, "m", "WITHDIST", "WITHHASH", "ASC", "COUNT", 3],
  );
  assert.deepStrictEqual(
    georadiusArgs(["g", "m"], { radius: 1, unit: "m" }, {
      store: "d",
      count: 1,
    }),
    ["g", "m", 1, "m", "COUNT", 1, "STORE", "d"],
  );
  assert.deepStrictEqual(
    georadiusArgs(["g", "m"], { radius: 1, unit: "m" }, { storeDist: "d" }),
    ["g", "m", 1, "m", "STOREDIST", "d"],
  );
  assert.equal(withMask(undefined), 0);
  assert.equal(withMask({ withCoord: true, withDist: false }), 1);
  assert.equal(withMask({ withDist: true, withHash: true }), 6);
});

Deno.test("GeoCommands return the same values under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer();
  const { port } = server;

  await t.step(
    "geoadd() counts added members and honours nx, xx and ch",
    async () => {
      await eachProtocol(port, async (redis) => {
        assert.equal(await redis.geoadd("g", [PALERMO, CATANIA]), 2);
        assert.equal(
          await redis.geoadd("g", [{ ...PALERMO, longitude: 13 }]),
          0,
        );
        assert.equal(
          await redis.geoadd("g", [{ ...PALERMO, longitude: 14 }], {
            ch: true,
          }),
          1,
        );
        assert.equal(
          await redis.geoadd("g", [PALERMO, { ...CENTER, member: "x" }], {
            nx: true,
          }),
          1,
        );
        assertNear((await redis.geopos("g", "Palermo"))[0], {
          longitude: 14,
          latitude: PALERMO.latitude,
        });
        assert.equal(
          await redis.geoadd("g", [PALERMO, { ...CENTER, member: "y" }], {
            xx: true,
            ch: true,
          }),
          1,
        );
        assert.equal(await redis.zscore("g", "y"), null);
        await assert.rejects(
          redis.geoadd("g", [{ longitude: 200, latitude: 0, member: "bad" }]),
          ReplyError,
        );
        await redis.set("str", "x");
        await assertWrongType(redis.geoadd("str", [PALERMO]), "GEOADD");
      });
    },
  );

  await t.step(
    "geodist(), geohash() and geopos() return numbers, text and null for missing members",
    async () => {
      const seen: unknown[] = [];
      await eachProtocol(port, async (redis) => {
        await redis.geoadd("g", [PALERMO, CATANIA]);
        assert.equal(
          await redis.geodist("g", "Palermo", "Catania"),
          166274.1516,
        );
        assert.equal(
          await redis.geodist("g", "Palermo", "Catania", "km"),
          166.2742,
        );
        assert.equal(
          await redis.geodist("g", "Palermo", "Catania", "mi"),
          103.3182,
        );
        assert.equal(await redis.geodist("g", "Palermo", "Nowhere"), null);
        assert.equal(await redis.geodist("nope", "a", "b"), null);
        assert.deepStrictEqual(
          await redis.geohash("g", "Palermo", "Nowhere", "Catania"),
          [
            "sqc8b49rny0",
            null,
            "sqdtr74hyu0",
          ],
        );
        const positions = await redis.geopos(
          "g",
          "Palermo",
          "Nowhere",
          "Catania",
        );
        assert.equal(positions.length, 3);
        assertNear(positions[0], PALERMO);
        assert.equal(positions[1], null);
        assertNear(positions[2], CATANIA);
        assert.equal(typeof positions[0]?.longitude, "number");
        assert.deepStrictEqual(await redis.geopos("nope", "a"), [null]);
        seen.push(positions);
      });
      // RESP2's strings and RESP3's doubles give the very same numbers.
      assert.deepStrictEqual(seen[0], seen[1]);
    },
  );

  await t.step(
    "geosearch() returns members, or GeoMatch objects with exactly what was asked",
    async () => {
      const seen: unknown[] = [];
      await eachProtocol(port, async (redis) => {
        await redis.geoadd("g", [PALERMO, CATANIA]);
        const radius = { radius: 200, unit: "km" } as const;
        assert.deepStrictEqual(
          await redis.geosearch("g", CENTER, radius, { order: "ASC" }),
          ["Catania", "Palermo"],
        );
        assert.deepStrictEqual(
          await redis.geosearch("g", CENTER, radius, {
            order: "DESC",
            count: 1,
          }),
          ["Palermo"],
        );
        assert.deepStrictEqual(
          await redis.geosearch("g", CENTER, { radius: 100, unit: "km" }),
          ["Catania"],
        );
        assert.deepStrictEqual(
          await redis.geosearch("g", { member: "Palermo" }, {
            width: 400,
            height: 400,
            unit: "km",
          }, { order: "ASC" }),
          ["Palermo", "Catania"],
        );
        const any = await redis.geosearch("g", CENTER, radius, {
          count: 1,
          any: true,
        });
        assert.equal(any.length, 1);

        assert.deepStrictEqual(
          await redis.geosearch("g", CENTER, radius, {
            order: "ASC",
            withDist: true,
          }),
          [
            { member: "Catania", distance: 56.4413 },
            { member: "Palermo", distance: 190.4424 },
          ],
        );
        assert.deepStrictEqual(
          await redis.geosearch("g", CENTER, radius, {
            order: "ASC",
            withHash: true,
          }),
          [
            { member: "Catania", hash: 3479447370796909 },
            { member: "Palermo", hash: 3479099956230698 },
          ],
        );
        const withCoord = await redis.geosearch("g", CENTER, radius, {
          order: "ASC",
          withCoord: true,
        });
        assert.deepStrictEqual(withCoord.map((m) => Object.keys(m)), [
          ["member", "coordinates"],
          ["member", "coordinates"],
        ]);
        assertNear(withCoord[0]?.coordinates, CATANIA);
        const all: GeoMatch[] = await redis.geosearch("g", CENTER, radius, {
          order: "ASC",
          withCoord: true,
          withDist: true,
          withHash: true,
        });
        assert.equal(all[1]?.member, "Palermo");
        assert.equal(all[1]?.distance, 190.4424);
        assert.equal(all[1]?.hash, 3479099956230698);
        assertNear(all[1]?.coordinates, PALERMO);
        seen.push(all);

        assert.deepStrictEqual(
          await redis.geosearch("nope", CENTER, radius, { withDist: true }),
          [],
        );
        await assert.rejects(
          redis.geosearch("g", { member: "Nowhere" }, radius),
          ReplyError,
        );
      });
      assert.deepStrictEqual(seen[0], seen[1]);
    },
  );

  await t.step(
    "geosearchstore() stores positions, or distances with storeDist",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.geoadd("g", [PALERMO, CATANIA]);
        assert.equal(
          await redis.geosearchstore("d", "g", { member: "Palermo" }, {
            radius: 200,
            unit: "km",
          }),
          2,
        );
        assertNear((await redis.geopos("d", "Catania"))[0], CATANIA);
        assert.equal(
          await redis.geosearchstore("e", "g", { member: "Palermo" }, {
            radius: 200,
            unit: "km",
          }, { storeDist: true, order: "DESC", count: 1 }),
          1,
        );
        // storeDist: a plain sorted set scored by distance.
        assert.equal(await redis.zcard("e"), 1);
        const distance = await redis.zscore("e", "Catania");
        assert.ok(Math.abs(distance! - 166.2742) < 1e-3);
        assert.equal(
          await redis.geosearchstore("d", "g", CENTER, {
            radius: 1,
            unit: "m",
          }),
          0,
        );
        assert.equal(await redis.exists("d"), 0);
      });
    },
  );

  await t.step(
    "the deprecated GEORADIUS family returns and stores like geosearch",
    async () => {
      await eachProtocol(port, async (redis) => {
        await redis.geoadd("g", [PALERMO, CATANIA]);
        const radius = { radius: 200, unit: "km" } as const;
        assert.deepStrictEqual(
          await redis.georadius("g", CENTER, radius, { order: "ASC" }),
          ["Catania", "Palermo"],
        );
        assert.deepStrictEqual(
          await redis.georadiusRo("g", CENTER, radius, {
            order: "ASC",
            withDist: true,
          }),
          [
            { member: "Catania", distance: 56.4413 },
            { member: "Palermo", distance: 190.4424 },
          ],
        );
        assert.deepStrictEqual(
          await redis.georadiusbymember("g", "Palermo", radius, {
            order: "ASC",
            withHash: true,
            count: 1,
          }),
          [{ member: "Palermo", hash: 3479099956230698 }],
        );
        const [catania] = await redis.georadiusbymemberRo(
          "g",
          "Catania",
          { radius: 1, unit: "km" },
          { withCoord: true, withDist: true },
        );
        assert.equal(catania?.member, "Catania");
        assert.equal(catania?.distance, 0);
        assertNear(catania?.coordinates, CATANIA);
        assert.deepStrictEqual(
          await redis.georadiusbymemberRo("g", "Catania", {
            radius: 1,
            unit: "km",
          }),
          ["Catania"],
        );

        assert.equal(
          await redis.georadius("g", CENTER, radius, { store: "stored" }),
          2,
        );
        assertNear((await redis.geopos("stored", "Palermo"))[0], PALERMO);
        assert.equal(
          await redis.georadiusbymember("g", "Palermo", radius, {
            storeDist: "dists",
            order: "ASC",
          }),
          2,
        );
        assert.equal(await redis.zscore("dists", "Palermo"), 0);
        assert.ok(
          Math.abs((await redis.zscore("dists", "Catania"))! - 166.2742) < 1e-3,
        );
        await assert.rejects(
          redis.georadiusbymember("g", "Nowhere", radius),
          ReplyError,
        );
      });
    },
  );

  await t.step(
    "binary views return members as Uint8Array, geohashes as text",
    async () => {
      await eachProtocol(port, async (redis) => {
        const blob = new Uint8Array([0xff, 0x00]);
        await redis.geoadd("g", [{ ...PALERMO, member: blob }, CATANIA]);
        const bin = redis.binary;
        assert.deepStrictEqual(
          await bin.geosearch("g", CENTER, { radius: 200, unit: "km" }, {
            order: "DESC",
          }),
          [blob, new TextEncoder().encode("Catania")],
        );
        assert.deepStrictEqual(
          await bin.geosearch(
            "g",
            { member: blob },
            { radius: 1, unit: "km" },
            {
              withDist: true,
            },
          ),
          [{ member: blob, distance: 0 }],
        );
        assert.deepStrictEqual(await bin.geohash("g", blob), ["sqc8b49rny0"]);
        assertNear((await bin.geopos("g", blob))[0], PALERMO);
        assert.equal(await bin.geodist("g", blob, "Catania", "km"), 166.2742);
        assert.equal(
          typeof await redis.bigint.geoadd("h", [PALERMO]),
          "bigint",
        );
      });
    },
  );

  await t.step("multi() and pipeline() queue typed geo commands", async () => {
    await eachProtocol(port, async (redis) => {
      const [added, distance, hashes, positions, found, stored] = succeeded(
        await redis
          .multi()
          .geoadd("g", [PALERMO, CATANIA])
          .geodist("g", "Palermo", "Catania", "km")
          .geohash("g", "Palermo")
          .geopos("g", "Catania")
          .geosearch("g", CENTER, { radius: 100, unit: "km" }, {
            withDist: true,
          })
          .geosearchstore("d", "g", CENTER, { radius: 100, unit: "km" })
          .exec(),
      );
      assert.equal(added, 2);
      assert.equal(distance, 166.2742);
      assert.deepStrictEqual(hashes, ["sqc8b49rny0"]);
      assertNear(positions[0], CATANIA);
      assert.deepStrictEqual(found, [{ member: "Catania", distance: 56.4413 }]);
      assert.equal(stored, 1);

      const [members, near, count] = await redis.pipeline()
        .georadius("g", CENTER, { radius: 100, unit: "km" })
        .georadiusbymemberRo("g", "Catania", { radius: 1, unit: "km" }, {
          withHash: true,
        })
        .georadius("g", CENTER, { radius: 300, unit: "km" }, { store: "e" })
        .exec();
      assert.deepStrictEqual(members, ["Catania"]);
      assert.deepStrictEqual(near, [{
        member: "Catania",
        hash: 3479447370796909,
      }]);
      assert.equal(count, 2);
    });
  });
});

// Compile-time checks: the overloads give each form its own result type.
// Never called; `deno check` fails if a type is wrong.
async function _overloadTypes(redis: Redis, options: GeoSearchOptions) {
  const radius = { radius: 1, unit: "km" } as const;
  const members: string[] = await redis.geosearch("g", CENTER, radius);
  const ordered: string[] = await redis.geosearch("g", CENTER, radius, {
    order: "ASC",
    withDist: false,
  });
  const matches: GeoMatch[] = await redis.geosearch("g", CENTER, radius, {
    withHash: true,
  });
  const either: string[] | GeoMatch[] = await redis.geosearch(
    "g",
    CENTER,
    radius,
    options,
  );
  // @ts-expect-error withDist gives GeoMatch objects, not members
  const wrong: string[] = await redis.geosearch("g", CENTER, radius, {
    withDist: true,
  });
  const stored: number = await redis.georadius("g", CENTER, radius, {
    store: "d",
  });
  const storedDist: number = await redis.georadiusbymember("g", "m", radius, {
    storeDist: "d",
  });
  const found: string[] = await redis.georadiusbymember("g", "m", radius);
  const foundRo: GeoMatch<Uint8Array>[] = await redis.binary.georadiusRo(
    "g",
    CENTER,
    radius,
    { withCoord: true },
  );
  const distance: number | null = await redis.geodist("g", "a", "b");
  const position: (GeoPosition | null)[] = await redis.geopos("g", "a");
  const count: bigint = await redis.bigint.geosearchstore(
    "d",
    "g",
    CENTER,
    radius,
  );
  return [
    members,
    ordered,
    matches,
    either,
    wrong,
    stored,
    storedDist,
    found,
    foundRo,
    distance,
    position,
    count,
  ];
}
