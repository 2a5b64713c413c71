// The floor of the sequential round trip: SET+GET pairs written as
// pre-encoded RESP on a plain Deno socket (TCP_NODELAY, as sleeve sets it),
// each reply read into one reused buffer until its known length arrived. No
// client at all: what Deno itself costs for the same round trips.

const utf8 = new TextEncoder();

/** A raw socket that runs SET+GET pairs on one key. */
export interface RawPairs extends Disposable {
  /** Runs `count` pairs, each command awaited before the next. */
  pairs(count: number): Promise<void>;
}

/** Connects a {@linkcode RawPairs} for `key` and a `value` of ASCII text. */
export async function rawPairs(
  port: number,
  key: string,
  value: string,
): Promise<RawPairs> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true);
  const set = utf8.encode(
    `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`,
  );
  const get = utf8.encode(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`);
  const setReply = 5; // +OK\r\n
  const getReply = `$${value.length}\r\n`.length + value.length + 2;
  const buffer = new Uint8Array(Math.max(4096, getReply));
  const roundTrip = async (command: Uint8Array, replyLength: number) => {
    await conn.write(command);
    let got = 0;
    while (got < replyLength) {
      const n = await conn.read(buffer.subarray(got));
      if (n === null) throw new Error("raw connection closed");
      got += n;
    }
  };
  return {
    async pairs(count: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        await roundTrip(set, setReply);
        await roundTrip(get, getReply);
      }
    },
    [Symbol.dispose]() {
      conn.close();
    },
  };
}
