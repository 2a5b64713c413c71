// redis.monitor() against a real server, under RESP2 and RESP3: another
// client's commands arrive in order with their database, client and
// arguments; arguments of every shape round-trip exactly; scripts' commands
// and unix-socket clients are named as the server names them; break,
// close(), an abort, the client's close() and a lost connection each end it
// and leave no MONITOR connection on the server; it is server-wide from any
// view.

import assert from "node:assert/strict";
import {
  type ClientInfo,
  connect,
  ConnectionError,
  type Monitor,
  type MonitorLine,
  type Redis,
  ReplyError,
} from "../../mod.ts";
import { eachProtocol, PROTOCOLS } from "../_support/protocols.ts";
import { until } from "../_support/events.ts";
import { startRedisServer } from "../_support/redis_server.ts";

const utf8 = new TextEncoder();

/** An abort signal that fires after `ms` (a test stuck on a monitor fails), and is cleared after. */
function deadline(ms = 10_000): { signal: AbortSignal } & Disposable {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`no MONITOR line within ${ms} ms`)),
    ms,
  );
  return {
    signal: controller.signal,
    [Symbol.dispose]: () => clearTimeout(timer),
  };
}

/** The next `count` lines that pass `keep`, taken without ending the monitor. */
async function take<B extends string | Uint8Array>(
  monitor: Monitor<B>,
  count: number,
  keep: (line: MonitorLine<B>) => boolean,
): Promise<MonitorLine<B>[]> {
  const lines: MonitorLine<B>[] = [];
  while (lines.length < count) {
    const result = await monitor.next();
    if (result.done) assert.fail("the monitor ended");
    if (keep(result.value)) lines.push(result.value);
  }
  return lines;
}

/** Lines sent by the client at `addr`, without the SELECTs sleeve adds. */
function sentBy(
  addr: string,
): (line: MonitorLine<string | Uint8Array>) => boolean {
  return (line) => line.client === addr && line.command !== "SELECT";
}

/** MONITOR connections open on the server, as another client sees them. */
async function monitors(admin: Redis): Promise<ClientInfo[]> {
  return (await admin.clientList()).filter((c) => c.flags.includes("O"));
}

/** Waits until the server has no MONITOR connection left. */
async function noMonitorLeft(admin: Redis): Promise<void> {
  await until(
    async () => (await monitors(admin)).length === 0,
    "the MONITOR connection to close",
  );
}

/** Arguments that are hard to write in a line: every escape, and then some. */
const TRICKY = [
  "with spaces  and  doubled",
  'a "quoted" word',
  '"',
  "back\\slash \\\\ double",
  "\\x41 \\n literally",
  "crlf\r\nin the middle\r\n",
  "tab\tbell\x07backspace\b",
  "\x00nul\x00",
  "",
  '] [0 127.0.0.1:1] "fake" "line"',
  "é ünïcödé ✓ 🎉",
  "\x7f\x1b[31m",
  "-42",
  "12345",
];

