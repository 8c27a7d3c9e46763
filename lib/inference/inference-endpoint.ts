import { Duration, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { DataKey } from '../core/data-key';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { Nag } from '../core/nag';
import { SageMakerNames } from '../core/naming';
import { Profile } from '../core/profile';
import { check, checkPattern, checkRange, invalidProp } from '../core/validation';
import { InferenceInstanceType } from './instance-type';
import { DataCaptureDestination, ModelData } from './model-data';
import { ModelImage } from './model-image';
import { TrafficRouting, TrafficRoutingType } from './traffic-routing';

/** What data capture records. */
export enum CaptureMode {
  /** Requests only. */
  INPUT = 'Input',
  /** Responses only. */
  OUTPUT = 'Output',
  /** Requests and responses (what Model Monitor's data quality checks need). */
  INPUT_AND_OUTPUT = 'InputAndOutput',
}

/** Data capture of an endpoint: a sample of requests and responses written to S3. */
export interface DataCaptureOptions {
  /** Where captured data goes. */
  readonly destination: DataCaptureDestination;
  /**
   * Percentage of requests captured (0–100).
   * @default - lab: 100; production: 20
   */
  readonly samplingPercentage?: number;
  /**
   * What is captured.
   * @default CaptureMode.INPUT_AND_OUTPUT
   */
  readonly captureMode?: CaptureMode;
  /**
   * Content types captured as CSV text instead of base64.
   * @default ['text/csv']
   */
  readonly csvContentTypes?: string[];
  /**
   * Content types captured as JSON text instead of base64.
   * @default ['application/json']
   */
  readonly jsonContentTypes?: string[];
}

/** Target-tracking autoscaling of an instance variant on `SageMakerVariantInvocationsPerInstance`. */
export interface VariantAutoScalingOptions {
  /**
   * Whether the variant autoscales. Burstable (`ml.t*`) types cannot: turn it off for them.
   *
   * While a variant is registered with Application Auto Scaling, SageMaker refuses an endpoint
   * update that changes its instance type or removes it. To do either: deploy with
   * `enabled: false` on that variant (deregisters it), deploy the change, then turn autoscaling
   * back on and deploy again.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Fewest instances (at least 1: target tracking cannot scale out from zero).
   * @default - lab: 1; production: 2
   */
  readonly minCapacity?: number;
  /**
   * Most instances.
   * @default - lab: 2; production: 4
   */
  readonly maxCapacity?: number;
  /**
   * Invocations per instance per minute to hold. AWS's rule: peak requests per second per
   * instance × 0.5 safety factor × 60.
   * @default 70
   */
  readonly targetInvocationsPerInstance?: number;
  /**
   * Wait after a scale-in before the next.
   * @default Duration.seconds(600)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleOutCooldown?: Duration;
}

/** An instance-backed production variant: one model on a fleet of instances, with a traffic weight. */
export interface InstanceVariantProps {
  /**
   * The variant's name. Keep it stable: blue/green guardrails match the old and new config by it.
   */
  readonly variantName: string;
  /** The container image. */
  readonly image: ModelImage;
  /**
   * The model artifact in S3.
   * @default - none: the image carries the model
   */
  readonly modelData?: ModelData;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Instance type.
   *
   * Changing it on an autoscaled variant fails at deploy (SageMaker refuses to change the instance
   * type of a variant that is a scaling target): first deploy with `autoScaling.enabled: false`,
   * then change the type, then re-enable autoscaling — three deployments.
   * @default - lab: ml.c5.large; production: ml.c5.large
   */
  readonly instanceType?: InferenceInstanceType;
  /**
   * Instances at creation (autoscaling then keeps the count between its minimum and maximum).
   * Every endpoint update (a new config swapped in) starts each variant's new fleet at this
   * count again, not at the count autoscaling had reached; autoscaling then scales it out anew.
   * With canary or linear traffic routing it must be at least 2: a canary or step is at most
   * half of the new fleet.
   * @default - lab: 1; production: 2
   */
  readonly initialInstanceCount?: number;
  /**
   * Relative traffic weight (≥ 0); the variant's share is its weight over the sum of all weights.
   * @default 1
   */
  readonly initialWeight?: number;
  /**
   * Size of the ML storage volume per instance, 1–512 GB (not for types with local NVMe storage).
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSizeInGb?: number;
  /**
   * Time allowed to download the model artifact, 60–3600 s.
   * @default - SageMaker's default
   */
  readonly modelDataDownloadTimeout?: Duration;
  /**
   * Time allowed for the container to pass its health check after start, 60–3600 s.
   * @default - SageMaker's default
   */
  readonly containerStartupHealthCheckTimeout?: Duration;
  /**
   * Autoscaling of the variant.
   * @default - target tracking with the defaults of VariantAutoScalingOptions
   */
  readonly autoScaling?: VariantAutoScalingOptions;
}

/** A serverless variant: SageMaker provisions compute per request; no VPC, isolation or data capture. */
export interface ServerlessVariantProps {
  /** The variant's name. */
  readonly variantName: string;
  /** The container image (CPU only: serverless has no GPUs). */
  readonly image: ModelImage;
  /**
   * The model artifact in S3.
   * @default - none: the image carries the model
   */
  readonly modelData?: ModelData;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Memory, 1024–6144 MB in steps of 1024.
   * @default 2048
   */
  readonly memorySizeInMb?: number;
  /**
   * Concurrent invocations, 1–200.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Warm capacity kept ready (1–200, at most maxConcurrency); billed while provisioned.
   * @default - none: cold starts possible
   */
  readonly provisionedConcurrency?: number;
}

/** Blue/green update guardrails: traffic shifting, bake time and automatic rollback. */
export interface DeploymentGuardrailOptions {
  /**
   * How traffic moves to the new fleet.
   * @default - lab: all at once; production: canary 10 % with a 5 minute wait
   */
  readonly trafficRouting?: TrafficRouting;
  /**
   * How long the old fleet is kept after the last traffic shift before it is terminated, 0–3600 s
   * (`TerminationWaitInSeconds`).
   * @default - lab: 0 seconds; production: 10 minutes
   */
  readonly bakeTime?: Duration;
  /**
   * Longest a deployment may run before it is rolled back, 600–28800 s, and longer than the bake
   * time plus the waits of the traffic routing (one for all at once and canary, one per step for
   * linear).
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
  /**
   * Whether the endpoint's 5XX and model latency alarms roll a deployment back.
   * @default - lab: false; production: true
   */
  readonly autoRollback?: boolean;
  /**
   * More alarms that roll a deployment back (only when autoRollback is on). SageMaker takes at
   * most 10 rollback alarms in all, and the endpoint brings two per variant.
   * @default - none
   */
  readonly additionalRollbackAlarms?: cloudwatch.IAlarm[];
}

/** Thresholds of the alarms each instance or serverless variant gets. */
export interface EndpointAlarmOptions {
  /**
   * 5XX errors per minute at which the error alarm fires.
   * @default 1
   */
  readonly invocation5xxErrors?: number;
  /**
   * Average model latency over a minute at which the latency alarm fires.
   * @default Duration.seconds(1)
   */
  readonly modelLatency?: Duration;
  /**
   * Consecutive breaching minutes before an alarm fires.
   * @default 2
   */
  readonly evaluationPeriods?: number;
  /**
   * Actions when an alarm fires, e.g. an SNS topic that pages someone.
   * @default - none: the alarms gate deployments and show state, notifying nobody
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** Props of {@link InferenceEndpoint}. */
export interface InferenceEndpointProps {
  /**
   * The endpoint's name. It never changes on updates (changing it would replace the endpoint).
   * @default - a deterministic name built from the construct path
   */
  readonly endpointName?: string;
  /**
   * Instance-backed variants; more can be added with `addVariant`.
   * @default - none
   */
  readonly variants?: InstanceVariantProps[];
  /**
   * A serverless variant instead of instance variants.
   * @default - none
   */
  readonly serverlessVariant?: ServerlessVariantProps;
  /**
   * The VPC the models run in (e.g. `PrivateNetwork.vpc`). Instance variants need one; serverless rejects one.
   * @default - none
   */
  readonly vpc?: ec2.IVpc;
  /**
   * Subnets of the models: private, in at least two availability zones.
   * @default - the VPC's isolated subnets, or its private subnets with egress when it has none
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the models (1–5).
   * @default - a new security group allowing HTTPS out only (to VPC endpoints)
   */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Whether containers run without any network access (model artifact still loads).
   * @default false
   */
  readonly networkIsolation?: boolean;
  /**
   * Customer managed key for the instances' storage volumes (`KmsKeyId`), the endpoint's log
   * group and, unless the destination has its own, captured data. A key given here is rejected
   * when a variant uses an instance type with local NVMe storage, which SageMaker encrypts in
   * hardware and for which it refuses a key. It gets a key policy statement for CloudWatch Logs
   * (the endpoint's log group), so it must be a key defined in this app: an imported key is
   * rejected at synth.
   * @default - a new DataKey (not put on the config when a variant has local NVMe storage)
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Execution role of the models.
   * @default - a new role with exactly what the models need
   */
  readonly role?: iam.IRole;
  /**
   * Data capture to S3.
   * @default - none
   */
  readonly dataCapture?: DataCaptureOptions;
  /**
   * Blue/green update guardrails.
   * @default - the defaults of DeploymentGuardrailOptions
   */
  readonly deployment?: DeploymentGuardrailOptions;
  /**
   * Thresholds of the 5XX and latency alarms.
   * @default - the defaults of EndpointAlarmOptions
   */
  readonly alarms?: EndpointAlarmOptions;
  /**
   * Retention of the endpoint's log group.
   * @default - lab: one week; production: one year
   */
  readonly logRetention?: logs.RetentionDays;
}

/** Metric options with the variant to read. */
export interface VariantMetricOptions extends cloudwatch.MetricOptions {
  /**
   * The variant.
   * @default - the first variant
   */
  readonly variantName?: string;
}

/** Every profile-dependent default of {@link InferenceEndpoint}, in one place. */
export interface InferenceEndpointDefaults {
  /** Instance type of instance variants. */
  readonly instanceType: string;
  /** Initial instance count of instance variants. */
  readonly initialInstanceCount: number;
  /** Autoscaling minimum. */
  readonly minCapacity: number;
  /** Autoscaling maximum. */
  readonly maxCapacity: number;
  /** Data capture sampling percentage. */
  readonly samplingPercentage: number;
  /** Blue/green traffic routing. */
  readonly trafficRouting: TrafficRouting;
  /** Bake time. */
  readonly bakeTime: Duration;
  /** Whether alarms roll back deployments. */
  readonly autoRollback: boolean;
  /** Log retention. */
  readonly logRetention: logs.RetentionDays;
}

/** One variant as built: its model, its rendered config entry and its alarms. */
interface BuiltVariant {
  readonly name: string;
  readonly weight: number;
  readonly model: sagemaker.CfnModel;
  readonly config: sagemaker.CfnEndpointConfig.ProductionVariantProperty;
  readonly instanceType?: InferenceInstanceType;
  readonly alarms: cloudwatch.Alarm[];
  readonly scalableTarget?: appscaling.ScalableTarget;
}

const TIMEOUT_RANGE = [60, 3600] as const;
/** AutoRollbackConfiguration.Alarms takes at most 10 alarms (API_AutoRollbackConfig). */
const MAX_ROLLBACK_ALARMS = 10;

/**
 * A SageMaker real-time endpoint built like an aws-cdk L2: models in private subnets with their
 * own security group and a least-privilege role, an endpoint config encrypted with a customer
 * managed key and never given a fixed name (so every change swaps configs in place while the
 * endpoint and its name stay), data capture, one or more weighted instance variants with
 * target-tracking autoscaling, or one serverless variant, and blue/green updates that roll back
 * on the 5XX and latency alarms it creates.
 */
export class InferenceEndpoint extends Construct implements ec2.IConnectable, iam.IGrantable {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): InferenceEndpointDefaults {
    return {
      instanceType: profile.endpointInstanceType,
      initialInstanceCount: profile.endpointInitialInstanceCount,
      minCapacity: profile.endpointMinCapacity,
      maxCapacity: profile.endpointMaxCapacity,
      samplingPercentage: profile.isLab ? 100 : 20,
      trafficRouting: profile.isLab ? TrafficRouting.allAtOnce() : TrafficRouting.canary(10, Duration.minutes(5)),
      bakeTime: profile.isLab ? Duration.seconds(0) : Duration.minutes(10),
      autoRollback: profile.rollbackAlarms,
      logRetention: profile.logRetention,
    };
  }

  /** The endpoint's name (stable). */
  public readonly endpointName: string;
  /** The endpoint's ARN (SageMaker lower-cases names in ARNs). */
  public readonly endpointArn: string;
  /** The execution role of the models. */
  public readonly role: iam.IRole;
  /** The least-privilege policy of the execution role (a managed policy: no inline policies). */
  public readonly policy: iam.ManagedPolicy;
  /** The principal to grant model access to: the execution role. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The models' security groups (empty for serverless). */
  public readonly connections: ec2.Connections;
  /** The key of the storage volumes, the log group and captured data. */
  public readonly encryptionKey: kms.IKey;
  /** The log group the containers write to, `/aws/sagemaker/Endpoints/<name>`. */
  public readonly logGroup: logs.ILogGroup;
  /** The endpoint config (generated name: replaced on every change). */
  public readonly cfnEndpointConfig: sagemaker.CfnEndpointConfig;
  /** The endpoint. */
  public readonly cfnEndpoint: sagemaker.CfnEndpoint;
  /** Whether the endpoint is serverless. */
  public readonly serverless: boolean;

  private readonly profileDefaults: InferenceEndpointDefaults;
  private readonly builtVariants: BuiltVariant[] = [];
  private readonly explicitKey: boolean;
  private readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
  private readonly networkIsolation: boolean;
  private readonly alarmOptions: Required<EndpointAlarmOptions>;
  private readonly autoRollback: boolean;
  private readonly additionalRollbackAlarms: cloudwatch.IAlarm[];
  private readonly trafficRouting: TrafficRouting;

  constructor(scope: Construct, id: string, props: InferenceEndpointProps) {
    super(scope, id);
    const profile = Profile.of(this);
    const defaults = InferenceEndpoint.defaults(profile);
    this.profileDefaults = defaults;
    const stack = Stack.of(this);

    this.endpointName = props.endpointName ?? SageMakerNames.unique(this);
    SageMakerNames.validate(this, 'endpointName', this.endpointName);
    this.endpointArn = stack.formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: Token.isUnresolved(this.endpointName) ? this.endpointName : this.endpointName.toLowerCase(),
    });

    this.serverless = props.serverlessVariant !== undefined;
    if (this.serverless) {
      check(this, props.vpc === undefined, 'vpc', props.vpc?.node.path, 'no VPC for a serverless variant: serverless endpoints do not support VPC config');
      check(this, !props.networkIsolation, 'networkIsolation', props.networkIsolation, 'false for a serverless variant: serverless endpoints do not support network isolation');
      check(this, props.dataCapture === undefined, 'dataCapture', 'DataCaptureOptions', 'none for a serverless variant: serverless endpoints do not support data capture');
      check(this, (props.variants ?? []).length === 0, 'variants', (props.variants ?? []).map((v) => v.variantName),
        'none beside serverlessVariant: serverless endpoints have exactly one variant');
    }
    this.networkIsolation = props.networkIsolation ?? false;

    // Alarms and guardrails.
    const alarms = props.alarms ?? {};
    this.alarmOptions = {
      invocation5xxErrors: alarms.invocation5xxErrors ?? 1,
      modelLatency: alarms.modelLatency ?? Duration.seconds(1),
      evaluationPeriods: alarms.evaluationPeriods ?? 2,
      alarmActions: alarms.alarmActions ?? [],
    };
    checkRange(this, 'alarms.invocation5xxErrors', this.alarmOptions.invocation5xxErrors, 1, 1e9, { integer: true, unit: 'errors per minute' });
    checkRange(this, 'alarms.modelLatency', this.alarmOptions.modelLatency.toMilliseconds(), 1, 3_600_000, { unit: 'ms' });
    checkRange(this, 'alarms.evaluationPeriods', this.alarmOptions.evaluationPeriods, 1, 60, { integer: true, unit: 'minutes' });
    const deployment = props.deployment ?? {};
    this.autoRollback = deployment.autoRollback ?? defaults.autoRollback;
    this.additionalRollbackAlarms = deployment.additionalRollbackAlarms ?? [];
    check(this, this.autoRollback || this.additionalRollbackAlarms.length === 0, 'deployment.additionalRollbackAlarms',
      this.additionalRollbackAlarms.length, 'none while deployment.autoRollback is false');
    const routing = deployment.trafficRouting ?? (this.serverless ? TrafficRouting.allAtOnce() : defaults.trafficRouting);
    validateTrafficRouting(this, routing);
    this.trafficRouting = routing;
    const bakeTime = deployment.bakeTime ?? defaults.bakeTime;
    checkRange(this, 'deployment.bakeTime', bakeTime.toSeconds(), 0, 3600, { integer: true, unit: 'seconds' });
    const maxExecution = deployment.maximumExecutionTimeout?.toSeconds();
    checkRange(this, 'deployment.maximumExecutionTimeout', maxExecution, 600, 28800, { integer: true, unit: 'seconds' });
    const waits = routingWaitSeconds(routing);
    check(this, maxExecution === undefined || Token.isUnresolved(maxExecution) || maxExecution > bakeTime.toSeconds() + waits,
      'deployment.maximumExecutionTimeout', maxExecution,
      `more than the bake time plus the waits of the traffic routing (${bakeTime.toSeconds()} + ${waits} = ${bakeTime.toSeconds() + waits} seconds): the deployment could never finish in time`);

    // Network.
    let securityGroups: ec2.ISecurityGroup[] = [];
    if (props.vpc) {
      const vpc = props.vpc;
      const selection = props.vpcSubnets
        ?? (vpc.isolatedSubnets.length > 0 ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
      const selected = vpc.selectSubnets(selection);
      const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
      const publicSelected = selected.subnets.filter((s) => publicIds.has(s.subnetId));
      check(this, publicSelected.length === 0, 'vpcSubnets', publicSelected.map((s) => s.node.path),
        'private subnets only (isolated or with egress): models must not sit in public subnets');
      const azs = new Set(selected.subnets.map((s) => s.availabilityZone));
      check(this, selected.subnets.length >= 2 && selected.subnets.length <= 16 && azs.size >= 2, 'vpcSubnets',
        `${selected.subnets.length} subnet(s) in ${azs.size} availability zone(s)`,
        '2 to 16 subnets in at least two availability zones (SageMaker hosting in a VPC needs two AZs even for one instance)');
      securityGroups = props.securityGroups ?? [this.defaultSecurityGroup(vpc)];
      check(this, securityGroups.length >= 1 && securityGroups.length <= 5, 'securityGroups', securityGroups.length, '1 to 5 security groups');
      this.vpcConfig = { subnets: selected.subnetIds, securityGroupIds: securityGroups.map((sg) => sg.securityGroupId) };
    } else {
      check(this, props.vpcSubnets === undefined, 'vpcSubnets', 'SubnetSelection', 'nothing without a vpc');
      check(this, props.securityGroups === undefined, 'securityGroups', props.securityGroups?.length, 'nothing without a vpc');
    }
    this.connections = new ec2.Connections({ securityGroups });

    // Encryption, role, logs.
    this.explicitKey = props.encryptionKey !== undefined;
    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', { description: `SageMaker endpoint ${this.endpointName}: storage volumes, logs, captured data` });
    this.role = props.role ?? new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: `Execution role of the models of SageMaker endpoint ${this.endpointName}`,
    });
    this.grantPrincipal = this.role;
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `What the models of SageMaker endpoint ${this.endpointName} need, and nothing more`,
      roles: [this.role],
    });
    const logGroup = new EncryptedLogGroup(this, 'LogGroup', {
      logGroupName: `/aws/sagemaker/Endpoints/${this.endpointName}`,
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? defaults.logRetention,
      removalPolicy: profile.removalPolicy,
    });
    this.logGroup = logGroup;
    this.allow(['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [logGroup.logGroupArn]);
    // CloudWatch has no resource-level permissions for PutMetricData; the namespace condition
    // keeps the role to SageMaker's endpoint metrics (what AWS lists for CreateModel roles).
    this.allow(['cloudwatch:PutMetricData'], ['*'], { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } });
    if (this.vpcConfig) this.grantNetworkInterfaces(props.vpc!, securityGroups);

    // Data capture.
    let dataCaptureConfig: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | undefined;
    if (props.dataCapture) dataCaptureConfig = this.renderDataCapture(props.dataCapture, defaults);

    this.cfnEndpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: Lazy.any({ produce: () => this.renderVariants() }) as never,
      kmsKeyId: this.encryptionKey.keyArn,
      dataCaptureConfig,
    });

    this.cfnEndpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: this.endpointName,
      endpointConfigName: this.cfnEndpointConfig.attrEndpointConfigName,
      deploymentConfig: {
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: renderTrafficRouting(routing),
          terminationWaitInSeconds: bakeTime.toSeconds(),
          maximumExecutionTimeoutInSeconds: maxExecution,
        },
        autoRollbackConfiguration: Lazy.any({ produce: () => this.renderAutoRollback() }) as never,
      },
    });
    // SageMaker creates the log group itself if it is missing; ours must exist first.
    this.cfnEndpoint.node.addDependency(logGroup);
    this.cfnEndpoint.node.addDependency(this.policy);

    for (const variant of props.variants ?? []) this.addVariant(variant);
    if (props.serverlessVariant) this.addServerlessVariant(props.serverlessVariant);

    this.acknowledgeRoleFindings();
  }

  /** The variant names, in order. */
  public get variantNames(): string[] {
    return this.builtVariants.map((v) => v.name);
  }

  /** Every alarm the construct created (5XX and model latency, per variant). */
  public get alarms(): cloudwatch.IAlarm[] {
    return this.builtVariants.flatMap((v) => v.alarms);
  }

  /** The alarms that roll a blue/green deployment back (empty when autoRollback is off). */
  public get rollbackAlarms(): cloudwatch.IAlarm[] {
    return this.autoRollback ? [...this.alarms, ...this.additionalRollbackAlarms] : [];
  }

  /** The model of a variant. */
  public model(variantName: string): sagemaker.CfnModel {
    return this.variant(variantName).model;
  }

  /** The autoscaling target of an instance variant; undefined when it does not autoscale. */
  public scalableTarget(variantName: string): appscaling.ScalableTarget | undefined {
    return this.variant(variantName).scalableTarget;
  }

  /** Adds an instance-backed variant (A/B tests: give each a weight). */
  public addVariant(props: InstanceVariantProps): void {
    const name = props.variantName;
    const p = (field: string) => `variants[${name}].${field}`;
    check(this, !this.serverless, 'variants', name, 'no instance variant beside a serverless variant: serverless endpoints have exactly one variant');
    check(this, this.vpcConfig !== undefined, 'vpc', undefined,
      'a VPC with private subnets in two or more AZs for instance variants (e.g. new PrivateNetwork(...).vpc)');
    this.validateVariantName(name);

    const defaults = this.profileDefaults;
    const instanceType = props.instanceType ?? InferenceInstanceType.of(defaults.instanceType);
    check(this, Token.isUnresolved(instanceType.name) || instanceType.isWellFormed, p('instanceType'), instanceType.name,
      'an instance type of the form ml.<family>.<size>, e.g. "ml.c5.large"');
    if (instanceType.hasLocalNvmeStorage) {
      check(this, !this.explicitKey, p('instanceType'), instanceType.name,
        `an instance type without local NVMe storage while encryptionKey is given: SageMaker encrypts ${instanceType.family} instance storage in hardware and rejects an endpoint config KmsKeyId; omit encryptionKey or choose a type such as ml.c5.large`);
      check(this, props.volumeSizeInGb === undefined, p('volumeSizeInGb'), props.volumeSizeInGb,
        `nothing for ${instanceType.name}: its storage is fixed local NVMe`);
      // The default key still encrypts logs and captured data; the volume is encrypted in hardware.
      this.cfnEndpointConfig.kmsKeyId = undefined;
      Nag.acknowledgeCompliance(this.cfnEndpointConfig, 'SageMakerEndpointConfigurationKMSKeyConfigured',
        `${instanceType.name} stores data only on local NVMe instance storage, which the instance encrypts in hardware (AES-256); SageMaker rejects a KmsKeyId for such types.`);
    }
    const count = props.initialInstanceCount ?? defaults.initialInstanceCount;
    checkRange(this, p('initialInstanceCount'), count, 1, 1000, { integer: true, unit: 'instances' });
    const routingType = this.trafficRouting.type;
    check(this, routingType === TrafficRoutingType.ALL_AT_ONCE || Token.isUnresolved(count) || count >= 2, p('initialInstanceCount'), count,
      `at least 2 instances with ${routingType} traffic routing (a canary or linear step may be at most 50 % of the new fleet, which one instance cannot satisfy); or deployment.trafficRouting TrafficRouting.allAtOnce()`);
    const weight = props.initialWeight ?? 1;
    checkRange(this, p('initialWeight'), weight, 0, 1e6, { unit: '(a relative weight, not negative)' });
    checkRange(this, p('volumeSizeInGb'), props.volumeSizeInGb, 1, 512, { integer: true, unit: 'GB' });
    const download = props.modelDataDownloadTimeout?.toSeconds();
    const startup = props.containerStartupHealthCheckTimeout?.toSeconds();
    checkRange(this, p('modelDataDownloadTimeout'), download, ...TIMEOUT_RANGE, { integer: true, unit: 'seconds' });
    checkRange(this, p('containerStartupHealthCheckTimeout'), startup, ...TIMEOUT_RANGE, { integer: true, unit: 'seconds' });

    const scaling = props.autoScaling ?? {};
    const scales = scaling.enabled ?? true;
    if (scales) {
      check(this, !instanceType.isBurstable, p('autoScaling'), instanceType.name,
        `autoScaling.enabled false for burstable ${instanceType.name}, or a non-burstable type such as ml.c5.large: Application Auto Scaling cannot scale burstable instances`);
    }
    const min = scaling.minCapacity ?? defaults.minCapacity;
    const max = scaling.maxCapacity ?? defaults.maxCapacity;
    const target = scaling.targetInvocationsPerInstance ?? 70;
    const scaleIn = scaling.scaleInCooldown ?? Duration.seconds(600);
    const scaleOut = scaling.scaleOutCooldown ?? Duration.seconds(300);
    if (scales) {
      checkRange(this, p('autoScaling.minCapacity'), min, 1, 1000, { integer: true, unit: 'instances (target tracking cannot scale out from zero)' });
      checkRange(this, p('autoScaling.maxCapacity'), max, Math.max(1, min), 1000, { integer: true, unit: 'instances (at least minCapacity)' });
      checkRange(this, p('autoScaling.targetInvocationsPerInstance'), target, 1, 1e6, { unit: 'invocations per instance per minute' });
      checkRange(this, p('autoScaling.scaleInCooldown'), scaleIn.toSeconds(), 0, 86400, { integer: true, unit: 'seconds' });
      checkRange(this, p('autoScaling.scaleOutCooldown'), scaleOut.toSeconds(), 0, 86400, { integer: true, unit: 'seconds' });
    }

    const scope = new Construct(this, `Variant${name}`);
    const model = this.createModel(scope, props.image, props.modelData, props.environment, this.vpcConfig, this.networkIsolation);
    const config: sagemaker.CfnEndpointConfig.ProductionVariantProperty = {
      variantName: name,
      modelName: model.attrModelName,
      instanceType: instanceType.name,
      initialInstanceCount: count,
      initialVariantWeight: weight,
      volumeSizeInGb: props.volumeSizeInGb,
      modelDataDownloadTimeoutInSeconds: download,
      containerStartupHealthCheckTimeoutInSeconds: startup,
    };
    let scalableTarget: appscaling.ScalableTarget | undefined;
    if (scales) {
      scalableTarget = new appscaling.ScalableTarget(scope, 'ScalableTarget', {
        serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
        resourceId: `endpoint/${this.endpointName}/variant/${name}`,
        scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
        minCapacity: min,
        maxCapacity: max,
        // Application Auto Scaling acts for SageMaker through its service-linked role; without
        // this, aws-cdk-lib would create an unused role with no permissions.
        role: iam.Role.fromRoleArn(scope, 'ScalingRole', Stack.of(this).formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
        }), { mutable: false }),
      });
      scalableTarget.node.addDependency(this.cfnEndpoint);
      scalableTarget.scaleToTrackMetric('InvocationsPerInstance', {
        predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
        targetValue: target,
        scaleInCooldown: scaleIn,
        scaleOutCooldown: scaleOut,
      });
    }
    this.builtVariants.push({ name, weight, model, config, instanceType, alarms: this.createAlarms(scope, name), scalableTarget });
  }

  /** Permits `sagemaker:InvokeEndpoint` on this endpoint. */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }

  /** A metric of a variant: namespace `AWS/SageMaker`, dimensions EndpointName and VariantName. */
  public metric(metricName: string, options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('AWS/SageMaker', metricName, { statistic: 'Sum', ...options });
  }

  /** Requests sent to the variant (sum per period). */
  public metricInvocations(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.metric('Invocations', options);
  }

  /** Time the model took to answer, in microseconds (average). */
  public metricModelLatency(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'Average', ...options });
  }

  /** Time SageMaker added around the model, in microseconds (average). */
  public metricOverheadLatency(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.metric('OverheadLatency', { statistic: 'Average', ...options });
  }

  /** Requests the model answered with a 4XX error (sum). */
  public metricInvocation4xxErrors(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', options);
  }

  /** Requests the model answered with a 5XX error (sum). */
  public metricInvocation5xxErrors(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', options);
  }

  /** CPU utilization of the variant's instances, percent summed over cores (average); instance variants only. */
  public metricCpuUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('/aws/sagemaker/Endpoints', 'CPUUtilization', { statistic: 'Average', ...options });
  }

  /** Memory utilization of the variant's instances, percent (average); instance variants only. */
  public metricMemoryUtilization(options: VariantMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('/aws/sagemaker/Endpoints', 'MemoryUtilization', { statistic: 'Average', ...options });
  }

  private variantMetric(namespace: string, metricName: string, options: VariantMetricOptions): cloudwatch.Metric {
    const { variantName, ...rest } = options;
    const name = variantName ?? this.builtVariants[0]?.name;
    if (name === undefined) return invalidProp(this, 'variantName', variantName, 'a variant of the endpoint (add one before reading its metrics)');
    this.variant(name);
    return this.buildMetric(namespace, metricName, name, rest);
  }

  private buildMetric(namespace: string, metricName: string, name: string, rest: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace,
      metricName,
      period: Duration.minutes(1),
      ...rest,
      dimensionsMap: { EndpointName: this.endpointName, VariantName: name },
    });
  }

  private variant(name: string): BuiltVariant {
    const found = this.builtVariants.find((v) => v.name === name);
    if (!found) return invalidProp(this, 'variantName', name, `a variant of the endpoint: ${this.variantNames.join(', ') || '(none yet)'}`);
    return found;
  }

  private validateVariantName(name: string): void {
    SageMakerNames.validate(this, 'variantName', name);
    check(this, !this.builtVariants.some((v) => v.name === name), 'variantName', name, 'a name no other variant of the endpoint has');
  }

  private addServerlessVariant(props: ServerlessVariantProps): void {
    const name = props.variantName;
    const p = (field: string) => `serverlessVariant.${field}`;
    this.validateVariantName(name);
    const memory = props.memorySizeInMb ?? 2048;
    const max = props.maxConcurrency ?? 5;
    checkRange(this, p('memorySizeInMb'), memory, 1024, 6144, { integer: true, unit: 'MB' });
    check(this, Token.isUnresolved(memory) || memory % 1024 === 0, p('memorySizeInMb'), memory, '1024, 2048, 3072, 4096, 5120 or 6144 MB');
    checkRange(this, p('maxConcurrency'), max, 1, 200, { integer: true, unit: 'concurrent invocations' });
    checkRange(this, p('provisionedConcurrency'), props.provisionedConcurrency, 1, Math.min(200, max), { integer: true, unit: `concurrent invocations (at most maxConcurrency, ${max})` });

    const scope = new Construct(this, `Variant${name}`);
    const model = this.createModel(scope, props.image, props.modelData, props.environment, undefined, false);
    const config: sagemaker.CfnEndpointConfig.ProductionVariantProperty = {
      variantName: name,
      modelName: model.attrModelName,
      initialVariantWeight: 1,
      serverlessConfig: { memorySizeInMb: memory, maxConcurrency: max, provisionedConcurrency: props.provisionedConcurrency },
    };
    this.builtVariants.push({ name, weight: 1, model, config, alarms: this.createAlarms(scope, name) });
  }

  private createModel(
    scope: Construct, image: ModelImage, modelData: ModelData | undefined, environment: { [key: string]: string } | undefined,
    vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined, networkIsolation: boolean,
  ): sagemaker.CfnModel {
    const variantName = scope.node.id.replace(/^Variant/, '');
    const imageConfig = image.bind(this, `variants[${variantName}].image`);
    if (modelData) {
      const key = modelData.objectKey;
      check(this, Token.isUnresolved(key) || (/^[^/].*[^/]$|^[^/]$/.test(key) && key.length <= 1024), `variants[${variantName}].modelData`, key,
        'an object key (not a prefix): no leading or trailing "/", at most 1024 characters, e.g. "models/xgboost/model.tar.gz"');
      this.allow(['s3:GetObject'], [modelData.bucket.arnForObjects(key)]);
      if (modelData.encryptionKey) this.allow(['kms:Decrypt'], [modelData.encryptionKey.keyArn]);
    }
    this.grantImagePull(imageConfig.repositoryArn);
    const model = new sagemaker.CfnModel(scope, 'Model', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: { image: imageConfig.imageUri, modelDataUrl: modelData?.s3Uri, environment },
      vpcConfig,
      enableNetworkIsolation: networkIsolation,
    });
    // The role's policy must be in place before SageMaker validates access to the image and artifact.
    model.node.addDependency(this.policy);
    return model;
  }

  private createAlarms(scope: Construct, variantName: string): cloudwatch.Alarm[] {
    const o = this.alarmOptions;
    const errors = new cloudwatch.Alarm(scope, 'Invocation5xxErrorsAlarm', {
      alarmDescription: `5XX errors of variant ${variantName} of endpoint ${this.endpointName}: rolls back blue/green updates when wired`,
      metric: this.buildMetric('AWS/SageMaker', 'Invocation5XXErrors', variantName, { statistic: 'Sum' }),
      threshold: o.invocation5xxErrors,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: o.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const latency = new cloudwatch.Alarm(scope, 'ModelLatencyAlarm', {
      alarmDescription: `Average model latency of variant ${variantName} of endpoint ${this.endpointName} (microseconds)`,
      metric: this.buildMetric('AWS/SageMaker', 'ModelLatency', variantName, { statistic: 'Average' }),
      threshold: o.modelLatency.toMilliseconds() * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: o.evaluationPeriods,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    for (const alarm of [errors, latency]) {
      alarm.addAlarmAction(...o.alarmActions);
      if (o.alarmActions.length === 0) {
        Nag.acknowledgeCompliance(alarm, 'CloudWatchAlarmAction',
          'SageMaker deployment guardrails read this alarm\'s state to roll back a blue/green update, and its state is visible in CloudWatch; notifications are opt-in through alarms.alarmActions.');
      }
    }
    return [errors, latency];
  }

  private renderVariants(): sagemaker.CfnEndpointConfig.ProductionVariantProperty[] {
    check(this, this.builtVariants.length > 0, 'variants', [], 'at least one variant: pass variants or serverlessVariant, or call addVariant');
    const weights = this.builtVariants.map((v) => v.weight);
    check(this, weights.some((w) => Token.isUnresolved(w) || w > 0), 'variants[*].initialWeight', weights,
      'at least one variant with a weight above 0 (otherwise no request could be routed)');
    return this.builtVariants.map((v) => v.config);
  }

  private renderAutoRollback(): sagemaker.CfnEndpoint.AutoRollbackConfigProperty | undefined {
    const alarms = this.rollbackAlarms;
    const own = alarms.length - this.additionalRollbackAlarms.length;
    check(this, alarms.length <= MAX_ROLLBACK_ALARMS, 'deployment.autoRollback',
      `${alarms.length} alarms (${own} of ${this.builtVariants.length} variant(s) + ${this.additionalRollbackAlarms.length} additional)`,
      `at most ${MAX_ROLLBACK_ALARMS} rollback alarms (SageMaker's AutoRollbackConfiguration limit; each variant brings 2): fewer variants or additionalRollbackAlarms, or autoRollback false`);
    return alarms.length > 0 ? { alarms: alarms.map((a) => ({ alarmName: a.alarmName })) } : undefined;
  }

  private renderDataCapture(options: DataCaptureOptions, defaults: InferenceEndpointDefaults): sagemaker.CfnEndpointConfig.DataCaptureConfigProperty {
    const sampling = options.samplingPercentage ?? defaults.samplingPercentage;
    checkRange(this, 'dataCapture.samplingPercentage', sampling, 0, 100, { integer: true, unit: 'percent' });
    const prefix = options.destination.prefix;
    checkPattern(this, 'dataCapture.destination prefix', prefix, /^[^/](.*[^/])?$/,
      'a key prefix without leading or trailing "/", e.g. "data-capture/churn"');
    const mode = options.captureMode ?? CaptureMode.INPUT_AND_OUTPUT;
    const key = options.destination.encryptionKey ?? this.encryptionKey;
    const bucket = options.destination.bucket;
    const objects = bucket.arnForObjects(`${prefix}/*`);
    this.allow(['s3:PutObject'], [objects]);
    this.allow(['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'], [key.keyArn]);
    Nag.acknowledgeWildcard(this.policy, objects,
      'SageMaker names captured-data objects itself (<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/<uuid>.jsonl); the wildcard allows only s3:PutObject under the one capture prefix.');
    return {
      destinationS3Uri: options.destination.s3Uri,
      initialSamplingPercentage: sampling,
      kmsKeyId: key.keyArn,
      enableCapture: true,
      captureOptions: mode === CaptureMode.INPUT_AND_OUTPUT
        ? [{ captureMode: CaptureMode.INPUT }, { captureMode: CaptureMode.OUTPUT }]
        : [{ captureMode: mode }],
      captureContentTypeHeader: {
        csvContentTypes: options.csvContentTypes ?? ['text/csv'],
        jsonContentTypes: options.jsonContentTypes ?? ['application/json'],
      },
    };
  }

  private defaultSecurityGroup(vpc: ec2.IVpc): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc,
      description: 'SageMaker endpoint models: HTTPS out to VPC endpoints only, nothing in',
      allowAllOutbound: false,
    });
    // S3's gateway endpoint is reached through a managed prefix list whose id cannot be known
    // offline, so HTTPS is allowed to any address; the subnets have no route beyond the endpoints.
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to S3 gateway and interface endpoints');
    return sg;
  }

  private grantNetworkInterfaces(vpc: ec2.IVpc, securityGroups: ec2.ISecurityGroup[]): void {
    const stack = Stack.of(this);
    const ec2Arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ec2', resource, resourceName });
    const networkInterfaces = ec2Arn('network-interface', '*');
    // DeleteNetworkInterfacePermission names a permission id, not an interface: no resource to scope it to.
    this.allow(['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeDhcpOptions',
      'ec2:DeleteNetworkInterfacePermission'], ['*']);
    // CreateNetworkInterface also authorizes the subnet and the security groups, whose request
    // context need not carry ec2:Vpc: scope it by their ARNs instead of a condition.
    this.allow(['ec2:CreateNetworkInterface'], [
      networkInterfaces,
      ...this.vpcConfig!.subnets.map((id) => ec2Arn('subnet', id)),
      ...securityGroups.map((sg) => ec2Arn('security-group', sg.securityGroupId)),
    ]);
    // These act on existing interfaces only, whose context carries ec2:Vpc.
    this.allow(
      ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'],
      [networkInterfaces],
      { ArnEquals: { 'ec2:Vpc': ec2Arn('vpc', vpc.vpcId) } },
    );
    Nag.acknowledgeWildcard(this.policy, networkInterfaces,
      'SageMaker creates the network interfaces of the models and names them itself; creation is limited to the endpoint subnets and security groups (their ARNs in the same statement), and deleting or sharing interfaces to those in the endpoint VPC (ec2:Vpc condition).');
  }

  private grantImagePull(repositoryArn: string): void {
    this.allow(['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], [repositoryArn]);
    this.allow(['ecr:GetAuthorizationToken'], ['*']);
  }

  private allow(actions: string[], resources: string[], conditions?: { [key: string]: unknown }): void {
    this.policy.addStatements(new iam.PolicyStatement({ actions, resources, conditions }));
  }

  private acknowledgeRoleFindings(): void {
    Nag.acknowledge(this.policy,
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecr:GetAuthorizationToken, the EC2 Describe actions, ec2:DeleteNetworkInterfacePermission (it names a permission id) and cloudwatch:PutMetricData support no resource-level permissions; PutMetricData is limited to the /aws/sagemaker/Endpoints namespace by a cloudwatch:namespace condition.',
      },
    );
  }
}

function validateTrafficRouting(scope: Construct, routing: TrafficRouting): void {
  checkRange(scope, 'deployment.trafficRouting waitInterval', routing.waitInterval.toSeconds(), 0, 3600, { integer: true, unit: 'seconds' });
  if (routing.type === TrafficRoutingType.CANARY) {
    checkRange(scope, 'deployment.trafficRouting canary size', routing.sizePercent, 1, 50, { integer: true, unit: 'percent of capacity' });
  } else if (routing.type === TrafficRoutingType.LINEAR) {
    checkRange(scope, 'deployment.trafficRouting linear step', routing.sizePercent, 10, 50, { integer: true, unit: 'percent of capacity' });
  }
}

/** The waits a routing adds to a deployment: one after the shift or canary, one per linear step. */
function routingWaitSeconds(routing: TrafficRouting): number {
  const wait = routing.waitInterval.toSeconds();
  if (routing.type !== TrafficRoutingType.LINEAR || routing.sizePercent === undefined || Token.isUnresolved(routing.sizePercent)) return wait;
  return Math.ceil(100 / routing.sizePercent) * wait;
}

function renderTrafficRouting(routing: TrafficRouting): sagemaker.CfnEndpoint.TrafficRoutingConfigProperty {
  const size = routing.sizePercent === undefined ? undefined : { type: 'CAPACITY_PERCENT', value: routing.sizePercent };
  return {
    type: routing.type,
    waitIntervalInSeconds: routing.waitInterval.toSeconds(),
    canarySize: routing.type === TrafficRoutingType.CANARY ? size : undefined,
    linearStepSize: routing.type === TrafficRoutingType.LINEAR ? size : undefined,
  };
}
