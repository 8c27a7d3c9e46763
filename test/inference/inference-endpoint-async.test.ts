import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AsyncInferenceOptions, InferenceEndpoint, InferenceEndpointProps } from '../../lib';
import { PROFILES } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';
import { rejectionOf } from '../support/rejection';
import { endpoint, Fixture, fixture, serverless, variant } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (stack: Stack): Statement[] =>
  Object.entries(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).find(([k]) => k.startsWith('EndpointPolicy'))![1].Properties.PolicyDocument.Statement;
const withAction = (statements: Statement[], action: string) => statements.filter((s) => [s.Action].flat().includes(action));
const asyncEndpoint = (f: Fixture, options: Partial<AsyncInferenceOptions> = {}, props: Partial<InferenceEndpointProps> = {}) =>
  endpoint(f, { encryptionKey: f.key, asyncInference: { bucket: f.bucket, ...options }, ...props });

describe.each(PROFILES)('asynchronous inference with defaults (%s profile)', (profile) => {
  const f = fixture(profile);
  const ep = asyncEndpoint(f);
  const template = Template.fromStack(f.stack);
  const resolve = (x: unknown) => f.stack.resolve(x);
  const lab = profile === 'lab';

  test('the config writes results and failures under their prefixes, encrypted with the bucket\'s key, and notifies two topics', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        OutputConfig: {
          S3OutputPath: resolve(f.bucket.s3UrlForObject('async-inference/output')),
          S3FailurePath: resolve(f.bucket.s3UrlForObject('async-inference/failures')),
          KmsKeyId: resolve(f.key.keyArn),
          NotificationConfig: { SuccessTopic: resolve(ep.asyncInference!.successTopic.topicArn), ErrorTopic: resolve(ep.asyncInference!.errorTopic.topicArn) },
        },
        ClientConfig: Match.absent(),
      },
    });
    expect(ep.isAsync).toBe(true);
  });

  test('both topics are encrypted with the endpoint key and refuse plain HTTP', () => {
    template.resourcePropertiesCountIs('AWS::SNS::Topic', { KmsMasterKeyId: resolve(f.key.keyArn) }, 2);
    template.resourcePropertiesCountIs('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })] },
    }, 2);
  });

  test('the role writes only under the two prefixes, with the key, and publishes only to the two topics', () => {
    const statements = statementsOf(f.stack);
    const writes = withAction(statements, 's3:AbortMultipartUpload');
    expect(writes.map((s) => s.Action)).toEqual([['s3:AbortMultipartUpload', 's3:PutObject']]);
    expect((writes[0].Resource as unknown[]).map((r) => JSON.stringify(r)).sort())
      .toEqual([f.bucket.arnForObjects('async-inference/output/*'), f.bucket.arnForObjects('async-inference/failures/*')].map((a) => JSON.stringify(resolve(a))).sort());
    expect(withAction(statements, 'sns:Publish')).toEqual([{
      Action: 'sns:Publish', Effect: 'Allow', Resource: expect.arrayContaining([resolve(ep.asyncInference!.successTopic.topicArn), resolve(ep.asyncInference!.errorTopic.topicArn)]),
    }]);
    expect(withAction(statements, 'sns:Publish')[0].Resource).toHaveLength(2);
    expect(withAction(statements, 'kms:GenerateDataKey').map((s) => s.Resource)).toContainEqual(resolve(f.key.keyArn));
  });

  test(`the variant scales on its backlog from 0 to ${lab ? 2 : 4} instances, target 5 queued requests per instance, cooldowns 600/300 s`, () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 0, MaxCapacity: lab ? 2 : 4, ResourceId: `endpoint/${ep.endpointName}/variant/AllTraffic`,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 5, ScaleInCooldown: 600, ScaleOutCooldown: 300,
        CustomizedMetricSpecification: {
          Namespace: 'AWS/SageMaker', MetricName: 'ApproximateBacklogSizePerInstance', Statistic: 'Average',
          Dimensions: [{ Name: 'EndpointName', Value: ep.endpointName }],
        },
      },
    });
    template.resourcePropertiesCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', { PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: Match.anyValue() } }, 0);
  });

  test('a step policy adds one instance when requests wait without capacity (HasBacklogWithoutCapacity ≥ 1 for 2 minutes)', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: 'ChangeInCapacity', MetricAggregationType: 'Average', Cooldown: 300,
        StepAdjustments: [{ MetricIntervalLowerBound: 0, ScalingAdjustment: 1 }],
      },
    });
    const policyId = Object.keys(template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy', { Properties: { PolicyType: 'StepScaling' } }))[0];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker', MetricName: 'HasBacklogWithoutCapacity', Statistic: 'Average', Period: 60,
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 2, DatapointsToAlarm: 2,
      Dimensions: [{ Name: 'EndpointName', Value: ep.endpointName }],
      AlarmActions: [{ Ref: policyId }],
    });
  });

  test('the variant still starts with at least one instance (SageMaker\'s minimum at creation)', () => {
    const config = Object.values(template.findResources('AWS::SageMaker::EndpointConfig'))[0];
    expect(config.Properties.ProductionVariants[0].InitialInstanceCount).toBe(lab ? 1 : 2);
  });

  test('has no unacknowledged cdk-nag findings (all four packs)', () => {
    expect(formatNag(nagFindings(ep))).toEqual([]);
  });
});

