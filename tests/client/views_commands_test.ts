// Every method works in every view: a sample of commands from each family,
// run on the client, db(n), binary, bigint, with(), prefix(), fireAndForget,
// and inside multi() and pipeline(), each giving the same answer in its
// view's types and touching only its view's database and keys.

import assert from "node:assert/strict";
import { connect, type Redis, type RedisView } from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

type AnyView = RedisView<"promise", string | Uint8Array, number | bigint>;

/** A command run on a view; `seed` prepares its keys on the same view. */
interface Case {
  name: string;
  seed?: (view: AnyView) => Promise<unknown>;
  run: (view: AnyView) => Promise<unknown> | unknown;
  /** The answer on a plain text view. */
  expected: unknown;
  /** The answer is a double (rounded here), not an integer reply. */
  double?: boolean;
  /** A field/value answer: a Map of bytes on binary views. */
  fields?: boolean;
}

const CASES: Case[] = [
  {
    name: "get",
    seed: (v) => v.set("s", "v"),
    run: (v) => v.get("s"),
    expected: "v",
  },
  { name: "incrby", run: (v) => v.incrby("n", 5), expected: 5 },
  {
    name: "strlen",
    seed: (v) => v.set("s2", "abc"),
    run: (v) => v.strlen("s2"),
    expected: 3,
  },
  {
    name: "bitcount",
    seed: (v) => v.setbit("b", 3, 1),
    run: (v) => v.bitcount("b"),
    expected: 1,
  },
  {
    name: "exists",
    seed: (v) => v.set("e", 1),
    run: (v) => v.exists("e", "nope"),
    expected: 1,
  },
  {
    name: "hgetall",
    seed: (v) => v.hset("h", { f: "x" }),
    run: (v) => v.hgetall("h"),
    expected: { f: "x" },
    fields: true,
  },
  {
    name: "lrange",
    seed: (v) => v.rpush("l", "a", "b"),
    run: (v) => v.lrange("l", 0, -1),
    expected: ["a", "b"],
  },
  {
    name: "smembers",
    seed: (v) => v.sadd("set", "m"),
    run: (v) => v.smembers("set"),
    expected: ["m"],
  },
  {
    name: "zrange withScores",
    seed: (v) => v.zadd("z", { a: 1.5 }),
    run: (v) => v.zrange("z", 0, -1, { withScores: true }),
    expected: [{ member: "a", score: 1.5 }],
  },
  {
    name: "pfcount",
    seed: (v) => v.pfadd("hll", "a", "b"),
    run: (v) => v.pfcount("hll"),
    expected: 2,
  },
  {
    name: "geodist",
    seed: (v) =>
      v.geoadd("g", [
        { longitude: 13.361389, latitude: 38.115556, member: "p" },
        { longitude: 15.087269, latitude: 37.502669, member: "c" },
      ]),
    run: async (v) => Math.round((await v.geodist("g", "p", "c", "km"))!),
    expected: 166,
    double: true,
  },
  {
    name: "xlen",
    seed: (v) => v.xadd("x", { f: "v" }),
    run: (v) => v.xlen("x"),
    expected: 1,
  },
  {
    name: "eval",
    run: (v) => v.eval("return ARGV[1]", [], ["hi"]),
    expected: "hi",
  },
  { name: "echo", run: (v) => v.echo("e"), expected: "e" },
  { name: "publish", run: (v) => v.publish("nobody", "m"), expected: 0 },
];

/** The expected answer in a view's types. */
function inTypes(value: unknown, binary: boolean, bigint: boolean): unknown {
  if (typeof value === "string") {
    return binary ? new TextEncoder().encode(value) : value;
  }
  if (typeof value === "number" && Number.isInteger(value)) {
    return bigint ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => inTypes(v, binary, bigint));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) {
      // Scores are doubles, not integer replies.
      out[k] = k === "score" ? v : inTypes(v, binary, bigint);
    }
    return out;
  }
  return value;
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Uint8Array || value instanceof Map) return value;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}

/** Every key on the server, by database. */
async function allKeys(redis: Redis): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (let db = 0; db < 16; db++) {
    const keys = (await redis.db(db).keys("*")).sort();
    if (keys.length > 0) out.set(db, keys);
  }
  return out;
}

