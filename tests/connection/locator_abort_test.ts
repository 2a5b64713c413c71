// A Locator (Sentinel, a cluster's subscriber connections) that answers
// only after its connection was given up must not get a socket opened for
// nobody: one would keep its read loop alive, and close() would never
// finish. Seen as a hang of the cluster pub/sub test under load.

import assert from "node:assert/strict";
import type { Located, Locator } from "../../lib/connection/config.ts";
import { SocketConnection } from "../../lib/connection/socket_connection.ts";
import { resolveOptions } from "../../lib/resolve_options.ts";
import { startFakeServer } from "../_support/fake_server.ts";

Deno.test("a locator that answers after the attempt was aborted opens no socket", async () => {
  await using fake = await startFakeServer();
  let answered = false;
  let accepted = false;
  void fake.accept().then(() => accepted = true, () => {});
  const locator: Locator = {
    async attempt<T>(
      signal: AbortSignal,
      connect: (located: Located) => Promise<T>,
    ): Promise<T> {
      // Deliberately slow and deaf to the signal.
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener("abort", () => resolve(), { once: true });
      });
      answered = true;
      return await connect({
        transport: {
          kind: "tcp",
          hostname: "127.0.0.1",
          port: fake.port,
          tls: null,
        },
        address: `127.0.0.1:${fake.port}`,
      });
    },
    verify: () => Promise.resolve(),
    adopt: () => () => {},
    moved: () => () => {},
    readonly: () => {},
    close: () => Promise.resolve(),
  };
  const controller = new AbortController();
  const opening = SocketConnection.open(
    { ...resolveOptions({ port: fake.port }), locator },
    controller.signal,
  );
  controller.abort(new Error("given up"));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    opening.then(() => "opened", () => "rejected"),
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve("still opening after 2 s"), 2_000);
    }),
  ]);
  clearTimeout(timer);
  assert.equal(outcome, "rejected");
  assert.equal(answered, true, "the locator did answer");
  // Give a socket that was wrongly opened the time to show itself.
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(accepted, false, "no socket was opened");
});
