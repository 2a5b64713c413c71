// deno-lint-ignore-file no-console -- prints its figures.
// The sequential SET+GET floor under Node: hand-written RESP on a net.Socket,
// replies recognised by their length. For comparison with the Deno raw loop
// in sequential.ts (what each runtime costs per round trip).
//
//   node bench/profile/raw_node.mjs PORT [PAIRS] [ROUNDS]

import net from "node:net";

const port = Number(process.argv[2]);
const PAIRS = Number(process.argv[3] ?? 5000);
const ROUNDS = Number(process.argv[4] ?? 9);
const VALUE = "v".repeat(100);
const SET = Buffer.from(
  `*3\r\n$3\r\nSET\r\n$7\r\nseq:raw\r\n$100\r\n${VALUE}\r\n`,
);
const GET = Buffer.from("*2\r\n$3\r\nGET\r\n$7\r\nseq:raw\r\n");

const socket = net.connect({ host: "127.0.0.1", port, noDelay: true });
await new Promise((resolve) => socket.once("connect", resolve));
let want = 0;
let got = 0;
let wake = () => {};
socket.on("data", (chunk) => {
  got += chunk.length;
  if (got >= want) wake();
});

function roundTrip(command, replyLength) {
  got = 0;
  want = replyLength;
  return new Promise((resolve) => {
    wake = resolve;
    socket.write(command);
  });
}

const cpus = [];
async function pairs() {
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < PAIRS; i++) {
    await roundTrip(SET, 5);
    await roundTrip(GET, 108);
  }
  const used = process.cpuUsage(cpu);
  cpus.push((used.user + used.system) / PAIRS);
  return PAIRS / ((performance.now() - started) / 1000);
}

const median = (values) =>
  [...values].sort((a, b) => a - b)[values.length >> 1];
await pairs();
cpus.length = 0;
const figures = [];
for (let r = 0; r < ROUNDS; r++) figures.push(await pairs());
console.log(
  `sequential SET+GET raw node pairs/s: median ${median(figures).toFixed(0)}`,
);
console.log(
  `sequential SET+GET raw node client CPU µs per pair: median ${
    median(cpus).toFixed(1)
  }`,
);
socket.destroy();
