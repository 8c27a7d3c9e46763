#!/usr/bin/env bash
# Proves the lower bounds of package.json's peerDependencies: installs exactly those versions of
# aws-cdk-lib, constructs and cdk-nag into a scratch copy of lib/, examples/ and bin/, type-checks and
# compiles them there (the library, the examples and the CDK app; not the lab command line, whose SDK
# clients are the project's own dev dependencies), and synthesizes every example stack in both profiles under Nag.enable (a
# finding, or an API the minimum lacks, fails). Needs the npm registry (or a warm cache).
# Usage: bash scripts/check-peer-minimums.sh            (the minimums of package.json)
#        CDK=2.257.0 CONSTRUCTS=10.5.1 NAG=3.0.0 bash scripts/check-peer-minimums.sh   (try other versions)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)
minimum() { node -p "require('$root/package.json').peerDependencies['$1'].replace(/^[\\^~>=]+/, '')"; }
dev() { node -p "require('$root/package.json').devDependencies['$1']"; }
cdk="${CDK:-$(minimum aws-cdk-lib)}"; constructs="${CONSTRUCTS:-$(minimum constructs)}"; nag="${NAG:-$(minimum cdk-nag)}"

cp -r "$root/lib" "$root/examples" "$root/bin" "$root/models" "$root/cdk.json" "$root/tsconfig.json" "$work/"
mkdir -p "$work/scripts" && cp "$root/scripts/copy-assets.mjs" "$work/scripts/"
cd "$work"
echo '{ "name": "peer-minimums", "private": true }' > package.json
cat > tsconfig.peer.json <<'JSON'
{ "extends": "./tsconfig.json", "compilerOptions": { "types": ["node"], "rootDir": ".", "outDir": "dist", "noEmit": false },
  "include": ["bin/app.ts", "lib/**/*.ts", "examples/**/*.ts"],
  "exclude": ["lib/lab/cli/**"] }
JSON
npm install --prefer-offline --no-audit --no-fund "aws-cdk-lib@$cdk" "constructs@$constructs" "cdk-nag@$nag" \
  "typescript@$(dev typescript)" "@types/node@$(dev @types/node)" >/dev/null
echo "peer-minimums: installed aws-cdk-lib $cdk, constructs $constructs, cdk-nag $nag ($(( $(date +%s) - t0 )) s)"
npx tsc -p tsconfig.peer.json
node scripts/copy-assets.mjs
cp -r models dist/  # the examples serve the committed artifact from beside their compiled files
echo "peer-minimums: type-check and compile passed ($(( $(date +%s) - t0 )) s)"
for profile in lab production; do
  node -e '
    const { App, Stack } = require("aws-cdk-lib");
    const { addExamples } = require("./dist/bin/app");
    const context = { ...require("./cdk.json").context, profile: process.argv[1] };
    const app = addExamples(new App({ context, outdir: `cdk.out.${process.argv[1]}` }));
    app.synth();
    console.log(`peer-minimums: ${process.argv[1]}: ${app.node.children.filter(Stack.isStack).length} stacks synthesized, nag clean`);
  ' "$profile"
done
echo "peer-minimums: done ($(( $(date +%s) - t0 )) s)"
