// PendingQueue: a FIFO ring buffer of parallel arrays. Order must survive
// growth past its initial 1024 slots and wrap-around; shifted slots must not
// keep callbacks alive.

import assert from "node:assert/strict";
import {
  BINARY,
  INTERNAL,
  PendingQueue,
  rejection,
  type Resolve,
} from "../../lib/connection/pending_queue.ts";
import type { RequestCommand } from "../../lib/connection/connection.ts";
import { below, mulberry32 } from "../resp/_vectors.ts";

const utf8 = new TextEncoder();

/** A command named `name`, as a request carries it. */
function command(name: string): RequestCommand {
  return {
    name,
    head: utf8.encode(`$${name.length}\r\n${name}\r\n`),
    tokens: 1,
  };
}

/** Pushes an entry whose fields all identify `id`. */
function pushEntry(queue: PendingQueue, id: number): void {
  const resolve: Resolve = () => id;
  // Flags cycle through none, BINARY, INTERNAL and both.
  queue.push((value) => [id, value], resolve, command(`CMD${id}`), id % 4);
}

/** Checks that the head entry is `id`, then shifts it. */
function shiftEntry(queue: PendingQueue, id: number): void {
  const i = queue.head;
  assert.equal(queue.command[i]!.name, `CMD${id}`, `head command at slot ${i}`);
  assert.deepEqual(queue.decode[i]!("v", false), [id, "v"]);
  assert.equal((queue.resolve[i] as () => number)(), id);
  assert.equal(queue.flags[i], id % 4);
  queue.shift();
}

Deno.test("PendingQueue starts empty", () => {
  const queue = new PendingQueue();
  assert.equal(queue.length, 0);
  assert.equal(queue.head, 0);
});

Deno.test("PendingQueue keeps FIFO order while growing past 1024 entries", () => {
  const queue = new PendingQueue();
  for (let id = 0; id < 5000; id++) pushEntry(queue, id);
  assert.equal(queue.length, 5000);
  for (let id = 0; id < 5000; id++) shiftEntry(queue, id);
  assert.equal(queue.length, 0);
});

Deno.test("PendingQueue keeps FIFO order when it grows while wrapped around", () => {
  const queue = new PendingQueue();
  for (let id = 0; id < 1000; id++) pushEntry(queue, id);
  for (let id = 0; id < 700; id++) shiftEntry(queue, id);
  // 300 left starting at slot 700; the next pushes wrap past slot 1023, then
  // the ring fills up and grows with its head in the middle.
  for (let id = 1000; id < 2500; id++) pushEntry(queue, id);
  assert.equal(queue.length, 1800);
  for (let id = 700; id < 2500; id++) shiftEntry(queue, id);
  assert.equal(queue.length, 0);
});

Deno.test("PendingQueue matches a plain array under interleaved push and shift", () => {
  const random = mulberry32(0x9e11d1);
  const queue = new PendingQueue();
  const model: number[] = [];
  let next = 0;
  let maxLength = 0;
  for (let step = 0; step < 200_000; step++) {
    // Phases that mostly push, then mostly shift, so the ring wraps and grows
    // at many head positions.
    const pushBias = Math.floor(step / 20_000) % 2 === 0 ? 3 : 1;
    if (model.length === 0 || below(random, 4) < pushBias) {
      pushEntry(queue, next);
      model.push(next++);
    } else {
      shiftEntry(queue, model.shift()!);
    }
    assert.equal(queue.length, model.length);
    maxLength = Math.max(maxLength, model.length);
  }
  while (model.length > 0) shiftEntry(queue, model.shift()!);
  assert.equal(queue.length, 0);
  assert.ok(maxLength > 4096, `the queue only reached ${maxLength} entries`);
});

Deno.test("PendingQueue clears a slot's callbacks and command on shift", () => {
  const queue = new PendingQueue();
  for (let id = 0; id < 3000; id++) pushEntry(queue, id);
  for (let id = 0; id < 3000; id++) {
    const i = queue.head;
    shiftEntry(queue, id);
    assert.equal(queue.decode[i], null, `decode of slot ${i}`);
    assert.equal(queue.resolve[i], null, `resolve of slot ${i}`);
    assert.equal(queue.command[i], null, `command of slot ${i}`);
  }
  // Nothing anywhere keeps a callback alive.
  assert.ok(queue.resolve.every((slot) => slot === null));
  assert.ok(queue.decode.every((slot) => slot === null));
  assert.ok(queue.command.every((slot) => slot === null));
});

Deno.test("PendingQueue stores fire-and-forget entries with null callbacks", () => {
  const queue = new PendingQueue();
  queue.push(null, null, command("INCR"), 0);
  pushEntry(queue, 1);
  assert.equal(queue.length, 2);
  const i = queue.head;
  assert.equal(queue.resolve[i], null);
  assert.equal(queue.decode[i], null);
  assert.equal(queue.command[i]!.name, "INCR");
  queue.shift();
  shiftEntry(queue, 1);
  assert.equal(queue.length, 0);
});

Deno.test("rejection() rejects the promise it resolves", async () => {
  const { promise, resolve } = Promise.withResolvers<unknown>();
  const error = new Error("boom");
  resolve(rejection(error));
  await assert.rejects(promise, (reason) => reason === error);
  assert.equal(BINARY | INTERNAL, 3);
});

Deno.test("PendingQueue.indexOf() finds an entry by sequence number across growth and wrap-around, and -1 once it left", () => {
  const queue = new PendingQueue();
  assert.equal(queue.lastSeq, -1);
  for (let id = 0; id < 700; id++) pushEntry(queue, id);
  for (let id = 0; id < 600; id++) shiftEntry(queue, id);
  // 100 left; push 3,000 more so the ring wraps and grows.
  for (let id = 700; id < 3_700; id++) {
    pushEntry(queue, id);
    assert.equal(queue.lastSeq, id);
  }
  for (const seq of [0, 599, -1, 3_700, 10_000]) {
    assert.equal(queue.indexOf(seq), -1, `seq ${seq}`);
  }
  for (const seq of [600, 601, 1_000, 3_699]) {
    assert.equal(queue.command[queue.indexOf(seq)]!.name, `CMD${seq}`);
  }
  shiftEntry(queue, 600);
  assert.equal(queue.indexOf(600), -1);
  assert.equal(queue.command[queue.indexOf(601)]!.name, "CMD601");
});
