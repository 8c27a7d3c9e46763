#!/usr/bin/env bash
# Compiles lib/ with jsii (the compiler behind Python/Java/.NET/Go bindings) in a scratch copy, to prove
# the public API stays jsii-compatible. Not part of `npm test` (it fetches jsii once from the npm registry).
# Usage: npm run check:jsii
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/lib" "$root/README.md" "$work/"
rm -rf "$work/lib/lab" # SDK-side helpers, not part of the construct library
mkdir -p "$work/node_modules"
for pkg in aws-cdk-lib constructs cdk-nag @types; do ln -s "$root/node_modules/$pkg" "$work/node_modules/$pkg"; done
node -e '
const p = require(process.argv[1]);
const out = {
  name: p.name, version: p.version, description: p.description, license: p.license,
  author: { name: "cdk-ml-reference", roles: ["author"] },
  repository: { type: "git", url: "https://example.invalid/cdk-ml-reference.git" },
  main: "lib/index.js", types: "lib/index.d.ts",
  peerDependencies: p.peerDependencies,
  devDependencies: Object.fromEntries(Object.keys(p.peerDependencies).map((k) => [k, p.devDependencies[k]])),
  jsii: { outdir: "dist", targets: { python: { distName: "cdk-ml-reference", module: "cdk_ml_reference" } }, tsc: { outDir: "lib", rootDir: "lib" } },
};
require("fs").writeFileSync(process.argv[2], JSON.stringify(out, null, 2));
' "$root/package.json" "$work/package.json"
cd "$work"
npx -y jsii@6.0.16 --silence-warnings=reserved-word
node -e 'const a = JSON.parse(require("fs").readFileSync(".jsii", "utf8")); console.log(`jsii assembly: ${Object.keys(a.types).length} types`)'
