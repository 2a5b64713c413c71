// deno-lint-ignore-file no-console -- prints its figures.
// `deno task bench:redis`: redis-benchmark's own figures against a throwaway
// server of the kind the benches use, for the ratios: GET of 100
// bytes with -c 1 -P 100 (the pipelined ceiling), and SET/GET with -c 1 -P 1
// (the sequential round trip).

import { startRedisServer } from "../tests/_support/redis_server.ts";

await using server = await startRedisServer();

async function rps(args: string[]): Promise<Record<string, number>> {
  const output = await new Deno.Command("redis-benchmark", {
    args: [
      "-h",
      "127.0.0.1",
      "-p",
      String(server.port),
      "-q",
      "--csv",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) throw new Error(new TextDecoder().decode(output.stderr));
  const figures: Record<string, number> = {};
  for (
    const line of new TextDecoder().decode(output.stdout).split("\n").slice(1)
  ) {
    const [test, value] = line.split(",").map((cell) =>
      cell.replaceAll('"', "")
    );
    if (test && value) figures[test] = Number(value);
  }
  return figures;
}

const pipelined = await rps([
  "-c",
  "1",
  "-P",
  "100",
  "-t",
  "get",
  "-d",
  "100",
  "-n",
  "2000000",
]);
const sequential = await rps([
  "-c",
  "1",
  "-P",
  "1",
  "-t",
  "set,get",
  "-d",
  "100",
  "-n",
  "100000",
]);
console.log(
  `redis-benchmark -c 1 -P 100 -t get -d 100: ${
    Math.round(pipelined.GET!).toLocaleString("en-US")
  } GET/s`,
);
console.log(
  `redis-benchmark -c 1 -P 1 -t set,get -d 100: SET ${
    Math.round(sequential.SET!).toLocaleString("en-US")
  }/s, GET ${Math.round(sequential.GET!).toLocaleString("en-US")}/s`,
);
const pair = 1 / (1 / sequential.SET! + 1 / sequential.GET!);
console.log(
  `  → one SET+GET pair every ${(1e6 / pair).toFixed(1)} µs (${
    Math.round(pair).toLocaleString("en-US")
  } pairs/s)`,
);
