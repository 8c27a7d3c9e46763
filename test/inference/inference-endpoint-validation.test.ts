import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import {
  DataCaptureDestination, InferenceEndpoint, InferenceEndpointProps, InferenceInstanceType, ModelData, ModelImage, TrafficRouting,
} from '../../lib';
import { endpoint, Fixture, fixture, serverless, variant } from './helpers';
import { rejectionOf } from '../support/rejection';

/**
 * One test per rejected input. Each asserts the error type, the prop it names and the value it
 * quotes, so a message that stops naming either fails here.
 */
function expectRejected(build: (f: Fixture) => unknown, prop: string, got: string): void {
  const f = fixture('production');
  const e = rejectionOf(() => build(f));
  expect(e.prop).toBe(prop);
  expect(e.message).toContain(`invalid ${prop}: got ${got};`);
  // Checks that need every variant run while the template resolves; aws-cdk-lib then prefixes "Resolution error: ".
  expect(e.message).toMatch(/^(Resolution error: )*\[Test\/\w+\] invalid /);
}

const synth = (f: Fixture) => Template.fromStack(f.stack);
const withVariant = (f: Fixture, v: Partial<Parameters<typeof variant>[1]>, props: Partial<InferenceEndpointProps> = {}) =>
  endpoint(f, { variants: [variant(f, v)], ...props });

