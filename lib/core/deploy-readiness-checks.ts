import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { pipelineJobSteps, SageMakerJobCall, sageMakerTasks, spotProblems, trainingDefinitions } from './deploy-readiness/private/state-machines';
import { asArray, flatten, TemplateModel, TemplateResource } from './deploy-readiness/private/template';

/** Name properties per resource type: set, they make a resource "fixed-name". */
const NAME_PROPERTIES: Record<string, string[]> = {
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::Athena::WorkGroup': ['Name'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::Kinesis::Stream': ['Name'],
  'AWS::KinesisFirehose::DeliveryStream': ['DeliveryStreamName'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SQS::Queue': ['QueueName'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::ECR::Repository': ['RepositoryName'],
  'AWS::Glue::Database': ['DatabaseInput', 'Name'],
  'AWS::Glue::SecurityConfiguration': ['Name'],
  'AWS::SageMaker::ModelPackageGroup': ['ModelPackageGroupName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::IAM::ManagedPolicy': ['ManagedPolicyName'],
};

/** What SageMaker's hosting-in-VPC guide lists for a custom execution-role policy. */
const VPC_HOSTING_ACTIONS = [
  'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs',
  'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeVpcEndpoints',
];

/** The EventBridge rule Step Functions manages for each `.sync` SageMaker integration. */
const SYNC_RULES: Record<string, string> = {
  createTrainingJob: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
  createTransformJob: 'StepFunctionsGetEventsForSageMakerTransformJobsRule',
  createHyperParameterTuningJob: 'StepFunctionsGetEventsForSageMakerTuningJobsRule',
  createProcessingJob: 'StepFunctionsGetEventsForSageMakerProcessingJobsRule',
};

const MONITOR_JOB_DEFINITIONS: Record<string, string> = {
  'AWS::SageMaker::DataQualityJobDefinition': 'DataQualityJobInput',
  'AWS::SageMaker::ModelQualityJobDefinition': 'ModelQualityJobInput',
  'AWS::SageMaker::ModelBiasJobDefinition': 'ModelBiasJobInput',
  'AWS::SageMaker::ModelExplainabilityJobDefinition': 'ModelExplainabilityJobInput',
};

/** Principals that act for a resource of the caller's and must be tied to it. */
const SCOPING_CONDITION = /^(aws:SourceArn|kms:EncryptionContext:.+)$/i;

/**
 * The deploy-readiness rules: what cfn-lint and the AWS nag packs cannot see, and what makes a
 * first deploy fail or a deployed system not work. Each rule's explanation cites the AWS page
 * behind it. Several rules follow references across resources (endpoint → config → model →
 * role → policies), so the pack reads the whole stack, not one resource.
 *
 * Rule ids: `DeployReadiness-<Rule>`; rules that report several things add `[<detail>]`.
 *
 * @example
 * Validations.of(app).addPlugins(new DeployReadinessChecks());
 */
export class DeployReadinessChecks extends NagPack {
  public readonly name = 'DeployReadiness';
  private readonly models = new Map<Stack, TemplateModel>();

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'DeployReadiness';
  }

  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    this.models.clear();
    return super.validate(context);
  }

  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.models.clear();
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    const rule = (suffix: string, info: string, explanation: string, check: (r: TemplateResource, m: TemplateModel) => NagRuleResult) => {
      this.applyRule({
        ruleSuffixOverride: suffix,
        info,
        explanation,
        level: NagMessageLevel.ERROR,
        node,
        rule: (n: CfnResource) => {
          const model = TemplateModel.of(n, this.models);
          const rendered = model.rendered(n);
          return rendered ? check(rendered, model) : NagRuleCompliance.NOT_APPLICABLE;
        },
      });
    };

    rule('ArtifactFromSameTemplate',
      'A SageMaker model reads its artifact from a bucket this template creates: CreateModel checks the object and the first deploy fails.',
      'CreateModel verifies that ModelDataUrl exists and is readable, and nothing can be uploaded between the bucket\'s creation and the model\'s. Ship the artifact as a CDK asset (uploaded before the stack deploys) or read it from a bucket that already exists. https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateModel.html https://docs.aws.amazon.com/cdk/v2/guide/assets.html',
      artifactFromSameTemplate);
    rule('RetainedFixedName',
      'A resource with a fixed name is kept on delete with DeletionPolicy Retain: a failed first create leaves it behind and every retry fails with "already exists".',
      'Retain keeps the resource even when the stack\'s first create rolls back. RetainExceptOnCreate (RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE) deletes what a failed create made and retains it afterwards; or drop the fixed name. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html',
      retainedFixedName);
    rule('RollbackAlarmsPermission',
      'An endpoint rolls back on CloudWatch alarms, but its execution role may not call cloudwatch:DescribeAlarms.',
      'Deployment guardrails read the auto-rollback alarms with the endpoint\'s execution role; without cloudwatch:DescribeAlarms on them the alarm-based rollback does not work. https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails-configuration.html',
      rollbackAlarmsPermission);
    rule('VpcHostingPermissions',
      'A SageMaker model runs in a VPC but its execution role lacks an EC2 permission the hosting-in-VPC guide lists.',
      'With a custom policy, the execution role needs ec2:CreateNetworkInterface, CreateNetworkInterfacePermission, DeleteNetworkInterface, DeleteNetworkInterfacePermission, DescribeNetworkInterfaces, DescribeVpcs, DescribeDhcpOptions, DescribeSubnets, DescribeSecurityGroups and DescribeVpcEndpoints. https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html',
      vpcHostingPermissions);
    rule('SpotTrainingCheckpoints',
      'Managed spot training without S3 checkpoints, or with MaxWaitTimeInSeconds missing or below MaxRuntimeInSeconds.',
      'Spot capacity can be reclaimed: without CheckpointConfig an interrupted job restarts from scratch, and CreateTrainingJob rejects spot jobs whose MaxWaitTimeInSeconds is absent or smaller than MaxRuntimeInSeconds. https://docs.aws.amazon.com/sagemaker/latest/dg/model-managed-spot-training.html',
      spotTrainingCheckpoints);
    rule('SyncIntegrationEventsPermissions',
      'A Step Functions .sync SageMaker task whose role may not manage the EventBridge rule Step Functions uses to wait for the job.',
      'For .sync SageMaker integrations the state machine role needs events:PutTargets, events:PutRule and events:DescribeRule on the managed rule (StepFunctionsGetEventsForSageMaker<Kind>JobsRule). https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html',
      syncIntegrationEventsPermissions);
    rule('MonitorInputCapture',
      'A monitoring schedule watches an endpoint that does not capture its input.',
      'Model Monitor analyzes the requests an endpoint captures; with data capture off, or capturing only the output, every monitoring run fails with no data to analyze. https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture-endpoint.html',
      monitorInputCapture);
    rule('MonitorFixedJobDefinitionName',
      'A Model Monitor job definition has a fixed name: its properties are create-only, so any change needs a replacement CloudFormation cannot do under the same name.',
      'Every property of a monitoring job definition requires replacement, and CloudFormation cannot replace a resource with a custom name. Leave JobDefinitionName unset or derive it from a digest of the inputs (at least 8 hex digits), so a change brings a new name. https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sagemaker-dataqualityjobdefinition.html https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html',
      monitorFixedJobDefinitionName);
    rule('FirehoseDynamicPartitioningBuffer',
      'A Firehose stream with dynamic partitioning buffers less than 64 MiB.',
      'With dynamic partitioning the S3 buffer size must be at least 64 MiB; CreateDeliveryStream rejects a smaller one. https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html',
      firehoseDynamicPartitioningBuffer);
    rule('AthenaTableOnArchivedObjects',
      'A Glue table reads a prefix that a lifecycle rule moves to S3 Glacier Flexible Retrieval or Deep Archive: Athena silently skips those objects.',
      'Athena skips objects in the GLACIER and DEEP_ARCHIVE storage classes unless the table is set up to query restored objects, so old data disappears from results without an error. Use Glacier Instant Retrieval or keep tables outside the archived prefix. https://docs.aws.amazon.com/athena/latest/ug/querying-glacier.html',
      athenaTableOnArchivedObjects);
    rule('AthenaDefaultDatabase',
      'A role may run Athena queries and read named Glue databases, but not the default database Athena also reads.',
      'With resource-scoped Glue permissions, Athena needs glue:GetDatabase on the default database of the catalog too; without it queries fail with AccessDenied on database/default. https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html',
      athenaDefaultDatabase);
    rule('ServicePrincipalUnscoped',
      'A key or topic policy lets an AWS service principal act without tying it to the resource acting for you (aws:SourceArn or kms:EncryptionContext).',
      'A service principal allowed without aws:SourceArn or an encryption-context condition can be made to use your key or topic on behalf of another account\'s resource (the confused deputy problem). https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html',
      servicePrincipalUnscoped);
  }
}

