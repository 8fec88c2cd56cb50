// Bundles src/app.ts (teams-js + the Fluent web components it uses) into Bot/wwwroot/tab/app.js and reports the
// script weight the tab loads. Run by scripts/lib.sh (ensure_tab_bundle) from run.sh, test.sh and bench.sh.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";

const outfile = new URL("../Bot/wwwroot/tab/app.js", import.meta.url).pathname;
await build({
  entryPoints: [new URL("src/app.ts", import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome110", "edge110", "safari16", "firefox110"],
  legalComments: "none",
  outfile,
  logLevel: "warning",
});
const bytes = readFileSync(outfile);
const budget = 300 * 1024;
console.log(`tab script: app.js ${bytes.length} bytes (${(bytes.length / 1024).toFixed(1)} KB; gzip ${(gzipSync(bytes).length / 1024).toFixed(1)} KB); budget ${budget / 1024} KB`);
if (bytes.length > budget) {
  console.error("error: the tab's script is over its 300 KB budget");
  process.exit(1);
}
