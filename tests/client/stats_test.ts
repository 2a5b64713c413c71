// redis.stats() on real servers: its figures add up (written = replies +
// errors + in flight), its bytes are what the server counts (INFO), each
// connection (blocking pool, watch lease, subscriber, cluster node) reports
// its own, and closed connections stay in the total.

import assert from "node:assert/strict";
import {
  connect,
  connectCluster,
  ConnectionError,
  type ConnectionStats,
  TimeoutError,
} from "../../mod.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { startRedisCluster } from "../_support/cluster.ts";

function sum(record: Readonly<Record<string, number>>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}

function assertAddsUp(stats: ConnectionStats): void {
  assert.equal(
    stats.written,
    stats.replies + sum(stats.errors) + stats.inFlight,
    JSON.stringify(stats),
  );
}

/** INFO stats' byte counters. */
function netBytes(info: string): { input: number; output: number } {
  const field = (name: string) =>
    Number(new RegExp(`^${name}:(\\d+)`, "m").exec(info)![1]);
  return {
    input: field("total_net_input_bytes"),
    output: field("total_net_output_bytes"),
  };
}

/** The size of a RESP2 bulk string frame holding `text`. */
function bulkFrame(text: string): number {
  const n = new TextEncoder().encode(text).byteLength;
  return 1 + String(n).length + 2 + n + 2;
}

Deno.test("stats: figures add up, and bytes are what the server counts", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, protocol: 2 });
  const fresh = redis.stats();
  assert.equal(fresh.connections.length, 1);
  assert.equal(fresh.connections[0]!.role, "shared");
  assert.equal(fresh.connections[0]!.address, `127.0.0.1:${server.port}`);
  // The handshake's bytes and commands.
  assert.ok(fresh.total.bytesOut > 0 && fresh.total.bytesIn > 0);
  assertAddsUp(fresh.total);

  const info1 = String(await redis.send("INFO", "stats"));
  const after1 = redis.stats().total;

  await redis.set("text", "not a number");
  const pending = Array.from(
    { length: 500 },
    (_, i) => redis.set(`k${i}`, "v"),
  );
  // Mid-flight, the figures add up too.
  await new Promise((wake) => setTimeout(wake, 0));
  assertAddsUp(redis.stats().total);
  await Promise.all(pending);
  await assert.rejects(redis.incr("text"));
  await assert.rejects(redis.lpush("text", "x"));
  redis.addEventListener("error", () => {});
  redis.fireAndForget.incr("text");
  await redis.pipeline().get("k1").incr("text").exec();
  await redis.db(3).set("k", "v");
  // Back in database 0 before INFO: a SELECT written with INFO would have
  // its reply still in the server's buffer when INFO counts.
  await redis.ping();

  const info2 = String(await redis.send("INFO", "stats"));
  const after2 = redis.stats().total;
  assertAddsUp(after2);
  assert.equal(after2.inFlight, 0);
  assert.equal(after2.waiting, 0);
  // Redis 7.0 refuses the handshake's CLIENT SETINFO (7.2): counted too.
  const handshakeErrors = fresh.total.errors.ERR ?? 0;
  assert.equal(after2.errors.ERR, handshakeErrors + 3);
  assert.equal(after2.errors.WRONGTYPE, 1);
  assert.equal(after2.timeouts, 0);
  assert.equal(after2.reconnects, 0);

  // The server read exactly what the client wrote between the two INFOs
  // (the first's command included), and wrote what it read (the first's
  // reply included, the second's not).
  const [net1, net2] = [netBytes(info1), netBytes(info2)];
  assert.equal(net2.input - net1.input, after2.bytesOut - after1.bytesOut);
  assert.equal(
    net2.output - net1.output,
    after2.bytesIn - bulkFrame(info2) - (after1.bytesIn - bulkFrame(info1)),
  );
  // Since the start, the server counted the client's bytes and its own
  // readiness probes': within a few hundred bytes.
  assert.ok(net2.input >= after2.bytesOut);
  assert.ok(
    net2.input - after2.bytesOut < 512,
    `${net2.input} ${after2.bytesOut}`,
  );
});

