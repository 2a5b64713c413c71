// Publish → receive throughput: one iteration publishes 1,000 messages of
// 100 bytes (PUBLISH with promises, awaited together) and waits until the
// same client's subscriber has received all of them. Each client
// subscribes a connection of its own: sleeve's subscriber connection
// (subscribe()), the peers' duplicate(). A second group fans each message
// out to 10 subscriptions of one client, which sleeve counts per channel on
// its one subscriber connection (one copy of each message on the wire),
// where each peer subscribes 10 connections. Every client has channels of
// its own, so no client receives another's messages. Sleeve is the
// baseline; see README "Benchmarks".

import type { Subscription } from "../mod.ts";
import { benchPeers, setUp, VALUE_100, warmUp } from "./_setup.ts";

const { sleeve, peers } = await setUp();

const MESSAGES = 1_000;
const FAN_OUT = 10;
const CHANNEL = "bench:pubsub:sleeve";
const FAN_CHANNEL = "bench:fan:sleeve";

const published: Promise<number>[] = new Array(MESSAGES);

/** Reads `count` messages of a subscription. */
async function receive(subscription: Subscription, count: number) {
  for (let i = 0; i < count; i++) {
    const next = await subscription.next();
    if (next.done || next.value.message !== VALUE_100) {
      throw new Error("sleeve: wrong message");
    }
  }
}

const one = await sleeve.subscribe([CHANNEL], { bufferSize: Infinity });
async function sleeveRound(): Promise<void> {
  const received = receive(one, MESSAGES);
  for (let i = 0; i < MESSAGES; i++) {
    published[i] = sleeve.publish(CHANNEL, VALUE_100);
  }
  await Promise.all(published);
  await received;
}

const many: Subscription[] = [];
for (let i = 0; i < FAN_OUT; i++) {
  many.push(await sleeve.subscribe([FAN_CHANNEL], { bufferSize: Infinity }));
}
async function sleeveFanRound(): Promise<void> {
  const received = many.map((subscription) => receive(subscription, MESSAGES));
  for (let i = 0; i < MESSAGES; i++) {
    published[i] = sleeve.publish(FAN_CHANNEL, VALUE_100);
  }
  await Promise.all(published);
  await Promise.all(received);
}

/** A peer's subscriptions, counting messages until a round's are all in. */
class Counter {
  #left = 0;
  #done: (() => void) | undefined;

  /** Resolves once `count` messages (in all) were received. */
  expect(count: number): Promise<void> {
    this.#left = count;
    return new Promise((resolve) => {
      this.#done = resolve;
    });
  }

  listener = (message: string): void => {
    if (message !== VALUE_100) throw new Error("peer: wrong message");
    if (--this.#left === 0) this.#done!();
  };
}

const counters = new Map<string, [Counter, Counter]>();
for (const peer of peers) {
  const single = new Counter();
  const fan = new Counter();
  await peer.subscribe(`bench:pubsub:${peer.name}`, single.listener);
  for (let i = 0; i < FAN_OUT; i++) {
    await peer.subscribe(`bench:fan:${peer.name}`, fan.listener);
  }
  counters.set(peer.name, [single, fan]);
}

async function peerRound(
  peer: (typeof peers)[number],
  prefix: string,
  counter: Counter,
  receivers: number,
): Promise<void> {
  const channel = `${prefix}:${peer.name}`;
  const received = counter.expect(MESSAGES * receivers);
  for (let i = 0; i < MESSAGES; i++) {
    published[i] = peer.publish(channel, VALUE_100);
  }
  await Promise.all(published);
  await received;
}

await warmUp(sleeveRound);
await warmUp(sleeveFanRound);
for (const peer of peers) {
  const [single, fan] = counters.get(peer.name)!;
  await warmUp(() => peerRound(peer, "bench:pubsub", single, 1));
  await warmUp(() => peerRound(peer, "bench:fan", fan, FAN_OUT));
}

const group = "PUBLISH → receive, 1,000 messages of 100 B";
Deno.bench({ group, name: "sleeve", baseline: true, fn: sleeveRound });
benchPeers(group, peers, (peer) => {
  const [single] = counters.get(peer.name)!;
  return peerRound(peer, "bench:pubsub", single, 1);
});

const fanGroup =
  "PUBLISH → receive by 10 subscriptions, 1,000 messages of 100 B";
Deno.bench({
  group: fanGroup,
  name: "sleeve",
  baseline: true,
  fn: sleeveFanRound,
});
benchPeers(fanGroup, peers, (peer) => {
  const [, fan] = counters.get(peer.name)!;
  return peerRound(peer, "bench:fan", fan, FAN_OUT);
});