describe('asynchronous inference options', () => {
  test('prefixes, topics of your own, max concurrency, scaling bounds and cooldowns', () => {
    const f = fixture('production');
    const success = new sns.Topic(f.stack, 'Ok', { masterKey: f.key, enforceSSL: true });
    const error = new sns.Topic(f.stack, 'Err', { masterKey: f.key, enforceSSL: true });
    const ep = asyncEndpoint(f, {
      outputPrefix: 'scores/out', failurePrefix: 'scores/err', successTopic: success, errorTopic: error, maxConcurrentInvocationsPerInstance: 1000,
      autoScaling: { minCapacity: 1, maxCapacity: 3, targetBacklogPerInstance: 2, scaleInCooldown: Duration.minutes(15), scaleOutCooldown: Duration.minutes(1) },
    });
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      AsyncInferenceConfig: {
        OutputConfig: Match.objectLike({ S3OutputPath: f.stack.resolve(f.bucket.s3UrlForObject('scores/out')), S3FailurePath: f.stack.resolve(f.bucket.s3UrlForObject('scores/err')) }),
        ClientConfig: { MaxConcurrentInvocationsPerInstance: 1000 },
      },
    });
    template.resourceCountIs('AWS::SNS::Topic', 2);
    expect(ep.asyncInference!.successTopic).toBe(success);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 3 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ TargetValue: 2, ScaleInCooldown: 900, ScaleOutCooldown: 60 }),
    });
  });

  test('maxConcurrentInvocationsPerInstance 1 is accepted', () => {
    expect(() => asyncEndpoint(fixture('lab'), { maxConcurrentInvocationsPerInstance: 1 })).not.toThrow();
  });

  test('autoScaling.enabled false: no scaling target, no wake-up alarm', () => {
    const f = fixture('lab');
    asyncEndpoint(f, { autoScaling: { enabled: false } });
    const template = Template.fromStack(f.stack);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'HasBacklogWithoutCapacity' }, 0);
  });

  test('a real-time endpoint has no AsyncInferenceConfig', () => {
    const f = fixture('lab');
    const ep = endpoint(f);
    Template.fromStack(f.stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', { AsyncInferenceConfig: Match.absent() });
    expect(ep.asyncInference).toBeUndefined();
  });
});

describe('asynchronous inference: rejected at synth what SageMaker rejects', () => {
  function expectRejected(build: (f: Fixture) => unknown, prop: string, got: string): void {
    const e = rejectionOf(() => build(fixture('lab')));
    expect(e.prop).toBe(prop);
    expect(e.message).toContain(`invalid ${prop}: got ${got};`);
  }

  test('with a serverless variant (serverless-endpoints.html: instance variants only)', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f), asyncInference: { bucket: f.bucket } }), 'asyncInference', '"AsyncInferenceOptions"');
  });

  test.each([0, 1001, 2.5])('maxConcurrentInvocationsPerInstance %p (AsyncInferenceClientConfig: 1–1000)', (value) => {
    expectRejected((f) => asyncEndpoint(f, { maxConcurrentInvocationsPerInstance: value }), 'asyncInference.maxConcurrentInvocationsPerInstance', String(value));
  });

  test('an output prefix with a leading slash', () => {
    expectRejected((f) => asyncEndpoint(f, { outputPrefix: '/out' }), 'asyncInference.outputPrefix', '"/out"');
  });

  test('a failure prefix too long for the 512-character S3 URI', () => {
    const long = 'p'.repeat(444);
    expectRejected((f) => asyncEndpoint(f, { failurePrefix: long }), 'asyncInference.failurePrefix', JSON.stringify(long));
  });

  test('a 443-character prefix is accepted (s3:// + 63-character bucket + / + 443 = 512)', () => {
    expect(() => asyncEndpoint(fixture('lab'), { failurePrefix: 'p'.repeat(443) })).not.toThrow();
  });

  test('a failure prefix inside the output prefix', () => {
    expectRejected((f) => asyncEndpoint(f, { outputPrefix: 'out', failurePrefix: 'out/errors' }), 'asyncInference.failurePrefix', '"out/errors"');
  });

  test('a negative minimum capacity', () => {
    expectRejected((f) => asyncEndpoint(f, { autoScaling: { minCapacity: -1 } }), 'asyncInference.autoScaling.minCapacity', '-1');
  });

  test('a maximum capacity of 0', () => {
    expectRejected((f) => asyncEndpoint(f, { autoScaling: { minCapacity: 0, maxCapacity: 0 } }), 'asyncInference.autoScaling.maxCapacity', '0');
  });

  test('a backlog target of 0', () => {
    expectRejected((f) => asyncEndpoint(f, { autoScaling: { targetBacklogPerInstance: 0 } }), 'asyncInference.autoScaling.targetBacklogPerInstance', '0');
  });

  test('per-variant invocation autoscaling on an asynchronous endpoint', () => {
    expectRejected((f) => asyncEndpoint(f, {}, { variants: [variant(f, { autoScaling: { minCapacity: 1 } })] }), 'variants[AllTraffic].autoScaling', '"VariantAutoScalingOptions"');
  });

  test('a real-time variant scaled to 0 (only asynchronous endpoints scale to zero)', () => {
    expectRejected((f) => endpoint(f, { variants: [variant(f, { autoScaling: { minCapacity: 0 } })] }), 'variants[AllTraffic].autoScaling.minCapacity', '0');
  });

  test('a missing bucket (plain JavaScript)', () => {
    expectRejected((f) => endpoint(f, { asyncInference: {} as AsyncInferenceOptions }), 'asyncInference.bucket', 'undefined');
  });
});
