// BookSleeve's workload: 5,000 INCR over 5 databases, round-robin in batches
// of 10 (500 SELECTs). Sleeve multiplexes all five databases on ONE
// connection through db() views; a client without them needs one connection
// per database, which is what the peers get. Also the sequential form (one
// INCR awaited at a time; 50 per iteration, ten per database in turn) and
// the fire-and-forget form: the time to issue the 5,000 commands (draining
// is not timed).

import { connectPeer, type Peer, PEER_NAMES } from "./peers/peers.ts";
import { benchSleeve, setUp, warmUp, withPeers } from "./_setup.ts";

const { port, sleeve, then } = await setUp();
const peersPerDb: Peer[][] = [];
for (const name of withPeers ? PEER_NAMES : []) {
  const perDb: Peer[] = [];
  for (let db = 0; db < 5; db++) perDb.push(await connectPeer(name, port, db));
  peersPerDb.push(perDb);
}

const PLAN: number[] = [];
for (let round = 0; round < 100; round++) {
  for (let db = 0; db < 5; db++) for (let k = 0; k < 10; k++) PLAN.push(db);
}
const incrs: Promise<unknown>[] = new Array(PLAN.length);
const views = [0, 1, 2, 3, 4].map((db) => sleeve.db(db));
const forget = views.map((view) => view.fireAndForget);
// The same at the baseline commit, when there is one.
const thenViews = then ? [0, 1, 2, 3, 4].map((db) => then.redis.db(db)) : [];
const thenForget = thenViews.map((view) => view.fireAndForget);

await warmUp(async () => {
  for (let i = 0; i < PLAN.length; i++) {
    incrs[i] = views[PLAN[i]!]!.incr("bench:counter");
  }
  await Promise.all(incrs);
  for (let i = 0; i < PLAN.length; i++) {
    forget[PLAN[i]!]!.incr("bench:forgotten");
  }
});
if (then) {
  await warmUp(async () => {
    for (let i = 0; i < PLAN.length; i++) {
      incrs[i] = thenViews[PLAN[i]!]!.incr("bench:counter");
    }
    await Promise.all(incrs);
    for (let i = 0; i < PLAN.length; i++) {
      thenForget[PLAN[i]!]!.incr("bench:forgotten");
    }
  });
}
for (const perDb of peersPerDb) {
  await warmUp(async () => {
    for (let i = 0; i < PLAN.length; i++) {
      incrs[i] = perDb[PLAN[i]!]!.incr("bench:counter");
    }
    await Promise.all(incrs);
  }, 20);
}

const multiplexed = "BookSleeve: 5,000 INCR over 5 databases";
benchSleeve(
  {
    group: multiplexed,
    name: "sleeve (one connection, db() views)",
    baseline: true,
    async fn() {
      for (let i = 0; i < PLAN.length; i++) {
        incrs[i] = views[PLAN[i]!]!.incr("bench:counter");
      }
      await Promise.all(incrs);
    },
  },
  then && async function () {
    for (let i = 0; i < PLAN.length; i++) {
      incrs[i] = thenViews[PLAN[i]!]!.incr("bench:counter");
    }
    await Promise.all(incrs);
  },
);
for (const perDb of peersPerDb) {
  Deno.bench({
    group: multiplexed,
    name: `${perDb[0]!.name} (5 connections)`,
    async fn() {
      for (let i = 0; i < PLAN.length; i++) {
        incrs[i] = perDb[PLAN[i]!]!.incr("bench:counter");
      }
      await Promise.all(incrs);
    },
  });
}

const issuing = "BookSleeve fire-and-forget: issuing 5,000 INCR";
benchSleeve(
  {
    group: issuing,
    name: "sleeve fireAndForget",
    baseline: true,
    async fn(b) {
      b.start();
      for (let i = 0; i < PLAN.length; i++) {
        forget[PLAN[i]!]!.incr("bench:forgotten");
      }
      b.end();
      await sleeve.ping();
    },
  },
  then && async function (b) {
    b.start();
    for (let i = 0; i < PLAN.length; i++) {
      thenForget[PLAN[i]!]!.incr("bench:forgotten");
    }
    b.end();
    await then.redis.ping();
  },
);
for (const perDb of peersPerDb) {
  Deno.bench({
    group: issuing,
    name: `${perDb[0]!.name} (promise ignored)`,
    async fn(b) {
      b.start();
      for (let i = 0; i < PLAN.length; i++) {
        perDb[PLAN[i]!]!.incrIgnored("bench:forgotten");
      }
      b.end();
      await Promise.all(perDb.map((client) => client.ping()));
    },
  });
}

const SEQUENTIAL_PLAN = PLAN.slice(0, 50);
const sequential =
  "BookSleeve sequential: 50 INCR over 5 databases, each awaited";
benchSleeve(
  {
    group: sequential,
    name: "sleeve (one connection, db() views)",
    baseline: true,
    async fn() {
      for (const db of SEQUENTIAL_PLAN) {
        await views[db]!.incr("bench:sequential");
      }
    },
  },
  then && async function () {
    for (const db of SEQUENTIAL_PLAN) {
      await thenViews[db]!.incr("bench:sequential");
    }
  },
);
for (const perDb of peersPerDb) {
  Deno.bench({
    group: sequential,
    name: `${perDb[0]!.name} (5 connections)`,
    async fn() {
      for (const db of SEQUENTIAL_PLAN) {
        await perDb[db]!.incr("bench:sequential");
      }
    },
  });
}
