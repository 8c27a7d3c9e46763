import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ChurnModelDefaults, ModelApprovalStatus, Profile, TrainingPipeline } from '../../lib';
import { PROFILES } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { definitionOf, pipeline, statesOf, unsynthesized } from './helpers';

const SOURCE = path.join(__dirname, '..', '..', 'lib', 'training', 'training-pipeline.ts');

type Params = Record<string, Record<string, unknown>>;
const trainParams = (t: ReturnType<typeof pipeline>['t']) => statesOf(definitionOf(t)).Train.Parameters as Params;

describe('profile defaults', () => {
  test('lab: one spot ml.m5.large for at most an hour, approved at once, logs ALL for a week', () => {
    expect(TrainingPipeline.defaults(Profile.LAB)).toEqual({
      instanceType: 'ml.m5.large', instanceCount: 1, spot: true, maxRuntimeSeconds: 3600,
      approvalStatus: 'Approved', logLevel: sfn.LogLevel.ALL, logRetention: RetentionDays.ONE_WEEK,
    });
  });

  test('production: one on-demand ml.m5.xlarge for at most 4 hours, pending manual approval, logs ERROR for a year', () => {
    expect(TrainingPipeline.defaults(Profile.PRODUCTION)).toEqual({
      instanceType: 'ml.m5.xlarge', instanceCount: 1, spot: false, maxRuntimeSeconds: 14400,
      approvalStatus: 'PendingManualApproval', logLevel: sfn.LogLevel.ERROR, logRetention: RetentionDays.ONE_YEAR,
    });
  });

  test('the documented defaults say the same', () => {
    const docs = documentedDefaults(SOURCE, 'TrainingPipelineProps');
    expect(docs.instanceType).toBe("- lab: 'ml.m5.large'; production: 'ml.m5.xlarge'");
    expect(docs.spot).toBe('- lab: true; production: false');
    expect(docs.maxRuntime).toBe('- lab: 1 hour; production: 4 hours');
    expect(docs.approvalStatus).toBe('- lab: ModelApprovalStatus.APPROVED; production: ModelApprovalStatus.PENDING_MANUAL_APPROVAL');
    expect(docs.logLevel).toBe('- lab: sfn.LogLevel.ALL; production: sfn.LogLevel.ERROR');
    expect(docs.threshold).toBe('0.75');
    expect(docs.objectiveMetric).toBe("'validation:auc'");
    expect(undocumentedOptionalProps(SOURCE, 'TrainingPipelineProps')).toEqual([]);
  });
});

describe.each(PROFILES)('the training job (%s profile)', (profile) => {
  const { f, p, t } = pipeline({}, profile);
  const params = trainParams(t);
  const lab = profile === 'lab';
  const keyArn = `arn:aws:test:us-east-1:111122223333:${f.stack.getLogicalId(f.key.node.defaultChild as never).toLowerCase()}`;

  test('hyperparameters are the shared defaults, read from lib/core', () => {
    expect(params.HyperParameters).toEqual(ChurnModelDefaults.hyperparameters());
  });

  test('built-in XGBoost 1.7-1, network isolation on', () => {
    expect(params.AlgorithmSpecification).toEqual({ TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', TrainingInputMode: 'File' });
    expect(params.EnableNetworkIsolation).toBe(true);
  });

  test('instance type and count, volumes and output under the key', () => {
    expect(params.ResourceConfig).toEqual({ InstanceType: lab ? 'ml.m5.large' : 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 10, VolumeKmsKeyId: keyArn });
    expect(params.OutputDataConfig.KmsKeyId).toBe(keyArn);
    expect(params.EnableInterContainerTrafficEncryption).toBe(false);
  });

  test(lab ? 'managed spot, MaxWait twice MaxRuntime, checkpoints per job' : 'on demand, no MaxWait', () => {
    expect(params.EnableManagedSpotTraining).toBe(lab);
    expect(params.StoppingCondition).toEqual(lab ? { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 } : { MaxRuntimeInSeconds: 14400 });
    expect(params.CheckpointConfig).toEqual({ 'S3Uri.$': "States.Format('s3://ref-bucket83908e77/training-checkpoints/{}/', $.run.jobName)" });
  });

  test('channels train and validation, text/csv, from the export prefixes', () => {
    expect(params.InputDataConfig).toEqual([
      expect.objectContaining({ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ref-bucket83908e77/training-export/train/', S3DataDistributionType: 'FullyReplicated' } } }),
      expect.objectContaining({ ChannelName: 'validation', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ref-bucket83908e77/training-export/validation/', S3DataDistributionType: 'FullyReplicated' } } }),
    ]);
  });

  test('isolated subnets and its own security group, exposed as connections', () => {
    expect((params.VpcConfig.Subnets as string[]).every((s) => s.includes('isolated'))).toBe(true);
    expect(params.VpcConfig.SecurityGroupIds).toEqual([`${f.stack.getLogicalId(p.securityGroup.node.defaultChild as never).toLowerCase()}-groupid`]);
    expect(p.connections.securityGroups).toEqual([p.securityGroup]);
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Training and processing jobs of Test/Pipeline',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }],
    });
  });

  test('registers with the profile\'s approval status, in a group it creates and keeps like data', () => {
    const register = statesOf(definitionOf(t))['Register the model version'].Parameters as Params;
    expect(register.ModelApprovalStatus).toBe(lab ? 'Approved' : 'PendingManualApproval');
    expect(register.ModelPackageGroupName).toBe(p.modelPackageGroupName);
    t.hasResource('AWS::SageMaker::ModelPackageGroup', {
      Properties: { ModelPackageGroupName: p.modelPackageGroupName },
      DeletionPolicy: lab ? 'Delete' : 'RetainExceptOnCreate', // fixed name: not kept after a failed first create
    });
  });

  test('logs to an encrypted log group at the profile\'s level, with X-Ray', () => {
    t.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/'),
      KmsKeyId: { 'Fn::GetAtt': [f.stack.getLogicalId(f.key.node.defaultChild as never), 'Arn'] },
      RetentionInDays: lab ? 7 : 365,
    });
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: lab ? 'ALL' : 'ERROR', IncludeExecutionData: lab }),
      TracingConfiguration: { Enabled: true },
    });
  });

  test('failed executions reach an encrypted topic through a rule and an alarm', () => {
    t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [f.stack.getLogicalId(f.key.node.defaultChild as never), 'Arn'] } });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], 'detail': Match.objectLike({ status: ['FAILED', 'TIMED_OUT', 'ABORTED'] }) },
      Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('PipelineTopic') }, RoleArn: Match.anyValue() })],
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ExecutionsFailed', Namespace: 'AWS/States', Threshold: 1, AlarmActions: [{ Ref: Match.stringLikeRegexp('PipelineTopic') }],
    });
  });
});

