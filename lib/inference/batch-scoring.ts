import { Duration, Names, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct, IConstruct } from 'constructs';
import { DataKey } from '../core/data-key';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { Nag } from '../core/nag';
import { Profile } from '../core/profile';
import { check, checkGlueCron, checkPattern, checkRange, checkRequired, checkType } from '../core/validation';
import { encryptedAlarmTopic } from './private/alarm-topic';

/** Props of {@link BatchScoring}. */
export interface BatchScoringProps {
  /**
   * The SageMaker model to score with, e.g. `endpoint.model('AllTraffic').attrModelName`. The
   * transform job runs in the model's VPC, with its network isolation, as its execution role.
   */
  readonly modelName: string;
  /** The model's execution role: it reads the input and writes the predictions. */
  readonly modelRole: iam.IRole;
  /** Bucket of the records to score. */
  readonly inputBucket: s3.IBucket;
  /**
   * Key prefix of the records: headerless CSV, the record id first, then the feature columns in
   * training order (what the model takes once the id is filtered out).
   */
  readonly inputPrefix: string;
  /**
   * Key of the input objects.
   * @default - the input bucket's key, if any
   */
  readonly inputKey?: kms.IKey;
  /** Bucket of the predictions. */
  readonly outputBucket: s3.IBucket;
  /**
   * Key prefix of the predictions: each run writes `<prefix>/<execution name>/<input file>.out`,
   * lines `id,probability`.
   * @default 'predictions'
   */
  readonly outputPrefix?: string;
  /**
   * Key of the predictions and the job's storage volumes.
   * @default - a new DataKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Instance type of the transform job.
   * @default - lab: ml.m5.large; production: ml.m5.xlarge
   */
  readonly instanceType?: string;
  /**
   * Instances (1–100).
   * @default 1
   */
  readonly instanceCount?: number;
  /**
   * When to score, as an EventBridge Scheduler cron (`cron(min hour dom month dow year)`, UTC).
   * @default - on demand only (start an execution of `stateMachine`)
   */
  readonly schedule?: string;
  /**
   * Longest a run may take.
   * @default Duration.hours(2)
   */
  readonly timeout?: Duration;
  /**
   * Topic told about failed, timed-out and aborted runs.
   * @default - a new topic encrypted with a new customer managed key
   */
  readonly alarmTopic?: sns.ITopic;
}

/** Every profile-dependent default of {@link BatchScoring}. */
export interface BatchScoringDefaults {
  /** Instance type of the transform job. */
  readonly instanceType: string;
  /** Retention of the state machine's logs. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Batch scoring: a Step Functions state machine that runs a SageMaker batch transform job over a
 * features prefix (`createTransformJob.sync`), drops the id column before the model and joins
 * the predictions back to it (`DataProcessing`: InputFilter `$[1:]`, JoinSource `Input`,
 * OutputFilter `$[0,-1]`), writes them under KMS, on demand or on an EventBridge Scheduler
 * schedule; failed runs alarm to an encrypted topic. No Lambda.
 */
export class BatchScoring extends Construct {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): BatchScoringDefaults {
    return { instanceType: profile.isLab ? 'ml.m5.large' : 'ml.m5.xlarge', logRetention: profile.logRetention };
  }

