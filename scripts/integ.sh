#!/usr/bin/env bash
# Runs the integration tests of test/integ against the account of your current AWS credentials, with
# the project's own CDK CLI: for each test (all, or the files named), deploy its stacks (the integ-tests
# assertions are custom resources of the assertion stack, so a failed assertion fails that deploy), then
# destroy them whatever happened. It exists because the newest integ-runner (2.197.10) cannot read
# the cloud assembly aws-cdk-lib 2.276 writes; the tests themselves are integ-runner tests.
# Usage: npm run integ [-- test/integ/integ.etl.ts ...]   (a SANDBOX account: it creates real resources)
set -uo pipefail
cd "$(dirname "$0")/.."
export CDK_DISABLE_CLI_TELEMETRY=true
tests=("$@")
[ ${#tests[@]} -gt 0 ] || mapfile -t tests < <(ls test/integ/integ.*.ts)
failed=()
for test in "${tests[@]}"; do
  app="node --require ./scripts/register-ts.js $test"
  out="$(mktemp -d)"
  echo "integ: $test: deploying (assertions run during the deploy)"
  if npx cdk deploy --app "$app" --output "$out" --all --require-approval never; then
    echo "integ: $test: passed"
  else
    echo "integ: $test: FAILED (see the CloudFormation events of its assertion stack)"
    failed+=("$test")
  fi
  echo "integ: $test: destroying"
  npx cdk destroy --app "$app" --output "$out" --all --force || { echo "integ: $test: destroy failed: delete its stacks by hand"; failed+=("$test (destroy)"); }
  rm -rf "$out"
done
if [ ${#failed[@]} -gt 0 ]; then printf 'integ: failed: %s\n' "${failed[@]}"; exit 1; fi
echo "integ: ${#tests[@]} tests passed"
