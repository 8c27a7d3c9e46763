/**
 * `npm run integ` (scripts/integ.sh) deploys each integ test's app with the project's CDK CLI. Offline,
 * check the part that can be checked: the CLI reads such an app (this CLI accepts aws-cdk-lib's cloud
 * assembly, which the pinned integ-runner does not) and lists the test stack and its assertion stack,
 * the two stacks `cdk deploy --all` deploys in dependency order.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from '../support/app';

test('the CDK CLI lists an integ test\'s stack and its assertion stack', () => {
  const app = `node --require ./scripts/register-ts.js ${path.join('test', 'integ', 'integ.foundation.ts')}`;
  const run = spawnSync('npx', ['cdk', 'ls', '--app', app], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' } });
  expect(run.status).toBe(0);
  expect(run.stdout.trim().split('\n').sort()).toEqual(['FoundationExample', 'FoundationIntegTest/DefaultTest/DeployAssert']);
});

test('the runner script is valid bash and deploys, then destroys, each test', () => {
  expect(spawnSync('bash', ['-n', path.join(ROOT, 'scripts', 'integ.sh')]).status).toBe(0);
  const script = fs.readFileSync(path.join(ROOT, 'scripts', 'integ.sh'), 'utf8');
  expect(script.indexOf('cdk deploy')).toBeGreaterThan(0);
  expect(script.indexOf('cdk destroy')).toBeGreaterThan(script.indexOf('cdk deploy'));
});
