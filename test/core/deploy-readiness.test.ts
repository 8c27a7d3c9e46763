import * as path from 'path';
import { CfnResource, Duration, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { DeployReadinessChecks } from '../../lib/core/deploy-readiness-checks';
import { Nag } from '../../lib/core/nag';
import { testApp } from '../support/app';
import { testStack } from '../support/stack';

/** `<rule id> at <construct path>` for every finding of the pack on the stack. */
function findings(stack: Stack, rule?: string): string[] {
  const report = new DeployReadinessChecks().validateScope(stack);
  return report.violations
    .filter((v) => rule === undefined || v.ruleName.startsWith(`DeployReadiness-${rule}`))
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`))
    .sort();
}

function role(stack: Stack, id = 'Role', actions: string[] = []): iam.Role {
  const r = new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  if (actions.length > 0) r.addToPolicy(new iam.PolicyStatement({ actions, resources: ['*'] }));
  return r;
}

function model(stack: Stack, executionRole: iam.IRole, props: Partial<sagemaker.CfnModelProps> = {}, id = 'Model'): sagemaker.CfnModel {
  return new sagemaker.CfnModel(stack, id, {
    executionRoleArn: executionRole.roleArn,
    primaryContainer: { image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', modelDataUrl: 's3://existing-bucket/model.tar.gz' },
    ...props,
  });
}

describe('DeployReadinessChecks', () => {
  test('Nag.enable attaches the pack to the app as a validation plugin, after the four AWS packs', () => {
    const app = testApp();
    Nag.enable(app);
    const plugins = (app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map((p) => p.name);
    expect(plugins[plugins.length - 1]).toBe('DeployReadiness');
  });

  test('an empty stack has no findings, and every rule explanation cites an AWS doc page', () => {
    expect(findings(testStack())).toEqual([]);
    const stack = testStack();
    new logs.CfnLogGroup(stack, 'G', { logGroupName: 'x' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    const pack = new DeployReadinessChecks(undefined, { verbose: true });
    const description = pack.validateScope(stack).violations[0].description;
    expect(description).toMatch(/https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/UserGuide\/aws-attribute-deletionpolicy\.html/);
  });

  test('a finding is accepted with Nag.acknowledge on the resource, by its rule id', () => {
    const stack = testStack();
    const group = new logs.LogGroup(stack, 'G', { logGroupName: '/fixed', removalPolicy: RemovalPolicy.RETAIN });
    expect(findings(stack)).toEqual(['DeployReadiness-RetainedFixedName at Test/G/Resource']);
    Nag.acknowledge(group, { id: 'DeployReadiness-RetainedFixedName', reason: 'Created once per account by an operator, never by a first deploy.' });
    expect(findings(stack)).toEqual([]);
  });

  describe('ArtifactFromSameTemplate', () => {
    test('fires when ModelDataUrl points into a bucket the same template creates', () => {
      const stack = testStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      model(stack, role(stack), { primaryContainer: { image: 'i', modelDataUrl: bucket.s3UrlForObject('models/model.tar.gz') } });
      expect(findings(stack, 'Artifact')).toEqual(['DeployReadiness-ArtifactFromSameTemplate at Test/Model']);
    });

    test('fires for multi-container models, ModelDataSource and model packages', () => {
      const stack = testStack();
      const bucket = new s3.Bucket(stack, 'Bucket');
      model(stack, role(stack), { primaryContainer: undefined, containers: [{ image: 'i', modelDataUrl: `s3://${bucket.bucketName}/a.tar.gz` }] }, 'Multi');
      model(stack, role(stack, 'R2'), {
        primaryContainer: { image: 'i', modelDataSource: { s3DataSource: { s3Uri: `s3://${bucket.bucketName}/m/`, s3DataType: 'S3Prefix', compressionType: 'None' } } },
      }, 'Source');
      new sagemaker.CfnModelPackage(stack, 'Package', {
        modelPackageGroupName: 'g',
        inferenceSpecification: { containers: [{ image: 'i', modelDataUrl: Fn.sub('s3://${B}/p.tar.gz', { B: bucket.bucketName }) }], supportedContentTypes: ['text/csv'], supportedResponseMimeTypes: ['text/csv'] },
      });
      expect(findings(stack, 'Artifact')).toEqual([
        'DeployReadiness-ArtifactFromSameTemplate at Test/Multi',
        'DeployReadiness-ArtifactFromSameTemplate at Test/Package',
        'DeployReadiness-ArtifactFromSameTemplate at Test/Source',
      ]);
    });

    test('stays quiet for a CDK asset (uploaded before deploy) and for an existing bucket', () => {
      const stack = testStack();
      new s3.Bucket(stack, 'Bucket'); // in the template, but not what the models read
      const asset = new s3assets.Asset(stack, 'Artifact', { path: path.join(__dirname, 'deploy-readiness.test.ts') });
      model(stack, role(stack), { primaryContainer: { image: 'i', modelDataUrl: asset.s3ObjectUrl } });
      model(stack, role(stack, 'R2'), {}, 'Existing');
      model(stack, role(stack, 'R3'), { primaryContainer: { image: 'i', modelDataUrl: s3.Bucket.fromBucketName(stack, 'Imported', 'other').s3UrlForObject('m.tar.gz') } }, 'Imported2');
      expect(findings(stack, 'Artifact')).toEqual([]);
    });
  });

  describe('RetainedFixedName', () => {
    test('fires on Retain with a fixed name: log group, Athena workgroup, Glue database (nested name)', () => {
      const stack = testStack();
      new logs.LogGroup(stack, 'Logs', { logGroupName: '/fixed/name', removalPolicy: RemovalPolicy.RETAIN });
      new athena.CfnWorkGroup(stack, 'WorkGroup', { name: 'wg' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      new glue.CfnDatabase(stack, 'Db', { catalogId: stack.account, databaseInput: { name: 'db' } }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      expect(findings(stack, 'Retained')).toEqual([
        'DeployReadiness-RetainedFixedName at Test/Db',
        'DeployReadiness-RetainedFixedName at Test/Logs/Resource',
        'DeployReadiness-RetainedFixedName at Test/WorkGroup',
      ]);
    });

    test('stays quiet on RetainExceptOnCreate, on Retain without a name, and on Delete with a name', () => {
      const stack = testStack();
      new logs.LogGroup(stack, 'ExceptOnCreate', { logGroupName: '/a', removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
      new logs.LogGroup(stack, 'Generated', { removalPolicy: RemovalPolicy.RETAIN });
      new logs.LogGroup(stack, 'Destroyed', { logGroupName: '/b', removalPolicy: RemovalPolicy.DESTROY });
      new logs.LogGroup(stack, 'Snapshot', { logGroupName: '/c', removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
      expect(findings(stack, 'Retained')).toEqual([]);
    });
  });

  /** An endpoint with auto-rollback alarms whose model runs under `executionRole`. */
  function guardedEndpoint(stack: Stack, executionRole: iam.IRole, alarms = [{ alarmName: 'errors' }]): void {
    const m = model(stack, executionRole);
    const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
      productionVariants: [{ variantName: 'A', modelName: m.attrModelName, initialInstanceCount: 1, instanceType: 'ml.c5.large' }],
    });
    new sagemaker.CfnEndpoint(stack, 'Endpoint', {
      endpointConfigName: config.attrEndpointConfigName,
      deploymentConfig: alarms.length ? { autoRollbackConfiguration: { alarms } } : undefined,
    });
  }

  describe('RollbackAlarmsPermission', () => {
    test('fires when the model role behind a guarded endpoint lacks cloudwatch:DescribeAlarms', () => {
      const stack = testStack();
      guardedEndpoint(stack, role(stack, 'Role', ['cloudwatch:GetMetricData']));
      expect(findings(stack, 'Rollback')).toEqual(['DeployReadiness-RollbackAlarmsPermission at Test/Endpoint']);
    });

    test('a Deny statement naming DescribeAlarms does not count as the permission', () => {
      const stack = testStack();
      const r = role(stack);
      r.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }));
      guardedEndpoint(stack, r);
      expect(findings(stack, 'Rollback')).toEqual(['DeployReadiness-RollbackAlarmsPermission at Test/Endpoint']);
    });

    test('stays quiet with DescribeAlarms granted exactly, by wildcard, or through a managed policy', () => {
      for (const grant of ['exact', 'wildcard', 'managed'] as const) {
        const stack = testStack();
        const r = role(stack, 'Role', grant === 'exact' ? ['cloudwatch:DescribeAlarms'] : grant === 'wildcard' ? ['cloudwatch:Describe*'] : []);
        if (grant === 'managed') {
          new iam.ManagedPolicy(stack, 'Managed', { roles: [r], statements: [new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] })] });
        }
        guardedEndpoint(stack, r);
        expect({ grant, found: findings(stack, 'Rollback') }).toEqual({ grant, found: [] });
      }
    });

    test('does not apply without rollback alarms, or when the role is not in the template', () => {
      const noAlarms = testStack();
      guardedEndpoint(noAlarms, role(noAlarms), []);
      const imported = testStack();
      guardedEndpoint(imported, iam.Role.fromRoleArn(imported, 'Imported', 'arn:aws:iam::111122223333:role/existing'));
      expect([...findings(noAlarms, 'Rollback'), ...findings(imported, 'Rollback')]).toEqual([]);
    });
  });

  const VPC_ACTIONS = [
    'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
    'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs',
    'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEndpoints',
  ];
  const vpcConfig = { securityGroupIds: ['sg-1'], subnets: ['subnet-1'] };

  describe('VpcHostingPermissions', () => {
    test.each(VPC_ACTIONS)('fires, naming the action, when the role lacks %s', (missing) => {
      const stack = testStack();
      model(stack, role(stack, 'Role', VPC_ACTIONS.filter((a) => a !== missing)), { vpcConfig });
      expect(findings(stack, 'Vpc')).toEqual([`DeployReadiness-VpcHostingPermissions[${missing}] at Test/Model`]);
    });

    test('stays quiet with all ten actions (or ec2:*), and without a VpcConfig', () => {
      const all = testStack();
      model(all, role(all, 'Role', VPC_ACTIONS), { vpcConfig });
      const star = testStack();
      model(star, role(star, 'Role', ['ec2:*']), { vpcConfig });
      const noVpc = testStack();
      model(noVpc, role(noVpc));
      expect([...findings(all, 'Vpc'), ...findings(star, 'Vpc'), ...findings(noVpc, 'Vpc')]).toEqual([]);
    });
  });

  /** A state machine whose one state is `state` (a raw ASL state), built with the L2 so its definition holds tokens. */
  function stateMachine(stack: Stack, state: Record<string, unknown>, statements: iam.PolicyStatement[] = []): sfn.StateMachine {
    const custom = new sfn.CustomState(stack, 'Train', { stateJson: state });
    const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(custom) });
    statements.forEach((s) => machine.addToRolePolicy(s));
    return machine;
  }

  function trainingTask(stack: Stack, request: Record<string, unknown>, integration = '.sync'): Record<string, unknown> {
    return {
      Type: 'Task',
      Resource: `arn:${stack.partition}:states:::sagemaker:createTrainingJob${integration}`,
      Parameters: { TrainingJobName: 'job', RoleArn: role(stack, 'JobRole').roleArn, ...request },
      End: true,
    };
  }

  const eventsGrant = (stack: Stack, ruleName = 'StepFunctionsGetEventsForSageMakerTrainingJobsRule') => new iam.PolicyStatement({
    actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
    resources: [`arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/${ruleName}`],
  });

  describe('SpotTrainingCheckpoints', () => {
    const checkpoint = { CheckpointConfig: { S3Uri: 's3://b/checkpoints/' } };

    test('fires on spot without checkpoints', () => {
      const stack = testStack();
      stateMachine(stack, trainingTask(stack, { EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 } }), [eventsGrant(stack)]);
      expect(findings(stack, 'Spot')).toEqual(['DeployReadiness-SpotTrainingCheckpoints[Train:checkpoint] at Test/Machine/Resource']);
    });

    test('fires when MaxWait is one second below MaxRuntime, or missing (runtime defaults to one day)', () => {
      const below = testStack();
      stateMachine(below, trainingTask(below, { EnableManagedSpotTraining: true, ...checkpoint, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3599 } }), [eventsGrant(below)]);
      const missing = testStack();
      stateMachine(missing, trainingTask(missing, { EnableManagedSpotTraining: true, ...checkpoint }), [eventsGrant(missing)]);
      const defaultRuntime = testStack();
      stateMachine(defaultRuntime, trainingTask(defaultRuntime, { EnableManagedSpotTraining: true, ...checkpoint, StoppingCondition: { MaxWaitTimeInSeconds: 86399 } }), [eventsGrant(defaultRuntime)]);
      expect([...findings(below, 'Spot'), ...findings(missing, 'Spot'), ...findings(defaultRuntime, 'Spot')]).toEqual([
        'DeployReadiness-SpotTrainingCheckpoints[Train:maxWait] at Test/Machine/Resource',
        'DeployReadiness-SpotTrainingCheckpoints[Train:maxWait] at Test/Machine/Resource',
        'DeployReadiness-SpotTrainingCheckpoints[Train:maxWait] at Test/Machine/Resource',
      ]);
    });

    test('accepts MaxWait equal to MaxRuntime (the boundary), on-demand jobs, and values set at run time', () => {
      const equal = testStack();
      stateMachine(equal, trainingTask(equal, { EnableManagedSpotTraining: true, ...checkpoint, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600 } }), [eventsGrant(equal)]);
      const onDemand = testStack();
      stateMachine(onDemand, trainingTask(onDemand, { StoppingCondition: { MaxRuntimeInSeconds: 3600 } }), [eventsGrant(onDemand)]);
      const dynamic = testStack();
      stateMachine(dynamic, trainingTask(dynamic, { EnableManagedSpotTraining: true, 'CheckpointConfig.$': '$.checkpoint', 'StoppingCondition.$': '$.stopping' }), [eventsGrant(dynamic)]);
      expect([...findings(equal), ...findings(onDemand), ...findings(dynamic)]).toEqual([]);
    });

    test('parses definitions with a token outside a JSON string and escaped quotes inside one', () => {
      const stack = testStack();
      const task = trainingTask(stack, { EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: Token.asNumber({ Ref: 'Runtime' }), MaxWaitTimeInSeconds: 7200 } });
      stateMachine(stack, { ...task, Comment: 'a "quoted" \\ word' }, [eventsGrant(stack)]);
      expect(findings(stack, 'Spot')).toEqual(['DeployReadiness-SpotTrainingCheckpoints[Train:checkpoint] at Test/Machine/Resource']);
    });

    test('reads tuning jobs, Parallel branches and SageMaker pipelines', () => {
      const stack = testStack();
      const tuning = new sfn.CustomState(stack, 'Tune', {
        stateJson: {
          Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createHyperParameterTuningJob',
          Parameters: { TrainingJobDefinition: { EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 1200 } } },
        },
      });
      const parallel = new sfn.Parallel(stack, 'Both').branch(tuning);
      new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(parallel) });
      new sagemaker.CfnPipeline(stack, 'Pipeline', {
        pipelineName: 'p', roleArn: 'arn:aws:iam::111122223333:role/p',
        pipelineDefinition: {
          pipelineDefinitionBody: JSON.stringify({
            Version: '2020-12-01',
            Steps: [{ Name: 'TrainStep', Type: 'Training', Arguments: { EnableManagedSpotTraining: true, CheckpointConfig: { S3Uri: 's3://b/c/' }, StoppingCondition: { MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 60 } } }],
          }),
        },
      });
      expect(findings(stack, 'Spot')).toEqual([
        'DeployReadiness-SpotTrainingCheckpoints[Tune:checkpoint] at Test/Machine/Resource',
        'DeployReadiness-SpotTrainingCheckpoints[TrainStep:maxWait] at Test/Pipeline',
      ].sort());
    });
  });

  describe('SyncIntegrationEventsPermissions', () => {
    test('fires for each events action missing on the managed rule of a .sync training task', () => {
      const stack = testStack();
      stateMachine(stack, trainingTask(stack, {}));
      expect(findings(stack, 'Sync')).toEqual([
        'DeployReadiness-SyncIntegrationEventsPermissions[events:DescribeRule:StepFunctionsGetEventsForSageMakerTrainingJobsRule] at Test/Machine/Resource',
        'DeployReadiness-SyncIntegrationEventsPermissions[events:PutRule:StepFunctionsGetEventsForSageMakerTrainingJobsRule] at Test/Machine/Resource',
        'DeployReadiness-SyncIntegrationEventsPermissions[events:PutTargets:StepFunctionsGetEventsForSageMakerTrainingJobsRule] at Test/Machine/Resource',
      ]);
    });

    test('fires when the permissions name another rule (the transform-job rule for a training task)', () => {
      const stack = testStack();
      stateMachine(stack, trainingTask(stack, {}), [eventsGrant(stack, 'StepFunctionsGetEventsForSageMakerTransformJobsRule')]);
      expect(findings(stack, 'Sync')).toHaveLength(3);
    });

    test('stays quiet with the three actions on the rule ARN, and for integrations that do not wait', () => {
      const granted = testStack();
      stateMachine(granted, trainingTask(granted, {}), [eventsGrant(granted)]);
      const requestResponse = testStack();
      stateMachine(requestResponse, trainingTask(requestResponse, {}, ''));
      expect([...findings(granted, 'Sync'), ...findings(requestResponse, 'Sync')]).toEqual([]);
    });
  });

  /** An endpoint with the given data capture options and a data-quality schedule on it. */
  function monitoredEndpoint(stack: Stack, capture: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | undefined, byName = false): void {
    const m = model(stack, role(stack));
    const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
      productionVariants: [{ variantName: 'A', modelName: m.attrModelName, initialInstanceCount: 1, instanceType: 'ml.c5.large' }],
      dataCaptureConfig: capture,
    });
    const endpoint = new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: config.attrEndpointConfigName, endpointName: 'churn' });
    new sagemaker.CfnDataQualityJobDefinition(stack, 'DataQuality', {
      jobDefinitionName: 'dq-1a2b3c4d',
      dataQualityAppSpecification: { imageUri: 'i' },
      dataQualityJobInput: { endpointInput: { endpointName: byName ? 'churn' : endpoint.attrEndpointName, localPath: '/opt/ml/processing/input' } },
      dataQualityJobOutputConfig: { monitoringOutputs: [{ s3Output: { s3Uri: 's3://b/out', localPath: '/opt/ml/processing/output' } }] },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
    });
    new sagemaker.CfnMonitoringSchedule(stack, 'Schedule', {
      monitoringScheduleName: 'schedule',
      monitoringScheduleConfig: { monitoringJobDefinitionName: 'dq-1a2b3c4d', monitoringType: 'DataQuality', scheduleConfig: { scheduleExpression: 'cron(0 * ? * * *)' } },
    });
  }
  const captureOf = (modes: string[], enable = true) => ({
    enableCapture: enable, initialSamplingPercentage: 100, destinationS3Uri: 's3://b/capture', captureOptions: modes.map((captureMode) => ({ captureMode })),
  });

  describe('MonitorInputCapture', () => {
    test('fires when the endpoint captures only output, has capture disabled, or has none', () => {
      const cases = [captureOf(['Output']), captureOf(['Input', 'Output'], false), undefined];
      const found = cases.map((capture) => {
        const stack = testStack();
        monitoredEndpoint(stack, capture);
        return findings(stack, 'MonitorInput');
      });
      expect(found).toEqual(cases.map(() => ['DeployReadiness-MonitorInputCapture at Test/Schedule']));
    });

    test('follows a literal endpoint name too', () => {
      const stack = testStack();
      monitoredEndpoint(stack, captureOf(['Output']), true);
      expect(findings(stack, 'MonitorInput')).toEqual(['DeployReadiness-MonitorInputCapture at Test/Schedule']);
    });

    test('follows a job definition referenced by its ARN (Fn::Select of Fn::Split)', () => {
      const stack = testStack();
      monitoredEndpoint(stack, captureOf(['Output']));
      const schedule = stack.node.findChild('Schedule') as sagemaker.CfnMonitoringSchedule;
      const definition = stack.node.findChild('DataQuality') as sagemaker.CfnDataQualityJobDefinition;
      schedule.monitoringScheduleConfig = { ...schedule.monitoringScheduleConfig as object, monitoringJobDefinitionName: Fn.select(1, Fn.split('/', definition.ref)) };
      definition.jobDefinitionName = undefined;
      expect(findings(stack, 'MonitorInput')).toEqual(['DeployReadiness-MonitorInputCapture at Test/Schedule']);
    });

    test('stays quiet when the endpoint captures input', () => {
      const stack = testStack();
      monitoredEndpoint(stack, captureOf(['Input']));
      expect(findings(stack, 'MonitorInput')).toEqual([]);
    });
  });

  describe('MonitorFixedJobDefinitionName', () => {
    const definition = (stack: Stack, jobDefinitionName?: string) => new sagemaker.CfnDataQualityJobDefinition(stack, 'DataQuality', {
      jobDefinitionName,
      dataQualityAppSpecification: { imageUri: 'i' },
      dataQualityJobInput: { endpointInput: { endpointName: 'e', localPath: '/in' } },
      dataQualityJobOutputConfig: { monitoringOutputs: [{ s3Output: { s3Uri: 's3://b/out', localPath: '/out' } }] },
      jobResources: { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } },
      roleArn: 'arn:aws:iam::111122223333:role/monitor',
    });

    test('fires on a fixed name', () => {
      const stack = testStack();
      definition(stack, 'churn-data-quality');
      expect(findings(stack, 'MonitorFixed')).toEqual(['DeployReadiness-MonitorFixedJobDefinitionName at Test/DataQuality']);
    });

    test('accepts a generated name and a name carrying a digest of 8 hex digits (7 is not enough)', () => {
      const ok = [undefined, 'churn-dq-1a2b3c4d'].map((name) => {
        const stack = testStack();
        definition(stack, name);
        return findings(stack, 'MonitorFixed');
      });
      const short = testStack();
      definition(short, 'churn-dq-1a2b3c4');
      expect({ ok, short: findings(short, 'MonitorFixed') }).toEqual({ ok: [[], []], short: ['DeployReadiness-MonitorFixedJobDefinitionName at Test/DataQuality'] });
    });
  });

  describe('FirehoseDynamicPartitioningBuffer', () => {
    const stream = (stack: Stack, enabled: boolean, sizeInMBs?: number) => new firehose.CfnDeliveryStream(stack, 'Stream', {
      extendedS3DestinationConfiguration: {
        bucketArn: 'arn:aws:s3:::b', roleArn: 'arn:aws:iam::111122223333:role/f',
        bufferingHints: sizeInMBs === undefined ? undefined : { sizeInMBs, intervalInSeconds: 60 },
        dynamicPartitioningConfiguration: { enabled },
      },
    });

    test('fires on 63 MiB with dynamic partitioning, accepts 64 (the boundary) and an unset buffer', () => {
      const at = (enabled: boolean, size?: number) => {
        const stack = testStack();
        stream(stack, enabled, size);
        return findings(stack, 'Firehose').length;
      };
      expect({ 63: at(true, 63), 64: at(true, 64), unset: at(true), off: at(false, 1) }).toEqual({ 63: 1, 64: 0, unset: 0, off: 0 });
    });

    test('reads the size and the switch written as strings, as CloudFormation does', () => {
      const at = (Enabled: unknown, SizeInMBs: unknown) => {
        const stack = testStack();
        new CfnResource(stack, 'Stream', {
          type: 'AWS::KinesisFirehose::DeliveryStream',
          properties: { ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::b', RoleARN: 'arn:aws:iam::111122223333:role/f', BufferingHints: { SizeInMBs }, DynamicPartitioningConfiguration: { Enabled } } },
        });
        return findings(stack, 'Firehose').length;
      };
      expect({ small: at('true', '32'), boundary: at(true, '64'), off: at('false', '1'), token: at(true, { Ref: 'BufferSize' }) })
        .toEqual({ small: 1, boundary: 0, off: 0, token: 0 });
    });
  });

  describe('AthenaTableOnArchivedObjects', () => {
    const lake = (stack: Stack, storageClass: s3.StorageClass, prefix?: string, enabled = true) => {
      const bucket = new s3.Bucket(stack, 'Raw', {
        lifecycleRules: [{ enabled, prefix, transitions: [{ storageClass, transitionAfter: Duration.days(90) }] }],
      });
      new glue.CfnTable(stack, 'Table', {
        catalogId: stack.account, databaseName: 'db',
        tableInput: { name: 't', storageDescriptor: { location: `s3://${bucket.bucketName}/raw/clickstream/` } },
      });
    };

    test('fires when a table reads objects moved to Glacier Flexible Retrieval or Deep Archive', () => {
      const found = [s3.StorageClass.GLACIER, s3.StorageClass.DEEP_ARCHIVE].map((c) => {
        const stack = testStack();
        lake(stack, c);
        return findings(stack, 'Athena');
      });
      const covering = testStack();
      lake(covering, s3.StorageClass.GLACIER, 'raw/');
      const inside = testStack(); // the rule archives only part of what the table reads
      lake(inside, s3.StorageClass.GLACIER, 'raw/clickstream/2024/');
      expect([...found, findings(covering, 'Athena'), findings(inside, 'Athena')]).toEqual([1, 2, 3, 4].map(() => ['DeployReadiness-AthenaTableOnArchivedObjects at Test/Table']));
    });

    test('stays quiet for Glacier Instant Retrieval, another prefix, or a disabled rule', () => {
      const found = [
        [s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, undefined, true],
        [s3.StorageClass.GLACIER, 'archive/', true],
        [s3.StorageClass.GLACIER, undefined, false],
      ].map(([c, prefix, enabled]) => {
        const stack = testStack();
        lake(stack, c as s3.StorageClass, prefix as string | undefined, enabled as boolean);
        return findings(stack, 'Athena');
      });
      expect(found).toEqual([[], [], []]);
    });
  });

  describe('AthenaDefaultDatabase', () => {
    const analyst = (stack: Stack, databases: string[]) => {
      const r = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
      r.addToPolicy(new iam.PolicyStatement({ actions: ['athena:StartQueryExecution'], resources: ['*'] }));
      r.addToPolicy(new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:GetTable'],
        resources: databases.map((d) => stack.formatArn({ service: 'glue', resource: 'database', resourceName: d })),
      }));
      return r;
    };

    test('fires when the Glue grants name the lake database but not default', () => {
      const stack = testStack();
      analyst(stack, ['lake_raw']);
      expect(findings(stack, 'AthenaDefault')).toEqual(['DeployReadiness-AthenaDefaultDatabase at Test/Analyst/Resource']);
    });

    test('a database named by reference to a Glue database of the template is not the default database', () => {
      const stack = testStack();
      const db = new glue.CfnDatabase(stack, 'Db', { catalogId: stack.account, databaseInput: { name: 'lake_raw' } });
      analyst(stack, [db.ref]);
      expect(findings(stack, 'AthenaDefault')).toEqual(['DeployReadiness-AthenaDefaultDatabase at Test/Analyst/Resource']);
    });

    test('stays quiet with default granted (by name or wildcard), and for roles that do not query', () => {
      const named = testStack();
      analyst(named, ['lake_raw', 'default']);
      const wildcard = testStack();
      analyst(wildcard, ['*']);
      const noAthena = testStack();
      new iam.Role(noAthena, 'Crawler', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') })
        .addToPolicy(new iam.PolicyStatement({ actions: ['glue:GetDatabase'], resources: [noAthena.formatArn({ service: 'glue', resource: 'database', resourceName: 'lake_raw' })] }));
      expect([...findings(named, 'AthenaDefault'), ...findings(wildcard, 'AthenaDefault'), ...findings(noAthena, 'AthenaDefault')]).toEqual([]);
    });
  });

  describe('ServicePrincipalUnscoped', () => {
    test('fires on a key statement for a service principal with no condition, or with only aws:SourceAccount', () => {
      const stack = testStack();
      const key = new kms.Key(stack, 'Key');
      key.addToResourcePolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'], principals: [new iam.ServicePrincipal('events.amazonaws.com')] }));
      key.addToResourcePolicy(new iam.PolicyStatement({
        actions: ['kms:Decrypt'], resources: ['*'], principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
      expect(findings(stack, 'ServicePrincipal')).toEqual([
        'DeployReadiness-ServicePrincipalUnscoped[cloudwatch.amazonaws.com] at Test/Key/Resource',
        'DeployReadiness-ServicePrincipalUnscoped[events.amazonaws.com] at Test/Key/Resource',
      ]);
    });

    test('fires on a topic policy for EventBridge without aws:SourceArn, quiet with it', () => {
      const open = testStack();
      new sns.Topic(open, 'Topic').addToResourcePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'], principals: [new iam.ServicePrincipal('events.amazonaws.com')] }));
      const scoped = testStack();
      new sns.Topic(scoped, 'Topic').addToResourcePolicy(new iam.PolicyStatement({
        actions: ['sns:Publish'], resources: ['*'], principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        conditions: { ArnEquals: { 'aws:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/r' } },
      }));
      expect({ open: findings(open, 'ServicePrincipal'), scoped: findings(scoped, 'ServicePrincipal') }).toEqual({
        open: ['DeployReadiness-ServicePrincipalUnscoped[events.amazonaws.com] at Test/Topic/Policy/Resource'], scoped: [],
      });
    });

    test('stays quiet for a key statement conditioned on the encryption context', () => {
      const stack = testStack();
      new kms.Key(stack, 'Key').addToResourcePolicy(new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*'], resources: ['*'], principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111122223333:t' } },
      }));
      expect(findings(stack, 'ServicePrincipal')).toEqual([]);
    });
  });
});
