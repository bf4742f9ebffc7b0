// `npm run bench`: every benchmark, or the ones named (`npm run bench -- cli`).
import { benchCli } from "./cli.mjs";

const BENCHES = { cli: benchCli };

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark ${JSON.stringify(name)}; choose from ${Object.keys(BENCHES).join(", ")}`);
    process.exit(2);
  }
  await bench();
}