function props(r: TemplateResource | undefined): Record<string, unknown> {
  return r?.Properties ?? {};
}

function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function artifactFromSameTemplate(r: TemplateResource, m: TemplateModel): NagRuleResult {
  let containers: unknown[];
  if (r.Type === 'AWS::SageMaker::Model') containers = [props(r).PrimaryContainer, ...asArray(props(r).Containers)];
  else if (r.Type === 'AWS::SageMaker::ModelPackage') containers = asArray(obj(props(r).InferenceSpecification).Containers);
  else return NagRuleCompliance.NOT_APPLICABLE;
  const uris = containers.flatMap((c) => [obj(c).ModelDataUrl, obj(obj(obj(c).ModelDataSource).S3DataSource).S3Uri]).filter((u) => u !== undefined);
  const createdHere = uris.some((u) => m.referencedIds(u).some((id) => m.resources[id].Type === 'AWS::S3::Bucket'));
  return createdHere ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

function retainedFixedName(r: TemplateResource): NagRuleResult {
  const path = NAME_PROPERTIES[r.Type];
  if (!path) return NagRuleCompliance.NOT_APPLICABLE;
  const name = path.reduce<unknown>((v, key) => obj(v)[key], r.Properties);
  if (name === undefined) return NagRuleCompliance.COMPLIANT;
  return r.DeletionPolicy === 'Retain' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

/** The execution roles (created in this template) behind an endpoint config's variants. */
function rolesOfEndpointConfig(configId: string, m: TemplateModel): string[] {
  const config = props(m.resources[configId]);
  const roles = new Set<string>();
  const direct = m.role(config.ExecutionRoleArn);
  if (direct) roles.add(direct);
  for (const variant of [...asArray(config.ProductionVariants), ...asArray(config.ShadowProductionVariants)]) {
    const model = m.target(obj(variant).ModelName, 'AWS::SageMaker::Model');
    const role = model ? m.role(props(m.resources[model]).ExecutionRoleArn) : undefined;
    if (role) roles.add(role);
  }
  return [...roles];
}

function rollbackAlarmsPermission(r: TemplateResource, m: TemplateModel): NagRuleResult {
  if (r.Type !== 'AWS::SageMaker::Endpoint') return NagRuleCompliance.NOT_APPLICABLE;
  const alarms = asArray(obj(obj(props(r).DeploymentConfig).AutoRollbackConfiguration).Alarms);
  if (alarms.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const config = m.target(props(r).EndpointConfigName, 'AWS::SageMaker::EndpointConfig');
  if (!config) return NagRuleCompliance.NOT_APPLICABLE;
  const roles = rolesOfEndpointConfig(config, m);
  return roles.every((role) => m.roleAllows(role, 'cloudwatch:DescribeAlarms')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function vpcHostingPermissions(r: TemplateResource, m: TemplateModel): NagRuleResult {
  if (r.Type !== 'AWS::SageMaker::Model' || !props(r).VpcConfig) return NagRuleCompliance.NOT_APPLICABLE;
  const role = m.role(props(r).ExecutionRoleArn);
  if (!role) return NagRuleCompliance.NOT_APPLICABLE;
  return VPC_HOSTING_ACTIONS.filter((a) => !m.roleAllows(role, a));
}

function jobCalls(r: TemplateResource): SageMakerJobCall[] | undefined {
  if (r.Type === 'AWS::StepFunctions::StateMachine') return sageMakerTasks(r);
  if (r.Type === 'AWS::SageMaker::Pipeline') return pipelineJobSteps(r);
  return undefined;
}

function spotTrainingCheckpoints(r: TemplateResource): NagRuleResult {
  const calls = jobCalls(r);
  if (!calls) return NagRuleCompliance.NOT_APPLICABLE;
  return calls.flatMap((call) => trainingDefinitions(call).flatMap(spotProblems).map((p) => `${call.location}:${p}`));
}

function syncIntegrationEventsPermissions(r: TemplateResource, m: TemplateModel): NagRuleResult {
  if (r.Type !== 'AWS::StepFunctions::StateMachine') return NagRuleCompliance.NOT_APPLICABLE;
  const role = m.role(props(r).RoleArn);
  if (!role) return NagRuleCompliance.NOT_APPLICABLE;
  const rules = new Set(sageMakerTasks(r).filter((t) => t.sync && SYNC_RULES[t.api]).map((t) => SYNC_RULES[t.api]));
  const findings: string[] = [];
  for (const ruleName of rules) {
    // Any concrete partition, region and account stand in for the deploy-time ones.
    const arn = `arn:aws:events:us-east-1:111122223333:rule/${ruleName}`;
    for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
      if (!m.roleAllows(role, action, arn)) findings.push(`${action}:${ruleName}`);
    }
  }
  return findings;
}

/** The endpoint (created in this template) an endpoint-name value designates: a reference or a literal name. */
function endpointOf(value: unknown, m: TemplateModel): string | undefined {
  const ref = m.target(value, 'AWS::SageMaker::Endpoint');
  if (ref) return ref;
  if (typeof value !== 'string') return undefined;
  return m.ofType('AWS::SageMaker::Endpoint').find(([, e]) => props(e).EndpointName === value)?.[0];
}

function monitorInputCapture(r: TemplateResource, m: TemplateModel): NagRuleResult {
  if (r.Type !== 'AWS::SageMaker::MonitoringSchedule') return NagRuleCompliance.NOT_APPLICABLE;
  const config = obj(props(r).MonitoringScheduleConfig);
  const names: unknown[] = [props(r).EndpointName];
  for (const input of asArray(obj(config.MonitoringJobDefinition).MonitoringInputs)) names.push(obj(obj(input).EndpointInput).EndpointName);
  const jobName = config.MonitoringJobDefinitionName;
  const jobDefinitions = Object.entries(m.resources).filter(([id, d]) => MONITOR_JOB_DEFINITIONS[d.Type]
    && (m.referencedIds(jobName).includes(id) || (typeof jobName === 'string' && props(d).JobDefinitionName === jobName)));
  for (const [, d] of jobDefinitions) names.push(obj(obj(props(d)[MONITOR_JOB_DEFINITIONS[d.Type]]).EndpointInput).EndpointName);
  const endpoints = [...new Set(names.filter((n) => n !== undefined).map((n) => endpointOf(n, m)).filter((e): e is string => !!e))];
  if (endpoints.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  const captures = (endpoint: string) => {
    const configId = m.target(props(m.resources[endpoint]).EndpointConfigName, 'AWS::SageMaker::EndpointConfig');
    if (!configId) return true; // config not in this template: cannot tell
    const capture = obj(props(m.resources[configId]).DataCaptureConfig);
    return capture.EnableCapture !== false
      && asArray(capture.CaptureOptions).some((o) => obj(o).CaptureMode === 'Input');
  };
  return endpoints.every(captures) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function monitorFixedJobDefinitionName(r: TemplateResource): NagRuleResult {
  if (!MONITOR_JOB_DEFINITIONS[r.Type]) return NagRuleCompliance.NOT_APPLICABLE;
  const name = props(r).JobDefinitionName;
  if (name === undefined) return NagRuleCompliance.COMPLIANT;
  return /[0-9a-f]{8,}/i.test(flatten(name, '')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function firehoseDynamicPartitioningBuffer(r: TemplateResource): NagRuleResult {
  if (r.Type !== 'AWS::KinesisFirehose::DeliveryStream') return NagRuleCompliance.NOT_APPLICABLE;
  const destination = obj(props(r).ExtendedS3DestinationConfiguration);
  // CloudFormation reads "true" and "32" as the boolean and the number they spell.
  const enabled = obj(destination.DynamicPartitioningConfiguration).Enabled;
  if (enabled !== true && enabled !== 'true') return NagRuleCompliance.NOT_APPLICABLE;
  const given = obj(destination.BufferingHints).SizeInMBs;
  const size = typeof given === 'string' && /^\d+$/.test(given) ? Number(given) : given;
  return typeof size === 'number' && size < 64 ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

/** Lifecycle prefixes of a bucket that move objects to a class Athena skips. */
function archivedPrefixes(bucket: TemplateResource): string[] {
  const skipped = new Set(['GLACIER', 'DEEP_ARCHIVE']);
  return asArray(obj(props(bucket).LifecycleConfiguration).Rules).map(obj)
    .filter((rule) => rule.Status !== 'Disabled')
    .filter((rule) => [...asArray(rule.Transitions), rule.Transition].some((t) => skipped.has(obj(t).StorageClass as string)))
    .map((rule) => typeof rule.Prefix === 'string' ? rule.Prefix : '');
}

function athenaTableOnArchivedObjects(r: TemplateResource, m: TemplateModel): NagRuleResult {
  if (r.Type !== 'AWS::Glue::Table') return NagRuleCompliance.NOT_APPLICABLE;
  const location = obj(obj(props(r).TableInput).StorageDescriptor).Location;
  if (location === undefined) return NagRuleCompliance.NOT_APPLICABLE;
  const buckets = m.referencedIds(location).filter((id) => m.resources[id].Type === 'AWS::S3::Bucket');
  if (buckets.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
  // s3://<bucket>/<key>: the key is what follows the bucket (an intrinsic) and its slash.
  const key = flatten(location, '\u0000').replace(/^s3a?:\/\/[^/]*\//, '');
  const archived = buckets.flatMap((b) => archivedPrefixes(m.resources[b]));
  return archived.some((prefix) => key.startsWith(prefix) || prefix.startsWith(key)) ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}

function athenaDefaultDatabase(r: TemplateResource, m: TemplateModel): NagRuleResult {
  if (r.Type !== 'AWS::IAM::Role') return NagRuleCompliance.NOT_APPLICABLE;
  const id = m.ofType('AWS::IAM::Role').find(([, x]) => x === r)?.[0];
  if (!id || !m.roleAllows(id, 'athena:StartQueryExecution')) return NagRuleCompliance.NOT_APPLICABLE;
  // Any concrete partition, region and account stand in for the deploy-time ones.
  const database = (name: string) => `arn:aws:glue:us-east-1:111122223333:database/${name}`;
  if (!m.roleAllows(id, 'glue:GetDatabase')) return NagRuleCompliance.NOT_APPLICABLE;
  return m.roleAllows(id, 'glue:GetDatabase', database('default')) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function servicePrincipalUnscoped(r: TemplateResource): NagRuleResult {
  let document: unknown;
  if (r.Type === 'AWS::KMS::Key') document = props(r).KeyPolicy;
  else if (r.Type === 'AWS::SNS::TopicPolicy') document = props(r).PolicyDocument;
  else return NagRuleCompliance.NOT_APPLICABLE;
  const findings = new Set<string>();
  for (const s of asArray(obj(document).Statement).map(obj)) {
    if (s.Effect !== 'Allow') continue;
    const services = asArray(obj(s.Principal).Service).map((x) => flatten(x, '<region>'));
    if (services.length === 0) continue;
    const keys = Object.values(obj(s.Condition)).flatMap((block) => Object.keys(obj(block)));
    if (!keys.some((k) => SCOPING_CONDITION.test(k))) services.forEach((x) => findings.add(x));
  }
  return [...findings];
}