describe('options', () => {
  test('several instances shard the train channel by S3 key and encrypt traffic between them', () => {
    const params = trainParams(pipeline({ instanceCount: 3 }).t);
    const [train, validation] = params.InputDataConfig as unknown as Array<{ DataSource: { S3DataSource: { S3DataDistributionType: string } } }>;
    expect(train.DataSource.S3DataSource.S3DataDistributionType).toBe('ShardedByS3Key');
    expect(validation.DataSource.S3DataSource.S3DataDistributionType).toBe('FullyReplicated');
    expect(params.EnableInterContainerTrafficEncryption).toBe(true);
  });

  test('a type with local NVMe storage gets no volume key (hardware-encrypted; SageMaker rejects one)', () => {
    expect((trainParams(pipeline({ instanceType: 'ml.g4dn.xlarge' }).t).ResourceConfig as Record<string, unknown>).VolumeKmsKeyId).toBeUndefined();
    expect((trainParams(pipeline({ instanceType: 'ml.g5.xlarge' }).t).ResourceConfig as Record<string, unknown>).VolumeKmsKeyId).toBeUndefined();
    expect((trainParams(pipeline({ instanceType: 'ml.c5.xlarge' }).t).ResourceConfig as Record<string, unknown>).VolumeKmsKeyId).toBeDefined();
  });

  test('hyperparameters given are merged over the shared defaults', () => {
    const params = trainParams(pipeline({ hyperparameters: { max_depth: '6', gamma: '1' } }).t);
    expect(params.HyperParameters).toEqual({ ...ChurnModelDefaults.hyperparameters(), max_depth: '6', gamma: '1' });
  });

  test('an existing model package group: none created, versions registered there', () => {
    const { t } = pipeline({ createModelPackageGroup: false, modelPackageGroupName: 'churn-models' });
    t.resourceCountIs('AWS::SageMaker::ModelPackageGroup', 0);
    expect((statesOf(definitionOf(t))['Register the model version'].Parameters as Params).ModelPackageGroupName).toBe('churn-models');
  });

  test('approval status overrides the profile', () => {
    const { t } = pipeline({ approvalStatus: ModelApprovalStatus.PENDING_MANUAL_APPROVAL }, 'lab');
    expect((statesOf(definitionOf(t))['Register the model version'].Parameters as Params).ModelApprovalStatus).toBe('PendingManualApproval');
  });

  test('the baseline links the model package to its statistics and constraints under the execution\'s prefix', () => {
    const register = statesOf(definitionOf(pipeline().t))['Register the model version'].Parameters as Params;
    const reports = {
      Statistics: { 'ContentType': 'application/json', 'S3Uri.$': "States.Format('s3://ref-bucket83908e77/model-baselines/{}/statistics.json', $.run.jobName)" },
      Constraints: { 'ContentType': 'application/json', 'S3Uri.$': "States.Format('s3://ref-bucket83908e77/model-baselines/{}/constraints.json', $.run.jobName)" },
    };
    expect(register.DriftCheckBaselines).toEqual({ ModelDataQuality: reports });
    expect(register.ModelMetrics).toEqual({ ModelDataQuality: reports });
  });

  test('without a baseline: no processing job, no baseline role, nothing linked', () => {
    const { p, t } = pipeline({ baseline: false });
    const states = statesOf(definitionOf(t));
    expect(states['Compute the baseline']).toBeUndefined();
    expect(p.baselineRole).toBeUndefined();
    expect((states['Register the model version'].Parameters as Params).DriftCheckBaselines).toBeUndefined();
  });

  test('the baseline job uses the Model Monitor analyzer on the export with a header', () => {
    const job = statesOf(definitionOf(pipeline().t))['Compute the baseline'].Parameters as Params;
    expect(job.AppSpecification).toEqual({ ImageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer' });
    expect(JSON.parse(job.Environment.dataset_format as string)).toEqual({ csv: { header: true, output_columns_position: 'START' } });
    expect(JSON.stringify(job.ProcessingInputs)).toContain('s3://ref-bucket83908e77/training-export/baseline/');
    expect((job.NetworkConfig as Record<string, unknown>).EnableNetworkIsolation).toBe(true);
  });
});

describe('triggers', () => {
  test('a schedule starts the state machine through EventBridge Scheduler', () => {
    const { f, p, t } = pipeline({ schedule: 'cron(0 4 ? * SUN *)' });
    t.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 4 ? * SUN *)',
      ScheduleExpressionTimezone: 'UTC',
      Target: Match.objectLike({ Arn: f.stack.resolve(p.stateMachine.stateMachineArn) }),
    });
  });

  test('new objects under the train prefix start it (EventBridge on the bucket)', () => {
    const { t } = pipeline({ retrainOnNewData: true });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.s3'], 'detail-type': ['Object Created'], 'detail': { bucket: { name: [Match.anyValue()] }, object: { key: [{ prefix: 'training-export/train/' }] } } },
    });
    t.hasResourceProperties('AWS::S3::Bucket', { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } });
  });

  test('a key suffix: only the marker object under the train prefix starts it', () => {
    const { t } = pipeline({ retrainOnNewData: true, newDataKeySuffix: '_SUCCESS' });
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { bucket: Match.anyValue(), object: { key: [{ wildcard: 'training-export/train/*_SUCCESS' }] } } }),
    });
  });

  test('no triggers unless asked', () => {
    const { t } = pipeline();
    t.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(JSON.stringify(t.findResources('AWS::Events::Rule'))).not.toContain('aws.s3');
  });

  test('addAlarmTrigger: the alarm going into ALARM starts it', () => {
    const { f, p } = unsynthesized();
    const alarm = new cloudwatch.Alarm(f.stack, 'Drift', {
      metric: new cloudwatch.Metric({ namespace: 'aws/sagemaker/Endpoints/data-metrics', metricName: 'feature_baseline_drift_tenure_months' }),
      threshold: 0.1, evaluationPeriods: 1,
    });
    const rule = p.addAlarmTrigger(alarm);
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], 'resources': [f.stack.resolve(alarm.alarmArn)], 'detail': { state: { value: ['ALARM'] } } },
      Targets: [Match.objectLike({ Arn: f.stack.resolve(p.stateMachine.stateMachineArn) })],
    });
    expect(rule).toBeDefined();
  });
});

