// Scripted cluster nodes for what a real cluster cannot show on demand:
// a node that answers TRYAGAIN or CLUSTERDOWN for as long as a test says,
// MOVED loops, ASK, a socket closed after a command was read. Each node
// answers the handshake (RESP2: HELLO is "unknown"), CLUSTER SHARDS as
// unknown (so the client asks CLUSTER SLOTS) and CLUSTER SLOTS from the
// test's map; every other command goes to the test's script.

import { startFakeServer } from "./fake_server.ts";
import type { FakeConnection, FakeServer } from "./fake_server.ts";

/** What a script answers: a raw RESP reply, or "close" to drop the socket. */
export type Answer = string | "close";

/** One scripted node. */
export interface FakeNode extends AsyncDisposable {
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every command it received after the handshake, in order (CLUSTER SLOTS too). */
  readonly log: string[][];
  close(): Promise<void>;
}

/** Who serves which slots: `[start, end, port]` ranges. */
export type SlotMap = () => readonly (readonly [number, number, number])[];

const HANDSHAKE = new Set(["HELLO", "CLIENT", "CONFIG", "PING", "AUTH"]);

/** RESP2 encodings for scripts. */
export const resp = {
  ok: "+OK\r\n",
  bulk: (s: string | null) =>
    s === null
      ? "$-1\r\n"
      : `$${new TextEncoder().encode(s).length}\r\n${s}\r\n`,
  int: (n: number) => `:${n}\r\n`,
  error: (message: string) => `-${message}\r\n`,
};

function slotsReply(map: readonly (readonly [number, number, number])[]) {
  let out = `*${map.length}\r\n`;
  for (const [start, end, port] of map) {
    out += `*3\r\n:${start}\r\n:${end}\r\n*2\r\n${
      resp.bulk("127.0.0.1")
    }:${port}\r\n`;
  }
  return out;
}

/**
 * Starts a scripted node.
 *
 * @param slots The slot map CLUSTER SLOTS answers with.
 * @param script Answers every other command (upper-cased name first).
 */
export async function startFakeNode(
  slots: SlotMap,
  script: (argv: string[]) => Answer | Promise<Answer>,
): Promise<FakeNode> {
  const server: FakeServer = await startFakeServer();
  const log: string[][] = [];
  const loops = new Set<Promise<void>>();
  let closed = false;
  const serve = async (connection: FakeConnection) => {
    for (;;) {
      let argv: string[] | null;
      try {
        argv = await connection.readCommand();
      } catch {
        break;
      }
      if (argv === null) break;
      const name = argv[0]!.toUpperCase();
      argv[0] = name;
      let answer: Answer;
      if (name === "HELLO") answer = resp.error("ERR unknown command 'HELLO'");
      else if (name === "CONFIG") answer = "*0\r\n";
      else if (name === "PING") answer = "+PONG\r\n";
      else if (
        name === "CLUSTER" && argv[1]?.toUpperCase() === "SHARDS"
      ) {
        answer = resp.error("ERR unknown subcommand 'shards'");
      } else if (name === "CLUSTER" && argv[1]?.toUpperCase() === "SLOTS") {
        log.push(argv);
        answer = slotsReply(slots());
      } else if (HANDSHAKE.has(name)) answer = resp.ok;
      else {
        log.push(argv);
        answer = await script(argv);
      }
      if (answer === "close") {
        connection.close();
        break;
      }
      try {
        await connection.write(answer);
      } catch {
        break;
      }
    }
    connection.close();
  };
  const accepting = (async () => {
    while (!closed) {
      let connection: FakeConnection;
      try {
        connection = await server.accept();
      } catch {
        break;
      }
      const loop = serve(connection);
      loops.add(loop);
      void loop.finally(() => loops.delete(loop));
    }
  })();
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
    await accepting;
    await Promise.all(loops);
  };
  return {
    port: server.port,
    address: `127.0.0.1:${server.port}`,
    url: `redis://127.0.0.1:${server.port}`,
    log,
    close,
    [Symbol.asyncDispose]: close,
  };
}
