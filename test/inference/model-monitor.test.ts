import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  CaptureMode, ChurnModelDefaults, DataCaptureDestination, InferenceEndpoint, ModelMonitor, ModelMonitorProps, MonitoringBaseline, MonitorSchedule,
} from '../../lib';
import { ProfileName } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { endpoint, Fixture, fixture, serverless } from './helpers';

interface Built { readonly f: Fixture; readonly ep: InferenceEndpoint; readonly capture: DataCaptureDestination; readonly monitor: ModelMonitor; readonly t: Template }

function base(f: Fixture, mode: CaptureMode = CaptureMode.INPUT_AND_OUTPUT): { ep: InferenceEndpoint; capture: DataCaptureDestination } {
  const capture = DataCaptureDestination.fromBucket(f.bucket, 'data-capture');
  const ep = endpoint(f, { dataCapture: { destination: capture, captureMode: mode } });
  return { ep, capture };
}

function props(f: Fixture, ep: InferenceEndpoint, capture: DataCaptureDestination, overrides: Partial<ModelMonitorProps> = {}): ModelMonitorProps {
  const baselines = s3.Bucket.fromBucketName(f.stack, `Baselines${Object.keys(overrides).join('')}${f.stack.node.children.length}`, 'team-baselines');
  return {
    endpoint: ep, captureDestination: capture,
    baseline: MonitoringBaseline.fromBucket(baselines, 'churn/v1'),
    outputBucket: f.bucket, vpc: f.network.vpc, ...overrides,
  };
}

function build(overrides: Partial<ModelMonitorProps> = {}, profile: ProfileName = 'production'): Built {
  const f = fixture(profile);
  const { ep, capture } = base(f);
  const monitor = new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture, overrides));
  return { f, ep, capture, monitor, t: Template.fromStack(f.stack) };
}