Deno.test("every sampled method works in every view, in that view's types, database and keys", async (t) => {
  await using server = await startRedisServer();
  for (const protocol of [2, 3] as const) {
    await using redis = await connect({ port: server.port, protocol });
    const views: [
      string,
      AnyView,
      { binary: boolean; bigint: boolean; db: number; prefix: string },
    ][] = [
      ["client", redis as unknown as AnyView, {
        binary: false,
        bigint: false,
        db: 0,
        prefix: "",
      }],
      ["db(3)", redis.db(3) as unknown as AnyView, {
        binary: false,
        bigint: false,
        db: 3,
        prefix: "",
      }],
      ["binary", redis.binary as unknown as AnyView, {
        binary: true,
        bigint: false,
        db: 0,
        prefix: "",
      }],
      ["bigint", redis.bigint as unknown as AnyView, {
        binary: false,
        bigint: true,
        db: 0,
        prefix: "",
      }],
      ["with()", redis.with({ timeout: 5_000 }) as unknown as AnyView, {
        binary: false,
        bigint: false,
        db: 0,
        prefix: "",
      }],
      ["prefix()", redis.prefix("p:") as unknown as AnyView, {
        binary: false,
        bigint: false,
        db: 0,
        prefix: "p:",
      }],
      [
        "db(5).binary.bigint.prefix()",
        redis.db(5).binary.bigint.prefix("q:") as unknown as AnyView,
        { binary: true, bigint: true, db: 5, prefix: "q:" },
      ],
    ];
    for (const [label, view, shape] of views) {
      await t.step(`RESP${protocol} ${label}`, async () => {
        await redis.flushall();
        for (const c of CASES) {
          await c.seed?.(view);
          const got = await c.run(view);
          assert.deepEqual(
            normalize(got),
            normalize(
              c.fields && shape.binary
                ? new Map(
                  Object.entries(c.expected as Record<string, string>).map((
                    [k, v],
                  ) => [utf8.encode(k), utf8.encode(v)]),
                )
                : inTypes(c.expected, shape.binary, shape.bigint && !c.double),
            ),
            `${c.name} on ${label}`,
          );
        }
        // Only this view's database and prefix were touched.
        const keys = await allKeys(redis);
        assert.deepEqual([...keys.keys()], [shape.db], label);
        for (const key of keys.get(shape.db)!) {
          assert.ok(key.startsWith(shape.prefix), `${label} wrote ${key}`);
        }
      });
    }
    await t.step(
      `RESP${protocol} multi() and pipeline() of the same commands`,
      async () => {
        for (const kind of ["multi", "pipeline"] as const) {
          await redis.flushall();
          const seeds = redis[kind]() as unknown as AnyView & {
            exec(): Promise<unknown[]>;
          };
          for (const c of CASES) c.seed?.(seeds as AnyView);
          await seeds.exec();
          const batch = redis[kind]() as unknown as AnyView & {
            exec(): Promise<unknown[]>;
          };
          // Cases that post-process a reply (geodist) cannot be queued as is.
          const queued = CASES.filter((c) => c.name !== "geodist");
          for (const c of queued) c.run(batch);
          const results = await batch.exec();
          assert.deepEqual(
            normalize(results),
            normalize(queued.map((c) => c.expected)),
            kind,
          );
        }
      },
    );
    await t.step(`RESP${protocol} fireAndForget runs them too`, async () => {
      await redis.flushall();
      const errors: Error[] = [];
      const listener = (event: { error: Error }) => errors.push(event.error);
      redis.addEventListener("error", listener);
      const fire = redis.db(2).fireAndForget;
      fire.set("s", "v");
      fire.incrby("n", 5);
      fire.hset("h", { f: "x" });
      fire.rpush("l", "a");
      fire.zadd("z", { a: 1 });
      fire.xadd("x", { f: "v" });
      fire.pfadd("hll", "a");
      fire.eval("return redis.call('SET', KEYS[1], 'e')", ["ev"]);
      fire.hget("s", "f"); // WRONGTYPE: an event, not a rejection
      assert.equal(await redis.db(2).dbsize(), 8);
      redis.removeEventListener("error", listener);
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.message, /WRONGTYPE/);
    });
  }
});
