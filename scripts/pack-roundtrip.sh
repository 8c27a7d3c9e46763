#!/usr/bin/env bash
# The adoption round trip (issue 9): pack the library exactly as `npm publish` would (the `prepare`
# script builds dist/), install the tarball into a scratch `cdk init`-style app (test/adoption/consumer-app)
# with the peer versions of our lockfile, type-check and synthesize that app under Nag.enable, prove the
# nag packs really run in the installed copy (an unencrypted topic must fail synth), and run the app's own
# Jest test, built on a bare `new App()`. Needs the npm registry or a warm npm cache (--prefer-offline).
# Usage: bash scripts/pack-roundtrip.sh   (in .ci/run; ~1 min, so not part of `npm test`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t0=$(date +%s)
step() { echo "pack-roundtrip: $* ($(( $(date +%s) - t0 )) s)"; }

cd "$root"
npm pack --silent --pack-destination "$work" >/dev/null
tarball="$(ls "$work"/cdk-ml-reference-*.tgz)"
listing="$(tar tzf "$tarball")"
for f in package/LICENSE package/README.md package/errors.js package/errors.d.ts package/dist/lib/index.js \
  package/dist/lib/index.d.ts package/dist/lib/errors.js package/dist/lib/data/etl/features.sql \
  package/dist/lib/data/etl/feature_engineering.py package/dist/lib/core/model-defaults/xgboost-hyperparameters.json; do
  grep -qx "$f" <<<"$listing" || { echo "pack-roundtrip: $f missing from the tarball" >&2; exit 1; }
done
if grep -E '^package/(test|examples|bin|lib)/|\.test\.' <<<"$listing" | grep -vx 'package/bin/lab.cjs'; then
  echo "pack-roundtrip: the tarball ships sources or tests it should not" >&2; exit 1
fi
step "packed $(basename "$tarball"): $(wc -l <<<"$listing") files, $(du -k "$tarball" | cut -f1) KiB"

cp -r "$root/test/adoption/consumer-app" "$work/app"
# The templates carry `// @ts-nocheck` so the library's own tsc skips them; the scratch app type-checks them.
find "$work/app" -name '*.ts' -exec sed -i -e '/^\/\/ @ts-nocheck/d' -e '/ban-ts-comment -- the next line is removed/d' {} +
version() { node -p "require('$root/package.json').devDependencies['$1']"; }
cd "$work/app"
npm install --prefer-offline --no-audit --no-fund --save-dev "$tarball" \
  "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)" "cdk-nag@$(version cdk-nag)" \
  "typescript@$(version typescript)" "jest@$(version jest)" "ts-jest@$(version ts-jest)" \
  "@types/jest@$(version @types/jest)" "@types/node@$(version @types/node)" >/dev/null
step "installed the tarball and its peers"

npx tsc
step "type-checked and compiled the app"
CDK_OUTDIR="$work/app/cdk.out" node bin/app.js
test -s cdk.out/MlStack.template.json || { echo "pack-roundtrip: no template synthesized" >&2; exit 1; }
step "synthesized MlStack (DataLake + InferenceEndpoint) under Nag.enable: zero findings"
if BROKEN=1 CDK_OUTDIR="$work/app/cdk.out.broken" node bin/app.js >"$work/broken.log" 2>&1; then
  echo "pack-roundtrip: a topic without an SSL-only policy synthesized: the nag packs did not run in the installed copy" >&2; exit 1
fi
grep -q 'AwsSolutions-SNS3' "$work/broken.log" || { cat "$work/broken.log" >&2; echo "pack-roundtrip: synth failed for another reason" >&2; exit 1; }
step "a topic without an SSL-only policy fails synth (AwsSolutions-SNS3): the packs run"
status=0; ./node_modules/.bin/lab doctor >"$work/lab.log" 2>&1 || status=$?
[ "$status" = 2 ] && grep -q 'runs from a clone' "$work/lab.log" || { cat "$work/lab.log" >&2; echo "pack-roundtrip: the lab bin did not explain that it runs from a clone (exit $status)" >&2; exit 1; }
step "the package's lab bin says in one sentence that the lab runs from a clone"
npx jest --ci
step "the app's own Jest test passed on a bare App: round trip done"