describe('ModelMonitor data quality', () => {
  const { t, monitor, f } = build();
  const r = (v: unknown) => f.stack.resolve(v);

  test('job definition: analyzer image of the region, baseline from S3, endpoint input, CloudWatch metrics on', () => {
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: {
        ImageUri: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('dkr\\.ecr\\.'), Match.stringLikeRegexp('/sagemaker-model-monitor-analyzer$')])] }),
        Environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      DataQualityBaselineConfig: {
        StatisticsResource: { S3Uri: 's3://team-baselines/churn/v1/statistics.json' },
        ConstraintsResource: { S3Uri: 's3://team-baselines/churn/v1/constraints.json' },
      },
      DataQualityJobInput: { EndpointInput: { EndpointName: r(monitor.endpointName), LocalPath: '/opt/ml/processing/input/endpoint', S3InputMode: 'File' } },
    });
  });

  test('network: VPC subnets and own security group, isolation and inter-container encryption on', () => {
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      NetworkConfig: {
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        VpcConfig: { Subnets: Match.anyValue(), SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorSecurityGroup'), 'GroupId'] }] },
      },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Model Monitor jobs'),
      SecurityGroupEgress: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIp: '0.0.0.0/0' }],
    });
  });

  test('KMS on volume and output, reports under the bucket prefix, 30-minute stopping condition, production instance ml.m5.xlarge, 20 GB', () => {
    const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorKey'), 'Arn'] };
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      JobResources: { ClusterConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: keyArn } },
      DataQualityJobOutputConfig: {
        KmsKeyId: keyArn,
        MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3UploadMode: 'EndOfJob', S3Uri: r(f.bucket.s3UrlForObject('model-monitor')) } }],
      },
      StoppingCondition: { MaxRuntimeInSeconds: 1800 },
    });
  });

  test('hourly schedule by default, stable name, depends on the endpoint and the job definition', () => {
    const schedules = t.findResources('AWS::SageMaker::MonitoringSchedule');
    const [id, schedule] = Object.entries(schedules)[0];
    expect(Object.keys(schedules)).toHaveLength(1);
    expect(schedule.Properties.MonitoringScheduleConfig).toEqual({
      MonitoringJobDefinitionName: r(monitor.dataQualityJobDefinition.jobDefinitionName),
      MonitoringType: 'DataQuality',
      ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
    });
    expect(schedule.Properties.MonitoringScheduleName).toBe(monitor.scheduleName);
    expect(schedule.DependsOn).toEqual(expect.arrayContaining([
      Object.keys(t.findResources('AWS::SageMaker::Endpoint'))[0],
      Object.keys(t.findResources('AWS::SageMaker::DataQualityJobDefinition'))[0],
    ]));
    expect(id).toMatch(/^MonitorDataQualitySchedule/);
  });

  test('production adds no one-time run; the lab profile adds one NOW run over the last 24 hours', () => {
    expect(monitor.oneTimeSchedule).toBeUndefined();
    const lab = build({}, 'lab');
    lab.t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'NOW', DataAnalysisStartTime: '-PT24H', DataAnalysisEndTime: '-PT0H' }, MonitoringType: 'DataQuality' },
    });
    lab.t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', { JobResources: { ClusterConfig: Match.objectLike({ InstanceType: 'ml.m5.large' }) } });
  });

  test('role: reads the capture prefix, the two baseline objects, writes the report prefix; nothing else in S3', () => {
    const statements = JSON.stringify(t.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('monitoring jobs') } }));
    expect(statements).toContain('/data-capture/*');
    expect(statements).toContain('team-baselines/churn/v1/statistics.json');
    expect(statements).toContain('team-baselines/churn/v1/constraints.json');
    expect(statements).toContain('/model-monitor/*');
    expect(statements).not.toContain('s3:*');
    expect(statements).not.toContain('s3:DeleteObject');
  });

  test('drift alarm per feature of the churn model in the namespace and dimensions SageMaker publishes', () => {
    const features = ChurnModelDefaults.featureColumns().map((c) => c.name);
    expect(monitor.featureDriftAlarms).toHaveLength(features.length);
    for (const feature of features) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'aws/sagemaker/Endpoints/data-metrics',
        MetricName: `feature_baseline_drift_${feature}`,
        Dimensions: Match.arrayWith([{ Name: 'Endpoint', Value: r(monitor.endpointName) }, { Name: 'MonitoringSchedule', Value: monitor.scheduleName }]),
        Threshold: 0.1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        Period: 3600,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitorTopic') }],
      });
    }
    t.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 1);
  });

  test('metric methods', () => {
    const m = r(monitor.metricFeatureCompleteness({ feature: 'sessions' }).toMetricConfig().metricStat);
    expect(m).toMatchObject({ namespace: 'aws/sagemaker/Endpoints/data-metrics', metricName: 'feature_non_null_sessions', statistic: 'Minimum' });
    expect(() => monitor.metricModelQuality('auc')).toThrow(/invalid modelQuality/);
  });

  test('failed and stopped runs, and runs with violations, go to an encrypted topic through EventBridge', () => {
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sagemaker'], 'detail-type': ['SageMaker Processing Job State Change'],
        detail: { MonitoringScheduleArn: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorDataQualitySchedule'), 'MonitoringScheduleArn'] }], ProcessingJobStatus: ['Failed', 'Stopped'] },
      },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^MonitorTopic') } })],
    });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: Match.objectLike({ ExitMessage: [{ prefix: 'CompletedWithViolations' }] }) },
    });
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MonitorTopicKey'), 'Arn'] } });
    // Service principals may use the key for this topic only.
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Sid: 'AllowEventsAndAlarmsToPublishToTheTopic',
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': Match.anyValue() } },
      })]) },
    });
  });

  test('onDrift sends the composite drift alarm to a target (retraining)', () => {
    const f = fixture();
    const { ep, capture } = base(f);
    const monitor = new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture));
    const topic = new sns.Topic(f.stack, 'Retrain');
    monitor.onDrift('Retraining', { bind: () => ({ arn: topic.topicArn }) } as events.IRuleTarget);
    Template.fromStack(f.stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } },
    });
  });
});

