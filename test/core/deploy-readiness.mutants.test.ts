/**
 * The deploy-readiness rules at their edges: each intrinsic shape the template model follows, each
 * IAM statement shape, each state-machine and pipeline layout, and the boundary values the rules
 * accept and reject. Resources are raw `CfnResource`s, so each test states the exact template the
 * pack reads (a raw resource at the stack root keeps its id as its logical id).
 */
import { CfnResource, IPolicyValidationContext, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DeployReadinessChecks } from '../../lib/core/deploy-readiness-checks';
import { flatten } from '../../lib/core/deploy-readiness/private/template';
import { testStack } from '../support/stack';

/**
 * `<rule id> at <construct path>` for every finding; a rule that failed with an error instead of
 * judging the resource is marked ` (threw)`, so an error never passes for a finding.
 */
function findings(stack: Stack, rule?: string): string[] {
  const report = new DeployReadinessChecks().validateScope(stack);
  return report.violations
    .filter((v) => rule === undefined || v.ruleName.startsWith(`DeployReadiness-${rule}`))
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName}${v.description.startsWith('Rule threw') ? ' (threw)' : ''} at ${r.constructPath}`))
    .sort();
}

function raw(stack: Stack, id: string, type: string, properties: Record<string, unknown> = {}): CfnResource {
  return new CfnResource(stack, id, { type, properties });
}

const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const allow = (Action: unknown, Resource: unknown = '*') => ({ Effect: 'Allow', Action, Resource });
const document = (statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });

/** A role of the template with the given inline statements (none: no Policies property). */
function role(stack: Stack, id: string, statements: unknown[] = [], extra: Record<string, unknown> = {}): CfnResource {
  return raw(stack, id, 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: document([{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }]),
    ...(statements.length ? { Policies: [{ PolicyName: 'inline', PolicyDocument: document(statements) }] } : {}),
    ...extra,
  });
}

/** An endpoint with auto-rollback alarms whose model runs under `roleArn`; `config` adds endpoint-config properties. */
function guardedEndpoint(stack: Stack, roleArn: unknown, config: Record<string, unknown> = {}): void {
  raw(stack, 'Model', 'AWS::SageMaker::Model', { ExecutionRoleArn: roleArn, PrimaryContainer: { Image: 'i' } });
  raw(stack, 'Config', 'AWS::SageMaker::EndpointConfig', {
    ProductionVariants: [{ VariantName: 'A', ModelName: { 'Fn::GetAtt': ['Model', 'ModelName'] }, InitialInstanceCount: 1, InstanceType: 'ml.c5.large' }],
    ...config,
  });
  raw(stack, 'Endpoint', 'AWS::SageMaker::Endpoint', {
    EndpointConfigName: { 'Fn::GetAtt': ['Config', 'EndpointConfigName'] },
    DeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'errors' }] } },
  });
}
const ROLLBACK = 'DeployReadiness-RollbackAlarmsPermission at Test/Endpoint';

const VPC_ACTIONS = [
  'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEndpoints',
];
const VPC_CONFIG = { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] };

/** A state machine of the template (L1) with `definition` as DefinitionString (string or Fn::Join) or Definition (object). */
function machine(stack: Stack, definition: unknown, statements: unknown[] = []): CfnResource {
  role(stack, 'MachineRole', statements);
  const isObject = typeof definition === 'object' && definition !== null && !('Fn::Join' in definition);
  return raw(stack, 'Machine', 'AWS::StepFunctions::StateMachine', {
    RoleArn: arnOf('MachineRole'),
    ...(isObject ? { Definition: definition } : { DefinitionString: definition }),
  });
}

/** A definition whose one state is `state`, named `name`. */
const single = (state: Record<string, unknown>, name = 'Train') => JSON.stringify({ StartAt: name, States: { [name]: { ...state, End: true } } });

const task = (api: string, parameters: Record<string, unknown> = {}) => ({
  Type: 'Task', Resource: `arn:aws:states:::sagemaker:${api}`, Parameters: { TrainingJobName: 'job', ...parameters },
});

const RULE_ARN = 'arn:aws:events:us-east-1:111122223333:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule';
const eventsGrant = (resource: unknown = RULE_ARN) => allow(['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], resource);
const SPOT = { EnableManagedSpotTraining: true };
const CHECKPOINT = { CheckpointConfig: { S3Uri: 's3://b/checkpoints/' } };

/** An endpoint named `name` whose config captures `modes` (none: no DataCaptureConfig). */
function endpoint(stack: Stack, id: string, name: string, modes?: string[]): void {
  raw(stack, `${id}Config`, 'AWS::SageMaker::EndpointConfig', {
    ProductionVariants: [{ VariantName: 'A', ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.c5.large' }],
    ...(modes ? { DataCaptureConfig: { EnableCapture: true, InitialSamplingPercentage: 100, DestinationS3Uri: 's3://b/c', CaptureOptions: modes.map((CaptureMode) => ({ CaptureMode })) } } : {}),
  });
  raw(stack, id, 'AWS::SageMaker::Endpoint', { EndpointName: name, EndpointConfigName: { 'Fn::GetAtt': [`${id}Config`, 'EndpointConfigName'] } });
}

/** A monitoring job definition of `type` (its input property `input`) watching `endpointName`. */
function jobDefinition(stack: Stack, id: string, endpointName: unknown, name?: string, type = 'AWS::SageMaker::DataQualityJobDefinition', input = 'DataQualityJobInput'): void {
  raw(stack, id, type, { ...(name ? { JobDefinitionName: name } : {}), [input]: { EndpointInput: { EndpointName: endpointName, LocalPath: '/in' } }, RoleArn: 'arn:aws:iam::111122223333:role/m' });
}

function schedule(stack: Stack, config: Record<string, unknown>, endpointName?: unknown): void {
  raw(stack, 'Schedule', 'AWS::SageMaker::MonitoringSchedule', {
    MonitoringScheduleName: 's',
    ...(endpointName === undefined ? {} : { EndpointName: endpointName }),
    MonitoringScheduleConfig: { MonitoringType: 'DataQuality', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' }, ...config },
  });
}
const MONITOR = 'DeployReadiness-MonitorInputCapture at Test/Schedule';

describe('DeployReadinessChecks at the edges', () => {
  describe('every rule: its id, its info and the AWS page its explanation cites', () => {
    const cases: Array<[string, string, (stack: Stack) => void]> = [
      ['DeployReadiness-ArtifactFromSameTemplate', 'sagemaker/latest/APIReference/API_CreateModel.html', (s) => {
        raw(s, 'Bucket', 'AWS::S3::Bucket');
        raw(s, 'Model', 'AWS::SageMaker::Model', { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/r', PrimaryContainer: { Image: 'i', ModelDataUrl: { 'Fn::Sub': 's3://${Bucket}/model.tar.gz' } } });
      }],
      ['DeployReadiness-RetainedFixedName', 'AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html', (s) => {
        raw(s, 'Logs', 'AWS::Logs::LogGroup', { LogGroupName: '/fixed' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      }],
      ['DeployReadiness-RollbackAlarmsPermission', 'sagemaker/latest/dg/deployment-guardrails-configuration.html', (s) => {
        role(s, 'Role');
        guardedEndpoint(s, arnOf('Role'));
      }],
      ['DeployReadiness-VpcHostingPermissions[ec2:DescribeVpcEndpoints]', 'sagemaker/latest/dg/host-vpc.html', (s) => {
        role(s, 'Role', [allow(VPC_ACTIONS.slice(0, 9))]);
        raw(s, 'Model', 'AWS::SageMaker::Model', { ExecutionRoleArn: arnOf('Role'), PrimaryContainer: { Image: 'i' }, VpcConfig: VPC_CONFIG });
      }],
      ['DeployReadiness-SpotTrainingCheckpoints[Train:checkpoint]', 'sagemaker/latest/dg/model-managed-spot-training.html', (s) => {
        machine(s, single(task('createTrainingJob', { ...SPOT, StoppingCondition: { MaxRuntimeInSeconds: 60, MaxWaitTimeInSeconds: 60 } })));
      }],
      ['DeployReadiness-SyncIntegrationEventsPermissions[events:PutRule:StepFunctionsGetEventsForSageMakerTrainingJobsRule]', 'step-functions/latest/dg/sagemaker-iam.html', (s) => {
        machine(s, single(task('createTrainingJob.sync')));
      }],
      ['DeployReadiness-MonitorInputCapture', 'sagemaker/latest/dg/model-monitor-data-capture-endpoint.html', (s) => {
        endpoint(s, 'Endpoint', 'churn', ['Output']);
        schedule(s, {}, 'churn');
      }],
      ['DeployReadiness-MonitorFixedJobDefinitionName', 'AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-dataqualityjobdefinition.html', (s) => {
        jobDefinition(s, 'Quality', 'e', 'churn-quality');
      }],
      ['DeployReadiness-FirehoseDynamicPartitioningBuffer', 'firehose/latest/dev/dynamic-partitioning.html', (s) => {
        raw(s, 'Stream', 'AWS::KinesisFirehose::DeliveryStream', {
          ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::b', RoleARN: 'arn:aws:iam::111122223333:role/f', BufferingHints: { SizeInMBs: 32 }, DynamicPartitioningConfiguration: { Enabled: true } },
        });
      }],
      ['DeployReadiness-AthenaTableOnArchivedObjects', 'athena/latest/ug/querying-glacier.html', (s) => {
        raw(s, 'Raw', 'AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Transitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 90 }] }] } });
        raw(s, 'Table', 'AWS::Glue::Table', { CatalogId: '111122223333', DatabaseName: 'db', TableInput: { StorageDescriptor: { Location: { 'Fn::Sub': 's3://${Raw}/events/' } } } });
      }],
      ['DeployReadiness-AthenaDefaultDatabase', 'athena/latest/ug/fine-grained-access-to-glue-resources.html', (s) => {
        role(s, 'Analyst', [allow('athena:StartQueryExecution'), allow('glue:GetDatabase', 'arn:aws:glue:us-east-1:111122223333:database/lake')]);
      }],
      ['DeployReadiness-ServicePrincipalUnscoped[events.amazonaws.com]', 'IAM/latest/UserGuide/confused-deputy.html', (s) => {
        raw(s, 'Key', 'AWS::KMS::Key', { KeyPolicy: document([{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' }]) });
      }],
    ];

    test.each(cases)('%s: a non-empty info, and an explanation citing https://docs.aws.amazon.com/%s', (id, page, build) => {
      const stack = testStack();
      build(stack);
      const terse = new DeployReadinessChecks().validateScope(stack).violations.find((v) => v.ruleName === id);
      const verbose = new DeployReadinessChecks(undefined, { verbose: true }).validateScope(stack).violations.find((v) => v.ruleName === id);
      const info = terse?.description ?? '';
      expect(info).toMatch(/^[A-Z].{30,}\.$/);
      expect(verbose?.description.startsWith(`${info} `)).toBe(true);
      const explanation = verbose?.description.slice(info.length + 1) ?? '';
      expect(explanation).toMatch(/^[A-Z].{30,}/);
      expect(explanation).toContain(`https://docs.aws.amazon.com/${page}`);
    });

    test('a resource that cannot render outside synth is skipped, and the others are still judged', () => {
      const stack = testStack();
      raw(stack, 'Unrenderable', 'AWS::SNS::Topic', { DisplayName: Lazy.string({ produce: () => { throw new Error('known only at synth'); } }) });
      raw(stack, 'Logs', 'AWS::Logs::LogGroup', { LogGroupName: '/fixed' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      expect(findings(stack)).toEqual(['DeployReadiness-RetainedFixedName at Test/Logs']);
    });

    test('validate() (the validation-plugin entry point) reports what validateScope() reports', () => {
      const stack = testStack();
      raw(stack, 'Logs', 'AWS::Logs::LogGroup', { LogGroupName: '/fixed' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      const context = { templatePaths: [], appConstruct: stack } as unknown as IPolicyValidationContext;
      const report = new DeployReadinessChecks().validate(context);
      expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join()}`)).toEqual(['DeployReadiness-RetainedFixedName at Test/Logs']);
    });
  });

  describe('RetainedFixedName: each resource type with a name property', () => {
    const types: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['AWS::Logs::LogGroup', { LogGroupName: '/fixed' }, { RetentionInDays: 30 }],
      ['AWS::Athena::WorkGroup', { Name: 'wg' }, { Description: 'd' }],
      ['AWS::S3::Bucket', { BucketName: 'fixed-bucket' }, { VersioningConfiguration: { Status: 'Enabled' } }],
      ['AWS::DynamoDB::Table', { TableName: 't' }, { BillingMode: 'PAY_PER_REQUEST' }],
      ['AWS::Kinesis::Stream', { Name: 's' }, { ShardCount: 1 }],
      ['AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamName: 'd' }, { DeliveryStreamType: 'DirectPut' }],
      ['AWS::SNS::Topic', { TopicName: 't' }, { DisplayName: 'd' }],
      ['AWS::SQS::Queue', { QueueName: 'q' }, { VisibilityTimeout: 30 }],
      ['AWS::KMS::Alias', { AliasName: 'alias/a', TargetKeyId: 'k' }, { TargetKeyId: 'k' }],
      ['AWS::ECR::Repository', { RepositoryName: 'r' }, { ImageTagMutability: 'IMMUTABLE' }],
      ['AWS::Glue::Database', { CatalogId: '111122223333', DatabaseInput: { Name: 'db' } }, { CatalogId: '111122223333', DatabaseInput: { Description: 'd' } }],
      ['AWS::Glue::SecurityConfiguration', { Name: 'sc', EncryptionConfiguration: {} }, { EncryptionConfiguration: {} }],
      ['AWS::SageMaker::ModelPackageGroup', { ModelPackageGroupName: 'g' }, { ModelPackageGroupDescription: 'd' }],
      ['AWS::IAM::Role', { RoleName: 'r', AssumeRolePolicyDocument: {} }, { AssumeRolePolicyDocument: {} }],
      ['AWS::IAM::ManagedPolicy', { ManagedPolicyName: 'p', PolicyDocument: document([]) }, { PolicyDocument: document([]) }],
    ];

    test.each(types)('%s retained: fires with its name set, stays quiet when the name is generated', (type, named, unnamed) => {
      const stack = testStack();
      raw(stack, 'Named', type, named).applyRemovalPolicy(RemovalPolicy.RETAIN);
      raw(stack, 'Generated', type, unnamed).applyRemovalPolicy(RemovalPolicy.RETAIN);
      expect(findings(stack, 'Retained')).toEqual(['DeployReadiness-RetainedFixedName at Test/Named']);
    });

    test('a named resource type not on the list (an SSM parameter) is not judged', () => {
      const stack = testStack();
      raw(stack, 'Param', 'AWS::SSM::Parameter', { Name: '/fixed', Type: 'String', Value: 'v' }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      expect(findings(stack, 'Retained')).toEqual([]);
    });
  });

  describe('the IAM model: which statements count as a grant (through RollbackAlarmsPermission)', () => {
    const byGrant = (statements: unknown[]) => {
      const stack = testStack();
      role(stack, 'Role', statements);
      guardedEndpoint(stack, arnOf('Role'));
      return findings(stack, 'Rollback');
    };

    test('inline Policies grant: Action as a string or a list, matched case-insensitively (IAM actions are)', () => {
      expect([
        byGrant([allow('cloudwatch:DescribeAlarms')]),
        byGrant([allow(['logs:PutLogEvents', 'cloudwatch:DescribeAlarms'])]),
        byGrant([allow('CloudWatch:describeALARMS')]),
      ]).toEqual([[], [], []]);
    });

    test('`?` matches exactly one character and `*` any run', () => {
      expect({
        question: byGrant([allow('cloudwatch:DescribeAlarm?')]),
        questionTooMany: byGrant([allow('cloudwatch:DescribeAlarms?')]),
        star: byGrant([allow('cloudwatch:*Alarms')]),
        otherService: byGrant([allow('logs:DescribeAlarms')]),
      }).toEqual({ question: [], questionTooMany: [ROLLBACK], star: [], otherService: [ROLLBACK] });
    });

    test('a Deny statement, and an action given by an intrinsic (Fn::If), grant nothing', () => {
      expect([
        byGrant([{ Effect: 'Deny', Action: 'cloudwatch:DescribeAlarms', Resource: '*' }]),
        byGrant([allow([{ 'Fn::If': ['Prod', 'cloudwatch:DescribeAlarms', { Ref: 'AWS::NoValue' }] }])]),
      ]).toEqual([[ROLLBACK], [ROLLBACK]]);
    });

    test('NotAction grants every action it does not name; a list holding an intrinsic is not read', () => {
      const notAction = (NotAction: unknown) => byGrant([{ Effect: 'Allow', NotAction, Resource: '*' }]);
      expect({
        otherService: notAction(['iam:*', 'organizations:*']),
        namesIt: notAction('cloudwatch:Describe*'),
        intrinsic: notAction(['iam:*', { 'Fn::If': ['Prod', 'kms:*', { Ref: 'AWS::NoValue' }] }]),
      }).toEqual({ otherService: [], namesIt: [ROLLBACK], intrinsic: [ROLLBACK] });
    });

    test('NotResource grants the action unless it excludes every resource', () => {
      const notResource = (NotResource: unknown) => byGrant([{ Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms', NotResource }]);
      expect([notResource('arn:aws:cloudwatch:us-east-1:111122223333:alarm:secret'), notResource('*')]).toEqual([[], [ROLLBACK]]);
    });

    test('an unconditional Deny of every resource overrides an Allow; a Deny with a Condition, or of one resource, does not', () => {
      const granted = allow('cloudwatch:*');
      const deny = (extra: Record<string, unknown>) => ({ Effect: 'Deny', Action: 'cloudwatch:DescribeAlarms', ...extra });
      expect({
        denyAll: byGrant([granted, deny({ Resource: '*' })]),
        denyByNotAction: byGrant([granted, { Effect: 'Deny', NotAction: 's3:*', Resource: '*' }]),
        conditional: byGrant([granted, deny({ Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })]),
        oneAlarm: byGrant([granted, deny({ Resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:secret' })]),
        notResource: byGrant([granted, deny({ NotResource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:secret' })]),
        noResource: byGrant([{ Effect: 'Allow', Action: 'cloudwatch:DescribeAlarms' }]),
        // A Deny on its own grants nothing, whatever it covers.
        loneConditional: byGrant([deny({ Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })]),
        loneOneAlarm: byGrant([deny({ Resource: 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:secret' })]),
      }).toEqual({
        denyAll: [ROLLBACK], denyByNotAction: [ROLLBACK], conditional: [], oneAlarm: [], notResource: [], noResource: [ROLLBACK],
        loneConditional: [ROLLBACK], loneOneAlarm: [ROLLBACK],
      });
    });

    test('an AWS::IAM::Policy counts for each role it lists, and only for those', () => {
      const shared = testStack();
      role(shared, 'Other');
      role(shared, 'Role');
      raw(shared, 'Policy', 'AWS::IAM::Policy', { PolicyName: 'p', Roles: [ref('Other'), ref('Role')], PolicyDocument: document([allow('cloudwatch:DescribeAlarms')]) });
      guardedEndpoint(shared, arnOf('Role'));
      const otherRole = testStack();
      role(otherRole, 'Other');
      role(otherRole, 'Role');
      raw(otherRole, 'Policy', 'AWS::IAM::Policy', { PolicyName: 'p', Roles: [ref('Other')], PolicyDocument: document([allow('cloudwatch:DescribeAlarms')]) });
      guardedEndpoint(otherRole, arnOf('Role'));
      expect({ shared: findings(shared, 'Rollback'), otherRole: findings(otherRole, 'Rollback') }).toEqual({ shared: [], otherRole: [ROLLBACK] });
    });

    test('a managed policy of the template counts when it lists the role or the role lists it (ManagedPolicyArns), not when attached elsewhere', () => {
      const grant = document([allow('cloudwatch:DescribeAlarms')]);
      const listedByRole = testStack();
      raw(listedByRole, 'Managed', 'AWS::IAM::ManagedPolicy', { PolicyDocument: grant });
      role(listedByRole, 'Role', [], { ManagedPolicyArns: [ref('Managed'), 'arn:aws:iam::aws:policy/ReadOnlyAccess'] });
      guardedEndpoint(listedByRole, arnOf('Role'));
      const listsRole = testStack();
      role(listsRole, 'Role');
      raw(listsRole, 'Managed', 'AWS::IAM::ManagedPolicy', { Roles: [ref('Role')], PolicyDocument: grant });
      guardedEndpoint(listsRole, arnOf('Role'));
      const elsewhere = testStack();
      role(elsewhere, 'Other');
      role(elsewhere, 'Role');
      raw(elsewhere, 'Managed', 'AWS::IAM::ManagedPolicy', { Roles: [ref('Other')], PolicyDocument: grant });
      guardedEndpoint(elsewhere, arnOf('Role'));
      expect([findings(listedByRole, 'Rollback'), findings(listsRole, 'Rollback'), findings(elsewhere, 'Rollback')]).toEqual([[], [], [ROLLBACK]]);
    });

    test('the role is followed through Ref, Fn::GetAtt as a list and Fn::GetAtt as a "Role.Arn" string', () => {
      const found = [ref('Role'), arnOf('Role'), { 'Fn::GetAtt': 'Role.Arn' }].map((roleArn) => {
        const stack = testStack();
        role(stack, 'Role');
        guardedEndpoint(stack, roleArn);
        return findings(stack, 'Rollback');
      });
      expect(found).toEqual([[ROLLBACK], [ROLLBACK], [ROLLBACK]]);
    });

    test('a role ARN read from another resource (an SSM parameter of the template) is not followed as a role', () => {
      const stack = testStack();
      raw(stack, 'RoleParam', 'AWS::SSM::Parameter', { Type: 'String', Value: 'arn:aws:iam::111122223333:role/r' });
      guardedEndpoint(stack, { 'Fn::GetAtt': ['RoleParam', 'Value'] });
      expect(findings(stack, 'Rollback')).toEqual([]);
    });

    test('the endpoint config\'s own ExecutionRoleArn must also read the alarms', () => {
      const stack = testStack();
      role(stack, 'Role', [allow('cloudwatch:DescribeAlarms')]);
      role(stack, 'ConfigRole');
      guardedEndpoint(stack, arnOf('Role'), { ExecutionRoleArn: arnOf('ConfigRole') });
      expect(findings(stack, 'Rollback')).toEqual([ROLLBACK]);
    });

    test('does not apply when the endpoint config is not in the template', () => {
      const stack = testStack();
      raw(stack, 'Endpoint', 'AWS::SageMaker::Endpoint', {
        EndpointConfigName: 'existing-config', DeploymentConfig: { AutoRollbackConfiguration: { Alarms: [{ AlarmName: 'errors' }] } },
      });
      expect(findings(stack)).toEqual([]);
    });
  });

  describe('VpcHostingPermissions', () => {
    test('does not judge a role outside the template, nor a VPC resource that is not a SageMaker model (a Synthetics canary)', () => {
      const stack = testStack();
      raw(stack, 'Model', 'AWS::SageMaker::Model', { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/existing', PrimaryContainer: { Image: 'i' }, VpcConfig: VPC_CONFIG });
      role(stack, 'CanaryRole');
      raw(stack, 'Canary', 'AWS::Synthetics::Canary', { Name: 'c', ExecutionRoleArn: arnOf('CanaryRole'), VpcConfig: { SecurityGroupIds: ['sg-1'], SubnetIds: ['subnet-1'] } });
      expect(findings(stack, 'Vpc')).toEqual([]);
    });

    test('names every missing action of a role with none of them', () => {
      const stack = testStack();
      role(stack, 'Role', [allow('s3:GetObject')]);
      raw(stack, 'Model', 'AWS::SageMaker::Model', { ExecutionRoleArn: arnOf('Role'), PrimaryContainer: { Image: 'i' }, VpcConfig: VPC_CONFIG });
      expect(findings(stack, 'Vpc')).toEqual(VPC_ACTIONS.map((a) => `DeployReadiness-VpcHostingPermissions[${a}] at Test/Model`).sort());
    });
  });

  describe('SpotTrainingCheckpoints', () => {
    const spot = (parameters: Record<string, unknown>, api = 'createTrainingJob.sync') => {
      const stack = testStack();
      machine(stack, single(task(api, { ...SPOT, ...parameters })), [eventsGrant()]);
      return findings(stack);
    };
    const at = (problem: string, location = 'Train') => `DeployReadiness-SpotTrainingCheckpoints[${location}:${problem}] at Test/Machine`;

    test('checkpoints: an S3Uri (literal or set at run time with S3Uri.$) counts; a CheckpointConfig with only a LocalPath does not', () => {
      const stopping = { StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600 } };
      expect({
        literal: spot({ ...CHECKPOINT, ...stopping }),
        runTime: spot({ CheckpointConfig: { 'S3Uri.$': '$.checkpoints' }, ...stopping }),
        localOnly: spot({ CheckpointConfig: { LocalPath: '/opt/ml/checkpoints' }, ...stopping }),
      }).toEqual({ literal: [], runTime: [], localOnly: [at('checkpoint')] });
    });

    test('MaxWait and MaxRuntime: either one set at run time (Key.$) cannot be judged; MaxWait 1 s below MaxRuntime fires', () => {
      expect({
        waitAtRunTime: spot({ ...CHECKPOINT, StoppingCondition: { MaxRuntimeInSeconds: 3600, 'MaxWaitTimeInSeconds.$': '$.wait' } }),
        runtimeAtRunTime: spot({ ...CHECKPOINT, StoppingCondition: { 'MaxRuntimeInSeconds.$': '$.runtime', MaxWaitTimeInSeconds: 60 } }),
        below: spot({ ...CHECKPOINT, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3599 } }),
        neither: spot({ ...CHECKPOINT, StoppingCondition: {} }),
      }).toEqual({ waitAtRunTime: [], runtimeAtRunTime: [], below: [at('maxWait')], neither: [at('maxWait')] });
    });

    test('a MaxWait known only at deploy time (a token outside a JSON string) is not judged', () => {
      const stack = testStack();
      machine(stack, { 'Fn::Join': ['', [
        '{"StartAt":"Train","States":{"Train":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob",',
        '"Parameters":{"EnableManagedSpotTraining":true,"CheckpointConfig":{"S3Uri":"s3://b/c/"},"StoppingCondition":{"MaxRuntimeInSeconds":3600,"MaxWaitTimeInSeconds":',
        ref('MaxWait'), '}},"End":true}}}',
      ]] });
      expect(findings(stack)).toEqual([]);
    });

    test('a checkpoint S3Uri that is wholly a deploy-time value (a token inside a JSON string) counts', () => {
      const stack = testStack();
      machine(stack, { 'Fn::Join': ['', [
        '{"StartAt":"Train","States":{"Train":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob",',
        '"Parameters":{"EnableManagedSpotTraining":true,"CheckpointConfig":{"S3Uri":"', ref('CheckpointUri'), '"},',
        '"StoppingCondition":{"MaxRuntimeInSeconds":3600,"MaxWaitTimeInSeconds":3600}},"End":true}}}',
      ]] });
      expect(findings(stack)).toEqual([]);
    });

    test('an odd number of escaped quotes inside a string does not end it: the next token still parses', () => {
      const stack = testStack();
      machine(stack, { 'Fn::Join': ['', [
        '{"StartAt":"Train","States":{"Train":{"Comment":"a 12\\" screen, a \\\\ path","Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob",',
        '"Parameters":{"EnableManagedSpotTraining":true,"StoppingCondition":{"MaxRuntimeInSeconds":', ref('Runtime'), ',"MaxWaitTimeInSeconds":7200}},"End":true}}}',
      ]] });
      expect(findings(stack)).toEqual([at('checkpoint')]);
    });

    test('request-response and callback integrations are read too (no .sync suffix, .waitForTaskToken)', () => {
      expect([spot({}, 'createTrainingJob'), spot({}, 'createTrainingJob.waitForTaskToken')]).toEqual([
        [at('checkpoint'), at('maxWait')], [at('checkpoint'), at('maxWait')],
      ]);
    });

    test('a request given whole at run time (a JSONata Arguments string) is not judged, and no error', () => {
      const stack = testStack();
      machine(stack, single({ Type: 'Task', QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', Arguments: '{% $states.input.request %}' }), [eventsGrant()]);
      expect(findings(stack)).toEqual([]);
    });

    test('tuning jobs: each of several TrainingJobDefinitions is judged', () => {
      expect(spot({
        TrainingJobDefinitions: [
          { DefinitionName: 'xgb', ...SPOT, ...CHECKPOINT, StoppingCondition: { MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 600 } },
          { DefinitionName: 'linear', ...SPOT, StoppingCondition: { MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 599 } },
        ],
      }, 'createHyperParameterTuningJob')).toEqual([at('checkpoint'), at('maxWait')]);
    });

    test('other Task states (a Lambda invoke) sit beside SageMaker tasks without effect; Map item processors and iterators are read', () => {
      const stack = testStack();
      const badSpot = { ...task('createTrainingJob', { ...SPOT, StoppingCondition: { MaxRuntimeInSeconds: 60, MaxWaitTimeInSeconds: 60 } }), End: true };
      machine(stack, JSON.stringify({
        StartAt: 'Invoke',
        States: {
          Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Next: 'Each' },
          Each: { Type: 'Map', ItemProcessor: { StartAt: 'InMap', States: { InMap: badSpot } }, Next: 'Legacy' },
          Legacy: { Type: 'Map', Iterator: { StartAt: 'InIterator', States: { InIterator: badSpot } }, Next: 'Both' },
          Both: { Type: 'Parallel', Branches: [{ StartAt: 'InBranch', States: { InBranch: badSpot } }], End: true },
        },
      }));
      expect(findings(stack)).toEqual([at('checkpoint', 'InBranch'), at('checkpoint', 'InIterator'), at('checkpoint', 'InMap')]);
    });

    test('an L1 Definition object is read as is', () => {
      const stack = testStack();
      machine(stack, { StartAt: 'Train', States: { Train: { ...task('createTrainingJob', { ...SPOT, StoppingCondition: { MaxRuntimeInSeconds: 60, MaxWaitTimeInSeconds: 60 } }), End: true } } });
      expect(findings(stack)).toEqual([at('checkpoint')]);
    });

    test('a definition that is not JSON, or kept in S3, is skipped without an error', () => {
      const notJson = testStack();
      machine(notJson, 'StartAt: Train');
      const inS3 = testStack();
      role(inS3, 'MachineRole');
      raw(inS3, 'Machine', 'AWS::StepFunctions::StateMachine', { RoleArn: arnOf('MachineRole'), DefinitionS3Location: { Bucket: 'b', Key: 'k' } });
      expect([findings(notJson), findings(inS3)]).toEqual([[], []]);
    });

    const pipeline = (stack: Stack, holder: Record<string, unknown>) => raw(stack, 'Pipeline', 'AWS::SageMaker::Pipeline', { PipelineName: 'p', RoleArn: 'arn:aws:iam::111122223333:role/p', PipelineDefinition: holder });

    test('SageMaker pipelines: Training and Tuning steps are judged, by step name', () => {
      const stack = testStack();
      pipeline(stack, {
        PipelineDefinitionBody: JSON.stringify({
          Version: '2020-12-01',
          Steps: [
            { Name: 'Prepare', Type: 'Processing', Arguments: { ...SPOT } },
            { Name: 'TrainStep', Type: 'Training', Arguments: { ...SPOT, ...CHECKPOINT, StoppingCondition: { MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 599 } } },
            { Name: 'TuneStep', Type: 'Tuning', Arguments: { TrainingJobDefinition: { ...SPOT, StoppingCondition: { MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 600 } } } },
          ],
        }),
      });
      expect(findings(stack)).toEqual([
        'DeployReadiness-SpotTrainingCheckpoints[TrainStep:maxWait] at Test/Pipeline',
        'DeployReadiness-SpotTrainingCheckpoints[TuneStep:checkpoint] at Test/Pipeline',
      ]);
    });

    test('a pipeline body that is not JSON, or kept in S3, is skipped without an error', () => {
      const notJson = testStack();
      pipeline(notJson, { PipelineDefinitionBody: 'Steps: []' });
      const inS3 = testStack();
      pipeline(inS3, { PipelineDefinitionS3Location: { Bucket: 'b', Key: 'k' } });
      expect([findings(notJson), findings(inS3)]).toEqual([[], []]);
    });
  });

  describe('SyncIntegrationEventsPermissions', () => {
    const RULES: Array<[string, string]> = [
      ['createTrainingJob', 'StepFunctionsGetEventsForSageMakerTrainingJobsRule'],
      ['createTransformJob', 'StepFunctionsGetEventsForSageMakerTransformJobsRule'],
      ['createHyperParameterTuningJob', 'StepFunctionsGetEventsForSageMakerTuningJobsRule'],
      ['createProcessingJob', 'StepFunctionsGetEventsForSageMakerProcessingJobsRule'],
    ];

    test.each(RULES)('%s.sync needs the three events actions on %s', (api, ruleName) => {
      const stack = testStack();
      machine(stack, single({ Type: 'Task', Resource: `arn:aws:states:::sagemaker:${api}.sync`, Parameters: {} }));
      expect(findings(stack, 'Sync')).toEqual(['DescribeRule', 'PutRule', 'PutTargets'].map((a) => `DeployReadiness-SyncIntegrationEventsPermissions[events:${a}:${ruleName}] at Test/Machine`));
    });

    test('a versioned .sync:2 integration waits too; a .waitForTaskToken one does not', () => {
      const versioned = testStack();
      machine(versioned, single(task('createTrainingJob.sync:2')));
      const callback = testStack();
      machine(callback, single(task('createTrainingJob.waitForTaskToken')));
      expect({ versioned: findings(versioned, 'Sync').length, callback: findings(callback, 'Sync') }).toEqual({ versioned: 3, callback: [] });
    });

    test('a rule ARN written with Fn::Sub and pseudo parameters grants; rule names are case-sensitive', () => {
      const sub = testStack();
      machine(sub, single(task('createTrainingJob.sync')), [eventsGrant({ 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule' })]);
      const join = testStack();
      machine(join, single(task('createTrainingJob.sync')), [eventsGrant({ 'Fn::Join': [':', ['arn', ref('AWS::Partition'), 'events', ref('AWS::Region'), ref('AWS::AccountId'), 'rule/StepFunctionsGetEventsForSageMaker*']] })]);
      const lowercase = testStack();
      machine(lowercase, single(task('createTrainingJob.sync')), [eventsGrant(RULE_ARN.toLowerCase())]);
      expect({ sub: findings(sub, 'Sync'), join: findings(join, 'Sync'), lowercase: findings(lowercase, 'Sync').length }).toEqual({ sub: [], join: [], lowercase: 3 });
    });

    test('a rule ARN naming a resource of the template (not a pseudo parameter) does not stand for the managed rule', () => {
      const stack = testStack();
      machine(stack, single(task('createTrainingJob.sync')), [eventsGrant({ 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/${MyRule}' })]);
      expect(findings(stack, 'Sync')).toHaveLength(3);
    });

    test('does not judge a state machine whose role is not in the template', () => {
      const stack = testStack();
      const custom = new sfn.CustomState(stack, 'Train', { stateJson: task('createTrainingJob.sync') });
      new sfn.StateMachine(stack, 'Imported', {
        definitionBody: sfn.DefinitionBody.fromChainable(custom),
        role: iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111122223333:role/existing'),
      });
      expect(findings(stack)).toEqual([]);
    });
  });

  describe('MonitorInputCapture', () => {
    const JOBS: Array<[string, string]> = [
      ['AWS::SageMaker::DataQualityJobDefinition', 'DataQualityJobInput'],
      ['AWS::SageMaker::ModelQualityJobDefinition', 'ModelQualityJobInput'],
      ['AWS::SageMaker::ModelBiasJobDefinition', 'ModelBiasJobInput'],
      ['AWS::SageMaker::ModelExplainabilityJobDefinition', 'ModelExplainabilityJobInput'],
    ];

    test.each(JOBS)('follows a schedule to its %s by name, and to the endpoint in its %s', (type, input) => {
      const stack = testStack();
      endpoint(stack, 'Endpoint', 'churn', ['Output']);
      jobDefinition(stack, 'Job', 'churn', 'churn-monitor', type, input);
      schedule(stack, { MonitoringJobDefinitionName: 'churn-monitor' });
      expect(findings(stack, 'Monitor')).toEqual([
        'DeployReadiness-MonitorFixedJobDefinitionName at Test/Job',
        MONITOR,
      ]);
    });

    test('reads the schedule\'s own EndpointName', () => {
      const stack = testStack();
      endpoint(stack, 'Endpoint', 'churn');
      schedule(stack, {}, ref('Endpoint'));
      expect(findings(stack, 'MonitorInput')).toEqual([MONITOR]);
    });

    test('an inline MonitoringJobDefinition: its inputs are read, and unrelated job definitions are not', () => {
      const stack = testStack();
      endpoint(stack, 'Capturing', 'churn', ['Input']);
      endpoint(stack, 'Silent', 'fraud', ['Output']);
      jobDefinition(stack, 'Unnamed', 'fraud');
      schedule(stack, { MonitoringJobDefinition: { MonitoringInputs: [{ EndpointInput: { EndpointName: 'churn', LocalPath: '/in' } }] } });
      expect(findings(stack, 'MonitorInput')).toEqual([]);
    });

    test('only the job definition the schedule names is followed, not the others of the template', () => {
      const stack = testStack();
      endpoint(stack, 'Capturing', 'churn', ['Input']);
      endpoint(stack, 'Silent', 'fraud', ['Output']);
      jobDefinition(stack, 'Churn', 'churn', 'churn-1a2b3c4d');
      jobDefinition(stack, 'Fraud', 'fraud', 'fraud-1a2b3c4d');
      schedule(stack, { MonitoringJobDefinitionName: 'churn-1a2b3c4d' });
      expect(findings(stack, 'MonitorInput')).toEqual([]);
    });

    test('fires when one of the endpoints it watches does not capture input', () => {
      const stack = testStack();
      endpoint(stack, 'Capturing', 'churn', ['Input']);
      endpoint(stack, 'Silent', 'fraud', ['Output']);
      jobDefinition(stack, 'Fraud', ref('Silent'), 'fraud-1a2b3c4d');
      schedule(stack, { MonitoringJobDefinitionName: 'fraud-1a2b3c4d' }, 'churn');
      expect(findings(stack, 'MonitorInput')).toEqual([MONITOR]);
    });

    test('an endpoint name the template does not create, or an endpoint config it does not create, cannot be judged', () => {
      const unknownName = testStack();
      endpoint(unknownName, 'Endpoint', 'churn', ['Output']);
      schedule(unknownName, {}, 'other-endpoint');
      const existingConfig = testStack();
      raw(existingConfig, 'Endpoint', 'AWS::SageMaker::Endpoint', { EndpointName: 'churn', EndpointConfigName: 'existing-config' });
      schedule(existingConfig, {}, 'churn');
      expect([findings(unknownName, 'MonitorInput'), findings(existingConfig, 'MonitorInput')]).toEqual([[], []]);
    });
  });

  describe('MonitorFixedJobDefinitionName', () => {
    test('judges the four Model Monitor job definitions, not other resources with a JobDefinitionName (AWS Batch)', () => {
      const stack = testStack();
      for (const [i, type] of ['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'].entries()) {
        raw(stack, `Job${i}`, `AWS::SageMaker::${type}JobDefinition`, { JobDefinitionName: `churn-${type.toLowerCase()}` });
      }
      raw(stack, 'Batch', 'AWS::Batch::JobDefinition', { JobDefinitionName: 'nightly', Type: 'container' });
      expect(findings(stack, 'MonitorFixed')).toEqual([0, 1, 2, 3].map((i) => `DeployReadiness-MonitorFixedJobDefinitionName at Test/Job${i}`));
    });

    test('a name built with Fn::Sub is judged on its literal part', () => {
      const stack = testStack();
      raw(stack, 'Fixed', 'AWS::SageMaker::DataQualityJobDefinition', { JobDefinitionName: { 'Fn::Sub': 'churn-${AWS::StackName}' } });
      raw(stack, 'Digest', 'AWS::SageMaker::ModelQualityJobDefinition', { JobDefinitionName: { 'Fn::Sub': '${AWS::StackName}-1a2b3c4d' } });
      expect(findings(stack, 'MonitorFixed')).toEqual(['DeployReadiness-MonitorFixedJobDefinitionName at Test/Fixed']);
    });
  });

  describe('ArtifactFromSameTemplate: the references the template model follows', () => {
    const artifact = (modelDataUrl: unknown, extra: (stack: Stack) => void = () => undefined) => {
      const stack = testStack();
      raw(stack, 'Bucket', 'AWS::S3::Bucket');
      extra(stack);
      raw(stack, 'Model', 'AWS::SageMaker::Model', { ExecutionRoleArn: 'arn:aws:iam::111122223333:role/r', PrimaryContainer: { Image: 'i', ModelDataUrl: modelDataUrl } });
      return findings(stack, 'Artifact');
    };
    const FIRES = ['DeployReadiness-ArtifactFromSameTemplate at Test/Model'];

    test('Fn::Sub as a string and as [string, variables], with ${Bucket} and ${Bucket.Attribute}', () => {
      expect([
        artifact({ 'Fn::Sub': 's3://${Bucket}/model.tar.gz' }),
        artifact({ 'Fn::Sub': ['s3://${Bucket}/${Key}', { Key: 'model.tar.gz' }] }),
        artifact({ 'Fn::Sub': 'https://${Bucket.RegionalDomainName}/model.tar.gz' }),
        artifact({ 'Fn::Join': ['', ['s3://', ref('Bucket'), '/model.tar.gz']] }),
      ]).toEqual([FIRES, FIRES, FIRES, FIRES]);
    });

    test('parameters, pseudo parameters and non-bucket resources in the URL are not a bucket of the template', () => {
      expect([
        artifact({ 'Fn::Sub': 's3://${ArtifactBucketName}/model.tar.gz' }, (s) => raw(s, 'Unused', 'AWS::SNS::Topic')),
        artifact({ 'Fn::Join': ['', ['s3://models-', ref('AWS::AccountId'), '/model.tar.gz']] }),
        artifact({ 'Fn::GetAtt': ['ArtifactUrl', 'Value'] }, (s) => raw(s, 'ArtifactUrl', 'AWS::SSM::Parameter', { Type: 'String', Value: 's3://b/m.tar.gz' })),
      ]).toEqual([[], [], []]);
    });

    test('fires when any one of a model\'s artifacts is in a bucket of the template', () => {
      const stack = testStack();
      raw(stack, 'Bucket', 'AWS::S3::Bucket');
      raw(stack, 'Model', 'AWS::SageMaker::Model', {
        ExecutionRoleArn: 'arn:aws:iam::111122223333:role/r',
        Containers: [
          { Image: 'i', ModelDataUrl: 's3://existing/a.tar.gz' },
          { Image: 'i', ModelDataSource: { S3DataSource: { S3Uri: { 'Fn::Sub': 's3://${Bucket}/b/' }, S3DataType: 'S3Prefix', CompressionType: 'None' } } },
        ],
      });
      expect(findings(stack, 'Artifact')).toEqual(FIRES);
    });
  });

  describe('AthenaTableOnArchivedObjects', () => {
    const lake = (rule: Record<string, unknown>, location: unknown) => {
      const stack = testStack();
      raw(stack, 'Raw', 'AWS::S3::Bucket', { LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ...rule }] } });
      raw(stack, 'Table', 'AWS::Glue::Table', { CatalogId: '111122223333', DatabaseName: 'db', TableInput: { StorageDescriptor: { Location: location } } });
      return findings(stack, 'Athena');
    };
    const FIRES = ['DeployReadiness-AthenaTableOnArchivedObjects at Test/Table'];
    const glacier = { Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }] };

    test('a rule without a prefix archives the whole bucket; the legacy single Transition counts too', () => {
      expect([
        lake(glacier, { 'Fn::Sub': 's3://${Raw}/events/' }),
        lake({ Prefix: 'events/', Transition: { StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 90 } }, { 'Fn::Join': ['', ['s3://', ref('Raw'), '/events/2024/']] }),
      ]).toEqual([FIRES, FIRES]);
    });

    test('a table key known only at deploy time is not taken to be under an archived prefix', () => {
      expect(lake({ ...glacier, Prefix: 'archive/' }, { 'Fn::Join': ['', ['s3://', ref('Raw'), '/', ref('TablePrefix')]] })).toEqual([]);
    });
  });

  describe('AthenaDefaultDatabase', () => {
    const analyst = (stack: Stack, id: string, glueResources: unknown) => role(stack, id, [
      allow('athena:StartQueryExecution'),
      allow(['glue:GetDatabase', 'glue:GetTable'], glueResources),
    ]);
    const FIRES = (id = 'Analyst') => [`DeployReadiness-AthenaDefaultDatabase at Test/${id}`];
    const at = (glueResources: unknown) => {
      const stack = testStack();
      analyst(stack, 'Analyst', glueResources);
      return findings(stack, 'AthenaDefault');
    };

    test('database ARNs with pseudo parameters (Fn::Sub or Fn::Join) that name default grant it', () => {
      expect([
        at({ 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/default' }),
        at({ 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':glue:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':database/*']] }),
      ]).toEqual([[], []]);
    });

    test('a database named by a template resource, an import or a deploy-time prefix is not the default database', () => {
      expect([
        at({ 'Fn::Sub': 'arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/${LakeDb}' }),
        at({ 'Fn::Join': ['', ['arn:aws:glue:us-east-1:111122223333:database/', { 'Fn::ImportValue': 'LakeDatabaseName' }]] }),
        at({ 'Fn::Join': ['', ['arn:aws:glue:us-east-1:111122223333:database/', ref('DatabasePrefix'), '*']] }),
      ]).toEqual([FIRES(), FIRES(), FIRES()]);
    });

    test('a resource-level Deny or NotResource is matched against the default database', () => {
      const deny = (Resource: unknown) => ({ Effect: 'Deny', Action: 'glue:*', Resource });
      const withStatements = (statements: unknown[]) => {
        const stack = testStack();
        role(stack, 'Analyst', [allow('athena:StartQueryExecution'), ...statements]);
        return findings(stack, 'AthenaDefault');
      };
      expect({
        deniedDefault: withStatements([allow('glue:GetDatabase'), deny('arn:aws:glue:*:*:database/default')]),
        deniedOther: withStatements([allow('glue:GetDatabase'), deny('arn:aws:glue:*:*:database/secret')]),
        notDefault: withStatements([{ Effect: 'Allow', Action: 'glue:GetDatabase', NotResource: 'arn:aws:glue:*:*:database/default' }]),
        notOther: withStatements([{ Effect: 'Allow', Action: 'glue:GetDatabase', NotResource: 'arn:aws:glue:*:*:database/secret' }]),
        // One entry of the list is enough to exclude it; ARNs match case-sensitively, as IAM matches them.
        notInList: withStatements([{ Effect: 'Allow', Action: 'glue:GetDatabase', NotResource: ['arn:aws:glue:*:*:database/secret', 'arn:aws:glue:*:*:database/default'] }]),
        notUpperCase: withStatements([{ Effect: 'Allow', Action: 'glue:GetDatabase', NotResource: 'arn:aws:glue:*:*:database/DEFAULT' }]),
      }).toEqual({ deniedDefault: FIRES(), deniedOther: [], notDefault: FIRES(), notOther: [], notInList: FIRES(), notUpperCase: [] });
    });

    test('a role that may query but holds no glue:GetDatabase at all is left alone', () => {
      const stack = testStack();
      role(stack, 'Querier', [allow('athena:StartQueryExecution')]);
      expect(findings(stack, 'AthenaDefault')).toEqual([]);
    });

    test('each role is judged on its own statements', () => {
      const stack = testStack();
      role(stack, 'Reader', [allow('s3:GetObject')]);
      analyst(stack, 'Analyst', 'arn:aws:glue:us-east-1:111122223333:database/lake');
      expect(findings(stack, 'AthenaDefault')).toEqual(FIRES());
    });
  });

  describe('ServicePrincipalUnscoped', () => {
    const keyPolicy = (statements: unknown[]) => {
      const stack = testStack();
      raw(stack, 'Key', 'AWS::KMS::Key', { KeyPolicy: document(statements) });
      return findings(stack, 'ServicePrincipal');
    };
    const serviceStatement = (Service: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: { Service }, Action: 'kms:Decrypt', Resource: '*', ...extra });
    const at = (service: string) => `DeployReadiness-ServicePrincipalUnscoped[${service}] at Test/Key`;

    test('names each service of a list, and a regional service written with Fn::Join or Fn::Sub as <region>', () => {
      expect(keyPolicy([
        serviceStatement(['events.amazonaws.com', 'sns.amazonaws.com']),
        serviceStatement({ 'Fn::Join': ['', ['logs.', ref('AWS::Region'), '.amazonaws.com']] }),
        serviceStatement({ 'Fn::Sub': 'delivery.logs.${AWS::Region}.amazonaws.com' }),
      ])).toEqual([at('delivery.logs.<region>.amazonaws.com'), at('events.amazonaws.com'), at('logs.<region>.amazonaws.com'), at('sns.amazonaws.com')]);
    });

    test('a Deny for a service principal, or an account principal, needs no scoping', () => {
      expect(keyPolicy([
        { ...serviceStatement('events.amazonaws.com'), Effect: 'Deny' },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      ])).toEqual([]);
    });

    test('aws:SourceArn (any case) or an encryption-context key scopes the statement; aws:SourceAccount alone does not', () => {
      expect(keyPolicy([
        serviceStatement('events.amazonaws.com', { Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:events:us-east-1:111122223333:rule/*' } } }),
        serviceStatement('sns.amazonaws.com', { Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:us-east-1:111122223333:t' } } }),
        serviceStatement('logs.amazonaws.com', { Condition: { StringEquals: { 'kms:EncryptionContext:': 'x', 'aws:SourceAccount': '111122223333' } } }),
      ])).toEqual([at('logs.amazonaws.com')]);
    });

    test('judges key and topic policies, not queue policies', () => {
      const stack = testStack();
      const open = document([{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: '*' }]);
      raw(stack, 'TopicPolicy', 'AWS::SNS::TopicPolicy', { Topics: ['arn:aws:sns:us-east-1:111122223333:t'], PolicyDocument: open });
      raw(stack, 'QueuePolicy', 'AWS::SQS::QueuePolicy', { Queues: ['https://sqs.us-east-1.amazonaws.com/111122223333/q'], PolicyDocument: open });
      expect(findings(stack, 'ServicePrincipal')).toEqual(['DeployReadiness-ServicePrincipalUnscoped[events.amazonaws.com] at Test/TopicPolicy']);
    });
  });

  describe('flatten (how names and locations read as text)', () => {
    test('numbers and booleans read as their text; a Join over a list-valued intrinsic is one placeholder', () => {
      expect([
        flatten({ 'Fn::Join': ['-', ['dq', 20240101, true]] }, '?'),
        flatten({ 'Fn::Join': [',', { 'Fn::GetAZs': '' }] }, '?'),
      ]).toEqual(['dq-20240101-true', '?']);
    });
  });
});
