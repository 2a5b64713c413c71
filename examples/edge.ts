// An edge (Deno Deploy–style) HTTP handler: one Redis client per isolate,
// connected on the first request from REDIS_URL (rediss:// in production).
// Runs with only --allow-net --allow-env: `deno run --allow-net --allow-env examples/edge.ts`.
// deno-lint-ignore-file no-console -- an example program reports on stdout

import {
  connect,
  ConnectionError,
  type Redis,
  TimeoutError,
} from "@sleeve/redis";

// One client per isolate, not one per request. A connection costs a TCP
// handshake, a TLS handshake and the HELLO/AUTH round trip (tens of
// milliseconds to a managed Redis); a module-level client pays that once and
// multiplexes every concurrent request of the isolate on one socket. It is
// connected lazily: at module load there may be no network yet, and an
// isolate that never serves a request never dials. When the platform idles
// the isolate and the socket dies meanwhile, the client reconnects by itself
// on the next command (commands not yet written wait for it; one written on
// the dead socket fails with mayHaveExecuted and is never re-sent).
let client: Promise<Redis> | undefined;

function redis(): Promise<Redis> {
  client ??= connect(Deno.env.get("REDIS_URL") ?? "redis://127.0.0.1:6379")
    .catch((error) => {
      client = undefined; // the next request dials again
      throw error;
    });
  return client;
}

/** Counts the visits of a path; `/health` answers PONG. */
export async function handler(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  try {
    // A request the visitor abandons stops waiting for Redis too.
    const db = (await redis()).with({ signal: request.signal, timeout: 2_000 });
    if (pathname === "/health") return new Response(await db.ping());
    const visits = await db.incr(`visits:${pathname}`);
    return Response.json({ path: pathname, visits });
  } catch (error) {
    if (error instanceof ConnectionError || error instanceof TimeoutError) {
      console.error(`Redis unavailable: ${error.message}`);
      return new Response("Redis unavailable", { status: 503 });
    }
    throw error;
  }
}

if (import.meta.main) {
  Deno.serve({
    port: Number(Deno.env.get("PORT") ?? 8000),
    onListen: ({ hostname, port }) => {
      console.log(`Listening on http://${hostname}:${port}/`);
    },
  }, handler);
}
