// Deadlines: per-timeout lanes in FIFO order, one earliest deadline, expiry
// oldest first, growth past a lane's initial 64 slots, answered entries
// trimmed, a bounded number of lanes, deadlines moved after a long tick, and
// reuse after clear().

import assert from "node:assert/strict";
import { Deadlines, MAX_LANES } from "../../lib/connection/deadlines.ts";

function expireAll(deadlines: Deadlines, now: number): [number, number][] {
  const out: [number, number][] = [];
  deadlines.expire(now, (seq, timeout) => out.push([seq, timeout]));
  return out;
}

Deno.test("Deadlines.next() is the earliest deadline over every timeout", () => {
  const deadlines = new Deadlines();
  assert.equal(deadlines.next(), Infinity);
  deadlines.add(500, 0, 1_000, 0); // due 1500
  deadlines.add(100, 1, 1_010, 0); // due 1110
  deadlines.add(500, 2, 1_020, 0); // due 1520
  assert.equal(deadlines.next(), 1_110);
});

Deno.test("Deadlines.expire() hands back exactly the entries due, oldest first per timeout", () => {
  const deadlines = new Deadlines();
  deadlines.add(500, 0, 1_000, 0); // 1500
  deadlines.add(100, 1, 1_010, 0); // 1110
  deadlines.add(100, 2, 1_020, 0); // 1120
  deadlines.add(500, 3, 1_030, 0); // 1530
  assert.deepEqual(expireAll(deadlines, 1_109), []);
  assert.deepEqual(expireAll(deadlines, 1_120), [[1, 100], [2, 100]]);
  assert.equal(deadlines.next(), 1_500);
  assert.deepEqual(expireAll(deadlines, 2_000), [[0, 500], [3, 500]]);
  assert.equal(deadlines.next(), Infinity);
});

Deno.test("Deadlines keeps order while a lane grows past 64 entries and wraps", () => {
  const deadlines = new Deadlines();
  for (let seq = 0; seq < 50; seq++) deadlines.add(10, seq, seq, 0);
  assert.equal(expireAll(deadlines, 10 + 39).length, 40);
  for (let seq = 50; seq < 1_000; seq++) deadlines.add(10, seq, seq, 0);
  const rest = expireAll(deadlines, Infinity).map(([seq]) => seq);
  assert.deepEqual(rest, Array.from({ length: 960 }, (_, k) => k + 40));
});

Deno.test("Deadlines.clear() drops every entry and the lanes still work after", () => {
  const deadlines = new Deadlines();
  for (let seq = 0; seq < 100; seq++) deadlines.add(seq % 2 ? 5 : 7, seq, 0, 0);
  deadlines.clear();
  assert.equal(deadlines.next(), Infinity);
  assert.deepEqual(expireAll(deadlines, Infinity), []);
  deadlines.add(5, 200, 0, 0);
  assert.deepEqual(expireAll(deadlines, 5), [[200, 5]]);
});

Deno.test("Deadlines.add() trims entries already answered from the lane's head", () => {
  const deadlines = new Deadlines();
  for (let seq = 0; seq < 1_000; seq++) deadlines.add(50, seq, seq, seq);
  // Each add saw every earlier entry answered: one entry is left.
  assert.deepEqual(expireAll(deadlines, Infinity), [[999, 50]]);
});

Deno.test("Deadlines.accepts() allows MAX_LANES timeouts, then frees lanes with nothing pending", () => {
  const deadlines = new Deadlines();
  for (let i = 0; i < MAX_LANES; i++) {
    assert.ok(deadlines.accepts(100 + i, 0));
    deadlines.add(100 + i, i, 0, 0);
  }
  assert.ok(deadlines.accepts(100, 0), "an existing lane");
  assert.equal(deadlines.accepts(999, 0), false, "all lanes pending");
  // Entries 0..7 answered: their lanes can go.
  assert.ok(deadlines.accepts(999, 8));
  deadlines.add(999, 16, 0, 8);
  const left = expireAll(deadlines, Infinity).map(([seq]) => seq);
  assert.deepEqual(left.sort((a, b) => a - b), [
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    15,
    16,
  ]);
});

Deno.test("Deadlines.shift() moves only the entries added since mark()", () => {
  const deadlines = new Deadlines();
  deadlines.add(100, 0, 0, 0); // due 100
  deadlines.mark();
  deadlines.add(100, 1, 0, 0); // stamped 0, really issued at 400
  deadlines.add(30, 2, 0, 0); // a lane created after the mark
  deadlines.shift(400);
  assert.equal(deadlines.next(), 100);
  assert.deepEqual(expireAll(deadlines, 429), [[0, 100]]);
  assert.deepEqual(expireAll(deadlines, 430), [[2, 30]]);
  assert.deepEqual(expireAll(deadlines, 500), [[1, 100]]);
});