describe('operations', () => {
  const { f, p } = unsynthesized();
  const smArn = f.stack.resolve(p.stateMachine.stateMachineArn);

  test.each([
    ['metricStarted', 'ExecutionsStarted'],
    ['metricFailed', 'ExecutionsFailed'],
    ['metricSucceeded', 'ExecutionsSucceeded'],
    ['metricDuration', 'ExecutionTime'],
  ] as const)('%s is AWS/States %s of this state machine', (method, name) => {
    const metric = p[method]();
    expect(metric.metricName).toBe(name);
    expect(metric.namespace).toBe('AWS/States');
    expect(f.stack.resolve(metric.dimensions)).toEqual({ StateMachineArn: smArn });
  });

  test('connections let the jobs reach a peer', () => {
    const { f, p } = unsynthesized();
    const peer = new ec2.SecurityGroup(f.stack, 'Peer', { vpc: f.vpc, allowAllOutbound: false });
    p.connections.allowTo(peer, ec2.Port.tcp(5432));
    Template.fromStack(f.stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: f.stack.resolve(p.securityGroup.securityGroupId), FromPort: 5432, ToPort: 5432,
      DestinationSecurityGroupId: f.stack.resolve(peer.securityGroupId),
    });
  });

  test('grantStartExecution lets a principal start this state machine only', () => {
    const { f, p } = unsynthesized();
    const smArn = f.stack.resolve(p.stateMachine.stateMachineArn);
    const role = new iam.Role(f.stack, 'Operator', { assumedBy: new iam.AccountRootPrincipal() });
    p.grantStartExecution(role);
    Template.fromStack(f.stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: smArn }] },
    });
  });

  test('grantRead lets a principal follow executions of this state machine', () => {
    const { f, p } = unsynthesized();
    const role = new iam.Role(f.stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    p.grantRead(role);
    const policy = Object.values(Template.fromStack(f.stack).findResources('AWS::IAM::Policy'))[0] as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[] }> } } };
    const actions = policy.Properties.PolicyDocument.Statement.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
    expect(actions).toEqual(expect.arrayContaining(['states:ListExecutions', 'states:DescribeExecution', 'states:GetExecutionHistory']));
    expect(actions).not.toContain('states:StartExecution');
  });
});