  /** The state machine: start an execution to score now. */
  public readonly stateMachine: sfn.CfnStateMachine;
  /** The state machine's ARN. */
  public readonly stateMachineArn: string;
  /** The state machine's role. */
  public readonly role: iam.Role;
  /** The schedule, when one is set. */
  public readonly schedule?: scheduler.CfnSchedule;
  /** Key of the predictions. */
  public readonly encryptionKey: kms.IKey;
  /** `s3://<bucket>/<prefix>` of the predictions. */
  public readonly outputUri: string;
  /** Fires on a failed, timed-out or aborted run. */
  public readonly failureAlarm: cloudwatch.Alarm;
  /** The alarm topic. */
  public readonly alarmTopic: sns.ITopic;
  /** The state machine definition (Amazon States Language, tokens unresolved). */
  private readonly definition: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: BatchScoringProps) {
    super(scope, id);
    validateShape(this, props);
    const profile = Profile.of(this);
    const defaults = BatchScoring.defaults(profile);
    const stack = Stack.of(this);

    const outputPrefix = props.outputPrefix ?? 'predictions';
    const prefixRule = 'a key prefix without leading or trailing "/"';
    checkPattern(this, 'inputPrefix', props.inputPrefix, /^[^/](.*[^/])?$/, prefixRule);
    checkPattern(this, 'outputPrefix', outputPrefix, /^[^/](.*[^/])?$/, prefixRule);
    check(this, !(props.inputBucket === props.outputBucket && (outputPrefix.startsWith(`${props.inputPrefix}/`) || outputPrefix === props.inputPrefix)),
      'outputPrefix', outputPrefix, 'a prefix outside inputPrefix: a later run would score the predictions as input');
    const instanceType = props.instanceType ?? defaults.instanceType;
    checkPattern(this, 'instanceType', instanceType, /^ml\.[a-z0-9]+\.[a-z0-9]+$/, 'an instance type of the form ml.<family>.<size>, e.g. "ml.m5.large"');
    const instanceCount = props.instanceCount ?? 1;
    checkRange(this, 'instanceCount', instanceCount, 1, 100, { integer: true, unit: 'instances' });
    const timeout = (props.timeout ?? Duration.hours(2)).toSeconds();
    checkRange(this, 'timeout', timeout, 60, 86400 * 30, { integer: true, unit: 'seconds' });
    checkGlueCron(this, 'schedule', props.schedule);

    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', { description: `Predictions of ${this.node.path}` });
    this.outputUri = props.outputBucket.s3UrlForObject(outputPrefix);

    // The model's role reads the input and writes the predictions (batch transform acts as it).
    const inputObjects = props.inputBucket.arnForObjects(`${props.inputPrefix}/*`);
    const outputObjects = props.outputBucket.arnForObjects(`${outputPrefix}/*`);
    const modelAccess = new iam.ManagedPolicy(this, 'ModelAccess', {
      description: `Batch scoring of ${this.node.path}: read the features, write the predictions`,
      roles: [props.modelRole],
      statements: [
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [inputObjects] }),
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [props.inputBucket.bucketArn], conditions: { StringLike: { 's3:prefix': [`${props.inputPrefix}/*`] } } }),
        new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload'], resources: [outputObjects] }),
        new iam.PolicyStatement({ actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], resources: [this.encryptionKey.keyArn] }),
      ],
    });
    const inputKey = props.inputKey ?? props.inputBucket.encryptionKey;
    if (inputKey) modelAccess.addStatements(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [inputKey.keyArn] }));
    Nag.acknowledgeWildcard(modelAccess, inputObjects, 'Batch transform reads every file under the features prefix; read-only, that prefix only.');
    Nag.acknowledgeWildcard(modelAccess, outputObjects, 'Batch transform writes <prefix>/<run>/<input file>.out; names it derives from the input files; that prefix only.');

    // The state machine: one .sync task.
    const transformJobs = stack.formatArn({ service: 'sagemaker', resource: 'transform-job', resourceName: '*' });
    const eventsRule = stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForSageMakerTransformJobsRule' });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
      description: `Runs the batch transform jobs of ${this.node.path}`,
    });
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `What the batch scoring state machine of ${this.node.path} needs`,
      roles: [this.role],
      statements: [
        // What Step Functions lists for the createTransformJob.sync integration.
        new iam.PolicyStatement({ actions: ['sagemaker:CreateTransformJob', 'sagemaker:DescribeTransformJob', 'sagemaker:StopTransformJob', 'sagemaker:AddTags', 'sagemaker:ListTags'], resources: [transformJobs] }),
        new iam.PolicyStatement({ actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], resources: [eventsRule] }),
        // Log delivery and X-Ray have no resource-level permissions.
        new iam.PolicyStatement({
          actions: ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:ListLogDeliveries',
            'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups',
            'xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({ actions: ['kms:CreateGrant', 'kms:DescribeKey'], resources: [this.encryptionKey.keyArn] }),
      ],
    });
    Nag.acknowledge(policy,
      { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, transformJobs)}]`, reason: 'Each run creates a transform job with a fresh name (scoring-<uuid>); only transform jobs, only the actions the .sync integration needs.' },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'CloudWatch Logs delivery and X-Ray actions have no resource-level permissions (Step Functions logging and tracing docs).' });

    const logGroup = new EncryptedLogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      encryptionKey: this.encryptionKey,
      retention: defaults.logRetention,
      removalPolicy: profile.removalPolicy,
    });

    this.definition = {
      Comment: `Batch scoring with SageMaker model ${props.modelName}`,
      TimeoutSeconds: timeout,
      StartAt: 'Score',
      States: {
        Score: {
          Type: 'Task',
          Resource: `arn:${stack.partition}:states:::sagemaker:createTransformJob.sync`,
          Parameters: {
            'TransformJobName.$': "States.Format('scoring-{}', States.UUID())",
            'ModelName': props.modelName,
            'BatchStrategy': 'MultiRecord',
            'MaxPayloadInMB': 6,
            'TransformInput': {
              DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: props.inputBucket.s3UrlForObject(`${props.inputPrefix}/`) } },
              ContentType: 'text/csv',
              SplitType: 'Line',
            },
            'TransformOutput': {
              'S3OutputPath.$': `States.Format('${this.outputUri}/{}/', $$.Execution.Name)`,
              'KmsKeyId': this.encryptionKey.keyArn,
              'Accept': 'text/csv',
              'AssembleWith': 'Line',
            },
            'TransformResources': { InstanceType: instanceType, InstanceCount: instanceCount, VolumeKmsKeyId: this.encryptionKey.keyArn },
            // Drop the id before the model, join the prediction back to the input line, keep id and prediction.
            'DataProcessing': { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' },
          },
          End: true,
        },
      },
    };
    this.stateMachine = new sfn.CfnStateMachine(this, 'StateMachine', {
      roleArn: this.role.roleArn,
      stateMachineType: 'STANDARD',
      definitionString: stack.toJsonString(this.definition),
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: logGroup.logGroupArn } }] },
      tracingConfiguration: { enabled: true },
    });
    this.stateMachine.node.addDependency(policy, modelAccess);
    this.stateMachineArn = this.stateMachine.attrArn;

    if (props.schedule) {
      const schedulerRole = new iam.Role(this, 'SchedulerRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': stack.account } } }),
        description: `Starts the batch scoring of ${this.node.path} on schedule`,
      });
      new iam.ManagedPolicy(this, 'SchedulerPolicy', {
        description: `Start executions of ${this.node.path}`,
        roles: [schedulerRole],
        statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] })],
      });
      this.schedule = new scheduler.CfnSchedule(this, 'Schedule', {
        description: `Batch scoring of ${this.node.path}`,
        scheduleExpression: props.schedule,
        scheduleExpressionTimezone: 'UTC',
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: this.stateMachineArn, roleArn: schedulerRole.roleArn, input: '{}', retryPolicy: { maximumRetryAttempts: 0 } },
      });
    }

    this.alarmTopic = props.alarmTopic ?? encryptedAlarmTopic(this, 'AlarmTopic', `Batch scoring ${this.node.path}`);
    this.failureAlarm = this.metric('ExecutionsFailed').createAlarm(this, 'FailureAlarm', {
      alarmDescription: `A batch scoring run of ${this.node.path} failed, timed out or was aborted`,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureAlarm.addAlarmAction(new cloudwatchActions.SnsAction(this.alarmTopic));
  }

  /** Allows starting a run now (`states:StartExecution`). */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['states:StartExecution'], resourceArns: [this.stateMachineArn] });
  }

  /** A metric of the state machine (namespace `AWS/States`, dimension StateMachineArn; sum over 5 minutes). */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/States', metricName, statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...props,
      dimensionsMap: { StateMachineArn: this.stateMachineArn, ...props.dimensionsMap },
    });
  }

  /** Failed runs. */
  public metricExecutionsFailed(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('ExecutionsFailed', props);
  }

  /** Run duration (ms, average). */
  public metricExecutionTime(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('ExecutionTime', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }
}

function validateShape(scope: IConstruct, props: BatchScoringProps): void {
  checkRequired(scope, 'props', props, 'BatchScoringProps');
  checkRequired(scope, 'modelName', props.modelName, 'the SageMaker model name, e.g. endpoint.model("AllTraffic").attrModelName');
  checkType(scope, 'modelName', props.modelName, 'string');
  checkRequired(scope, 'modelRole', props.modelRole, "the model's execution role (e.g. endpoint.role)");
  checkRequired(scope, 'inputBucket', props.inputBucket, 'an s3.IBucket');
  checkRequired(scope, 'inputPrefix', props.inputPrefix, 'a key prefix');
  checkType(scope, 'inputPrefix', props.inputPrefix, 'string');
  checkRequired(scope, 'outputBucket', props.outputBucket, 'an s3.IBucket');
  checkType(scope, 'outputPrefix', props.outputPrefix, 'string');
  checkType(scope, 'instanceType', props.instanceType, 'string');
  checkType(scope, 'instanceCount', props.instanceCount, 'number');
  checkType(scope, 'schedule', props.schedule, 'string');
  if (props.timeout !== undefined) check(scope, props.timeout instanceof Duration, 'timeout', props.timeout, 'a Duration, e.g. Duration.hours(2)');
}