describe('InferenceEndpoint rejects at synth', () => {
  test('an imported key, naming the endpoint\'s encryptionKey (the endpoint log group needs a key-policy statement for CloudWatch Logs)', () => {
    const f = fixture('production');
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(() => endpoint(f, { encryptionKey: kms.Key.fromKeyArn(f.stack, 'Imported', arn) }))
      .toThrow(`[Test/Endpoint] invalid encryptionKey: got "${arn}"; allowed: a kms.Key defined in this CDK app (not imported)`);
  });

  test('an endpoint name longer than 63 characters', () => {
    expectRejected((f) => endpoint(f, { endpointName: 'e'.repeat(64) }), 'endpointName', `"${'e'.repeat(64)}"`);
  });

  test('an endpoint name outside the SageMaker pattern', () => {
    expectRejected((f) => endpoint(f, { endpointName: 'churn_endpoint' }), 'endpointName', '"churn_endpoint"');
  });

  test('a variant name outside the SageMaker pattern', () => {
    expectRejected((f) => withVariant(f, { variantName: '-blue' }), 'variantName', '"-blue"');
  });

  test('two variants with the same name', () => {
    expectRejected((f) => endpoint(f, { variants: [variant(f), variant(f)] }), 'variantName', '"AllTraffic"');
  });

  test('a negative variant weight', () => {
    expectRejected((f) => withVariant(f, { initialWeight: -1 }), 'variants[AllTraffic].initialWeight', '-1');
  });

  test('variant weights that are all zero', () => {
    expectRejected((f) => {
      endpoint(f, { variants: [variant(f, { variantName: 'A', initialWeight: 0 }), variant(f, { variantName: 'B', initialWeight: 0 })] });
      synth(f);
    }, 'variants[*].initialWeight', '[0, 0]');
  });

  test('an endpoint with no variant at all', () => {
    expectRejected((f) => {
      endpoint(f, { variants: [] });
      synth(f);
    }, 'variants', '[]');
  });

  test('an initial instance count of 0', () => {
    expectRejected((f) => withVariant(f, { initialInstanceCount: 0 }), 'variants[AllTraffic].initialInstanceCount', '0');
  });

  test('an instance type of an unknown format', () => {
    expectRejected((f) => withVariant(f, { instanceType: InferenceInstanceType.of('c5.large') }), 'variants[AllTraffic].instanceType', '"c5.large"');
  });

  test('a customer managed key with an instance type that has local NVMe storage', () => {
    expectRejected((f) => withVariant(f, { instanceType: InferenceInstanceType.of('ml.m5d.large') }, { encryptionKey: f.key }),
      'variants[AllTraffic].instanceType', '"ml.m5d.large"');
  });

  test('a volume size on an instance type with local NVMe storage', () => {
    expectRejected((f) => withVariant(f, { instanceType: InferenceInstanceType.G4DN_XLARGE, volumeSizeInGb: 50 }), 'variants[AllTraffic].volumeSizeInGb', '50');
  });

  test('a volume size above 512 GB', () => {
    expectRejected((f) => withVariant(f, { volumeSizeInGb: 513 }), 'variants[AllTraffic].volumeSizeInGb', '513');
  });

  test('a volume size of 0 GB', () => {
    expectRejected((f) => withVariant(f, { volumeSizeInGb: 0 }), 'variants[AllTraffic].volumeSizeInGb', '0');
  });

  test('a model download timeout under 60 s', () => {
    expectRejected((f) => withVariant(f, { modelDataDownloadTimeout: Duration.seconds(30) }), 'variants[AllTraffic].modelDataDownloadTimeout', '30');
  });

  test('a container start-up timeout over 3600 s', () => {
    expectRejected((f) => withVariant(f, { containerStartupHealthCheckTimeout: Duration.seconds(3601) }),
      'variants[AllTraffic].containerStartupHealthCheckTimeout', '3601');
  });

  test('an autoscaling minimum of 0', () => {
    expectRejected((f) => withVariant(f, { autoScaling: { minCapacity: 0 } }), 'variants[AllTraffic].autoScaling.minCapacity', '0');
  });

  test('an autoscaling maximum below the minimum', () => {
    expectRejected((f) => withVariant(f, { autoScaling: { minCapacity: 3, maxCapacity: 2 } }), 'variants[AllTraffic].autoScaling.maxCapacity', '2');
  });

  test('a target of 0 invocations per instance', () => {
    expectRejected((f) => withVariant(f, { autoScaling: { targetInvocationsPerInstance: 0 } }),
      'variants[AllTraffic].autoScaling.targetInvocationsPerInstance', '0');
  });

  test('autoscaling on a burstable instance type', () => {
    expectRejected((f) => withVariant(f, { instanceType: InferenceInstanceType.T2_MEDIUM }), 'variants[AllTraffic].autoScaling', '"ml.t2.medium"');
  });

  test('a sampling percentage above 100', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'capture'), samplingPercentage: 101 } }),
      'dataCapture.samplingPercentage', '101');
  });

  test('a negative sampling percentage', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'capture'), samplingPercentage: -5 } }),
      'dataCapture.samplingPercentage', '-5');
  });

  test('a data capture prefix with a leading slash', () => {
    expectRejected((f) => endpoint(f, { dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, '/capture') } }),
      'dataCapture.destination prefix', '"/capture"');
  });

  test('a canary above 50 % of capacity', () => {
    expectRejected((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.canary(60) } }), 'deployment.trafficRouting canary size', '60');
  });

  test('a linear step below 10 %', () => {
    expectRejected((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.linear(5) } }), 'deployment.trafficRouting linear step', '5');
  });

  test('a linear step above 50 %', () => {
    expectRejected((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.linear(55) } }), 'deployment.trafficRouting linear step', '55');
  });

  test('a traffic shift wait above 3600 s', () => {
    expectRejected((f) => endpoint(f, { deployment: { trafficRouting: TrafficRouting.canary(10, Duration.hours(2)) } }),
      'deployment.trafficRouting waitInterval', '7200');
  });

  test('a bake time above 3600 s', () => {
    expectRejected((f) => endpoint(f, { deployment: { bakeTime: Duration.minutes(61) } }), 'deployment.bakeTime', '3660');
  });

  test('a deployment execution timeout under 600 s', () => {
    expectRejected((f) => endpoint(f, { deployment: { maximumExecutionTimeout: Duration.minutes(5) } }), 'deployment.maximumExecutionTimeout', '300');
  });

  test('a deployment execution timeout above 28800 s', () => {
    expectRejected((f) => endpoint(f, { deployment: { maximumExecutionTimeout: Duration.seconds(28801) } }), 'deployment.maximumExecutionTimeout', '28801');
  });

  test('a deployment execution timeout not longer than bake time plus the canary wait', () => {
    expectRejected((f) => endpoint(f, {
      deployment: { trafficRouting: TrafficRouting.canary(10, Duration.hours(1)), bakeTime: Duration.hours(1), maximumExecutionTimeout: Duration.hours(2) },
    }), 'deployment.maximumExecutionTimeout', '7200');
  });

  test('a deployment execution timeout not longer than bake time plus a wait per linear step', () => {
    // 4 steps of 25 % × 30 minutes + 10 minutes bake = 7800 s: one wait (2400 s) would pass.
    expectRejected((f) => endpoint(f, {
      deployment: { trafficRouting: TrafficRouting.linear(25, Duration.minutes(30)), bakeTime: Duration.minutes(10), maximumExecutionTimeout: Duration.minutes(120) },
    }), 'deployment.maximumExecutionTimeout', '7200');
  });

  test('canary traffic routing with a one-instance variant', () => {
    expectRejected((f) => withVariant(f, { initialInstanceCount: 1 }, { deployment: { trafficRouting: TrafficRouting.canary(10) } }),
      'variants[AllTraffic].initialInstanceCount', '1');
  });

  test('linear traffic routing with a one-instance variant', () => {
    expectRejected((f) => withVariant(f, { initialInstanceCount: 1 }, { deployment: { trafficRouting: TrafficRouting.linear(50) } }),
      'variants[AllTraffic].initialInstanceCount', '1');
  });

  test('more than 10 rollback alarms (2 per variant + additional)', () => {
    expectRejected((f) => {
      const other = endpoint(f, {}, 'Other');
      const names = ['A', 'B', 'C', 'D', 'E'];
      endpoint(f, { variants: names.map((variantName) => variant(f, { variantName })), deployment: { autoRollback: true, additionalRollbackAlarms: other.alarms } });
    }, 'deployment.autoRollback', '"12 alarms (10 of 5 variant(s) + 2 additional)"');
  });

  test('the rollback alarm count is checked as variants are added, not wrapped in "Resolution error"', () => {
    const f = fixture('production');
    const ep = endpoint(f, { variants: ['A', 'B', 'C', 'D', 'E'].map((variantName) => variant(f, { variantName, initialInstanceCount: 2 })) });
    const e = rejectionOf(() => ep.addVariant(variant(f, { variantName: 'F', initialInstanceCount: 2 })));
    expect(e.message).toMatch(/^\[Test\/Endpoint\] invalid deployment.autoRollback: got "12 alarms \(12 of 6 variant\(s\) \+ 0 additional\)"/);
  });

  test('extra rollback alarms while rollback is off', () => {
    expectRejected((f) => {
      const other = endpoint(f, {}, 'Other');
      endpoint(f, { deployment: { autoRollback: false, additionalRollbackAlarms: other.alarms } });
    }, 'deployment.additionalRollbackAlarms', '2');
  });

  test('an instance variant without a VPC', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'NoVpc', { variants: [variant(f)] }), 'vpc', 'undefined');
  });

  test('subnets in a single availability zone', () => {
    expectRejected((f) => endpoint(f, { vpcSubnets: { subnets: [f.network.vpc.isolatedSubnets[0]] } }), 'vpcSubnets', '"1 subnet(s) in 1 availability zone(s)"');
  });

  test('public subnets', () => {
    expectRejected((f) => {
      const vpc = new ec2.Vpc(f.stack, 'PublicVpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Pub', subnetType: ec2.SubnetType.PUBLIC }] });
      new InferenceEndpoint(f.stack, 'Public', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, variants: [variant(f)] });
    }, 'vpcSubnets', '["Test/PublicVpc/PubSubnet1", "Test/PublicVpc/PubSubnet2"]');
  });

  test('more than five security groups', () => {
    expectRejected((f) => {
      const groups = [1, 2, 3, 4, 5, 6].map((i) => new ec2.SecurityGroup(f.stack, `Sg${i}`, { vpc: f.network.vpc }));
      endpoint(f, { securityGroups: groups });
    }, 'securityGroups', '6');
  });

  test('an image URI that is not an ECR URI with a tag or digest', () => {
    expectRejected((f) => withVariant(f, { image: ModelImage.fromEcrUri('docker.io/library/python:3.12') }),
      'variants[AllTraffic].image', '"docker.io/library/python:3.12"');
  });

  test('a model data key that is a prefix, not an object', () => {
    expectRejected((f) => withVariant(f, { modelData: ModelData.fromBucket(f.bucket, 'models/xgboost/') }),
      'variants[AllTraffic].modelData', '"models/xgboost/"');
  });

  test('a serverless memory size that is not a multiple of 1024 MB', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f, { memorySizeInMb: 1500 }) }),
      'serverlessVariant.memorySizeInMb', '1500');
  });

  test('a serverless memory size above 6144 MB', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f, { memorySizeInMb: 8192 }) }),
      'serverlessVariant.memorySizeInMb', '8192');
  });

  test('a serverless max concurrency above 200', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f, { maxConcurrency: 201 }) }),
      'serverlessVariant.maxConcurrency', '201');
  });

  test('a provisioned concurrency above the max concurrency', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f, { maxConcurrency: 4, provisionedConcurrency: 5 }) }),
      'serverlessVariant.provisionedConcurrency', '5');
  });

  test('a serverless variant in a VPC', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { vpc: f.network.vpc, serverlessVariant: serverless(f) }), 'vpc', '"Test/Network/Vpc"');
  });

  test('a serverless variant with network isolation', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { networkIsolation: true, serverlessVariant: serverless(f) }), 'networkIsolation', 'true');
  });

  test('a serverless variant with data capture', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', {
      serverlessVariant: serverless(f),
      dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'capture') },
    }), 'dataCapture', '"DataCaptureOptions"');
  });

  test('a serverless variant beside instance variants', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f), variants: [variant(f, { variantName: 'B' })] }),
      'variants', '["B"]');
  });

  test('an instance variant added to a serverless endpoint', () => {
    expectRejected((f) => new InferenceEndpoint(f.stack, 'S', { serverlessVariant: serverless(f) }).addVariant(variant(f, { variantName: 'B' })),
      'variants', '"B"');
  });

  test('a 5XX alarm threshold of 0 errors (it would always fire)', () => {
    expectRejected((f) => endpoint(f, { alarms: { invocation5xxErrors: 0 } }), 'alarms.invocation5xxErrors', '0');
  });

  test('alarms evaluated over 0 periods', () => {
    expectRejected((f) => endpoint(f, { alarms: { evaluationPeriods: 0 } }), 'alarms.evaluationPeriods', '0');
  });

  test('a metric of a variant the endpoint does not have', () => {
    expectRejected((f) => endpoint(f).metricInvocations({ variantName: 'Nope' }), 'variantName', '"Nope"');
  });
});