Deno.test("Redis.monitor() against a real server, under RESP2 and RESP3", async (t) => {
  await using server = await startRedisServer({ unixSocket: true });
  const port = server.port;

  await t.step(
    "Redis.monitor() yields another client's commands in order, with their database, client and arguments",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        using guard = deadline();
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        await using monitor = await redis.monitor({ signal: guard.signal });
        // Acknowledged: every command from here on is seen.
        assert.equal((await monitors(redis)).length, 1);
        const before = Date.now();
        await other.set("greeting", "hello world");
        await other.db(2).incr("visits");
        await other.rpush("list", "a", "b", "c");
        await other.db(7).multi().set("x", "1").incr("x").exec();
        for (let i = 0; i < 200; i++) other.fireAndForget.set(`k:${i}`, i);
        await other.ping();
        const lines = await take(monitor, 208, sentBy(addr));
        assert.deepEqual(
          lines.slice(0, 7).map(({ db, command, args }) => [db, command, args]),
          [
            [0, "SET", ["greeting", "hello world"]],
            [2, "INCR", ["visits"]],
            [0, "RPUSH", ["list", "a", "b", "c"]],
            [7, "MULTI", []],
            [7, "SET", ["x", "1"]],
            [7, "INCR", ["x"]],
            [7, "EXEC", []],
          ],
        );
        for (let i = 0; i < 200; i++) {
          assert.deepEqual(lines[7 + i]!.args, [`k:${i}`, String(i)]);
        }
        assert.equal(lines[207]!.command, "PING");
        // The server's clock, in seconds with microseconds, in order.
        for (let i = 1; i < lines.length; i++) {
          assert.ok(lines[i]!.time >= lines[i - 1]!.time);
        }
        assert.ok(Math.abs(lines[0]!.time * 1000 - before) < 60_000);
        assert.equal(
          lines[0]!.date.getTime(),
          Math.floor(lines[0]!.time * 1000),
        );
        assert.equal(monitor.dropped, 0);
      });
    },
  );

  await t.step(
    "Redis.monitor() gives tricky arguments back exactly as they were sent",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        using guard = deadline();
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        await using monitor = await redis.monitor({ signal: guard.signal });
        for (const value of TRICKY) await other.set(value, value);
        // An integer argument, which the server keeps as a number.
        await other.incrby("counter", 12345);
        const lines = await take(monitor, TRICKY.length + 1, sentBy(addr));
        for (let i = 0; i < TRICKY.length; i++) {
          assert.deepEqual(lines[i]!.args, [TRICKY[i], TRICKY[i]]);
        }
        assert.deepEqual(lines[TRICKY.length]!.args, ["counter", "12345"]);
      });
    },
  );

  await t.step(
    "Redis.binary.monitor() gives non-UTF-8 arguments as their exact bytes",
    async () => {
      const every = Uint8Array.from({ length: 256 }, (_, i) => i);
      const invalid = new Uint8Array([
        0xff,
        0xfe,
        0xc3,
        0x28,
        0x80,
        0x0d,
        0x0a,
      ]);
      await eachProtocol(port, async (redis, protocol) => {
        using guard = deadline();
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        await using binary = await redis.binary.monitor({
          signal: guard.signal,
        });
        await using text = await redis.monitor({ signal: guard.signal });
        await other.set(invalid, every);
        await other.set("tricky", TRICKY.join(""));
        const [bytes, tricky] = await take(binary, 2, sentBy(addr));
        assert.equal(bytes!.command, "SET");
        assert.deepEqual(bytes!.args, [invalid, every]);
        assert.deepEqual(tricky!.args[1], utf8.encode(TRICKY.join("")));
        // The string view decodes them as UTF-8, U+FFFD for what is not.
        const [decoded] = await take(text, 1, sentBy(addr));
        assert.deepEqual(decoded!.args, [
          new TextDecoder().decode(invalid),
          new TextDecoder().decode(every),
        ]);
      });
    },
  );

  await t.step(
    "Redis.monitor() names script commands lua, in the script's database, after their EVAL",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        using guard = deadline();
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        await using monitor = await redis.monitor({ signal: guard.signal });
        const source = "return redis.call('SET', KEYS[1], ARGV[1])";
        await other.db(4).eval(source, ["scripted"], ['a "quoted"\r\nvalue']);
        const lines = await take(
          monitor,
          2,
          (line) => line.client === "lua" || sentBy(addr)(line),
        );
        assert.deepEqual(
          lines.map((
            { db, client, command, args },
          ) => [db, client, command, args]),
          [
            [4, addr, "EVAL", [source, "1", "scripted", 'a "quoted"\r\nvalue']],
            [4, "lua", "SET", ["scripted", 'a "quoted"\r\nvalue']],
          ],
        );
      });
    },
  );

  await t.step(
    "Redis.monitor() names a unix-socket client by the server's socket path",
    async () => {
      for (const protocol of PROTOCOLS) {
        using guard = deadline();
        await using redis = await connect({ port, protocol });
        await using local = await connect({
          path: server.socketPath!,
          protocol,
        });
        await using monitor = await redis.monitor({ signal: guard.signal });
        await local.set("over", "unix");
        const [line] = await take(
          monitor,
          1,
          (line) => line.client.startsWith("unix:") && line.command === "SET",
        );
        assert.equal(line!.client, `unix:${server.socketPath}`);
        assert.deepEqual(line!.args, ["over", "unix"]);
      }
    },
  );

  await t.step(
    "Redis.monitor() from db(n) and prefix() views sees every database and key, unprefixed",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        using guard = deadline();
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        const view = redis.db(5).prefix("tenant:");
        await using monitor = await view.monitor({ signal: guard.signal });
        await other.set("plain", "0");
        await other.db(9).set("elsewhere", "9");
        await other.prefix("tenant:").db(5).set("mine", "5");
        const lines = await take(monitor, 3, sentBy(addr));
        assert.deepEqual(
          lines.map(({ db, args }) => [db, args[0]]),
          [[0, "plain"], [9, "elsewhere"], [5, "tenant:mine"]],
        );
      });
    },
  );

  await t.step(
    "Redis.monitor() is closed on the server by break, close(), await using and an abort",
    async (t) => {
      for (const protocol of PROTOCOLS) {
        await using redis = await connect({ port, protocol });
        await using other = await connect({ port, protocol });

        await t.step(`break (RESP${protocol})`, async () => {
          const monitor = await redis.monitor();
          await other.set("k", "v");
          for await (const line of monitor) {
            if (line.command === "SET") break;
          }
          assert.equal(monitor.closed, true);
          await noMonitorLeft(redis);
          assert.deepEqual(await monitor.next(), {
            done: true,
            value: undefined,
          });
        });

        await t.step(
          `close() while a loop waits (RESP${protocol})`,
          async () => {
            const monitor = await redis.monitor();
            assert.equal((await monitors(redis)).length, 1);
            const waiting = monitor.next();
            await monitor.close();
            assert.deepEqual(await waiting, { done: true, value: undefined });
            await noMonitorLeft(redis);
          },
        );

        await t.step(`await using (RESP${protocol})`, async () => {
          {
            await using monitor = await redis.monitor();
            assert.equal(monitor.closed, false);
            assert.equal((await monitors(redis)).length, 1);
          }
          await noMonitorLeft(redis);
        });

        await t.step(
          `an abort rejects the loop with the reason (RESP${protocol})`,
          async () => {
            const controller = new AbortController();
            const monitor = await redis.monitor({ signal: controller.signal });
            const reason = new Error("seen enough");
            // Checked from the start: the loop may end before the SET's reply.
            const loop = assert.rejects(
              (async () => {
                for await (const _ of monitor) controller.abort(reason);
              })(),
              (error) => error === reason,
            );
            await other.set("k", "v");
            await loop;
            await noMonitorLeft(redis);
          },
        );

        await t.step(
          `a signal aborted already: nothing is opened (RESP${protocol})`,
          async () => {
            const before = (await redis.clientList()).length;
            const reason = new Error("not now");
            await assert.rejects(
              redis.monitor({ signal: AbortSignal.abort(reason) }),
              (error) => error === reason,
            );
            assert.equal((await redis.clientList()).length, before);
          },
        );
      }
    },
  );

  await t.step(
    "Redis.close() ends its monitors: a waiting loop is done",
    async () => {
      await using admin = await connect({ port });
      const redis = await connect({ port });
      const binary = await redis.db(3).binary.monitor();
      // Opened second, so it saw nothing of the first's handshake.
      const monitor = await redis.monitor();
      assert.equal((await monitors(admin)).length, 2);
      const waiting = monitor.next();
      await redis.close();
      assert.deepEqual(await waiting, { done: true, value: undefined });
      // The other ends normally, after the lines it had (the second's
      // handshake).
      for await (const line of binary) {
        assert.equal(typeof line.command, "string");
      }
      assert.equal(binary.closed, true);
      await noMonitorLeft(admin);
      // A closed client opens none.
      await assert.rejects(redis.monitor(), ConnectionError);
    },
  );

  await t.step(
    "Redis.monitor() ends with a ConnectionError, after the lines it had, when its connection is killed",
    async () => {
      await eachProtocol(port, async (redis, protocol) => {
        using guard = deadline();
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        const monitor = await redis.monitor({ signal: guard.signal });
        await other.set("before", "the kill");
        const [id] = (await monitors(redis)).map((c) => c.id);
        // Its line was written with the SET's reply, before the kill.
        assert.equal(await redis.clientKill({ id: id! }), 1);
        const lines: MonitorLine[] = [];
        await assert.rejects(
          (async () => {
            for await (const line of monitor) {
              if (sentBy(addr)(line)) lines.push(line);
            }
          })(),
          (error: unknown) => {
            assert.ok(error instanceof ConnectionError, String(error));
            assert.match(error.message, /^Cannot read MONITOR lines: /);
            return true;
          },
        );
        assert.deepEqual(lines.map((line) => line.args), [[
          "before",
          "the kill",
        ]]);
        assert.equal(monitor.closed, true);
        assert.deepEqual(await monitor.next(), {
          done: true,
          value: undefined,
        });
        // The client is unaffected.
        assert.equal(await redis.get("before"), "the kill");
      });
    },
  );

  await t.step(
    "Redis.monitor() buffers up to maxBuffered lines and counts those it drops",
    async () => {
      for (const protocol of PROTOCOLS) {
        await using redis = await connect({ port, protocol });
        await using other = await connect({ port, protocol });
        const addr = (await other.clientInfo()).addr;
        await using monitor = await redis.monitor({ maxBuffered: 10 });
        for (let i = 0; i < 50; i++) other.fireAndForget.set("n", i);
        await other.ping();
        await until(() => monitor.dropped >= 41, "the lines to arrive");
        // 51 lines (50 SETs and the PING) while nothing is taken: the
        // oldest 10 are kept, in order, and the other 41 dropped.
        const kept = await take(monitor, 10, () => true);
        assert.equal(monitor.dropped, 41);
        assert.ok(kept.every(sentBy(addr)));
        assert.deepEqual(
          kept.map((line) => line.args),
          Array.from({ length: 10 }, (_, i) => ["n", String(i)]),
        );
        await other.set("after", "room");
        const [after] = await take(monitor, 1, sentBy(addr));
        assert.deepEqual(after!.args, ["after", "room"]);
      }
    },
  );

  await t.step(
    "Redis.monitor() rejects bad options before opening anything, and a server's refusal after",
    async () => {
      await using redis = await connect({ port });
      const before = (await redis.clientList()).length;
      await assert.rejects(
        redis.monitor("fast" as never),
        TypeError,
        "Cannot monitor: options must be an object",
      );
      await assert.rejects(
        redis.monitor({ signal: {} as AbortSignal }),
        TypeError,
        "signal must be an AbortSignal",
      );
      for (const maxBuffered of [0, -1, 1.5, NaN]) {
        await assert.rejects(
          redis.monitor({ maxBuffered }),
          RangeError,
          "maxBuffered must be a positive integer or Infinity",
        );
      }
      assert.equal((await redis.clientList()).length, before);

      // An ACL user without MONITOR: NOPERM, and its connection is closed.
      await redis.aclSetuser(
        "watcher",
        "on",
        "nopass",
        "~*",
        "+@all",
        "-monitor",
      );
      try {
        await using limited = await connect({ port, username: "watcher" });
        await assert.rejects(limited.monitor(), (error: unknown) => {
          assert.ok(error instanceof ReplyError);
          assert.equal(error.code, "NOPERM");
          assert.equal(error.command, "MONITOR");
          return true;
        });
        await until(
          async () => (await redis.clientList()).length === before + 1,
          "the refused connection to close",
        );
      } finally {
        await redis.aclDeluser("watcher");
      }
    },
  );

  await t.step(
    "Redis.monitor() works from fireAndForget views and inside watch() callbacks, and send() refuses MONITOR naming it",
    async () => {
      await using redis = await connect({ port });
      await using other = await connect({ port });
      const addr = (await other.clientInfo()).addr;

      const fromVoid = await redis.fireAndForget.monitor();
      await other.set("k", "1");
      assert.deepEqual((await take(fromVoid, 1, sentBy(addr)))[0]!.args, [
        "k",
        "1",
      ]);
      await fromVoid.close();

      await redis.watch(["k"], async (tx) => {
        await using inside = await tx.monitor();
        await other.set("k", "2");
        const [line] = await take(inside, 1, sentBy(addr));
        assert.deepEqual(line!.args, ["k", "2"]);
      });
      await noMonitorLeft(redis);

      await assert.rejects(
        redis.send("MONITOR"),
        TypeError,
        "Cannot send MONITOR: it would take over the shared connection: use redis.monitor()",
      );
    },
  );
});
