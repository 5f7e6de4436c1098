#!/usr/bin/env bash
# `npm run bench`: builds the relay if its build is missing or older than the sources, then runs
# scripts/bench/bench.ts under with-test-ca.sh (a throwaway CA for the HTTPS Graph emulator).
# The TypeScript of the benchmark is transpiled on the fly (no type check: tsc does that).
set -euo pipefail
cd "$(dirname "$0")/../.."

# A one-line CommonJS loader for .ts files; bench.ts starts its child processes with it too.
export BENCH_TS_LOADER='const ts=require("typescript"),fs=require("node:fs"),path=require("node:path");
require.extensions[".ts"]=(m,f)=>m._compile(ts.transpileModule(fs.readFileSync(f,"utf8"),{fileName:f,compilerOptions:{module:ts.ModuleKind.CommonJS,target:ts.ScriptTarget.ES2022,esModuleInterop:true}}).outputText,f);
require(path.resolve(process.argv[1]));'

entry=dist/apps/calendar-relay/apps/calendar-relay/src/main.js
if [ ! -f "$entry" ] || [ -n "$(find apps libs -name '*.ts' -newer "$entry" -print -quit)" ]; then
  echo "Building the relay (npm run build)..."
  npm run build --silent
fi

exec bash test/graph-emulator/with-test-ca.sh node -e "$BENCH_TS_LOADER" scripts/bench/bench.ts "$@"
