// The Monitor iterator (lib/monitor.ts) over a fake connection: buffering and
// its bound, the order of lines and endings, what ends it and how, and what
// the server may send that is not a line. No server (tests/client/
// monitor_test.ts runs it against one).

import assert from "node:assert/strict";
import {
  ConnectionError,
  Monitor,
  ReplyError,
  UnexpectedReplyError,
} from "../mod.ts";
import type {
  ConnectionListener,
  StreamConnection,
} from "../lib/connection/connection.ts";
import type { RespValue } from "../lib/resp/types.ts";

/** A connection that records what the monitor does with it. */
class FakeConnection implements StreamConnection {
  readonly protocol = 3;
  readonly databases = 16;
  readonly serverVersion = "7.0.15";
  readonly ready = true;
  closed = false;
  closes = 0;
  #onReply: ((value: RespValue) => void) | undefined;
  readonly #listeners: ConnectionListener[] = [];

  stream(onReply: (value: RespValue) => void): void {
    this.#onReply = onReply;
  }

  /** The server writes `value` with no command waiting. */
  write(value: RespValue): void {
    this.#onReply!(value);
  }

  /** The connection is lost (or closed, without an error). */
  lose(error?: Error): void {
    this.closed = true;
    for (const listener of this.#listeners) listener.close?.(error);
  }

  listen(listener: ConnectionListener): () => void {
    this.#listeners.push(listener);
    return () => {};
  }

  close(): Promise<void> {
    this.closes++;
    if (!this.closed) this.lose();
    return Promise.resolve();
  }

  send(): Promise<unknown> {
    return Promise.reject(new Error("not used"));
  }

  sendVoid(): void {}

  sendBatch(): Promise<never> {
    return Promise.reject(new Error("not used"));
  }

  sendBatchVoid(): void {}
}

/** A well-formed line whose only argument is `i`. */
function line(i: number, db = 0): string {
  return `1718000000.${
    String(i).padStart(6, "0")
  } [${db} 127.0.0.1:9] "INCR" "${i}"`;
}

function monitor(
  maxBuffered = 100,
  signal?: AbortSignal,
): [Monitor, FakeConnection] {
  const connection = new FakeConnection();
  return [new Monitor(connection, false, maxBuffered, signal), connection];
}

Deno.test("Monitor yields lines in order, whether they arrived before or after next() was called", async () => {
  const [m, connection] = monitor();
  connection.write(line(1));
  // One line is buffered; two calls wait for lines to come.
  const calls = [m.next(), m.next(), m.next()];
  connection.write(line(2, 4));
  connection.write(line(3));
  connection.write(line(4));
  calls.push(m.next());
  const results = await Promise.all(calls);
  assert.deepEqual(
    results.map((r) => r.done ? "done" : r.value.args[0]),
    ["1", "2", "3", "4"],
  );
  assert.equal(!results[1]!.done && results[1]!.value.db, 4);
  await m.close();
});

Deno.test("Monitor drops lines past maxBuffered and counts them, keeping the oldest in order", async () => {
  const [m, connection] = monitor(3);
  for (let i = 1; i <= 10; i++) connection.write(line(i));
  assert.equal(m.dropped, 7);
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await m.next();
    assert.equal(result.done, false);
    if (!result.done) seen.push(result.value.args[0]!);
  }
  assert.deepEqual(seen, ["1", "2", "3"]);
  // Room again: the next line is kept.
  connection.write(line(11));
  const next = await m.next();
  assert.equal(!next.done && next.value.args[0], "11");
  assert.equal(m.dropped, 7);
  await m.close();
});

Deno.test("Monitor keeps a long stream in order through buffer compaction", async () => {
  const [m, connection] = monitor(Infinity);
  const total = 5_000;
  for (let i = 0; i < total; i++) {
    connection.write(line(i));
    // Take about half as they come, so the buffer is compacted while full.
    if (i % 2 === 1) {
      const result = await m.next();
      assert.equal(!result.done && result.value.args[0], String(i >> 1));
    }
  }
  for (let i = total / 2; i < total; i++) {
    const result = await m.next();
    assert.equal(!result.done && result.value.args[0], String(i));
  }
  await m.close();
  assert.equal(m.dropped, 0);
});

