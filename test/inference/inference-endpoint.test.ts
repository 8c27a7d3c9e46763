import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CaptureMode, DataCaptureDestination, DataKey, InferenceEndpoint, InferenceInstanceType, ModelData, ModelImage, PrivateNetwork, Profile,
  TrafficRouting,
} from '../../lib';
import { PROFILES, ProfileName } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { formatNag, nagFindings } from '../support/nag';
import { testStack } from '../support/stack';
import { endpoint, FakeLake, fixture, serverless, variant } from './helpers';

const LIB = path.join(__dirname, '..', '..', 'lib', 'inference');
const SOURCE = path.join(LIB, 'inference-endpoint.ts');
/** The file that declares an interface of the endpoint (split the way aws-cdk splits its endpoint). */
const FILES: Record<string, string> = {
  InferenceEndpointProps: SOURCE,
  AsyncInferenceOptions: path.join(LIB, 'async-inference.ts'),
  AsyncAutoScalingOptions: path.join(LIB, 'async-inference.ts'),
};
const sourceOf = (iface: string) => FILES[iface] ?? path.join(LIB, 'endpoint-options.ts');
const RETENTION_DAYS: Record<ProfileName, number> = { lab: 7, production: 365 };

describe.each(PROFILES)('InferenceEndpoint with one instance variant and data capture (%s profile)', (profile) => {
  const f = fixture(profile);
  const ep = endpoint(f, {
    encryptionKey: f.key,
    dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'capture/churn') },
  });
  const invoker = new iam.Role(f.stack, 'Invoker', { assumedBy: new iam.AccountRootPrincipal() });
  ep.grantInvoke(invoker);
  const template = Template.fromStack(f.stack);
  const resolve = (x: unknown) => f.stack.resolve(x);
  const keyArn = resolve(f.key.keyArn);
  const lab = profile === 'lab';

  test('the endpoint config has no fixed name, so every change swaps in a new config', () => {
    template.resourceCountIs('AWS::SageMaker::EndpointConfig', 1);
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { EndpointConfigName: Match.absent() });
  });

  test('the endpoint has a fixed, deterministic name and points at the config by its generated name', () => {
    expect(ep.endpointName).toMatch(/^Test-Endpoint-[A-F0-9]{8}$/);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      EndpointName: ep.endpointName,
      EndpointConfigName: resolve(ep.cfnEndpointConfig.attrEndpointConfigName),
    });
  });

  test('the endpoint config is encrypted with the customer managed key', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: keyArn });
  });

  test(`the variant defaults to the profile's capacity (${lab ? '1 instance' : '2 instances'} of ml.c5.large, weight 1)`, () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        InstanceType: 'ml.c5.large',
        InitialInstanceCount: lab ? 1 : 2,
        InitialVariantWeight: 1,
        ModelName: resolve(ep.model('AllTraffic').attrModelName),
        VolumeSizeInGB: Match.absent(),
        ServerlessConfig: Match.absent(),
      }],
    });
  });

  test('the model runs in the isolated subnets of two AZs with its own security group, without network isolation by default', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', {
      ExecutionRoleArn: resolve(ep.role.roleArn),
      EnableNetworkIsolation: false,
      VpcConfig: {
        Subnets: resolve(f.network.vpc.isolatedSubnets.map((s) => s.subnetId)),
        SecurityGroupIds: resolve(ep.connections.securityGroups.map((sg) => sg.securityGroupId)),
      },
      PrimaryContainer: {
        ModelDataUrl: resolve(f.bucket.s3UrlForObject('models/a/model.tar.gz')),
        Image: { 'Fn::Join': ['', Match.arrayWith(['/sagemaker-xgboost:1.7-1'])] },
      },
    });
    expect(f.network.vpc.isolatedSubnets).toHaveLength(2);
  });

  test('the security group allows HTTPS out only and nothing in', () => {
    expect(ep.connections.securityGroups).toHaveLength(1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('SageMaker endpoint models'),
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test(`autoscaling tracks invocations per instance: min ${lab ? 1 : 2}, max ${lab ? 2 : 4}, target 70, cooldowns 600/300 s`, () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ServiceNamespace: 'sagemaker',
      ScalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      ResourceId: `endpoint/${ep.endpointName}/variant/AllTraffic`,
      MinCapacity: lab ? 1 : 2,
      MaxCapacity: lab ? 2 : 4,
      RoleARN: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint$')])] },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 70,
        ScaleInCooldown: 600,
        ScaleOutCooldown: 300,
        PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
      },
    });
  });

  test('the scalable target waits for the endpoint (it cannot register a variant that does not exist)', () => {
    const targets = template.findResources('AWS::ApplicationAutoScaling::ScalableTarget');
    const endpointId = f.stack.getLogicalId(ep.cfnEndpoint);
    expect(Object.values(targets)[0].DependsOn).toContain(endpointId);
  });

  test('a 5XX alarm and a model latency alarm watch the variant', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    const dimensions = [{ Name: 'EndpointName', Value: ep.endpointName }, { Name: 'VariantName', Value: 'AllTraffic' }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker', MetricName: 'Invocation5XXErrors', Statistic: 'Sum', Period: 60,
      Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 2, TreatMissingData: 'notBreaching',
      Dimensions: Match.arrayWith(dimensions),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Statistic: 'Average', Period: 60,
      Threshold: 1_000_000, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 2,
      Dimensions: Match.arrayWith(dimensions),
    });
    expect(ep.alarms).toHaveLength(2);
  });

  if (lab) {
    test('lab: blue/green all at once, no bake time, alarms not wired to rollback', () => {
      template.hasResourceProperties('AWS::SageMaker::Endpoint', {
        DeploymentConfig: {
          BlueGreenUpdatePolicy: { TerminationWaitInSeconds: 0, TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE', WaitIntervalInSeconds: 0 } },
          AutoRollbackConfiguration: Match.absent(),
        },
      });
      expect(ep.rollbackAlarms).toEqual([]);
    });
  } else {
    test('production: blue/green canary of 10 % with a 5 minute wait, 10 minute bake, rollback on both alarms', () => {
      template.hasResourceProperties('AWS::SageMaker::Endpoint', {
        DeploymentConfig: {
          BlueGreenUpdatePolicy: {
            TerminationWaitInSeconds: 600,
            TrafficRoutingConfiguration: { Type: 'CANARY', CanarySize: { Type: 'CAPACITY_PERCENT', Value: 10 }, WaitIntervalInSeconds: 300 },
          },
          AutoRollbackConfiguration: { Alarms: ep.alarms.map((a) => ({ AlarmName: resolve(a.alarmName) })) },
        },
      });
      expect(ep.rollbackAlarms).toHaveLength(2);
    });
  }

  test(`data capture: ${lab ? 100 : 20} % of requests and responses, to the prefix, encrypted with the key`, () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: {
        EnableCapture: true,
        InitialSamplingPercentage: lab ? 100 : 20,
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        DestinationS3Uri: resolve(f.bucket.s3UrlForObject('capture/churn')),
        KmsKeyId: keyArn,
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
      },
    });
  });

  test('the execution role is assumed by SageMaker and carries no managed AWS policy and no inline policy', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'sagemaker.amazonaws.com' } })] },
      ManagedPolicyArns: Match.absent(),
      Policies: Match.absent(),
    });
    const roleId = f.stack.getLogicalId(ep.role.node.defaultChild as iam.CfnRole);
    const inline = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId));
    expect(inline).toEqual([]);
  });

  test('the role reads exactly the model object and decrypts with its key', () => {
    const statements = policyStatements(template, ep);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: resolve(f.bucket.arnForObjects('models/a/model.tar.gz')) },
    ]));
    expect(statements.some((s) => actions(s).includes('kms:Decrypt') && JSON.stringify(s.Resource) === JSON.stringify(keyArn))).toBe(true);
    expect(statements.every((s) => !actions(s).some((a) => a === 's3:*' || a === '*' || a.endsWith(':*')))).toBe(true);
  });

  test('the role pulls only from the XGBoost repository (the token call alone needs *)', () => {
    const statements = policyStatements(template, ep);
    const pull = statements.find((s) => actions(s).includes('ecr:BatchGetImage'))!;
    expect(actions(pull).sort()).toEqual(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']);
    expect(JSON.stringify(pull.Resource)).toContain(':repository/sagemaker-xgboost');
    const star = statements.filter((s) => s.Resource === '*' && !s.Condition).flatMap(actions).sort();
    expect(star).toEqual(['ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeDhcpOptions', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcs', 'ecr:GetAuthorizationToken']);
  });

  test('the role creates network interfaces only in the endpoint subnets and security group, with no condition that could deny', () => {
    const create = policyStatements(template, ep).filter((s) => actions(s).includes('ec2:CreateNetworkInterface'));
    expect(create).toHaveLength(1);
    expect(actions(create[0])).toEqual(['ec2:CreateNetworkInterface']);
    expect(create[0].Condition).toBeUndefined();
    const ec2Arn = (type: string, id: unknown) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:${type}/`, id]] });
    const subnets = f.network.vpc.isolatedSubnets.map((sn) => ec2Arn('subnet', resolve(sn.subnetId)));
    const groups = ep.connections.securityGroups.map((sg) => ec2Arn('security-group', resolve(sg.securityGroupId)));
    const expected = [
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':network-interface/*']] },
      ...subnets, ...groups,
    ];
    expect(create[0].Resource).toHaveLength(expected.length);
    expect(create[0].Resource).toEqual(expect.arrayContaining(expected));
  });

  test('the role deletes and shares only network interfaces in the endpoint VPC', () => {
    const existing = policyStatements(template, ep).find((s) => actions(s).includes('ec2:DeleteNetworkInterface'))!;
    expect(actions(existing)).toEqual(['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface']);
    expect(JSON.stringify(existing.Resource)).toContain(':network-interface/*');
    const vpcArn = (existing.Condition as { ArnEquals: Record<string, { 'Fn::Join': [string, unknown[]] }> }).ArnEquals['ec2:Vpc']['Fn::Join'][1];
    expect(vpcArn).toEqual(expect.arrayContaining([':vpc/', resolve(f.network.vpc.vpcId)]));
  });

  test('the role may put metrics only in the SageMaker endpoint namespace', () => {
    expect(policyStatements(template, ep)).toEqual(expect.arrayContaining([{
      Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } },
    }]));
  });

  test('the role writes only its own log group and puts captured data only under the capture prefix', () => {
    const statements = policyStatements(template, ep);
    expect(statements).toEqual(expect.arrayContaining([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: resolve(ep.logGroup.logGroupArn) },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: resolve(f.bucket.arnForObjects('capture/churn/*')) },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: keyArn },
    ]));
  });

  test(`the log group is /aws/sagemaker/Endpoints/<name>, encrypted, kept ${RETENTION_DAYS[profile]} days, created before the endpoint`, () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: `/aws/sagemaker/Endpoints/${ep.endpointName}`,
      KmsKeyId: keyArn,
      RetentionInDays: RETENTION_DAYS[profile],
    });
    const endpointResource = Object.values(template.findResources('AWS::SageMaker::Endpoint'))[0];
    expect(endpointResource.DependsOn).toContain(f.stack.getLogicalId(ep.logGroup.node.defaultChild as never));
  });

  test('the key policy lets CloudWatch Logs use the key for this log group only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([`:log-group:/aws/sagemaker/Endpoints/${ep.endpointName}`])] }) } },
        })]),
      },
    });
  });

  test('grantInvoke allows sagemaker:InvokeEndpoint on this endpoint only (ARN lower-cased like SageMaker does)', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [resolve(invoker.roleName)],
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sagemaker:InvokeEndpoint',
          Resource: { 'Fn::Join': ['', Match.arrayWith([`:endpoint/${ep.endpointName.toLowerCase()}`])] },
        }],
      },
    });
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(ep))).toEqual([]);
  });
});

describe('InferenceEndpoint metrics', () => {
  const f = fixture('lab');
  const ep = endpoint(f);
  const cases: Array<[string, cloudwatch.Metric, string, string, string]> = [
    ['metricInvocations', ep.metricInvocations(), 'AWS/SageMaker', 'Invocations', 'Sum'],
    ['metricModelLatency', ep.metricModelLatency(), 'AWS/SageMaker', 'ModelLatency', 'Average'],
    ['metricOverheadLatency', ep.metricOverheadLatency(), 'AWS/SageMaker', 'OverheadLatency', 'Average'],
    ['metricInvocation4xxErrors', ep.metricInvocation4xxErrors(), 'AWS/SageMaker', 'Invocation4XXErrors', 'Sum'],
    ['metricInvocation5xxErrors', ep.metricInvocation5xxErrors(), 'AWS/SageMaker', 'Invocation5XXErrors', 'Sum'],
    ['metricCpuUtilization', ep.metricCpuUtilization(), '/aws/sagemaker/Endpoints', 'CPUUtilization', 'Average'],
    ['metricMemoryUtilization', ep.metricMemoryUtilization(), '/aws/sagemaker/Endpoints', 'MemoryUtilization', 'Average'],
  ];

  test.each(cases)('%s reads %s %s (%s per minute) of the first variant', (_name, metric, namespace, metricName, statistic) => {
    expect(metric.namespace).toBe(namespace);
    expect(metric.metricName).toBe(metricName);
    expect(metric.statistic).toBe(statistic);
    expect(metric.period.toSeconds()).toBe(60);
    expect(metric.dimensions).toEqual({ EndpointName: ep.endpointName, VariantName: 'AllTraffic' });
  });

  test('options override the statistic and period', () => {
    const m = ep.metricModelLatency({ statistic: 'p99', period: Duration.minutes(5) });
    expect([m.statistic, m.period.toMinutes()]).toEqual(['p99', 5]);
  });
});

describe('A/B testing: two variants at 80/20 (production)', () => {
  const f = fixture('production');
  const ep = endpoint(f, { variants: [] });
  ep.addVariant(variant(f, { variantName: 'Champion', initialWeight: 80 }));
  ep.addVariant(variant(f, { variantName: 'Challenger', initialWeight: 20, modelData: ModelData.fromBucket(f.bucket, 'models/b/model.tar.gz') }));
  const template = Template.fromStack(f.stack);
  const resolve = (x: unknown) => f.stack.resolve(x);

  test('both variants are in the one config with their weights and their own models', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        Match.objectLike({ VariantName: 'Champion', InitialVariantWeight: 80, ModelName: resolve(ep.model('Champion').attrModelName) }),
        Match.objectLike({ VariantName: 'Challenger', InitialVariantWeight: 20, ModelName: resolve(ep.model('Challenger').attrModelName) }),
      ],
    });
    template.resourceCountIs('AWS::SageMaker::Model', 2);
    template.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelDataUrl: resolve(f.bucket.s3UrlForObject('models/b/model.tar.gz')) } });
  });

  test('each variant autoscales on its own and has its own two alarms, all four wired to rollback', () => {
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 2);
    for (const name of ['Champion', 'Challenger']) {
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { ResourceId: `endpoint/${ep.endpointName}/variant/${name}` });
    }
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { AutoRollbackConfiguration: { Alarms: Match.arrayWith([{ AlarmName: resolve(ep.alarms[3].alarmName) }]) } },
    });
    expect(ep.rollbackAlarms).toHaveLength(4);
  });

  test('the role reads each model object, no more', () => {
    const reads = policyStatements(template, ep).filter((s) => actions(s).includes('s3:GetObject'));
    expect(reads.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r)).sort()).toEqual(
      [resolve(f.bucket.arnForObjects('models/a/model.tar.gz')), resolve(f.bucket.arnForObjects('models/b/model.tar.gz'))].map((r) => JSON.stringify(r)).sort());
  });

  test('metrics read the variant asked for', () => {
    expect(ep.metricInvocations({ variantName: 'Challenger' }).dimensions).toEqual({ EndpointName: ep.endpointName, VariantName: 'Challenger' });
    expect(ep.variantNames).toEqual(['Champion', 'Challenger']);
  });
});

describe.each(PROFILES)('a serverless endpoint (%s profile)', (profile) => {
  const f = fixture(profile);
  const ep = new InferenceEndpoint(f.stack, 'Serverless', { serverlessVariant: serverless(f, { provisionedConcurrency: 2 }) });
  const template = Template.fromStack(f.stack);

  test('the variant is serverless: 2048 MB, 5 concurrent invocations by default, the provisioned concurrency given', () => {
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [{
        VariantName: 'AllTraffic',
        InitialVariantWeight: 1,
        ModelName: Match.anyValue(),
        ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5, ProvisionedConcurrency: 2 },
        InstanceType: Match.absent(),
        InitialInstanceCount: Match.absent(),
      }],
      KmsKeyId: f.stack.resolve(ep.encryptionKey.keyArn),
    });
    expect(ep.serverless).toBe(true);
  });

  test('no VPC, no network interface permissions, no security group, no autoscaling', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', { VpcConfig: Match.absent(), EnableNetworkIsolation: false });
    expect(policyStatements(template, ep).some((s) => actions(s).includes('ec2:CreateNetworkInterface'))).toBe(false);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(ep.connections.securityGroups).toEqual([]);
  });

  test('updates shift all at once (canary sizes are a share of instances, which serverless has none of)', () => {
    template.hasResourceProperties('AWS::SageMaker::Endpoint', {
      DeploymentConfig: { BlueGreenUpdatePolicy: { TrafficRoutingConfiguration: { Type: 'ALL_AT_ONCE' } } },
    });
  });

  test('a key of its own encrypts the storage and the log group when none is given', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp(`endpoint ${ep.endpointName}`) });
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(ep))).toEqual([]);
  });
});

describe('options', () => {
  const f = fixture('production');
  const byUri = ModelImage.fromEcrUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/churn:1.4.2');
  const isolated = endpoint(f, {
    networkIsolation: true,
    variants: [variant(f, {
      image: byUri,
      volumeSizeInGb: 30,
      modelDataDownloadTimeout: Duration.minutes(15),
      containerStartupHealthCheckTimeout: Duration.minutes(20),
      autoScaling: { minCapacity: 3, maxCapacity: 9, targetInvocationsPerInstance: 250, scaleInCooldown: Duration.minutes(15), scaleOutCooldown: Duration.minutes(1) },
    })],
    deployment: { trafficRouting: TrafficRouting.linear(25, Duration.minutes(2)), bakeTime: Duration.minutes(30), maximumExecutionTimeout: Duration.hours(6) },
    alarms: { invocation5xxErrors: 5, modelLatency: Duration.millis(250), evaluationPeriods: 3 },
    dataCapture: {
      destination: DataCaptureDestination.fromBucket(f.bucket, 'capture'),
      samplingPercentage: 0,
      captureMode: CaptureMode.INPUT,
      csvContentTypes: ['text/plain'],
      jsonContentTypes: [],
    },
    logRetention: RetentionDays.ONE_MONTH,
  }, 'Isolated');
  const gpu = endpoint(f, {
    variants: [variant(f, { instanceType: InferenceInstanceType.G4DN_XLARGE })],
    deployment: { autoRollback: false },
  }, 'Gpu');
  const burstable = endpoint(f, { variants: [variant(f, { instanceType: InferenceInstanceType.T2_MEDIUM, autoScaling: { enabled: false } })] }, 'Burstable');
  const single = endpoint(f, { variants: [variant(f, { initialInstanceCount: 1 })], deployment: { trafficRouting: TrafficRouting.allAtOnce() } }, 'Single');
  const template = Template.fromStack(f.stack);
  const resolve = (x: unknown) => f.stack.resolve(x);
  const configOf = (ep: InferenceEndpoint) => template.toJSON().Resources[f.stack.getLogicalId(ep.cfnEndpointConfig)].Properties;
  const endpointOf = (ep: InferenceEndpoint) => template.toJSON().Resources[f.stack.getLogicalId(ep.cfnEndpoint)].Properties;

  test('network isolation, volume size and timeouts reach the model and the variant', () => {
    expect(resolve(isolated.model('AllTraffic').enableNetworkIsolation)).toBe(true);
    expect(configOf(isolated).ProductionVariants[0]).toMatchObject({
      VolumeSizeInGB: 30, ModelDataDownloadTimeoutInSeconds: 900, ContainerStartupHealthCheckTimeoutInSeconds: 1200,
    });
  });

  test('an image by ECR URI is used as is, and pull rights are scoped to its repository', () => {
    expect(resolve(isolated.model('AllTraffic').primaryContainer)).toMatchObject({ image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/churn:1.4.2' });
    const pull = policyStatements(template, isolated).find((s) => actions(s).includes('ecr:BatchGetImage'))!;
    expect(JSON.stringify(pull.Resource)).toContain(':ecr:eu-west-1:123456789012:repository/team/churn');
  });

  test('an image from an ECR repository of the stack: URI by tag, pull rights on that repository', () => {
    const stack = testStack('lab');
    const repo = new ecr.Repository(stack, 'Repo');
    const net = new PrivateNetwork(stack, 'Net');
    const ep = new InferenceEndpoint(stack, 'Ep', { vpc: net.vpc, variants: [{ variantName: 'A', image: ModelImage.fromEcrRepository(repo, 'v3') }] });
    const t = Template.fromStack(stack);
    expect(JSON.stringify(stack.resolve(ep.model('A').primaryContainer))).toContain(':v3');
    const pull = policyStatements(t, ep).find((s) => actions(s).includes('ecr:BatchGetImage'))!;
    expect(pull.Resource).toEqual(stack.resolve(repo.repositoryArn));
    t.hasResourceProperties('AWS::SageMaker::Model', { PrimaryContainer: { ModelDataUrl: Match.absent() } });
  });

  test('autoscaling options', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: `endpoint/${isolated.endpointName}/variant/AllTraffic`, MinCapacity: 3, MaxCapacity: 9,
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 250, ScaleInCooldown: 900, ScaleOutCooldown: 60, PredefinedMetricSpecification: Match.anyValue() },
    });
  });

  test('linear traffic shifting, bake time and execution timeout', () => {
    expect(endpointOf(isolated).DeploymentConfig.BlueGreenUpdatePolicy).toEqual({
      TerminationWaitInSeconds: 1800,
      MaximumExecutionTimeoutInSeconds: 21600,
      TrafficRoutingConfiguration: { Type: 'LINEAR', LinearStepSize: { Type: 'CAPACITY_PERCENT', Value: 25 }, WaitIntervalInSeconds: 120 },
    });
  });

  test('alarm thresholds', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Invocation5XXErrors', Threshold: 5, EvaluationPeriods: 3, Dimensions: Match.arrayWith([{ Name: 'EndpointName', Value: isolated.endpointName }]) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelLatency', Threshold: 250_000, EvaluationPeriods: 3, Dimensions: Match.arrayWith([{ Name: 'EndpointName', Value: isolated.endpointName }]) });
  });

  test('data capture options, including a sampling percentage of 0 and input-only capture', () => {
    expect(configOf(isolated).DataCaptureConfig).toMatchObject({
      InitialSamplingPercentage: 0,
      CaptureOptions: [{ CaptureMode: 'Input' }],
      CaptureContentTypeHeader: { CsvContentTypes: ['text/plain'] },
    });
    // An empty list is left out: SageMaker takes 1–10 types per list.
    expect(configOf(isolated).DataCaptureConfig.CaptureContentTypeHeader.JsonContentTypes).toBeUndefined();
  });

  test('log retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/sagemaker/Endpoints/${isolated.endpointName}`, RetentionInDays: 30 });
  });

  test('a local-NVMe type with the default key: no KmsKeyId on the config (SageMaker would refuse it), logs still encrypted', () => {
    expect(configOf(gpu).KmsKeyId).toBeUndefined();
    expect(configOf(gpu).ProductionVariants[0].InstanceType).toBe('ml.g4dn.xlarge');
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/sagemaker/Endpoints/${gpu.endpointName}`, KmsKeyId: Match.anyValue() });
  });

  test('cdk-nag: the missing config key on a local-NVMe type is acknowledged, and only there', () => {
    expect(formatNag(nagFindings(gpu))).toEqual([]);
    expect(formatNag(nagFindings(isolated))).toEqual([]);
    // Control: the same rule does fire on a config without a key, so the acknowledgement is needed.
    const control = testStack('production');
    new sagemaker.CfnEndpointConfig(control, 'Config', { productionVariants: [{ variantName: 'A', modelName: 'm', instanceType: 'ml.g4dn.xlarge', initialInstanceCount: 1 }] });
    Template.fromStack(control);
    expect(nagFindings(control).map((x) => x.rule)).toContain('HIPAA.Security-SageMakerEndpointConfigurationKMSKeyConfigured');
  });

  test('autoRollback false in production leaves the alarms unwired', () => {
    expect(endpointOf(gpu).DeploymentConfig.AutoRollbackConfiguration).toBeUndefined();
    expect(gpu.rollbackAlarms).toEqual([]);
    expect(gpu.alarms).toHaveLength(2);
  });

  test('one instance with all-at-once routing is accepted in production', () => {
    expect(configOf(single).ProductionVariants[0].InitialInstanceCount).toBe(1);
    expect(endpointOf(single).DeploymentConfig.BlueGreenUpdatePolicy.TrafficRoutingConfiguration.Type).toBe('ALL_AT_ONCE');
  });

  test('five variants with rollback: exactly 10 alarms, the most SageMaker takes', () => {
    const g = fixture('production');
    const ep = endpoint(g, { variants: ['A', 'B', 'C', 'D', 'E'].map((variantName) => variant(g, { variantName })) });
    const t = Template.fromStack(g.stack);
    expect(Object.values(t.findResources('AWS::SageMaker::Endpoint'))[0].Properties.DeploymentConfig.AutoRollbackConfiguration.Alarms).toHaveLength(10);
    expect(ep.rollbackAlarms).toHaveLength(10);
  });

  test('a burstable type with autoscaling turned off: no scalable target', () => {
    expect(burstable.scalableTarget('AllTraffic')).toBeUndefined();
    expect(configOf(burstable).ProductionVariants[0].InstanceType).toBe('ml.t2.medium');
  });
});

describe('sources of model data and data capture', () => {
  const f = fixture('lab');
  const lake = new FakeLake(f.stack, 'Lake', f.key);
  const role = new iam.Role(f.stack, 'OwnRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const ep = endpoint(f, {
    role,
    variants: [variant(f, { modelData: ModelData.fromDataLake(lake, 'features', 'models/churn/model.tar.gz') })],
    dataCapture: { destination: DataCaptureDestination.fromDataLake(lake, 'raw', 'capture') },
  });
  const template = Template.fromStack(f.stack);
  const resolve = (x: unknown) => f.stack.resolve(x);

  test('model data and captured data go to the lake zones, with the lake key', () => {
    template.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: { ModelDataUrl: resolve(lake.zoneBucket('features').s3UrlForObject('models/churn/model.tar.gz')) },
    });
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      DataCaptureConfig: { DestinationS3Uri: resolve(lake.zoneBucket('raw').s3UrlForObject('capture')), KmsKeyId: resolve(f.key.keyArn) },
    });
  });

  test('a role passed in gets the managed policy attached and is used by the model', () => {
    expect(ep.role).toBe(role);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', { Roles: [resolve(role.roleName)] });
    template.hasResourceProperties('AWS::SageMaker::Model', { ExecutionRoleArn: resolve(role.roleArn) });
  });

  test('ModelData.grantRead gives any principal exactly that object and its key', () => {
    const stack = testStack('lab');
    const key = new DataKey(stack, 'K');
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'B', { bucketName: 'models', encryptionKey: key });
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    ModelData.fromBucket(bucket, 'm/model.tar.gz').grantRead(stack, reader);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::models/m/model.tar.gz']] } },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: stack.resolve(key.keyArn) },
      ] },
    });
  });

  test('a bucket without a key of its own: ModelData carries no key', () => {
    const plain = s3.Bucket.fromBucketName(f.stack, 'Plain', 'plain-bucket');
    const config = ModelData.fromBucket(plain, 'm/model.tar.gz').bind(f.stack, 'modelData');
    expect(config.kmsKeyArn).toBeUndefined();
    expect(config.s3Uri).toBe('s3://plain-bucket/m/model.tar.gz');
  });
});

describe('documented defaults match the code', () => {
  const lab = InferenceEndpoint.defaults(Profile.LAB);
  const prod = InferenceEndpoint.defaults(Profile.PRODUCTION);
  const both = (fn: (d: typeof lab) => string) => `- lab: ${fn(lab)}; production: ${fn(prod)}`;
  const routing = (d: typeof lab) => d.trafficRouting.type === 'ALL_AT_ONCE'
    ? 'all at once'
    : `canary ${d.trafficRouting.sizePercent} % with a ${d.trafficRouting.waitInterval.toMinutes()} minute wait`;
  const retention = (d: typeof lab) => ({ 7: 'one week', 365: 'one year' } as Record<number, string>)[d.logRetention];
  const seconds = (d: typeof lab) => (d.bakeTime.toSeconds() === 0 ? '0 seconds' : `${d.bakeTime.toMinutes()} minutes`);

  test.each([
    ['DataCaptureOptions', 'samplingPercentage', both((d) => String(d.samplingPercentage))],
    ['VariantAutoScalingOptions', 'minCapacity', both((d) => String(d.minCapacity))],
    ['VariantAutoScalingOptions', 'maxCapacity', both((d) => String(d.maxCapacity))],
    ['InstanceVariantProps', 'instanceType', both((d) => d.instanceType)],
    ['InstanceVariantProps', 'initialInstanceCount', both((d) => String(d.initialInstanceCount))],
    ['DeploymentGuardrailOptions', 'trafficRouting', both(routing)],
    ['DeploymentGuardrailOptions', 'bakeTime', both(seconds)],
    ['DeploymentGuardrailOptions', 'autoRollback', both((d) => String(d.autoRollback))],
    ['InferenceEndpointProps', 'logRetention', both(retention)],
    ['AsyncAutoScalingOptions', 'maxCapacity', both((d) => String(d.maxCapacity))],
  ])('%s.%s is documented as the profile defaults', (iface, prop, expected) => {
    expect(documentedDefaults(sourceOf(iface), iface)[prop]).toBe(expected);
  });

  test.each(['InferenceEndpointProps', 'InstanceVariantProps', 'ServerlessVariantProps', 'VariantAutoScalingOptions', 'DataCaptureOptions',
    'DeploymentGuardrailOptions', 'EndpointAlarmOptions', 'AsyncInferenceOptions', 'AsyncAutoScalingOptions'])('every optional prop of %s has a @default', (iface) => {
    expect(undocumentedOptionalProps(sourceOf(iface), iface)).toEqual([]);
  });

  test('the constant defaults documented are the ones the templates above show', () => {
    expect(documentedDefaults(sourceOf('VariantAutoScalingOptions'), 'VariantAutoScalingOptions')).toMatchObject({
      targetInvocationsPerInstance: '70', scaleInCooldown: 'Duration.seconds(600)', scaleOutCooldown: 'Duration.seconds(300)', enabled: 'true',
    });
    expect(documentedDefaults(sourceOf('ServerlessVariantProps'), 'ServerlessVariantProps')).toMatchObject({ memorySizeInMb: '2048', maxConcurrency: '5' });
    expect(documentedDefaults(sourceOf('EndpointAlarmOptions'), 'EndpointAlarmOptions')).toMatchObject({ invocation5xxErrors: '1', modelLatency: 'Duration.seconds(1)', evaluationPeriods: '2' });
    expect(documentedDefaults(sourceOf('InstanceVariantProps'), 'InstanceVariantProps')).toMatchObject({ initialWeight: '1' });
    expect(documentedDefaults(sourceOf('DataCaptureOptions'), 'DataCaptureOptions')).toMatchObject({ captureMode: 'CaptureMode.INPUT_AND_OUTPUT' });
    expect(documentedDefaults(sourceOf('InferenceEndpointProps'), 'InferenceEndpointProps')).toMatchObject({ networkIsolation: 'false' });
    expect(documentedDefaults(sourceOf('DeploymentGuardrailOptions'), 'DeploymentGuardrailOptions')).toMatchObject({ guardrails: 'true' });
    // The asynchronous defaults, as the async tests' templates show them (0, 5, 600 s, 300 s, the two prefixes).
    expect(documentedDefaults(sourceOf('AsyncAutoScalingOptions'), 'AsyncAutoScalingOptions')).toMatchObject({
      enabled: 'true', minCapacity: '0', targetBacklogPerInstance: '5', scaleInCooldown: 'Duration.seconds(600)', scaleOutCooldown: 'Duration.seconds(300)',
    });
    expect(documentedDefaults(sourceOf('AsyncInferenceOptions'), 'AsyncInferenceOptions')).toMatchObject({ outputPrefix: "'async-inference/output'", failurePrefix: "'async-inference/failures'" });
  });
});

describe('update caveats are documented where users look', () => {
  const source = [SOURCE, sourceOf('InstanceVariantProps')].map((file) => fs.readFileSync(file, 'utf8')).join('\n');
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const inferenceReadme = readme.slice(readme.indexOf('## Inference'), readme.indexOf('## Quality gates'));
  /** The doc comment right above `readonly <prop>?` in `iface`. */
  const propDoc = (iface: string, prop: string) => {
    const body = source.slice(source.indexOf(`export interface ${iface} `));
    const end = body.indexOf(`readonly ${prop}?`);
    return body.slice(body.lastIndexOf('/**', end), end);
  };

  test('instanceType and autoScaling say to deregister autoscaling before changing the instance type or removing a variant', () => {
    expect(propDoc('InstanceVariantProps', 'instanceType')).toMatch(/autoScaling\.enabled: false/);
    expect(propDoc('VariantAutoScalingOptions', 'enabled')).toMatch(/changes its instance type or removes it[\s\S]*enabled: false/);
    expect(inferenceReadme).toMatch(/Changing the instance type of an autoscaled variant, or removing one/);
  });

  test('initialInstanceCount says each update starts the new fleet at it, not at the scaled-out count', () => {
    expect(propDoc('InstanceVariantProps', 'initialInstanceCount')).toMatch(/starts each variant's new fleet at this\s+\* count again/);
    expect(inferenceReadme).toMatch(/starts each variant at its `initialInstanceCount`/);
  });
});

// -- helpers ------------------------------------------------------------------------------------

interface Statement { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }

function actions(s: Statement): string[] {
  return [s.Action].flat();
}

/** The statements of the endpoint's managed policy. */
function policyStatements(template: Template, ep: InferenceEndpoint): Statement[] {
  const id = Stack.of(ep).getLogicalId(ep.policy.node.defaultChild as iam.CfnManagedPolicy);
  return template.toJSON().Resources[id].Properties.PolicyDocument.Statement;
}
