import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { runLab } from '../../../lib/lab/cli';
import { Capture } from './moto';

// The default deploy/destroy runner spawns `npx cdk ...`: a stand-in `npx` on PATH records its
// arguments and prints CloudFormation event lines the way the CDK CLI does.
const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-npx-'));
const log = path.join(bin, 'args.log');
fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh
echo "$@" >> "${log}"
echo "MlLabData | 1/12 | 10:00:01 | CREATE_IN_PROGRESS | AWS::S3::Bucket | Lake/Raw"
if [ -n "$FAKE_CDK_SLEEP" ]; then sleep "$FAKE_CDK_SLEEP"; fi
if [ -n "$FAKE_CDK_FAIL" ]; then echo "MlLabData failed: Error: The stack named MlLabData failed creation" >&2; exit 1; fi
exit 0
`, { mode: 0o755 });

const cfn = mockClient(CloudFormationClient);
const savedPath = process.env.PATH;

beforeEach(() => {
  fs.rmSync(log, { force: true });
  process.env.PATH = `${bin}:${savedPath}`;
  cfn.reset();
  cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'MlLabData', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), RoleARN: 'arn:role', Outputs: [] }] });
});
afterEach(() => {
  process.env.PATH = savedPath;
  delete process.env.FAKE_CDK_FAIL;
  delete process.env.FAKE_CDK_SLEEP;
});
afterAll(() => cfn.restore());

const deps = (stderr: Capture) => ({ region: 'eu-west-1', stdout: new Capture(), stderr, root: bin, now: () => Date.parse('2026-12-01T10:00:00Z') });

test('up runs `npx cdk deploy` for MlLabData only, with the lab context and no approval prompt', async () => {
  const stderr = new Capture();
  const r = await runLab(['--yes', 'up', '--hours', '2', '--budget', '3', '--email', 'me@example.com'], deps(stderr));
  expect(r.exitCode).toBe(0);
  expect(fs.readFileSync(log, 'utf8').trim()).toBe('cdk deploy MlLabData --exclusively --require-approval never --progress events '
    + '-c profile=lab -c labExpiresAt=2026-12-01T12:00:00Z -c labBudgetUsd=3 -c labEmail=me@example.com');
  expect(stderr.text).toContain('deploying MlLabData: CREATE_IN_PROGRESS AWS::S3::Bucket');
});

test('a failed deploy quotes the CDK CLI\'s error line and says where to look', async () => {
  process.env.FAKE_CDK_FAIL = '1';
  const stderr = new Capture();
  const r = await runLab(['--yes', 'up'], deps(stderr));
  expect(r.exitCode).toBe(1);
  expect(stderr.text).toContain('✖ The CDK CLI failed deploying MlLabData: MlLabData failed: Error: The stack named MlLabData failed creation');
  expect(stderr.text).toContain('→ Read the CloudFormation events of the stack in the console');
});

test('Ctrl-C during a deploy stops following it (exit 130) and says CloudFormation carries on', async () => {
  process.env.FAKE_CDK_SLEEP = '5';
  const controller = new AbortController();
  const stderr = new Capture();
  setTimeout(() => controller.abort(), 300);
  const started = Date.now();
  const r = await runLab(['--yes', 'up'], deps(stderr), controller.signal);
  expect(Date.now() - started).toBeLessThan(4000);
  expect(r.exitCode).toBe(130);
  expect(stderr.text).toContain('✖ Stopped following deploying MlLabData.');
  expect(stderr.text).toContain('CloudFormation keeps deploying MlLabData: run `lab up` (or `lab serve`) again to follow it, or `lab down` to remove it.');
});
