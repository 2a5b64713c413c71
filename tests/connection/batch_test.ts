// Batches on the connection: admitted, written, timed out and failed as one
// unit, contiguous on the wire with no other caller's command inside, and
// complete or absent. Checked where it can fail: 1,000 MULTI…EXEC batches of
// 10 commands interleaved with 10,000 single commands under the smallest
// write buffer, with queue timeouts, aborts, with() timeouts and connection
// resets through the chaos proxy; the bytes the proxy forwarded are parsed
// to show every batch contiguous and whole, and the server's data shows none
// half-executed.

import assert from "node:assert/strict";
import { connect, ConnectionError, TimeoutError } from "../../mod.ts";
import { command } from "../../lib/commands/_command.ts";
import type {
  Decode,
  Limits,
  Request,
  Settled,
} from "../../lib/connection/connection.ts";
import { SocketConnection } from "../../lib/connection/socket_connection.ts";
import { resolveOptions } from "../../lib/resolve_options.ts";
import { startChaosProxy } from "../_support/chaos_proxy.ts";
import { parseCommand, startFakeServer } from "../_support/fake_server.ts";
import { answerHandshake } from "../_support/fake_server.ts";
import { uniform } from "../resp/_vectors.ts";
import { startRedisServer } from "../_support/redis_server.ts";
import { until } from "../_support/events.ts";

const MULTI = command("MULTI");
const EXEC = command("EXEC");
const SET = command("SET");
const INCR = command("INCR");
const GET = command("GET");

const text = new TextDecoder();

const ok: Decode<"OK"> = (value) => {
  if (value !== "OK") throw new TypeError("expected OK");
  return value;
};
const queued: Decode<"QUEUED"> = (value) => {
  if (value !== "QUEUED") throw new TypeError("expected QUEUED");
  return value;
};
const integer: Decode<number> = (value) => {
  if (typeof value !== "number") throw new TypeError("expected an integer");
  return value;
};
const array: Decode<unknown[]> = (value) => {
  if (!Array.isArray(value)) throw new TypeError("expected an array");
  return value;
};

function request<T>(
  cmd: Request["command"],
  args: Request["args"],
  decode: Decode<T>,
  db = 0,
): Request {
  return { command: cmd, args, db, binary: false, bigint: false, decode };
}

