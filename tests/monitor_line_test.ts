// The MONITOR line parser (lib/monitor_line.ts) on literal lines, as Redis
// 7.0 writes them (captured from a real server), and on malformed ones: no
// server.

import assert from "node:assert/strict";
import { parseMonitorLine } from "../lib/monitor_line.ts";

const utf8 = new TextEncoder();

/** Literal lines (the simple string, without `+` and CRLF) and what they hold. */
const LINES: {
  line: string;
  time: number;
  db: number;
  client: string;
  command: string;
  args: string[];
  bytes?: number[][];
}[] = [
  // a plain command from a TCP client
  {
    line: '1718000000.123456 [0 127.0.0.1:50312] "SET" "k" "v"',
    time: 1718000000.123456,
    db: 0,
    client: "127.0.0.1:50312",
    command: "SET",
    args: ["k", "v"],
  },
  // leading zeros in the microseconds ("%06ld"), another database
  {
    line: '1718000000.000042 [15 127.0.0.1:1] "get" "k"',
    time: 1718000000.000042,
    db: 15,
    client: "127.0.0.1:1",
    command: "get",
    args: ["k"],
  },
  // a command with no arguments
  {
    line: '1718000000.500000 [0 127.0.0.1:50312] "PING"',
    time: 1718000000.5,
    db: 0,
    client: "127.0.0.1:50312",
    command: "PING",
    args: [],
  },
  // a command a script ran
  {
    line: `1796259086.839501 [0 lua] "set" "k" "v"`,
    time: 1796259086.839501,
    db: 0,
    client: "lua",
    command: "set",
    args: ["k", "v"],
  },
  // a unix-socket client: the server's socket path
  {
    line: '1796259086.846648 [3 unix:/tmp/montest/r.sock] "incr" "12"',
    time: 1796259086.846648,
    db: 3,
    client: "unix:/tmp/montest/r.sock",
    command: "incr",
    args: ["12"],
  },
  // an IPv6 client: brackets inside the client field
  {
    line: '1796259086.853750 [0 [::1]:33534] "ping"',
    time: 1796259086.85375,
    db: 0,
    client: "[::1]:33534",
    command: "ping",
    args: [],
  },
  // passwords the server hides
  {
    line:
      '1796259086.869163 [0 127.0.0.1:46522] "hello" "3" "auth" "(redacted)" "(redacted)"',
    time: 1796259086.869163,
    db: 0,
    client: "127.0.0.1:46522",
    command: "hello",
    args: ["3", "auth", "(redacted)", "(redacted)"],
  },
  // empty arguments
  {
    line: '1796259086.890143 [0 127.0.0.1:46544] "set" "" ""',
    time: 1796259086.890143,
    db: 0,
    client: "127.0.0.1:46544",
    command: "set",
    args: ["", ""],
  },
  // every escape sdscatrepr writes, and UTF-8 bytes as \xHH
  {
    line:
      '1796259086.832605 [0 127.0.0.1:46490] "set" "a b" "x\\"y\\\\z\\n\\r\\t\\a\\b\\x01\\xff\\xc3\\xa9"',
    time: 1796259086.832605,
    db: 0,
    client: "127.0.0.1:46490",
    command: "set",
    args: ["a b", 'x"y\\z\n\r\t\x07\b\x01\ufffd\u00e9'],
    bytes: [
      [...utf8.encode("a b")],
      [
        ...utf8.encode('x"y\\z\n\r\t\x07\b\x01'),
        0xff,
        0xc3,
        0xa9,
      ],
    ],
  },
  // spaces, quotes and "] " inside arguments do not end anything
  {
    line: '1718000000.000001 [0 127.0.0.1:9] "set" "] \\" [" " \\"x\\" "',
    time: 1718000000.000001,
    db: 0,
    client: "127.0.0.1:9",
    command: "set",
    args: ['] " [', ' "x" '],
  },
  // a literal backslash followed by "x41" is not decoded twice
  {
    line: '1718000000.000001 [0 127.0.0.1:9] "set" "\\\\x41" "\\x41"',
    time: 1718000000.000001,
    db: 0,
    client: "127.0.0.1:9",
    command: "set",
    args: ["\\x41", "A"],
  },
  // upper-case hex digits, a NUL byte, a 4-byte UTF-8 character
  {
    line:
      '1718000000.000001 [0 127.0.0.1:9] "set" "\\x00" "\\xF0\\x9F\\x8E\\x89"',
    time: 1718000000.000001,
    db: 0,
    client: "127.0.0.1:9",
    command: "set",
    args: ["\x00", "\u{1f389}"],
    bytes: [[0], [0xf0, 0x9f, 0x8e, 0x89]],
  },
];

