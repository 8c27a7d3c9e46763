import { Duration, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BuiltInImage, CaptureMode, DataCaptureDestination, DataKey, InferenceEndpoint, InferenceEndpointProps, InstanceVariantProps, ModelData, ModelImage,
  PrivateNetwork, PrivateNetworkProps, TrafficRouting,
} from '../../lib';
import { MODEL_ARTIFACT_PATH } from '../../examples/inference/model-artifacts';
import { formatNag, nagFindings } from '../support/nag';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';
import { PROFILES } from '../support/app';
import { endpoint, Fixture, fixture, serverless, variant } from './helpers';

/** What a JavaScript or Python caller might pass: anything. */
type Loose = Record<string, unknown>;
const asVariant = (f: Fixture, overrides: Loose) => ({ ...variant(f), ...overrides }) as unknown as InstanceVariantProps;

function expectRejected(build: (f: Fixture) => unknown, prop: string, got: string): void {
  const e = rejectionOf(() => build(fixture('lab')));
  expect(e.prop).toBe(prop);
  expect(e.message).toContain(`invalid ${prop}: got ${got};`);
  expect(e.message).toMatch(/^\[Test\/\w+\] /);
}

describe('issue 9.9: InferenceEndpoint input from plain JavaScript or Python', () => {
  test('no props at all', () => {
    const f = fixture('lab');
    const e = rejectionOf(() => new InferenceEndpoint(f.stack, 'E', undefined as unknown as InferenceEndpointProps));
    expect(e.message).toBe('[Test/E] invalid props: got undefined; allowed: an InferenceEndpointProps object');
  });

  test('a string where an InferenceInstanceType is expected', () => {
    expectRejected((f) => endpoint(f, { variants: [asVariant(f, { instanceType: 'ml.c5.large' })] }), 'variants[AllTraffic].instanceType', '"ml.c5.large"');
  });

  test('a single variant where a list is expected', () => {
    const e = rejectionOf(() => { const f = fixture('lab'); endpoint(f, { variants: variant(f) as unknown as InstanceVariantProps[] }); });
    expect(e.message).toMatch(/^\[Test\/Endpoint\] invalid variants: got \{"variantName":"AllTraffic",.*; allowed: a list of InstanceVariantProps$/);
  });

  test('a single security group where a list is expected', () => {
    const e = rejectionOf(() => { const f = fixture('lab'); endpoint(f, { securityGroups: new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.network.vpc }) as unknown as ec2.ISecurityGroup[] }); });
    // The value is described by its class name (aws-cdk-lib's, whatever its bundler calls it).
    expect(e.message).toMatch(/^\[Test\/Endpoint\] invalid securityGroups: got SecurityGroup\w*; allowed: a list of ec2.ISecurityGroup$/);
  });

  test('a single content type where a list is expected', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'c'), csvContentTypes: 'text/csv' as unknown as string[] } }),
      'dataCapture.csvContentTypes', '"text/csv"');
  });

  test('a content type that is not a MIME type', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'c'), jsonContentTypes: ['json'] } }),
      'dataCapture.jsonContentTypes[0]', '"json"');
  });

  test('eleven content types (at most 10); ten are accepted', () => {
    const types = Array.from({ length: 11 }, (_, i) => `text/t${i}`);
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'c'), csvContentTypes: types } }),
      'dataCapture.csvContentTypes', `[${types.map((t) => JSON.stringify(t)).join(', ')}]`);
    expect(() => endpoint(fixture('lab'), { dataCapture: { destination: DataCaptureDestination.fromBucket(fixture('lab').bucket, 'c'), csvContentTypes: types.slice(0, 10) } })).not.toThrow();
  });

  test('a capture mode outside the enum', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'c'), captureMode: 'Both' as CaptureMode } }),
      'dataCapture.captureMode', '"Both"');
  });

  test('data capture without a destination', () => {
    expectRejected((f) => endpoint(f, { dataCapture: {} as never }), 'dataCapture.destination', 'undefined');
  });

  test('a string where a DataCaptureDestination is expected', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: 's3://bucket/capture' as unknown as DataCaptureDestination } }),
      'dataCapture.destination', '"s3://bucket/capture"');
  });

  test('a string where a ModelImage is expected', () => {
    expectRejected((f) => endpoint(f, { variants: [asVariant(f, { image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' })] }),
      'variants[AllTraffic].image', '"683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"');
  });

  test('a string where a ModelData is expected', () => {
    expectRejected((f) => endpoint(f, { variants: [asVariant(f, { modelData: 's3://models/model.tar.gz' })] }), 'variants[AllTraffic].modelData', '"s3://models/model.tar.gz"');
  });

  test('a missing variant name', () => {
    expectRejected((f) => endpoint(f, { variants: [asVariant(f, { variantName: undefined })] }), 'variantName', 'undefined');
  });

  test('a number as endpoint name', () => {
    expectRejected((f) => endpoint(f, { endpointName: 42 as unknown as string }), 'endpointName', '42');
  });

  test('a string where a boolean is expected', () => {
    expectRejected((f) => endpoint(f, { networkIsolation: 'yes' as unknown as boolean }), 'networkIsolation', '"yes"');
  });

  test('a string where an instance count is expected, and NaN', () => {
    expectRejected((f) => endpoint(f, { variants: [asVariant(f, { initialInstanceCount: '2' })] }), 'variants[AllTraffic].initialInstanceCount', '"2"');
    expectRejected((f) => endpoint(f, { variants: [asVariant(f, { initialInstanceCount: NaN })] }), 'variants[AllTraffic].initialInstanceCount', 'NaN');
  });

  test('a number of seconds where a Duration is expected', () => {
    expectRejected((f) => endpoint(f, { deployment: { bakeTime: 600 as unknown as Duration } }), 'deployment.bakeTime', '600');
  });

  test('a log retention that CloudWatch Logs does not offer', () => {
    expectRejected((f) => endpoint(f, { logRetention: 8 as RetentionDays }), 'logRetention', '8');
  });

  test('a string where a TrafficRouting is expected', () => {
    expectRejected((f) => endpoint(f, { deployment: { trafficRouting: 'CANARY' as unknown as TrafficRouting } }), 'deployment.trafficRouting', '"CANARY"');
  });

  describe('environment variables (ContainerDefinition Environment)', () => {
    const env = (environment: Loose) => (f: Fixture) => endpoint(f, { variants: [asVariant(f, { environment })] });
    test('a name starting with a digit', () => expectRejected(env({ '1ST': 'x' }), 'variants[AllTraffic].environment name', '"1ST"'));
    test('a name with a hyphen', () => expectRejected(env({ 'MY-VAR': 'x' }), 'variants[AllTraffic].environment name', '"MY-VAR"'));
    test('a value that is not a string', () => expectRejected(env({ THREADS: 4 }), 'variants[AllTraffic].environment.THREADS', '4'));
    test('a value of 1025 characters', () => expectRejected(env({ BIG: 'x'.repeat(1025) }), 'variants[AllTraffic].environment.BIG', '"1025 characters"'));
    test('101 variables', () => expectRejected(env(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, 'x']))),
      'variants[AllTraffic].environment', '"101 variables"'));
    test('a list instead of an object', () => expectRejected(env(['A=1'] as unknown as Loose), 'variants[AllTraffic].environment', '["A=1"]'));
    test('accepted at the edges: 100 variables, a 1024-character value, a 1024-character name', () => {
      const f = fixture('lab');
      const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`V${i}`, 'x']));
      expect(() => endpoint(f, { variants: [variant(f, { environment: many })] }, 'Many')).not.toThrow();
      expect(() => endpoint(f, { variants: [variant(f, { environment: { BIG: 'x'.repeat(1024), ['N'.repeat(1024)]: 'y' } })] }, 'Big')).not.toThrow();
      Template.fromStack(f.stack).hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { Environment: { BIG: 'x'.repeat(1024), ['N'.repeat(1024)]: 'y' } } });
    });
  });

  describe('image tags (ModelImage.fromEcrRepository)', () => {
    const withTag = (tag: string) => (f: Fixture) => endpoint(f, {
      variants: [variant(f, { image: ModelImage.fromEcrRepository(ecr.Repository.fromRepositoryName(f.stack, 'Repo', 'churn'), tag) })],
    });
    test('a tag with a space', () => expectRejected(withTag('v 1'), 'variants[AllTraffic].image tag', '"v 1"'));
    test('a tag of 129 characters', () => expectRejected(withTag('t'.repeat(129)), 'variants[AllTraffic].image tag', JSON.stringify('t'.repeat(129))));
    test('a short digest', () => expectRejected(withTag('sha256:abc'), 'variants[AllTraffic].image tag', '"sha256:abc"'));
    test('accepted: a 128-character tag and a full digest', () => {
      expect(() => withTag('t'.repeat(128))(fixture('lab'))).not.toThrow();
      expect(() => withTag(`sha256:${'a'.repeat(64)}`)(fixture('lab'))).not.toThrow();
    });
  });

  test('tokens in number and Duration props are accepted, not crashed on, and reach the template', () => {
    const f = fixture('lab');
    const size = Token.asNumber({ Ref: 'VolumeSize' });
    const seconds = Token.asNumber({ Ref: 'Timeout' });
    const sampling = Token.asNumber({ Ref: 'Sampling' });
    endpoint(f, {
      variants: [variant(f, { volumeSizeInGb: size, modelDataDownloadTimeout: Duration.seconds(seconds), initialInstanceCount: Token.asNumber({ Ref: 'Count' }) })],
      dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'c'), samplingPercentage: sampling },
      asyncInference: { bucket: f.bucket, maxConcurrentInvocationsPerInstance: Token.asNumber({ Ref: 'Concurrency' }) },
    });
    const config = Object.values(Template.fromStack(f.stack).findResources('AWS::SageMaker::EndpointConfig'))[0].Properties;
    expect(config.ProductionVariants[0]).toMatchObject({ VolumeSizeInGB: { Ref: 'VolumeSize' }, ModelDataDownloadTimeoutInSeconds: { Ref: 'Timeout' }, InitialInstanceCount: { Ref: 'Count' } });
    expect(config.DataCaptureConfig.InitialSamplingPercentage).toEqual({ Ref: 'Sampling' });
    expect(config.AsyncInferenceConfig.ClientConfig.MaxConcurrentInvocationsPerInstance).toEqual({ Ref: 'Concurrency' });
  });
});