Deno.test("stats: waiting commands, timeouts, a lost connection and a reconnection", async () => {
  await using server = await startRedisServer();
  await using redis = await connect({ port: server.port, maxInFlight: 1 });
  await using admin = await connect({ port: server.port });
  redis.addEventListener("error", () => {});

  // maxInFlight 1: the other nine wait in the backlog.
  const gets = Array.from({ length: 10 }, () => redis.get("k"));
  assert.equal(redis.stats().total.waiting, 9);
  await Promise.all(gets);
  assert.equal(redis.stats().total.waiting, 0);

  // The server answers nothing for 200 ms: a timeout, its reply still read.
  await admin.send("CLIENT", "PAUSE", "200", "ALL");
  await assert.rejects(redis.with({ timeout: 30 }).get("k"), TimeoutError);
  assert.equal(redis.stats().total.timeouts, 1);
  assert.equal(await redis.ping(), "PONG");
  assertAddsUp(redis.stats().total);

  // A BLPOP in flight on the blocking pool is lost with its socket; the
  // shared connection reconnects.
  const popped = redis.blpop(["queue"], 0);
  // Handled from now: it may reject before the KILL's own reply is read.
  const lost = assert.rejects(popped, ConnectionError);
  for (let i = 0; i < 100; i++) {
    if (String(await admin.send("CLIENT", "LIST")).includes("cmd=blpop")) break;
    await new Promise((wake) => setTimeout(wake, 10));
  }
  const during = redis.stats();
  const blocking = during.connections.find((c) => c.role === "blocking");
  assert.ok(blocking !== undefined, JSON.stringify(during.connections));
  assert.equal(blocking.inFlight, 1);
  assert.equal(blocking.address, `127.0.0.1:${server.port}`);
  // A command sent before the client sees its socket closed could be lost.
  const ready = new Promise((wake) =>
    redis.addEventListener("ready", wake, { once: true })
  );
  await admin.send("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
  await lost;
  await ready;
  assert.equal(await redis.ping(), "PONG");
  const after = redis.stats();
  assert.equal(after.total.errors.ConnectionError, 1);
  assert.equal(after.total.reconnects, 1);
  assertAddsUp(after.total);
  // The blocking connection closed: gone from the list, kept in the total.
  assert.ok(!after.connections.some((c) => c.role === "blocking"));
  const listed = after.connections.reduce((n, c) => n + c.written, 0);
  assert.ok(after.total.written > listed);
});

Deno.test("stats: each connection reports its own (watch lease, subscriber)", async () => {
  await using server = await startRedisServer();
  const redis = await connect({ port: server.port });
  let inside: ConnectionStats[] = [];
  await redis.watch(["w"], async (tx) => {
    await tx.get("w");
    inside = [...redis.stats().connections];
  });
  assert.ok(inside.some((c) => c.role === "watch" && c.written > 0));
  const subscription = await redis.subscribe("news");
  const roles = redis.stats().connections.map((c) => c.role);
  assert.ok(roles.includes("subscriber"), roles.join());
  await subscription.unsubscribe();
  await redis.close();
  const closed = redis.stats();
  assert.deepEqual(closed.connections, []);
  assert.ok(closed.total.written > 0);
  assertAddsUp(closed.total);
});

Deno.test("stats: a cluster reports each node, its bytes as the node counts them", async () => {
  await using c = await startRedisCluster({ masters: 3 });
  await using cluster = await connectCluster({
    nodes: c.masters.map((m) => m.url),
    protocol: 2,
  });
  // Every node connected, then each one's INFO through a client of its own.
  for (let i = 0; i < 30; i++) await cluster.get(`warm${i}`);
  const direct = await Promise.all(
    c.masters.map((m) => connect({ port: m.port, protocol: 2 })),
  );
  const infos = async () =>
    await Promise.all(
      direct.map(async (d) => String(await d.send("INFO", "stats"))),
    );
  const nodeStats = () =>
    c.masters.map((m) =>
      cluster.stats().connections.find((s) =>
        s.role === "shared" && s.address === `127.0.0.1:${m.port}`
      )!
    );
  const info1 = await infos();
  const before = nodeStats();
  for (let i = 0; i < 60; i++) await cluster.set(`key${i}`, "v".repeat(i));
  const after = nodeStats();
  const info2 = await infos();
  for (const d of direct) await d.close();
  // The INFO command as written: counted in the second INFO's input.
  const infoCommand = "*2\r\n$4\r\nINFO\r\n$5\r\nstats\r\n".length;
  for (let n = 0; n < c.masters.length; n++) {
    const [net1, net2] = [netBytes(info1[n]!), netBytes(info2[n]!)];
    assert.equal(
      net2.input - net1.input - infoCommand,
      after[n]!.bytesOut - before[n]!.bytesOut,
      `node ${n}`,
    );
    assert.equal(
      net2.output - net1.output - bulkFrame(info1[n]!),
      after[n]!.bytesIn - before[n]!.bytesIn,
      `node ${n}`,
    );
  }

  const errorsBefore = cluster.stats().total.errors.ERR ?? 0;
  await assert.rejects(cluster.incr("key0"));
  const stats = cluster.stats();
  assertAddsUp(stats.total);
  assert.equal(stats.total.errors.ERR, errorsBefore + 1);
  const addresses = new Set(
    stats.connections.filter((s) => s.role === "shared").map((s) => s.address),
  );
  for (const m of c.masters) assert.ok(addresses.has(`127.0.0.1:${m.port}`));
  for (const s of stats.connections) assertAddsUp(s);
});