/** MULTI, 8 SETs of the batch's own keys, EXEC. */
function transaction(id: number, db = 0): Request[] {
  const requests = [request(MULTI, [], ok, db)];
  for (let k = 0; k < 8; k++) {
    requests.push(request(SET, [`b${id}:${k}`, `v${id}`], queued, db));
  }
  requests.push(request(EXEC, [], array, db));
  return requests;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Commands of one connection's upstream bytes, as text words. */
function commandsOf(bytes: Uint8Array): string[][] {
  const out: string[][] = [];
  let rest = bytes;
  for (;;) {
    const parsed = parseCommand(rest);
    if (parsed === undefined) break;
    out.push(parsed.args.map((arg) => text.decode(arg)));
    rest = rest.subarray(parsed.end);
  }
  return out;
}

Deno.test("SocketConnection writes 1,000 batches contiguously and whole among 10,000 single commands, through limits, aborts and resets", async () => {
  await using server = await startRedisServer();
  await using proxy = startChaosProxy({
    port: server.port,
    recordUpstream: true,
  });
  const random = uniform(proxy.seed);
  const connection = await SocketConnection.open(resolveOptions({
    port: proxy.port,
    maxBufferedBytes: 1024,
    queueTimeout: 400,
    reconnect: { minDelay: 1, maxDelay: 20 },
  }));
  const errors: Error[] = [];
  connection.listen({ error: (error) => errors.push(error) });

  const batches: Promise<Settled[]>[] = [];
  const singles: Promise<unknown>[] = [];
  const BATCHES = 1_000;
  const PER_ROUND = 10;
  let single = 0;
  for (let round = 0; round < BATCHES / PER_ROUND; round++) {
    for (let b = 0; b < PER_ROUND; b++) {
      const id = round * PER_ROUND + b;
      // Ten singles before each batch, in the same tick.
      for (let s = 0; s < 10; s++) {
        singles.push(
          connection.send(request(INCR, [`s${single++}`], integer)).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          ),
        );
      }
      const roll = random();
      let limits: Limits | undefined;
      if (roll < 0.1) {
        // Aborted in this tick, or a little later.
        const controller = new AbortController();
        limits = { signal: controller.signal };
        if (random() < 0.5) controller.abort(new Error("aborted"));
        else setTimeout(() => controller.abort(new Error("aborted")), 1);
      } else if (roll < 0.2) {
        limits = { timeout: 1 + Math.floor(random() * 20) };
      }
      batches.push(connection.sendBatch(transaction(id), limits));
    }
    if (round === 30 || round === 80) proxy.reset();
    if (round === 55) {
      // Down for longer than queueTimeout: what waits expires unsent.
      proxy.down();
      setTimeout(() => proxy.up(), 600);
    }
    await sleep(random() < 0.3 ? 2 : 0);
  }
  const results = await Promise.all(batches);
  const singleResults = await Promise.all(singles);
  await until(() => connection.ready, "the connection to be ready");
  await connection.close();

  // Each batch: what its EXEC says, and what the server holds.
  await using admin = await connect({ port: server.port });
  const tally = {
    executed: 0,
    neverSent: 0,
    mayHaveRun: 0,
    timedOut: 0,
    aborted: 0,
  };
  for (let id = 0; id < BATCHES; id++) {
    const settled = results[id]!;
    assert.equal(settled.length, 10);
    const keys = Array.from({ length: 8 }, (_, k) => `b${id}:${k}`);
    const present = await admin.exists(...keys);
    // Never half-executed.
    assert.ok(present === 0 || present === 8, `batch ${id}: ${present} of 8`);
    const exec = settled[9]!;
    if (exec.ok) {
      tally.executed++;
      assert.equal(present, 8, `batch ${id} executed`);
      assert.deepEqual(exec.value, Array(8).fill("OK"));
      for (let k = 1; k < 9; k++) {
        assert.deepEqual(settled[k], { ok: true, value: "QUEUED" });
      }
      continue;
    }
    const error = exec.error;
    // Failed as one unit: the replies that arrived before the failure are
    // kept, and every request after it failed.
    const first = settled.findIndex((s) => !s.ok);
    for (const s of settled.slice(first)) {
      assert.equal(s.ok, false, `batch ${id}: a reply after its failure`);
    }
    if (error instanceof TimeoutError) tally.timedOut++;
    else if (error.message === "aborted") tally.aborted++;
    if (error instanceof ConnectionError && !error.mayHaveExecuted) {
      tally.neverSent++;
      assert.equal(first, 0, `batch ${id} was never sent`);
      assert.equal(present, 0, `batch ${id} was never sent`);
    } else if (error instanceof TimeoutError && !error.mayHaveExecuted) {
      tally.neverSent++;
      assert.equal(first, 0, `batch ${id} timed out unsent`);
      assert.equal(present, 0, `batch ${id} timed out unsent`);
    } else {
      tally.mayHaveRun++;
    }
  }

  // The bytes on the wire: each MULTI is followed by its own eight SETs and
  // EXEC, with nothing in between, except where the connection ended.
  const streams = proxy.upstream().map(commandsOf);
  const seen = new Set<string>();
  let batchesOnWire = 0;
  let cutBatches = 0;
  for (const commands of streams) {
    for (let i = 0; i < commands.length; i++) {
      const words = commands[i]!;
      if (words[0] === "SET" || words[0] === "EXEC") {
        assert.fail(`${words.join(" ")} outside a batch at ${i}`);
      }
      if (words[0] === "INCR") {
        // At most once: no single is ever re-sent.
        assert.ok(!seen.has(words[1]!), `${words[1]} sent twice`);
        seen.add(words[1]!);
      }
      if (words[0] !== "MULTI") continue;
      const run = commands.slice(i + 1, i + 10);
      const id = run[0]?.[1]?.split(":")[0];
      for (let k = 0; k < run.length; k++) {
        const expected = k === 8
          ? ["EXEC"]
          : ["SET", `${id}:${k}`, `v${id!.slice(1)}`];
        assert.deepEqual(run[k], expected, `batch ${id} position ${k}`);
      }
      if (run.length < 9) {
        // Cut by the end of the connection: the last thing it carried.
        assert.equal(i + 1 + run.length, commands.length, `batch ${id} cut`);
        cutBatches++;
      } else {
        batchesOnWire++;
      }
      assert.ok(!seen.has(id!), `batch ${id} sent twice`);
      seen.add(id!);
      i += run.length;
    }
  }

  // Singles: each answered 1 (its own key) or rejected with a typed error.
  let singlesOk = 0;
  for (const result of singleResults) {
    const r = result as { value?: unknown; error?: unknown };
    if ("value" in r) {
      assert.equal(r.value, 1);
      singlesOk++;
    } else {
      assert.ok(
        r.error instanceof ConnectionError || r.error instanceof TimeoutError,
        String(r.error),
      );
    }
  }
  // deno-lint-ignore no-console -- the figures are part of the report.
  console.log(
    `batches: ${BATCHES} (${tally.executed} executed, ${tally.neverSent} never sent, ${tally.mayHaveRun} may have run; ${tally.timedOut} timed out, ${tally.aborted} aborted); ` +
      `on the wire: ${batchesOnWire} whole, ${cutBatches} cut by a reset, 0 interleaved; ` +
      `singles: ${singleResults.length} (${singlesOk} answered); connections: ${streams.length}; seed ${proxy.seed}`,
  );
  assert.ok(tally.executed > 0 && tally.neverSent > 0 && tally.aborted > 0);
  assert.ok(streams.length >= 3, "the resets reconnected");
});

