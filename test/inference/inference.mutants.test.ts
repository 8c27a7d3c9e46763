import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  BatchScoring, BatchScoringProps, CaptureMode, DataCaptureDestination, InferenceApi, ModelMonitor, ModelMonitorProps, MonitoringBaseline,
  PrivateNetwork,
} from '../../lib';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';
import { endpoint, Fixture, fixture, variant } from './helpers';
import { flat } from '../support/template-values';

// Tests written for mutants StrykerJS found alive in lib/inference (MUTATE=lib/inference, 2.7 % sample);
// each names the behaviour it pins. Literal documented values, not values read back from the code.

/* eslint-disable @typescript-eslint/no-explicit-any -- template JSON and JavaScript-caller inputs, read field by field */

/** The properties of the one resource of `type` whose logical id starts with `idPrefix`. */
function propsOf(t: Template, type: string, idPrefix: string): any {
  const found = Object.entries(t.findResources(type)).filter(([id]) => id.startsWith(idPrefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${idPrefix}*, found ${found.length}`);
  return found[0][1].Properties;
}

function monitorProps(f: Fixture, overrides: Partial<ModelMonitorProps> = {}): ModelMonitorProps {
  const capture = DataCaptureDestination.fromBucket(f.bucket, 'data-capture');
  const ep = endpoint(f, { dataCapture: { destination: capture, captureMode: CaptureMode.INPUT_AND_OUTPUT } }, `Endpoint${f.stack.node.children.length}`);
  return {
    endpoint: ep, captureDestination: capture, baseline: MonitoringBaseline.fromS3Uris('s3://team-baselines/churn/v1/statistics.json', 's3://team-baselines/churn/v1/constraints.json'),
    outputBucket: f.bucket, vpc: f.network.vpc, ...overrides,
  };
}

// One stack with a network, an endpoint, its API and a monitor with a drift rule: synthesized once.
describe('what the default configuration synthesizes', () => {
  const f = fixture('production');
  const ep = endpoint(f);
  new InferenceApi(f.stack, 'Api', { endpoint: ep });
  const monitor = new ModelMonitor(f.stack, 'Monitor', monitorProps(f));
  monitor.onDrift('Retrain', { bind: () => ({ arn: 'arn:aws:sns:eu-west-1:111122223333:retrain' }) } as events.IRuleTarget);
  const t = Template.fromStack(f.stack);

  test('the keys the constructs create are described with what they encrypt and the construct path', () => {
    const description = (prefix: string) => propsOf(t, 'AWS::KMS::Key', prefix).Description;
    expect(description('NetworkFlowLogKey')).toBe('Flow logs of Test/Network');
    expect(description('ApiKey')).toBe('Logs of API Test/Api');
    expect(description('MonitorKey')).toBe('Model Monitor Test/Monitor: job volumes and reports');
  });

  test('the API access log records the caller with the other standard fields', () => {
    const format = JSON.parse(propsOf(t, 'AWS::ApiGateway::Stage', 'Api').AccessLogSetting.Format);
    expect(Object.keys(format).sort()).toEqual(
      ['caller', 'httpMethod', 'ip', 'protocol', 'requestId', 'requestTime', 'resourcePath', 'responseLength', 'status', 'user'].sort());
    expect(format.caller).toBe('$context.identity.caller');
  });

  test('the prediction method declares its 200, 400 and 502 responses, and a bad body is answered with 400', () => {
    const post = Object.values(t.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } }));
    expect(post).toHaveLength(1);
    expect((post[0] as any).Properties.MethodResponses.map((r: { StatusCode: string }) => r.StatusCode)).toEqual(['200', '400', '502']);
    const badBody = Object.values(t.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: 'BAD_REQUEST_BODY' } }));
    expect(badBody.map((r: any) => r.Properties.StatusCode)).toEqual(['400']);
  });

  test('the drift rule says which endpoint drifted and that it starts retraining', () => {
    const rule = propsOf(t, 'AWS::Events::Rule', 'MonitorRetrain');
    expect(flat(rule.Description)).toMatch(/^Drift of \S+: start retraining$/);
  });

  test("the monitor's topic key lets EventBridge and CloudWatch use it for that topic's ARN only", () => {
    const topicName = propsOf(t, 'AWS::SNS::Topic', 'MonitorTopic').TopicName;
    expect(topicName).toMatch(/-Topic$/);
    const statement = (propsOf(t, 'AWS::KMS::Key', 'MonitorTopicKey').KeyPolicy.Statement as any[])
      .find((s) => s.Sid === 'AllowEventsAndAlarmsToPublishToTheTopic');
    expect(flat(statement.Condition)).toEqual({
      StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': `arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:${topicName}` },
    });
  });
});

// Rejections: each builds in a stack that is never synthesized (a rejected construct stays in the tree).
describe('rules on props name the prop and what is allowed', () => {
  const f = fixture('production');
  let n = 0;
  const id = () => `C${n++}`;

  test('a scale-out cooldown over a day is rejected as an integer number of seconds from 0 to 86400', () => {
    const e = rejectionOf(() => endpoint(f, { variants: [variant(f, { autoScaling: { scaleOutCooldown: Duration.seconds(86401) } })] }, id()));
    expect([e.prop, e.allowed]).toEqual(['variants[AllTraffic].autoScaling.scaleOutCooldown', 'an integer from 0 to 86400 seconds']);
  });

  test('a captured content type of exactly 256 characters is accepted; 257 is rejected', () => {
    const destination = DataCaptureDestination.fromBucket(f.bucket, 'data-capture');
    const type = (length: number) => `text/${'a'.repeat(length - 'text/'.length)}`;
    expect(() => endpoint(f, { dataCapture: { destination, csvContentTypes: [type(256)] } }, id())).not.toThrow();
    const e = rejectionOf(() => endpoint(f, { dataCapture: { destination, csvContentTypes: [type(257)] } }, id()));
    expect(e.prop).toBe('dataCapture.csvContentTypes[0]');
  });

  test('an asynchronous output prefix with a trailing "/" is rejected', () => {
    const e = rejectionOf(() => endpoint(f, { encryptionKey: f.key, asyncInference: { bucket: f.bucket, outputPrefix: 'async-inference/output/' } }, id()));
    expect([e.prop, e.allowed]).toEqual(['asyncInference.outputPrefix', 'a key prefix without leading or trailing "/", e.g. "async-inference/output"']);
  });

  test('an API rate limit of 0 is rejected as requests per second from 1 to 10000 (the account limit)', () => {
    const e = rejectionOf(() => new InferenceApi(f.stack, id(), { endpoint: endpoint(f, {}, id()), throttling: { rateLimit: 0 } }));
    expect([e.prop, e.allowed]).toEqual(['throttling.rateLimit', 'a number from 1 to 10000 requests per second (the account limit)']);
  });

  test('a monitoring instance type with text after the size is rejected', () => {
    const e = rejectionOf(() => new ModelMonitor(f.stack, id(), monitorProps(f, { instanceType: 'ml.m5.xlarge!' })));
    expect(e.prop).toBe('instanceType');
  });

  test('model quality without a ground-truth bucket (a JavaScript caller) is rejected naming modelQuality.groundTruthBucket', () => {
    const e = rejectionOf(() => new ModelMonitor(f.stack, id(), monitorProps(f, { modelQuality: { groundTruthPrefix: 'ground-truth' } as any })));
    expect([e.prop, e.allowed]).toEqual(['modelQuality.groundTruthBucket', 'an s3.IBucket']);
  });

  test('one security group where a list is expected (a JavaScript caller) is rejected naming securityGroups', () => {
    const sg = ec2.SecurityGroup.fromSecurityGroupId(f.stack, id(), 'sg-0123456789abcdef0');
    const e = rejectionOf(() => new ModelMonitor(f.stack, id(), monitorProps(f, { securityGroups: sg as any })));
    expect([e.prop, e.allowed]).toEqual(['securityGroups', 'a list of security groups']);
  });

  test('a network over a fractional number of availability zones is rejected', () => {
    const e = rejectionOf(() => new PrivateNetwork(testStack(), 'Network', { maxAzs: 2.5 }));
    expect([e.prop, e.allowed]).toEqual(['maxAzs', 'an integer from 2 to 6 availability zones']);
  });

  test('granting read on a baseline that is not in S3 is rejected as not an S3 location', () => {
    const stack = new Stack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const baseline = MonitoringBaseline.fromS3Uris('https://example.com/statistics.json', 's3://team-baselines/churn/v1/constraints.json');
    const e = rejectionOf(() => baseline.grantRead(role, role));
    expect([e.prop, e.allowed]).toEqual(['baseline', 'an S3 location "s3://<bucket>/<key>"']);
  });
});

describe('BatchScoring prefixes', () => {
  function scoring(overrides: Partial<BatchScoringProps>): BatchScoring {
    const stack = testStack('production');
    const role = new iam.Role(stack, 'ModelRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    const bucket = s3.Bucket.fromBucketName(stack, 'Data', 'churn-data');
    return new BatchScoring(stack, 'Scoring', {
      modelName: 'churn-model', modelRole: role, inputBucket: bucket, inputPrefix: 'features/scoring', outputBucket: bucket, ...overrides,
    });
  }

  test('an output prefix with a leading "/" is rejected naming outputPrefix', () => {
    expect(rejectionOf(() => scoring({ outputPrefix: '/predictions' })).prop).toBe('outputPrefix');
  });

  test('a missing input prefix (a JavaScript caller) is rejected naming inputPrefix', () => {
    const e = rejectionOf(() => scoring({ inputPrefix: undefined as any }));
    expect([e.prop, e.allowed]).toEqual(['inputPrefix', 'a key prefix']);
  });
});