describe('ModelMonitor job-definition names', () => {
  const nameOf = (overrides: Partial<ModelMonitorProps>): string => build(overrides).monitor.dataQualityJobDefinition.jobDefinitionName!;
  test('are hashed from the inputs: equal inputs give the same name', () => {
    expect(nameOf({})).toBe(nameOf({}));
    expect(nameOf({})).toMatch(/-dq[0-9a-f]{10}$/);
    expect(nameOf({}).length).toBeLessThanOrEqual(63);
  });
  test('change when any input changes', () => {
    const names = [nameOf({}), nameOf({ instanceType: 'ml.m5.2xlarge' }), nameOf({ maxRuntime: Duration.minutes(20) }),
      nameOf({ outputPrefix: 'other' }), nameOf({ networkIsolation: false }), nameOf({ volumeSizeInGb: 30 })];
    expect(new Set(names).size).toBe(names.length);
  });
  test('do not change with what is not an input (schedule, alarms)', () => {
    expect(nameOf({ schedule: MonitorSchedule.daily(3) })).toBe(nameOf({}));
    expect(nameOf({ driftThreshold: 0.3 })).toBe(nameOf({}));
  });
  test('the schedule name stays stable when the job definition changes', () => {
    expect(build({ instanceType: 'ml.m5.2xlarge' }).monitor.scheduleName).toBe(build({}).monitor.scheduleName);
  });
});

describe('ModelMonitor model quality', () => {
  const f = fixture();
  const { ep, capture } = base(f);
  const monitor = new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture, {
    modelQuality: { groundTruthBucket: f.bucket, groundTruthPrefix: 'ground-truth' },
  }));
  const t = Template.fromStack(f.stack);

  test('binary classification on the CSV probability with threshold 0.5, ground truth from S3, same security settings', () => {
    t.hasResourceProperties('AWS::SageMaker::ModelQualityJobDefinition', {
      ModelQualityAppSpecification: Match.objectLike({ ProblemType: 'BinaryClassification' }),
      ModelQualityJobInput: {
        EndpointInput: Match.objectLike({ ProbabilityAttribute: '0', ProbabilityThresholdAttribute: 0.5 }),
        GroundTruthS3Input: { S3Uri: f.stack.resolve(f.bucket.s3UrlForObject('ground-truth')) },
      },
      NetworkConfig: Match.objectLike({ EnableNetworkIsolation: true, EnableInterContainerTrafficEncryption: true }),
      JobResources: { ClusterConfig: Match.objectLike({ VolumeKmsKeyId: Match.anyValue() }) },
    });
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', { MonitoringScheduleConfig: Match.objectLike({ MonitoringType: 'ModelQuality' }) });
  });

  test('AUC alarm in aws/sagemaker/Endpoints/model-metrics below 0.7', () => {
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'aws/sagemaker/Endpoints/model-metrics', MetricName: 'auc', Threshold: 0.7, ComparisonOperator: 'LessThanThreshold',
    });
    expect(monitor.modelQualityAlarm).toBeDefined();
  });
});