describe('issue 17: boundary values accepted, values just outside rejected', () => {
  const accepts = (build: (f: Fixture) => unknown) => expect(() => build(fixture('lab'))).not.toThrow();
  const withVariant = (v: Partial<InstanceVariantProps>, props: Partial<InferenceEndpointProps> = {}) => (f: Fixture) => endpoint(f, { variants: [variant(f, v)], ...props });
  const cases: Array<[string, Partial<InstanceVariantProps>]> = [
    ['volume 1 GB', { volumeSizeInGb: 1 }], ['volume 512 GB', { volumeSizeInGb: 512 }],
    ['download timeout 60 s', { modelDataDownloadTimeout: Duration.seconds(60) }], ['download timeout 3600 s', { modelDataDownloadTimeout: Duration.seconds(3600) }],
    ['start-up timeout 60 s', { containerStartupHealthCheckTimeout: Duration.seconds(60) }], ['start-up timeout 3600 s', { containerStartupHealthCheckTimeout: Duration.seconds(3600) }],
    ['1 instance', { initialInstanceCount: 1 }], ['1000 instances', { initialInstanceCount: 1000, autoScaling: { minCapacity: 1, maxCapacity: 1000 } }],
    ['weight 0 beside a positive one (checked below)', { initialWeight: 1 }],
  ];
  test.each(cases)('accepts %s', (_name, v) => accepts(withVariant(v)));

  test.each([
    ['download timeout 59 s', { modelDataDownloadTimeout: Duration.seconds(59) }, 'variants[AllTraffic].modelDataDownloadTimeout', '59'],
    ['download timeout 3601 s', { modelDataDownloadTimeout: Duration.seconds(3601) }, 'variants[AllTraffic].modelDataDownloadTimeout', '3601'],
    ['start-up timeout 59 s', { containerStartupHealthCheckTimeout: Duration.seconds(59) }, 'variants[AllTraffic].containerStartupHealthCheckTimeout', '59'],
    ['1001 instances', { initialInstanceCount: 1001 }, 'variants[AllTraffic].initialInstanceCount', '1001'],
    ['autoscaling maximum 1001', { autoScaling: { maxCapacity: 1001 } }, 'variants[AllTraffic].autoScaling.maxCapacity', '1001'],
  ] as Array<[string, Partial<InstanceVariantProps>, string, string]>)('rejects %s', (_name, v, prop, got) => expectRejected(withVariant(v), prop, got));

  test('sampling 0 and 100 accepted, 101 and -1 rejected', () => {
    const capture = (samplingPercentage: number) => (f: Fixture) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'c'), samplingPercentage } });
    accepts(capture(0));
    accepts(capture(100));
    expectRejected(capture(101), 'dataCapture.samplingPercentage', '101');
    expectRejected(capture(-1), 'dataCapture.samplingPercentage', '-1');
  });

  test('canary 1 % and 50 % accepted, 0 % and 51 % rejected', () => {
    const canary = (p: number) => withVariant({ initialInstanceCount: 2 }, { deployment: { trafficRouting: TrafficRouting.canary(p) } });
    accepts(canary(1));
    accepts(canary(50));
    expectRejected(canary(0), 'deployment.trafficRouting canary size', '0');
    expectRejected(canary(51), 'deployment.trafficRouting canary size', '51');
  });

  test('linear 10 % and 50 % accepted, 9 % and 51 % rejected', () => {
    const linear = (p: number) => withVariant({ initialInstanceCount: 2 }, { deployment: { trafficRouting: TrafficRouting.linear(p, Duration.seconds(0)) } });
    accepts(linear(10));
    accepts(linear(50));
    expectRejected(linear(9), 'deployment.trafficRouting linear step', '9');
    expectRejected(linear(51), 'deployment.trafficRouting linear step', '51');
  });

  test('waits and bake time 0 and 3600 s accepted, 3601 s rejected', () => {
    accepts((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.allAtOnce(Duration.seconds(0)), bakeTime: Duration.seconds(0) } }));
    accepts((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.allAtOnce(Duration.seconds(3600)), bakeTime: Duration.seconds(3600) } }));
    expectRejected((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.allAtOnce(Duration.seconds(3601)) } }), 'deployment.trafficRouting waitInterval', '3601');
    expectRejected((f) => endpoint(f, { deployment: { bakeTime: Duration.seconds(3601) } }), 'deployment.bakeTime', '3601');
  });

  test('execution timeout 600 s and 28800 s accepted, 599 s and 28801 s rejected', () => {
    accepts((f) => endpoint(f, { deployment: { maximumExecutionTimeout: Duration.seconds(600) } }));
    accepts((f) => endpoint(f, { deployment: { maximumExecutionTimeout: Duration.seconds(28800) } }));
    expectRejected((f) => endpoint(f, { deployment: { maximumExecutionTimeout: Duration.seconds(599) } }), 'deployment.maximumExecutionTimeout', '599');
    expectRejected((f) => endpoint(f, { deployment: { maximumExecutionTimeout: Duration.seconds(28801) } }), 'deployment.maximumExecutionTimeout', '28801');
  });

  test('5 security groups accepted, none rejected', () => {
    accepts((f) => endpoint(f, { securityGroups: [1, 2, 3, 4, 5].map((i) => new ec2.SecurityGroup(f.stack, `Sg${i}`, { vpc: f.network.vpc })) }));
    expectRejected((f) => endpoint(f, { securityGroups: [] }), 'securityGroups', '0');
  });

  test('alarm evaluation over 60 periods accepted, 61 rejected', () => {
    accepts((f) => endpoint(f, { alarms: { evaluationPeriods: 60 } }));
    expectRejected((f) => endpoint(f, { alarms: { evaluationPeriods: 61 } }), 'alarms.evaluationPeriods', '61');
  });

  test('serverless memory 1024 and 6144 MB, concurrency 1 and 200, provisioned 1 and = max accepted; 1023/7168 MB, 0/201 rejected', () => {
    const s = (o: Loose) => (f: Fixture) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f, o) });
    for (const o of [{ memorySizeInMb: 1024 }, { memorySizeInMb: 6144 }, { maxConcurrency: 1 }, { maxConcurrency: 200 }, { maxConcurrency: 7, provisionedConcurrency: 1 }, { maxConcurrency: 7, provisionedConcurrency: 7 }]) accepts(s(o));
    expectRejected(s({ memorySizeInMb: 1023 }), 'serverlessVariant.memorySizeInMb', '1023');
    expectRejected(s({ memorySizeInMb: 7168 }), 'serverlessVariant.memorySizeInMb', '7168');
    expectRejected(s({ maxConcurrency: 0 }), 'serverlessVariant.maxConcurrency', '0');
    expectRejected(s({ maxConcurrency: 201 }), 'serverlessVariant.maxConcurrency', '201');
    expectRejected(s({ provisionedConcurrency: 0 }), 'serverlessVariant.provisionedConcurrency', '0');
  });

  test('PrivateNetwork: 2 and 6 AZs accepted, 7 rejected; /16 and /24 accepted, /15 rejected', () => {
    for (const props of [{ maxAzs: 2 }, { maxAzs: 6 }, { cidr: '10.0.0.0/16' }, { cidr: '10.0.0.0/24' }]) expect(() => new PrivateNetwork(testStack('lab'), 'N', props)).not.toThrow();
    expect(rejectionOf(() => new PrivateNetwork(testStack('lab'), 'N', { maxAzs: 7 })).prop).toBe('maxAzs');
    expect(rejectionOf(() => new PrivateNetwork(testStack('lab'), 'N', { cidr: '10.0.0.0/15' })).prop).toBe('cidr');
  });
});

