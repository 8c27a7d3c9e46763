#!/usr/bin/env bash
# Compiles lib/ with jsii (the compiler behind Python/Java/.NET/Go bindings; the pinned devDependency) in a
# scratch copy, to prove the public API stays jsii-compatible, and generates API.md from the jsii assembly
# with jsii-docgen. Runs in .ci/run (about 30 s), not in `npm test`.
# Usage: npm run check:jsii            compile only
#        npm run check:api             compile, and fail when API.md is not what jsii-docgen generates
#        npm run api                   compile, and write API.md
set -euo pipefail
mode="${1:-}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$root/lib" "$root/README.md" "$work/"
rm -rf "$work/lib/lab" # SDK-side helpers, not part of the construct library
mkdir -p "$work/node_modules"
for pkg in aws-cdk-lib constructs cdk-nag @types; do ln -s "$root/node_modules/$pkg" "$work/node_modules/$pkg"; done
jsii="$root/node_modules/.bin/jsii"
docgen=("$root/node_modules/.bin/jsii-docgen")
# The pinned devDependency, from the registry when this node_modules lacks it.
[ -e "$root/node_modules/jsii-docgen/package.json" ] || docgen=(npx -y "jsii-docgen@$(node -p "require('$root/package.json').devDependencies['jsii-docgen']")")
node -e '
const p = require(process.argv[1]);
const out = {
  name: p.name, version: p.version, description: p.description, license: p.license,
  author: { name: "cdk-ml-reference", roles: ["author"] },
  repository: p.repository,
  main: "lib/index.js", types: "lib/index.d.ts",
  peerDependencies: p.peerDependencies,
  devDependencies: Object.fromEntries(Object.keys(p.peerDependencies).map((k) => [k, p.devDependencies[k]])),
  jsii: { outdir: "dist", targets: { python: { distName: "cdk-ml-reference", module: "cdk_ml_reference" } }, tsc: { outDir: "lib", rootDir: "lib" } },
};
require("fs").writeFileSync(process.argv[2], JSON.stringify(out, null, 2));
' "$root/package.json" "$work/package.json"
cd "$work"
"$jsii" --silence-warnings=reserved-word
node -e 'const a = JSON.parse(require("fs").readFileSync(".jsii", "utf8")); console.log(`jsii assembly: ${Object.keys(a.types).length} types`)'
[ -z "$mode" ] && exit 0
"${docgen[@]}" -o API.md
case "$mode" in
  --write-api) cp API.md "$root/API.md"; echo "wrote API.md" ;;
  --check-api)
    if ! diff -u "$root/API.md" API.md > "$work/api.diff"; then
      head -40 "$work/api.diff" >&2
      echo "API.md is stale: run npm run api and commit it" >&2; exit 1
    fi
    echo "API.md is current" ;;
  *) echo "unknown option $mode" >&2; exit 2 ;;
esac
