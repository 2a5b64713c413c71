// Edges of the socket layer that a review of its restructuring found: timed
// batches, SELECTs inside batches, refused SELECTs, re-entrant listeners.
// Each test showed a hole, against a scripted fake server.

import assert from "node:assert/strict";
import { ConnectionError, ReplyError, TimeoutError } from "../../mod.ts";
import { command } from "../../lib/commands/_command.ts";
import type { Request } from "../../lib/connection/connection.ts";
import { SocketConnection } from "../../lib/connection/socket_connection.ts";
import type { ConnectOptions } from "../../lib/options.ts";
import { resolveOptions } from "../../lib/resolve_options.ts";
import {
  answerHandshake,
  type FakeConnection,
  startFakeServer,
} from "../_support/fake_server.ts";

const GET = command("GET");
const SET = command("SET");

function get(key: string, db = 0): Request {
  return {
    command: GET,
    args: [key],
    db,
    binary: false,
    bigint: false,
    decode: null,
  };
}

async function open(
  fake: Awaited<ReturnType<typeof startFakeServer>>,
  options: ConnectOptions = {},
): Promise<{ connection: SocketConnection; conn: FakeConnection }> {
  const accepted = fake.accept();
  const opening = SocketConnection.open(
    resolveOptions({ ...options, port: fake.port }),
  );
  const conn = await accepted;
  await answerHandshake(conn);
  return { connection: await opening, conn };
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: hung`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

Deno.test("SocketConnection times out every request of a batch written with a timeout, not only its last", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake);
  const batch = connection.sendBatch([get("a"), get("b"), get("c")], {
    timeout: 50,
  });
  for (const key of ["a", "b", "c"]) {
    assert.deepEqual(await conn.readCommand(), ["GET", key]);
  }
  // The server never answers.
  const settled = await within(batch, 2_000, "the batch");
  for (const s of settled) {
    assert.ok(!s.ok && s.error instanceof TimeoutError, String(s));
    assert.equal((s.error as TimeoutError).mayHaveExecuted, true);
  }
  const closing = connection.close();
  conn.close();
  await closing.catch(() => {});
});

/** Answers a probe SELECT and the command behind it. */
async function confirm(conn: FakeConnection, db: number, key: string) {
  assert.deepEqual(await conn.readCommand(), ["SELECT", String(db)]);
  await conn.write("+OK\r\n");
  assert.deepEqual(await conn.readCommand(), ["GET", key]);
  await conn.write("$-1\r\n");
}

Deno.test("SocketConnection flags a command being written as maybe executed when the socket dies while a batch with SELECTs waits behind it", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake, {
    reconnect: false,
    maxBufferedBytes: 256 * 1024 * 1024,
  });
  // Databases 1 and 2 confirmed (probed once each).
  const one = connection.send(get("x", 1));
  await confirm(conn, 1, "x");
  await one;
  const two = connection.send(get("y", 2));
  await confirm(conn, 2, "y");
  await two;
  // A SET too large for the socket buffers: its write stays in progress,
  // the fake server reading nothing more.
  const big = connection.send({
    command: SET,
    args: ["big", new Uint8Array(32 * 1024 * 1024)],
    db: 2,
    binary: false,
    bigint: false,
    decode: null,
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Encoded behind the write in progress: two SELECTs and two GETs, unsent.
  const batch = connection.sendBatch([get("a", 1), get("b", 0)]);
  conn.close();
  const error = await big.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConnectionError, String(error));
  // The SET was handed to the socket: it may have run.
  assert.equal(error.mayHaveExecuted, true, error.message);
  for (const s of await batch) {
    assert.ok(!s.ok && s.error instanceof ConnectionError, String(s));
    assert.equal((s.error as ConnectionError).mayHaveExecuted, false);
  }
  await connection.close();
});

Deno.test("SocketConnection settles commands written after an inline SELECT's refusal was read with their own replies", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake);
  const one = connection.send(get("x", 1));
  await confirm(conn, 1, "x");
  await one;
  // Database 1 confirmed; an ACL change makes the server refuse it now.
  const zero = connection.send(get("z0", 0));
  const stray = connection.send(get("y", 1));
  assert.deepEqual(await conn.readCommand(), ["SELECT", "0"]);
  assert.deepEqual(await conn.readCommand(), ["GET", "z0"]);
  assert.deepEqual(await conn.readCommand(), ["SELECT", "1"]);
  assert.deepEqual(await conn.readCommand(), ["GET", "y"]);
  await conn.write(
    "+OK\r\n$2\r\nZ0\r\n-NOPERM no select\r\n$2\r\nY0\r\n",
  );
  assert.equal(await zero, "Z0");
  const error = await stray.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ReplyError, String(error));
  assert.match(error.message, /ran in database 0$/);
  // Written once the refusal was read: the socket is in database 0, where
  // this command belongs, so no SELECT goes before it, and it ran right.
  const after = connection.send(get("z1", 0));
  assert.deepEqual(await conn.readCommand(), ["GET", "z1"]);
  await conn.write("$2\r\nZ1\r\n");
  assert.equal(await after, "Z1");
  const closing = connection.close();
  conn.close();
  await closing;
});

Deno.test("SocketConnection gives a fire-and-forget command re-issued by an error listener after a refused probe a probe of its own", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake);
  const errors: Error[] = [];
  connection.listen({
    error: (error) => {
      errors.push(error);
      // Retries, synchronously, up to three times.
      if (errors.length <= 3) connection.sendVoid(get("k", 5));
    },
  });
  connection.sendVoid(get("k", 5));
  // Each attempt is a probe the server refuses; nothing is written behind.
  let probes = 0;
  while (errors.length < 4) {
    const next = await within(conn.readCommand(), 2_000, "a probe");
    assert.deepEqual(next, ["SELECT", "5"]);
    probes++;
    await conn.write("-NOPERM this user has no permissions\r\n");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.equal(probes, 4);
  for (const error of errors) {
    assert.ok(error instanceof ReplyError, String(error));
    assert.match(error.message, /^Cannot select database 5: NOPERM/);
  }
  const closing = connection.close();
  await closing;
  conn.close();
});

Deno.test("SocketConnection writes nothing more for a database straight behind its pending SELECT once a SELECT to it was refused", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake);
  for (const db of [1, 2]) {
    const probing = connection.send(get(`p${db}`, db));
    await confirm(conn, db, `p${db}`);
    await probing;
  }
  // Databases 1 and 2 confirmed; the socket is in 2. An ACL change now
  // refuses database 1.
  const a = connection.send(get("a", 1));
  const b = connection.send(get("b", 2));
  const c = connection.send(get("c", 1));
  for (
    const expected of [
      ["SELECT", "1"],
      ["GET", "a"],
      ["SELECT", "2"],
      ["GET", "b"],
      ["SELECT", "1"],
      ["GET", "c"],
    ]
  ) {
    assert.deepEqual(await conn.readCommand(), expected);
  }
  await conn.write("-NOPERM no select\r\n$1\r\nA\r\n");
  await assert.rejects(a, /ran in database 2$/);
  // Database 1 is known refused: a command for it is not written behind
  // the SELECT 1 still unanswered (which will be refused too, leaving it to
  // run in database 2) but waits for a probe.
  const d = connection.send(get("d", 1));
  assert.deepEqual(await conn.readCommand(), ["SELECT", "1"]);
  await conn.write("+OK\r\n$1\r\nB\r\n-NOPERM no select\r\n$1\r\nC\r\n");
  assert.equal(await b, "B");
  await assert.rejects(c, /ran in database 2$/);
  await conn.write("-NOPERM no select\r\n");
  await assert.rejects(d, /^ReplyError: Cannot select database 1: NOPERM/);
  const closing = connection.close();
  await closing;
  conn.close();
});

Deno.test("SocketConnection times out a batch that had to wait once, by its limit's timer, and adds no deadline after the write", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake, { maxInFlight: 1 });
  // One command in flight fills maxInFlight: the batch waits.
  const first = connection.send(get("a"));
  assert.deepEqual(await conn.readCommand(), ["GET", "a"]);
  const batch = connection.sendBatch([get("b"), get("c")], { timeout: 300 });
  await conn.write("$1\r\nA\r\n");
  assert.equal(await first, "A");
  // Now written; the server answers one request and never the other.
  assert.deepEqual(await conn.readCommand(), ["GET", "b"]);
  assert.deepEqual(await conn.readCommand(), ["GET", "c"]);
  await conn.write("$1\r\nB\r\n");
  const settled = await within(batch, 2_000, "the batch");
  assert.deepEqual(settled[0], { ok: true, value: "B" });
  assert.ok(!settled[1]!.ok && settled[1]!.error instanceof TimeoutError);
  assert.equal((settled[1]!.error as TimeoutError).mayHaveExecuted, true);
  const closing = connection.close();
  conn.close();
  await closing.catch(() => {});
});

Deno.test("SocketConnection reports no timeout for a fire-and-forget batch once it is written, as for a fire-and-forget command", async () => {
  await using fake = await startFakeServer();
  const { connection, conn } = await open(fake);
  const errors: Error[] = [];
  connection.listen({ error: (error) => errors.push(error) });
  connection.sendBatchVoid([get("a"), get("b")], { timeout: 20 });
  connection.sendVoid(get("c"), { timeout: 20 });
  for (const key of ["a", "b", "c"]) {
    assert.deepEqual(await conn.readCommand(), ["GET", key]);
  }
  // Long past the timeout, then the replies: nothing was reported.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await conn.write("$1\r\nA\r\n$1\r\nB\r\n$1\r\nC\r\n");
  const ping = connection.send(get("d"));
  assert.deepEqual(await conn.readCommand(), ["GET", "d"]);
  await conn.write("$1\r\nD\r\n");
  assert.equal(await ping, "D");
  assert.deepEqual(errors, []);
  const closing = connection.close();
  conn.close();
  await closing;
});