Deno.test("parseMonitorLine() reads the time, database, client, command and arguments of literal lines", () => {
  for (const expected of LINES) {
    const line = parseMonitorLine(expected.line, false);
    assert.equal(line.time, expected.time, expected.line);
    assert.equal(
      line.date.getTime(),
      Math.floor(expected.time * 1000),
      expected.line,
    );
    assert.equal(line.db, expected.db, expected.line);
    assert.equal(line.client, expected.client, expected.line);
    assert.equal(line.command, expected.command, expected.line);
    assert.deepEqual(line.args, expected.args, expected.line);
  }
});

Deno.test("parseMonitorLine() gives arguments as exact bytes in binary mode", () => {
  for (const expected of LINES) {
    const line = parseMonitorLine(expected.line, true);
    assert.equal(line.command, expected.command);
    assert.equal(line.client, expected.client);
    const bytes = expected.bytes ??
      expected.args.map((arg) => [...utf8.encode(arg)]);
    assert.equal(line.args.length, bytes.length, expected.line);
    for (let i = 0; i < bytes.length; i++) {
      assert.ok(line.args[i] instanceof Uint8Array);
      assert.deepEqual([...line.args[i]!], bytes[i], expected.line);
    }
  }
});

Deno.test("parseMonitorLine() decodes every byte value from its escape", () => {
  let quoted = "";
  for (let byte = 0; byte < 256; byte++) {
    const c = String.fromCharCode(byte);
    if (c === "\\" || c === '"') quoted += `\\${c}`;
    else if (byte >= 0x20 && byte <= 0x7e) quoted += c;
    else quoted += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  const line = parseMonitorLine(
    `1718000000.000001 [0 127.0.0.1:9] "set" "all" "${quoted}"`,
    true,
  );
  assert.deepEqual(
    [...line.args[1]!],
    Array.from({ length: 256 }, (_, i) => i),
  );
});

Deno.test("parseMonitorLine() throws a TypeError naming the problem, never the line, on malformed lines", () => {
  const secret = "s3cret";
  const MALFORMED: [string, RegExp][] = [
    // no time
    [`[0 127.0.0.1:9] "get" "${secret}"`, /time in seconds/],
    // milliseconds instead of six digits of microseconds
    [`1718000000.123 [0 127.0.0.1:9] "get" "${secret}"`, /microseconds/],
    // no bracket
    [`1718000000.123456 0 127.0.0.1:9 "get" "${secret}"`, /\[ before/],
    // no database
    [`1718000000.123456 [127.0.0.1:9] "get" "${secret}"`, /database/],
    // no command
    ["1718000000.123456 [0 127.0.0.1:9]", /client, then the command/],
    // an argument not closed
    [
      `1718000000.123456 [0 127.0.0.1:9] "get" "${secret}`,
      /argument 2 is not closed/,
    ],
    // an unknown escape
    [
      `1718000000.123456 [0 127.0.0.1:9] "get" "\\q${secret}"`,
      /unknown escape/,
    ],
    // a truncated \x escape
    [`1718000000.123456 [0 127.0.0.1:9] "get" "\\x4"`, /malformed \\x escape/],
    // something after an argument
    [
      `1718000000.123456 [0 127.0.0.1:9] "get" "${secret}"x`,
      /after argument 2/,
    ],
    // two spaces between arguments
    [
      `1718000000.123456 [0 127.0.0.1:9] "get"  "${secret}"`,
      /after argument 1/,
    ],
  ];
  for (const [line, problem] of MALFORMED) {
    assert.throws(
      () => parseMonitorLine(line, false),
      (error: unknown) => {
        assert.ok(error instanceof TypeError, line);
        assert.match(error.message, /^Cannot parse MONITOR line: /);
        assert.match(error.message, problem, line);
        assert.doesNotMatch(error.message, new RegExp(secret));
        return true;
      },
    );
  }
});