Deno.test("SocketConnection fails a batch whole when one argument cannot be encoded, writing nothing of it", async () => {
  await using server = await startRedisServer();
  const connection = await SocketConnection.open(
    resolveOptions({ port: server.port }),
  );
  const bad = [
    request(SET, ["k1", "v"], ok),
    // deno-lint-ignore no-explicit-any
    request(SET, ["k2", {} as any], ok),
  ];
  const before = connection.send(request(INCR, ["n"], integer));
  const settled = await connection.sendBatch(bad);
  const after = connection.send(request(INCR, ["n"], integer));
  assert.equal(await before, 1);
  assert.equal(await after, 2);
  for (const s of settled) {
    assert.equal(s.ok, false);
    assert.ok(!s.ok && s.error instanceof TypeError, String(s));
  }
  assert.equal(await connection.send(request(GET, ["k1"], (v) => v)), null);
  await connection.close();
});

Deno.test("SocketConnection writes a batch larger than a write chunk whole, and fails one whole whose last argument cannot be encoded", async () => {
  await using server = await startRedisServer();
  const connection = await SocketConnection.open(
    resolveOptions({ port: server.port }),
  );
  const value = "x".repeat(50_000);
  // 20 SETs of 50 kB: past the encoder's 256 KiB chunks.
  const big = Array.from(
    { length: 20 },
    (_, i) => request(SET, [`big${i}`, value], ok),
  );
  const before = connection.send(request(INCR, ["n"], integer));
  const bad = connection.sendBatch([
    ...big,
    // deno-lint-ignore no-explicit-any
    request(SET, ["last", {} as any], ok),
  ]);
  const good = connection.sendBatch(big.slice(0, 10));
  const after = connection.send(request(INCR, ["n"], integer));
  assert.equal(await before, 1);
  for (const s of await bad) assert.ok(!s.ok && s.error instanceof TypeError);
  for (const s of await good) assert.deepEqual(s, { ok: true, value: "OK" });
  assert.equal(await after, 2);
  await using admin = await connect({ port: server.port });
  // Only the ten of the good batch, and no SET of the failed one.
  assert.equal(await admin.dbsize(), 11);
  assert.equal(await admin.exists("big10", "big19", "last"), 0);
  await connection.close();
});

Deno.test("SocketConnection writes a batch waiting behind a full buffer as one unit, after the commands before it", async () => {
  await using fake = await startFakeServer();
  const accepted = fake.accept();
  const opening = SocketConnection.open(resolveOptions({
    port: fake.port,
    maxInFlight: 2,
  }));
  const conn = await accepted;
  await answerHandshake(conn);
  const connection = await opening;
  // Two in flight fill maxInFlight: the batch and the single behind it wait.
  const first = connection.send(request(GET, ["a"], (v) => v));
  const second = connection.send(request(GET, ["b"], (v) => v));
  const batch = connection.sendBatch([
    request(GET, ["c"], (v) => v),
    request(GET, ["d"], (v) => v),
    request(GET, ["e"], (v) => v),
  ]);
  const last = connection.send(request(GET, ["f"], (v) => v));
  assert.deepEqual(await conn.readCommand(), ["GET", "a"]);
  assert.deepEqual(await conn.readCommand(), ["GET", "b"]);
  await conn.write("$1\r\nA\r\n$1\r\nB\r\n");
  assert.equal(await first, "A");
  assert.equal(await second, "B");
  // The batch goes whole although it exceeds maxInFlight; the single waits
  // for room behind it.
  for (const key of ["c", "d", "e"]) {
    assert.deepEqual(await conn.readCommand(), ["GET", key]);
  }
  await conn.write("$1\r\nC\r\n-ERR no\r\n$1\r\nE\r\n");
  const settled = await batch;
  assert.deepEqual(settled[0], { ok: true, value: "C" });
  assert.equal(settled[1]!.ok, false);
  assert.deepEqual(settled[2], { ok: true, value: "E" });
  assert.deepEqual(await conn.readCommand(), ["GET", "f"]);
  await conn.write("$1\r\nF\r\n");
  assert.equal(await last, "F");
  const closing = connection.close();
  conn.close();
  await closing;
});