describe('ModelMonitor rejections', () => {
  test('an endpoint without data capture', () => {
    const f = fixture();
    const ep = endpoint(f);
    const capture = DataCaptureDestination.fromBucket(f.bucket, 'data-capture');
    const e = rejectionOf(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture)));
    expect(e.message).toMatch(/^\[Test\/Monitor\] invalid endpoint: got "Test\/Endpoint"; allowed: an endpoint with data capture/);
  });

  test('capture without input (responses only)', () => {
    const f = fixture();
    const { ep, capture } = base(f, CaptureMode.OUTPUT);
    const e = rejectionOf(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture)));
    expect(e.message).toContain('got "capture modes [\\"Output\\"]"');
    expect(e.allowed).toMatch(/capturing requests/);
  });

  test('input-only capture is enough for data quality, not for model quality', () => {
    const f = fixture();
    const { ep, capture } = base(f, CaptureMode.INPUT);
    expect(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture))).not.toThrow();
    const e = rejectionOf(() => new ModelMonitor(f.stack, 'Monitor2', props(f, ep, capture, { modelQuality: { groundTruthBucket: f.bucket, groundTruthPrefix: 'gt' } })));
    expect(e.prop).toBe('modelQuality');
  });

  test('a serverless endpoint', () => {
    const f = fixture();
    const ep = new InferenceEndpoint(f.stack, 'Serverless', { serverlessVariant: serverless(f) });
    const capture = DataCaptureDestination.fromBucket(f.bucket, 'data-capture');
    const e = rejectionOf(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture)));
    expect(e.allowed).toMatch(/serverless endpoints support neither data capture nor Model Monitor/);
  });

  test('a capture destination other than the endpoint\'s', () => {
    const f = fixture();
    const { ep } = base(f);
    const e = rejectionOf(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, DataCaptureDestination.fromBucket(f.bucket, 'elsewhere'))));
    expect(e.prop).toBe('captureDestination');
  });

  test.each([
    ['cron(0/5 * ? * * *)'], ['cron(* * ? * * *)'], ['cron(0,30 * ? * * *)'], ['cron(*/10 * ? * * *)'],
  ])('a schedule faster than hourly: %s', (expr) => {
    const e = rejectionOf(() => build({ schedule: MonitorSchedule.expression(expr) }));
    expect(e.message).toContain(`invalid schedule: got "${expr}"; allowed: a schedule no faster than hourly`);
  });

  test.each([['cron(0 * ? * * *)'], ['cron(0 23 ? * * *)'], ['cron(0 0/6 ? * * *)'], ['cron(0 0/24 ? * * *)']])('accepts the at-most-hourly %s', (expr) => {
    expect(() => build({ schedule: MonitorSchedule.expression(expr) })).not.toThrow();
  });

  test.each([['rate(1 hour)'], ['cron(0 24 ? * * *)'], ['cron(0 0/25 ? * * *)'], ['cron(0 * * * ? *)'], ['cron(5 * ? * * *)']])('rejects the malformed %s', (expr) => {
    expect(rejectionOf(() => build({ schedule: MonitorSchedule.expression(expr) })).prop).toBe('schedule');
  });

  test('a baseline location that is not S3', () => {
    const e = rejectionOf(() => build({ baseline: MonitoringBaseline.fromS3Uris('https://example.com/statistics.json', 's3://bkt/constraints.json') }));
    expect(e.message).toContain('invalid baseline statistics: got "https://example.com/statistics.json"; allowed: an S3 location');
    expect(rejectionOf(() => build({ baseline: MonitoringBaseline.fromS3Uris('s3://bkt/statistics.json', '/local/constraints.json') })).prop).toBe('baseline constraints');
  });

  test('S3 URIs are accepted and read object by object', () => {
    const b = build({ baseline: MonitoringBaseline.fromS3Uris('s3://team-baselines/x/statistics.json', 's3://team-baselines/x/constraints.json') });
    b.t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityBaselineConfig: { StatisticsResource: { S3Uri: 's3://team-baselines/x/statistics.json' }, ConstraintsResource: { S3Uri: 's3://team-baselines/x/constraints.json' } },
    });
  });

  test('a VPC whose isolated subnets have no S3 route', () => {
    const f = fixture();
    const { ep, capture } = base(f);
    const bare = new ec2.Vpc(f.stack, 'Bare', { natGateways: 0, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const e = rejectionOf(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture, { vpc: bare })));
    expect(e.message).toMatch(/^\[Test\/Monitor\] invalid vpc: got "Test\/Bare"; allowed: a VPC whose isolated subnets reach S3/);
    // The same VPC with a gateway endpoint, or an imported VPC with s3Endpoint, passes.
    bare.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    expect(() => new ModelMonitor(f.stack, 'Monitor2', props(f, ep, capture, { vpc: bare }))).not.toThrow();
  });

  test('an imported VPC needs s3Endpoint', () => {
    const f = fixture();
    const { ep, capture } = base(f);
    const imported = ec2.Vpc.fromVpcAttributes(f.stack, 'Imported', {
      vpcId: 'vpc-1', availabilityZones: ['a', 'b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'],
    });
    expect(rejectionOf(() => new ModelMonitor(f.stack, 'Monitor', props(f, ep, capture, { vpc: imported }))).prop).toBe('vpc');
    const s3Endpoint = ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(f.stack, 'S3', 'vpce-1');
    expect(() => new ModelMonitor(f.stack, 'Monitor2', props(f, ep, capture, { vpc: imported, s3Endpoint }))).not.toThrow();
  });

  test.each([
    ['maxRuntime', { maxRuntime: Duration.minutes(61) }, 'maxRuntime'],
    ['maxRuntime below a minute', { maxRuntime: Duration.seconds(59) }, 'maxRuntime'],
    ['volumeSizeInGb 0', { volumeSizeInGb: 0 }, 'volumeSizeInGb'],
    ['driftThreshold above 1', { driftThreshold: 1.5 }, 'driftThreshold'],
    ['outputPrefix with slash', { outputPrefix: '/x/' }, 'outputPrefix'],
    ['instanceType', { instanceType: 'm5.large' }, 'instanceType'],
    ['no features', { features: [] }, 'features'],
    ['bad feature', { features: ['a b'] }, 'features[0]'],
  ] as Array<[string, Partial<ModelMonitorProps>, string]>)('range rule: %s', (_n, overrides, prop) => {
    expect(rejectionOf(() => build(overrides)).prop).toBe(prop);
  });

  test('edges accepted: 60 s and 3600 s runtimes, threshold 0 and 1, 50 features', () => {
    expect(() => build({ maxRuntime: Duration.seconds(60) })).not.toThrow();
    expect(() => build({ maxRuntime: Duration.hours(1), driftThreshold: 1 })).not.toThrow();
    expect(() => build({ driftThreshold: 0, features: Array.from({ length: 50 }, (_, i) => `f${i}`) })).not.toThrow();
    expect(rejectionOf(() => build({ features: Array.from({ length: 51 }, (_, i) => `f${i}`) })).prop).toBe('features');
  });

  describe('plain JavaScript misuse', () => {
    const js = (overrides: Record<string, unknown>) => build(overrides as Partial<ModelMonitorProps>);
    test.each([
      ['schedule as a string', { schedule: 'cron(0 * ? * * *)' }, 'schedule'],
      ['baseline as a string', { baseline: 's3://b/p' }, 'baseline'],
      ['captureDestination as a string', { captureDestination: 's3://b/data-capture' }, 'captureDestination'],
      ['features as one string', { features: 'sessions' }, 'features'],
      ['volumeSizeInGb as a string', { volumeSizeInGb: '20' }, 'volumeSizeInGb'],
      ['driftThreshold NaN', { driftThreshold: NaN }, 'driftThreshold'],
      ['networkIsolation as a string', { networkIsolation: 'true' }, 'networkIsolation'],
      ['maxRuntime as a number', { maxRuntime: 1800 }, 'maxRuntime'],
      ['missing baseline', { baseline: undefined }, 'baseline'],
      ['missing outputBucket', { outputBucket: undefined }, 'outputBucket'],
      ['missing vpc', { vpc: undefined }, 'vpc'],
      ['endpoint as a name', { endpoint: 'my-endpoint' }, 'endpoint'],
    ])('%s', (_n, overrides, prop) => {
      expect(rejectionOf(() => js(overrides)).prop).toBe(prop);
    });

    test('missing props object', () => {
      const f = fixture();
      expect(rejectionOf(() => new ModelMonitor(f.stack, 'M', undefined as unknown as ModelMonitorProps)).prop).toBe('props');
    });
  });
});

test('a token endpoint name does not crash the dimensions', () => {
  const b = build();
  expect(Stack.of(b.monitor).resolve(b.monitor.metricFeatureDrift({ feature: 'sessions' }).dimensions)).toMatchObject({ MonitoringSchedule: b.monitor.scheduleName });
});