describe('issue 9.9: PrivateNetwork input from plain JavaScript or Python', () => {
  const reject = (props: Loose, prop: string, got: string) => {
    const e = rejectionOf(() => new PrivateNetwork(testStack('lab'), 'Network', props as PrivateNetworkProps));
    expect(e.message).toContain(`[Test/Network] invalid ${prop}: got ${got};`);
  };
  test('one service name where a list is expected', () => reject({ interfaceEndpointServices: 'sagemaker.runtime' }, 'interfaceEndpointServices', '"sagemaker.runtime"'));
  test('a service name with spaces or capitals', () => reject({ interfaceEndpointServices: ['SageMaker Runtime'] }, 'interfaceEndpointServices[0]', '"SageMaker Runtime"'));
  test('a service name that is not a string', () => reject({ interfaceEndpointServices: [42] }, 'interfaceEndpointServices[0]', '42'));
  test('a string where a number is expected', () => reject({ natGateways: '1' }, 'natGateways', '"1"'));
  test('a string where a boolean is expected', () => reject({ flowLogs: 'true' }, 'flowLogs', '"true"'));
  test('a string where a VPC is expected', () => reject({ vpc: 'vpc-123' }, 'vpc', '"vpc-123"'));
});

describe('issue 9.6: the smallest usage is clean under all four nag packs', () => {
  test.each(PROFILES)('PrivateNetwork with no props (%s)', (profile) => {
    const stack = testStack(profile);
    new PrivateNetwork(stack, 'Network');
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });

  test.each(PROFILES)('InferenceEndpoint: one variant of the built-in image with an asset artifact in a PrivateNetwork (%s)', (profile) => {
    const stack = testStack(profile);
    const network = new PrivateNetwork(stack, 'Network');
    new InferenceEndpoint(stack, 'Endpoint', {
      vpc: network.vpc,
      variants: [{ variantName: 'AllTraffic', image: ModelImage.fromBuiltIn(BuiltInImage.xgboost()), modelData: ModelData.fromAsset(MODEL_ARTIFACT_PATH) }],
    });
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });

  test.each(PROFILES)('InferenceEndpoint serverless with the artifact in an existing bucket under a key of the app (%s)', (profile) => {
    const stack = testStack(profile);
    // Not a bucket of this stack: CreateModel reads the artifact at the first deploy.
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'B', { bucketName: 'churn-model-artifacts', encryptionKey: new DataKey(stack, 'K') });
    new InferenceEndpoint(stack, 'Endpoint', {
      serverlessVariant: { variantName: 'AllTraffic', image: ModelImage.fromBuiltIn(BuiltInImage.xgboost()), modelData: ModelData.fromBucket(bucket, 'm/model.tar.gz') },
    });
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});
