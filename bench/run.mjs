// `npm run bench`: every benchmark, or the ones named (`npm run bench -- match cli`).
import { benchCli } from "./cli.mjs";
import { benchMatch } from "./match.mjs";
import { benchScale } from "./scale.mjs";

const BENCHES = { match: benchMatch, cli: benchCli, scale: benchScale };

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    const known = Object.keys(BENCHES).join(", ");
    console.error(`unknown benchmark ${JSON.stringify(name)}; choose from ${known}`);
    process.exit(2);
  }
  await bench();
}
