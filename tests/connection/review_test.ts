// Regressions found in review of the connection layer's restructuring: each
// test shows one hole, against a scripted fake server.

import assert from "node:assert/strict";
import { TimeoutError } from "../../mod.ts";
import { command } from "../../lib/commands/_command.ts";
import type { Request } from "../../lib/connection/connection.ts";
import { SocketConnection } from "../../lib/connection/socket_connection.ts";
import { type ConnectOptions, resolveOptions } from "../../lib/options.ts";
import {
  answerHandshake,
  type FakeConnection,
  startFakeServer,
} from "../_support/fake_server.ts";

const GET = command("GET");

function get(key: string, db = 0): Request {
  return { command: GET, args: [key], db, binary: false, decode: null };
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