Deno.test("Monitor.close() resolves a waiting next() as done, drops buffered lines and closes the connection once", async () => {
  const [m, connection] = monitor();
  const waiting = m.next();
  await m.close();
  assert.deepEqual(await waiting, { done: true, value: undefined });
  assert.equal(connection.closes, 1);
  assert.equal(m.closed, true);

  const [buffered, other] = monitor();
  other.write(line(1));
  await buffered.close();
  await buffered.close();
  assert.deepEqual(await buffered.next(), { done: true, value: undefined });
  assert.equal(other.closes, 1);
  // Lines after the end are ignored.
  other.write(line(2));
  assert.deepEqual(await buffered.next(), { done: true, value: undefined });
});

Deno.test("Monitor ends a for-await loop on break, closing the connection", async () => {
  const [m, connection] = monitor();
  connection.write(line(1));
  connection.write(line(2));
  for await (const l of m) {
    assert.equal(l.args[0], "1");
    break;
  }
  assert.equal(connection.closes, 1);
  assert.deepEqual(await m.next(), { done: true, value: undefined });
});

Deno.test("Monitor ends with the lines it had, then a ConnectionError, when the connection is lost", async () => {
  const [m, connection] = monitor();
  connection.write(line(1));
  const lost = new ConnectionError("Connection to 127.0.0.1:9 was lost");
  connection.lose(lost);
  assert.equal(m.closed, true);
  const first = await m.next();
  assert.equal(!first.done && first.value.args[0], "1");
  await assert.rejects(m.next(), (error: unknown) => {
    assert.ok(error instanceof ConnectionError);
    assert.match(error.message, /^Cannot read MONITOR lines: Connection to/);
    assert.match(error.message, /call monitor\(\) again/);
    assert.equal(error.cause, lost);
    return true;
  });
  assert.deepEqual(await m.next(), { done: true, value: undefined });

  // A loop waiting at the time is rejected at once.
  const [waitingMonitor, other] = monitor();
  const waiting = waitingMonitor.next();
  other.lose(lost);
  await assert.rejects(waiting, ConnectionError);
});

Deno.test("Monitor ends a loop with the signal's reason on abort, dropping buffered lines", async () => {
  const controller = new AbortController();
  const [m, connection] = monitor(100, controller.signal);
  connection.write(line(1));
  const reason = new Error("enough");
  controller.abort(reason);
  assert.equal(connection.closes, 1);
  await assert.rejects(m.next(), (error) => error === reason);
  assert.deepEqual(await m.next(), { done: true, value: undefined });

  const other = new AbortController();
  const [waitingMonitor] = monitor(100, other.signal);
  const waiting = waitingMonitor.next();
  other.abort(reason);
  await assert.rejects(waiting, (error) => error === reason);
});

Deno.test("Monitor ends with UnexpectedReplyError on a line it cannot parse or a reply that is not a line", async () => {
  // A malformed line: that next() rejects, and the monitor has ended.
  const [m, connection] = monitor();
  connection.write("not a monitor line");
  connection.write(line(2));
  await assert.rejects(m.next(), (error: unknown) => {
    assert.ok(error instanceof UnexpectedReplyError);
    assert.equal(error.command, "MONITOR");
    assert.match(error.message, /^Cannot parse MONITOR line: /);
    return true;
  });
  assert.equal(connection.closes, 1);
  assert.deepEqual(await m.next(), { done: true, value: undefined });

  // Something other than a simple string: after the lines before it.
  const [other, otherConnection] = monitor();
  otherConnection.write(line(1));
  otherConnection.write(["message", "ch", "x"]);
  const first = await other.next();
  assert.equal(!first.done && first.value.args[0], "1");
  await assert.rejects(other.next(), (error: unknown) => {
    assert.ok(error instanceof UnexpectedReplyError);
    assert.match(error.message, /expected a simple string, received an array/);
    return true;
  });

  // An error reply ends it with that error.
  const [third, thirdConnection] = monitor();
  const waiting = third.next();
  const refusal = new ReplyError("ERR something went wrong");
  thirdConnection.write(refusal);
  await assert.rejects(waiting, (error) => error === refusal);
  assert.equal(thirdConnection.closes, 1);
});

Deno.test("Monitor gives Uint8Array arguments when binary", async () => {
  const connection = new FakeConnection();
  const m = new Monitor<Uint8Array>(connection, true, 10, undefined);
  connection.write('1718000000.000001 [0 127.0.0.1:9] "SET" "k" "\\xff\\x00"');
  const result = await m.next();
  assert.ok(!result.done);
  assert.equal(result.value.command, "SET");
  assert.deepEqual(result.value.args, [
    new Uint8Array([0x6b]),
    new Uint8Array([0xff, 0]),
  ]);
  await m.close();
});
