// Deadlines: per-timeout lanes in FIFO order, one earliest deadline, expiry
// oldest first, growth past a lane's initial 64 slots, and reuse after clear().

import assert from "node:assert/strict";
import { Deadlines } from "../../lib/connection/deadlines.ts";

function expireAll(deadlines: Deadlines, now: number): [number, number][] {
  const out: [number, number][] = [];
  deadlines.expire(now, (seq, timeout) => out.push([seq, timeout]));
  return out;
}

Deno.test("Deadlines.next() is the earliest deadline over every timeout", () => {
  const deadlines = new Deadlines();
  assert.equal(deadlines.next(), Infinity);
  deadlines.add(500, 0, 1_000); // due 1500
  deadlines.add(100, 1, 1_010); // due 1110
  deadlines.add(500, 2, 1_020); // due 1520
  assert.equal(deadlines.next(), 1_110);
});

Deno.test("Deadlines.expire() hands back exactly the entries due, oldest first per timeout", () => {
  const deadlines = new Deadlines();
  deadlines.add(500, 0, 1_000); // 1500
  deadlines.add(100, 1, 1_010); // 1110
  deadlines.add(100, 2, 1_020); // 1120
  deadlines.add(500, 3, 1_030); // 1530
  assert.deepEqual(expireAll(deadlines, 1_109), []);
  assert.deepEqual(expireAll(deadlines, 1_120), [[1, 100], [2, 100]]);
  assert.equal(deadlines.next(), 1_500);
  assert.deepEqual(expireAll(deadlines, 2_000), [[0, 500], [3, 500]]);
  assert.equal(deadlines.next(), Infinity);
});

Deno.test("Deadlines keeps order while a lane grows past 64 entries and wraps", () => {
  const deadlines = new Deadlines();
  for (let seq = 0; seq < 50; seq++) deadlines.add(10, seq, seq);
  assert.equal(expireAll(deadlines, 10 + 39).length, 40);
  for (let seq = 50; seq < 1_000; seq++) deadlines.add(10, seq, seq);
  const rest = expireAll(deadlines, Infinity).map(([seq]) => seq);
  assert.deepEqual(rest, Array.from({ length: 960 }, (_, k) => k + 40));
});

Deno.test("Deadlines.clear() drops every entry and the lanes still work after", () => {
  const deadlines = new Deadlines();
  for (let seq = 0; seq < 100; seq++) deadlines.add(seq % 2 ? 5 : 7, seq, 0);
  deadlines.clear();
  assert.equal(deadlines.next(), Infinity);
  assert.deepEqual(expireAll(deadlines, Infinity), []);
  deadlines.add(5, 200, 0);
  assert.deepEqual(expireAll(deadlines, 5), [[200, 5]]);
});
