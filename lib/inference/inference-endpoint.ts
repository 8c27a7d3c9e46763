import { Duration, Lazy, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DataKey } from '../core/data-key';
import type { IEndpointMetrics, VariantMetricOptions } from '../core/dashboard-sources';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { Nag } from '../core/nag';
import { SageMakerNames } from '../core/naming';
import { Profile } from '../core/profile';
import { UniqueNames } from '../core/unique-names';
import {
  check, checkArray, checkInstance, checkOneOf, checkPattern, checkRange, checkRequired, checkType, invalidProp, isConcrete,
} from '../core/validation';
import { AsyncAutoScalingOptions, AsyncInferenceOptions, EndpointAsyncInference } from './async-inference';
import {
  CaptureMode, DataCaptureOptions, DeploymentGuardrailOptions, EndpointAlarmOptions, EndpointDataCapture, InstanceVariantProps,
  ServerlessVariantProps, VariantAutoScalingOptions,
} from './endpoint-options';
import { InferenceInstanceType } from './instance-type';
import { DataCaptureDestination, ModelData } from './model-data';
import {
  CONTENT_TYPE, MAX_ASYNC_S3_URI, renderTrafficRouting, routingWaitSeconds, validateEnvironment, validatePropTypes, validateTrafficRouting,
  validateVariantTypes,
} from './private/endpoint-checks';
import { TrafficRouting, TrafficRoutingType } from './traffic-routing';

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
  /**
   * Asynchronous inference: requests queued from S3, results and failures written to S3 under
   * KMS, SNS notifications, and autoscaling on the backlog down to zero instances.
   * Instance variants only (serverless endpoints do not support it).
   * @default - none: a real-time endpoint
   */
  readonly asyncInference?: AsyncInferenceOptions;
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
  /** What happens to the fixed-name log group on stack delete (never kept after a failed first create). */
  readonly logGroupRemovalPolicy: RemovalPolicy;
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
 * A SageMaker endpoint built like an aws-cdk L2: models in private subnets with their own security
 * group and a least-privilege role, an endpoint config encrypted with a customer managed key and
 * never given a fixed name (so every change swaps configs in place while the endpoint and its
 * name stay), data capture, one or more weighted instance variants with target-tracking
 * autoscaling, or one serverless variant, optional asynchronous inference that scales to zero, and
 * blue/green updates that roll back on the 5XX and latency alarms it creates.
 *
 * It implements aws-cdk-lib's `sagemaker.IEndpoint`, so `apigateway.SagemakerIntegration` takes it.
 */
export class InferenceEndpoint extends Resource implements sagemaker.IEndpoint, ec2.IConnectable, iam.IGrantable, IEndpointMetrics {
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
      logGroupRemovalPolicy: profile.isLab ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    };
  }

  /** The endpoint's name (stable). */
  public readonly endpointName: string;
  /** The endpoint's ARN (SageMaker lower-cases names in ARNs). */
  public readonly endpointArn: string;
  /** A reference to the endpoint (aws-cdk-lib's `sagemaker.IEndpointRef`). */
  public readonly endpointRef: sagemaker.EndpointReference;
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
  /** The VPC the models run in; undefined for serverless. */
  public readonly vpc?: ec2.IVpc;
  /** The subnets the models run in (ids, in order); empty for serverless. */
  public readonly subnetIds: string[];
  /** The data capture as built; undefined when capture is off. */
  public readonly dataCapture?: EndpointDataCapture;
  /** The asynchronous inference setup as built; undefined for a real-time endpoint. */
  public readonly asyncInference?: EndpointAsyncInference;
  /** Whether updates run under deployment guardrails (`DeploymentConfig`). */
  public readonly guardrails: boolean;

  private readonly profileDefaults: InferenceEndpointDefaults;
  private readonly builtVariants: BuiltVariant[] = [];
  private readonly explicitKey: boolean;
  private readonly vpcConfig?: sagemaker.CfnModel.VpcConfigProperty;
  private readonly networkIsolation: boolean;
  private readonly alarmOptions: Required<EndpointAlarmOptions>;
  private readonly autoRollback: boolean;
  private readonly additionalRollbackAlarms: cloudwatch.IAlarm[];
  private readonly trafficRouting: TrafficRouting;
  private readonly asyncScaling?: AsyncAutoScalingOptions;

  constructor(scope: Construct, id: string, props: InferenceEndpointProps) {
    super(scope, id);
    checkRequired(this, 'props', props, 'an InferenceEndpointProps object');
    validatePropTypes(this, props);
    const profile = Profile.of(this);
    const defaults = InferenceEndpoint.defaults(profile);
    this.profileDefaults = defaults;
    const stack = Stack.of(this);

    this.endpointName = props.endpointName ?? SageMakerNames.unique(this);
    SageMakerNames.validate(this, 'endpointName', this.endpointName);
    UniqueNames.claim(this, 'SageMaker endpoint', this.endpointName, 'endpointName');
    this.endpointArn = stack.formatArn({
      service: 'sagemaker',
      resource: 'endpoint',
      resourceName: Token.isUnresolved(this.endpointName) ? this.endpointName : this.endpointName.toLowerCase(),
    });
    this.endpointRef = { endpointArn: this.endpointArn };

    this.serverless = props.serverlessVariant !== undefined;
    if (this.serverless) {
      check(this, props.vpc === undefined, 'vpc', props.vpc?.node.path, 'no VPC for a serverless variant: serverless endpoints do not support VPC config');
      check(this, !props.networkIsolation, 'networkIsolation', props.networkIsolation, 'false for a serverless variant: serverless endpoints do not support network isolation');
      check(this, props.dataCapture === undefined, 'dataCapture', 'DataCaptureOptions', 'none for a serverless variant: serverless endpoints do not support data capture');
      check(this, (props.variants ?? []).length === 0, 'variants', (props.variants ?? []).map((v) => v.variantName),
        'none beside serverlessVariant: serverless endpoints have exactly one variant');
      // https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html (feature exclusions) and async-inference-create-endpoint.html
      check(this, props.asyncInference === undefined, 'asyncInference', 'AsyncInferenceOptions',
        'none for a serverless variant: asynchronous inference runs on instance variants only');
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
    this.guardrails = deployment.guardrails ?? true;
    this.autoRollback = this.guardrails && (deployment.autoRollback ?? defaults.autoRollback);
    check(this, this.guardrails || deployment.autoRollback !== true, 'deployment.autoRollback', true,
      'false or unset while deployment.guardrails is false: alarm rollback is a guardrail');
    this.additionalRollbackAlarms = deployment.additionalRollbackAlarms ?? [];
    check(this, this.autoRollback || this.additionalRollbackAlarms.length === 0, 'deployment.additionalRollbackAlarms',
      this.additionalRollbackAlarms.length, 'none while deployment.autoRollback (or deployment.guardrails) is false');
    const routing = deployment.trafficRouting ?? (this.serverless || !this.guardrails ? TrafficRouting.allAtOnce() : defaults.trafficRouting);
    validateTrafficRouting(this, routing);
    this.trafficRouting = routing;
    const bakeTime = deployment.bakeTime ?? (this.guardrails ? defaults.bakeTime : Duration.seconds(0));
    checkRange(this, 'deployment.bakeTime', bakeTime.toSeconds(), 0, 3600, { integer: true, unit: 'seconds' });
    const maxExecution = deployment.maximumExecutionTimeout?.toSeconds();
    checkRange(this, 'deployment.maximumExecutionTimeout', maxExecution, 600, 28800, { integer: true, unit: 'seconds' });
    const waits = routingWaitSeconds(routing);
    check(this, maxExecution === undefined || Token.isUnresolved(maxExecution) || Token.isUnresolved(bakeTime.toSeconds()) || maxExecution > bakeTime.toSeconds() + waits,
      'deployment.maximumExecutionTimeout', maxExecution,
      `more than the bake time plus the waits of the traffic routing (${bakeTime.toSeconds()} + ${waits} = ${bakeTime.toSeconds() + waits} seconds): the deployment could never finish in time`);
    if (!this.guardrails) {
      for (const prop of ['trafficRouting', 'bakeTime', 'maximumExecutionTimeout'] as const) {
        check(this, deployment[prop] === undefined, `deployment.${prop}`, 'set', 'nothing while deployment.guardrails is false (the update runs without DeploymentConfig)');
      }
    }

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
      this.vpc = vpc;
    } else {
      check(this, props.vpcSubnets === undefined, 'vpcSubnets', 'SubnetSelection', 'nothing without a vpc');
      check(this, props.securityGroups === undefined, 'securityGroups', props.securityGroups?.length, 'nothing without a vpc');
    }
    this.subnetIds = this.vpcConfig ? [...this.vpcConfig.subnets] : [];
    this.connections = new ec2.Connections({ securityGroups });

    // Encryption, role, logs.
    this.explicitKey = props.encryptionKey !== undefined;
    this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'Key', { description: `SageMaker endpoint ${this.endpointName}: storage volumes, logs, captured data` });
    const logGroupName = `/aws/sagemaker/Endpoints/${this.endpointName}`;
    // Admit CloudWatch Logs here, so an imported key is rejected naming this construct's encryptionKey.
    EncryptedLogGroup.allowLogsToUseKey(this, this.encryptionKey, logGroupName, 'encryptionKey');
    UniqueNames.claim(this, 'CloudWatch log group', logGroupName, 'endpointName');
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
      logGroupName,
      encryptionKey: this.encryptionKey,
      retention: props.logRetention ?? defaults.logRetention,
      // A fixed name: RETAIN_ON_UPDATE_OR_DELETE keeps it on delete but not after a failed first
      // create, so a retry does not fail with "already exists".
      removalPolicy: defaults.logGroupRemovalPolicy,
    });
    this.logGroup = logGroup;
    this.allow(['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], [logGroup.logGroupArn]);
    // CloudWatch has no resource-level permissions for PutMetricData; the namespace condition
    // keeps the role to SageMaker's endpoint metrics (what AWS lists for CreateModel roles).
    this.allow(['cloudwatch:PutMetricData'], ['*'], { StringEquals: { 'cloudwatch:namespace': '/aws/sagemaker/Endpoints' } });
    if (this.vpcConfig) this.grantNetworkInterfaces(props.vpc!, securityGroups);
    if (this.serverless) this.grantServerlessKey();
    if (this.autoRollback) this.grantDescribeAlarms(this.additionalRollbackAlarms);

    // Data capture.
    let dataCaptureConfig: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty | undefined;
    if (props.dataCapture) {
      const built = this.renderDataCapture(props.dataCapture, defaults);
      this.dataCapture = built.capture;
      dataCaptureConfig = built.config;
    }

    // Asynchronous inference.
    let asyncInferenceConfig: sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty | undefined;
    if (props.asyncInference) {
      const built = this.renderAsyncInference(props.asyncInference);
      this.asyncInference = built.built;
      asyncInferenceConfig = built.config;
      this.asyncScaling = props.asyncInference.autoScaling ?? {};
    }

    this.cfnEndpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      productionVariants: Lazy.any({ produce: () => this.renderVariants() }) as never,
      kmsKeyId: this.encryptionKey.keyArn,
      dataCaptureConfig,
      asyncInferenceConfig,
    });

    this.cfnEndpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: this.endpointName,
      endpointConfigName: this.cfnEndpointConfig.attrEndpointConfigName,
      deploymentConfig: this.guardrails ? {
        blueGreenUpdatePolicy: {
          trafficRoutingConfiguration: renderTrafficRouting(routing),
          terminationWaitInSeconds: bakeTime.toSeconds(),
          maximumExecutionTimeoutInSeconds: maxExecution,
        },
        autoRollbackConfiguration: Lazy.any({ produce: () => this.renderAutoRollback() }) as never,
      } : undefined,
    });
    // SageMaker creates the log group itself if it is missing; ours must exist first.
    this.cfnEndpoint.node.addDependency(logGroup);
    this.cfnEndpoint.node.addDependency(this.policy);

    for (const variant of props.variants ?? []) this.addVariant(variant);
    if (props.serverlessVariant) this.addServerlessVariant(props.serverlessVariant);

    this.acknowledgeRoleFindings();
  }

  /** The models' security groups (empty for serverless). */
  public get securityGroups(): ec2.ISecurityGroup[] {
    return this.connections.securityGroups;
  }

  /** Whether data capture is on. */
  public get dataCaptureEnabled(): boolean {
    return this.dataCapture !== undefined;
  }

  /** Whether the endpoint takes asynchronous requests (`InvokeEndpointAsync`). */
  public get isAsync(): boolean {
    return this.asyncInference !== undefined;
  }

  /** Applies the removal policy to the endpoint (`sagemaker.IEndpoint`); its config and models follow the endpoint. */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.cfnEndpoint.applyRemovalPolicy(policy);
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
    checkRequired(this, 'variants[]', props, 'an InstanceVariantProps object');
    const name = props.variantName;
    checkRequired(this, 'variantName', name, 'a variant name, e.g. "AllTraffic"');
    checkType(this, 'variantName', name, 'string');
    const p = (field: string) => `variants[${name}].${field}`;
    validateVariantTypes(this, p, props);
    check(this, !this.serverless, 'variants', name, 'no instance variant beside a serverless variant: serverless endpoints have exactly one variant');
    check(this, this.vpcConfig !== undefined, 'vpc', undefined,
      'a VPC with private subnets in two or more AZs for instance variants (e.g. new PrivateNetwork(...).vpc)');
    this.validateVariantName(name);

    const defaults = this.profileDefaults;
    checkInstance(this, p('instanceType'), props.instanceType, InferenceInstanceType,
      'an InferenceInstanceType, e.g. InferenceInstanceType.of("ml.c5.large") or InferenceInstanceType.C5_LARGE (not a plain string)');
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

    const asyncScaling = this.asyncScaling;
    check(this, asyncScaling === undefined || props.autoScaling === undefined, p('autoScaling'), 'VariantAutoScalingOptions',
      'nothing on an asynchronous endpoint: it scales on its backlog (asyncInference.autoScaling)');
    const scaling: VariantAutoScalingOptions = asyncScaling ?? props.autoScaling ?? {};
    const scales = scaling.enabled ?? true;
    if (scales) {
      check(this, !instanceType.isBurstable, p('autoScaling'), instanceType.name,
        `autoScaling.enabled false for burstable ${instanceType.name}, or a non-burstable type such as ml.c5.large: Application Auto Scaling cannot scale burstable instances`);
    }
    const min = scaling.minCapacity ?? (asyncScaling ? 0 : defaults.minCapacity);
    const max = scaling.maxCapacity ?? defaults.maxCapacity;
    const target = asyncScaling ? (asyncScaling.targetBacklogPerInstance ?? 5) : (props.autoScaling?.targetInvocationsPerInstance ?? 70);
    const scaleIn = scaling.scaleInCooldown ?? Duration.seconds(600);
    const scaleOut = scaling.scaleOutCooldown ?? Duration.seconds(300);
    const sp = (field: string) => (asyncScaling ? `asyncInference.autoScaling.${field}` : p(`autoScaling.${field}`));
    if (scales) {
      checkRange(this, sp('minCapacity'), min, asyncScaling ? 0 : 1, 1000, {
        integer: true, unit: asyncScaling ? 'instances (0 scales an asynchronous endpoint to zero)' : 'instances (target tracking cannot scale out from zero; only asynchronous endpoints scale to 0)',
      });
      checkRange(this, sp('maxCapacity'), max, Math.max(1, min), 1000, { integer: true, unit: 'instances (at least minCapacity and 1)' });
      checkRange(this, sp(asyncScaling ? 'targetBacklogPerInstance' : 'targetInvocationsPerInstance'), target, asyncScaling ? 0.1 : 1, 1e6,
        { unit: asyncScaling ? 'queued requests per instance' : 'invocations per instance per minute' });
      checkRange(this, sp('scaleInCooldown'), scaleIn.toSeconds(), 0, 86400, { integer: true, unit: 'seconds' });
      checkRange(this, sp('scaleOutCooldown'), scaleOut.toSeconds(), 0, 86400, { integer: true, unit: 'seconds' });
    }

    const scope = new Construct(this, `Variant${name}`);
    const model = this.createModel(scope, props, this.vpcConfig, this.networkIsolation);
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
      if (asyncScaling) {
        this.scaleOnBacklog(scope, scalableTarget, target, scaleIn, scaleOut);
      } else {
        scalableTarget.scaleToTrackMetric('InvocationsPerInstance', {
          predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
          targetValue: target,
          scaleInCooldown: scaleIn,
          scaleOutCooldown: scaleOut,
        });
      }
    }
    this.builtVariants.push({ name, weight, model, config, instanceType, alarms: this.createAlarms(scope, name), scalableTarget });
    this.checkRollbackAlarmCount();
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
    checkRequired(this, 'serverlessVariant.variantName', name, 'a variant name, e.g. "AllTraffic"');
    checkType(this, 'serverlessVariant.variantName', name, 'string');
    const p = (field: string) => `serverlessVariant.${field}`;
    validateVariantTypes(this, p, props);
    this.validateVariantName(name);
    const memory = props.memorySizeInMb ?? 2048;
    const max = props.maxConcurrency ?? 5;
    checkRange(this, p('memorySizeInMb'), memory, 1024, 6144, { integer: true, unit: 'MB' });
    check(this, Token.isUnresolved(memory) || memory % 1024 === 0, p('memorySizeInMb'), memory, '1024, 2048, 3072, 4096, 5120 or 6144 MB');
    checkRange(this, p('maxConcurrency'), max, 1, 200, { integer: true, unit: 'concurrent invocations' });
    checkRange(this, p('provisionedConcurrency'), props.provisionedConcurrency, 1, Math.min(200, max), { integer: true, unit: `concurrent invocations (at most maxConcurrency, ${max})` });

    const scope = new Construct(this, `Variant${name}`);
    const model = this.createModel(scope, props, undefined, false);
    const config: sagemaker.CfnEndpointConfig.ProductionVariantProperty = {
      variantName: name,
      modelName: model.attrModelName,
      initialVariantWeight: 1,
      serverlessConfig: { memorySizeInMb: memory, maxConcurrency: max, provisionedConcurrency: props.provisionedConcurrency },
    };
    this.builtVariants.push({ name, weight: 1, model, config, alarms: this.createAlarms(scope, name) });
    this.checkRollbackAlarmCount();
  }

  private createModel(
    scope: Construct, props: InstanceVariantProps | ServerlessVariantProps,
    vpcConfig: sagemaker.CfnModel.VpcConfigProperty | undefined, networkIsolation: boolean,
  ): sagemaker.CfnModel {
    const variantName = scope.node.id.replace(/^Variant/, '');
    const prop = (field: string) => (this.serverless ? `serverlessVariant.${field}` : `variants[${variantName}].${field}`);
    check(this, (props.image === undefined) !== (props.modelPackage === undefined), prop('image'), props.image === undefined ? undefined : 'ModelImage',
      'exactly one of image (with modelData) and modelPackage');
    check(this, props.modelPackage === undefined || props.modelData === undefined, prop('modelData'), 'ModelData',
      'nothing beside modelPackage (the package names its artifact; say which through ModelPackage.fromArn options)');
    validateEnvironment(this, prop('environment'), props.environment);
    let container: sagemaker.CfnModel.ContainerDefinitionProperty;
    if (props.modelPackage) {
      props.modelPackage.validate(this, prop('modelPackage'));
      const { image, modelData } = props.modelPackage.options;
      if (image) this.grantImagePull(image.bind(this, prop('modelPackage image')).repositoryArn);
      if (modelData) this.grantModelData(modelData, prop('modelPackage modelData'));
      container = { modelPackageName: props.modelPackage.modelPackageArn, environment: props.environment };
    } else {
      const imageConfig = props.image!.bind(this, prop('image'));
      const data = props.modelData ? this.grantModelData(props.modelData, prop('modelData')) : undefined;
      this.grantImagePull(imageConfig.repositoryArn);
      container = { image: imageConfig.imageUri, modelDataUrl: data?.s3Uri, environment: props.environment };
    }
    const model = new sagemaker.CfnModel(scope, 'Model', {
      executionRoleArn: this.role.roleArn,
      primaryContainer: container,
      vpcConfig,
      enableNetworkIsolation: networkIsolation,
    });
    // The role's policy must be in place before SageMaker validates access to the image and artifact.
    model.node.addDependency(this.policy);
    return model;
  }

  /** Reads exactly the artifact object (and decrypts it); an asset is created under this endpoint. */
  private grantModelData(modelData: ModelData, prop: string): { s3Uri: string } {
    const config = modelData.bind(this, prop);
    this.allow(['s3:GetObject'], [config.objectArn]);
    if (config.kmsKeyArn) this.allow(['kms:Decrypt'], [config.kmsKeyArn]);
    return config;
  }

  /**
   * Backlog scaling of an asynchronous endpoint (async-inference-autoscale.html): target tracking
   * on ApproximateBacklogSizePerInstance, and a step policy that adds an instance when requests
   * wait while the variant has none (HasBacklogWithoutCapacity), since target tracking on a
   * per-instance metric cannot leave zero.
   */
  private scaleOnBacklog(scope: Construct, target: appscaling.ScalableTarget, backlog: number, scaleIn: Duration, scaleOut: Duration): void {
    target.scaleToTrackMetric('BacklogPerInstance', {
      customMetric: new cloudwatch.Metric({
        namespace: 'AWS/SageMaker',
        metricName: 'ApproximateBacklogSizePerInstance',
        dimensionsMap: { EndpointName: this.endpointName },
        statistic: 'Average',
        period: Duration.minutes(1),
      }),
      targetValue: backlog,
      scaleInCooldown: scaleIn,
      scaleOutCooldown: scaleOut,
    });
    const wake = new appscaling.StepScalingAction(scope, 'WakeFromZero', {
      scalingTarget: target,
      adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
      metricAggregationType: appscaling.MetricAggregationType.AVERAGE,
      cooldown: scaleOut,
    });
    wake.addAdjustment({ adjustment: 1, lowerBound: 0 });
    const alarm = new cloudwatch.Alarm(scope, 'HasBacklogWithoutCapacityAlarm', {
      alarmDescription: `Requests wait for endpoint ${this.endpointName} while it has no instance: adds one`,
      metric: new cloudwatch.Metric({
        namespace: 'AWS/SageMaker',
        metricName: 'HasBacklogWithoutCapacity',
        dimensionsMap: { EndpointName: this.endpointName },
        statistic: 'Average',
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    alarm.addAlarmAction(new cwactions.ApplicationScalingAction(wake));
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
    if (this.autoRollback) this.grantDescribeAlarms([errors, latency]);
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

  /** Checked as each variant is added, so the error is not wrapped in "Resolution error" layers. */
  private checkRollbackAlarmCount(): void {
    const alarms = this.rollbackAlarms;
    const own = alarms.length - this.additionalRollbackAlarms.length;
    check(this, alarms.length <= MAX_ROLLBACK_ALARMS, 'deployment.autoRollback',
      `${alarms.length} alarms (${own} of ${this.builtVariants.length} variant(s) + ${this.additionalRollbackAlarms.length} additional)`,
      `at most ${MAX_ROLLBACK_ALARMS} rollback alarms (SageMaker's AutoRollbackConfiguration limit; each variant brings 2): fewer variants or additionalRollbackAlarms, or autoRollback false`);
  }

  private renderAutoRollback(): sagemaker.CfnEndpoint.AutoRollbackConfigProperty | undefined {
    const alarms = this.rollbackAlarms;
    return alarms.length > 0 ? { alarms: alarms.map((a) => ({ alarmName: a.alarmName })) } : undefined;
  }

  private renderDataCapture(options: DataCaptureOptions, defaults: InferenceEndpointDefaults):
  { capture: EndpointDataCapture; config: sagemaker.CfnEndpointConfig.DataCaptureConfigProperty } {
    checkRequired(this, 'dataCapture.destination', options.destination, 'a DataCaptureDestination, e.g. DataCaptureDestination.fromBucket(bucket, "data-capture")');
    checkInstance(this, 'dataCapture.destination', options.destination, DataCaptureDestination,
      'a DataCaptureDestination, e.g. DataCaptureDestination.fromBucket(bucket, "data-capture")');
    const sampling = options.samplingPercentage ?? defaults.samplingPercentage;
    checkType(this, 'dataCapture.samplingPercentage', sampling, 'number');
    checkRange(this, 'dataCapture.samplingPercentage', sampling, 0, 100, { integer: true, unit: 'percent' });
    const destination = options.destination.bind(this, 'dataCapture.destination');
    const prefix = destination.prefix;
    const mode = options.captureMode ?? CaptureMode.INPUT_AND_OUTPUT;
    checkOneOf(this, 'dataCapture.captureMode', mode, Object.values(CaptureMode));
    const csv = options.csvContentTypes ?? ['text/csv'];
    const json = options.jsonContentTypes ?? ['application/json'];
    for (const [prop, types] of [['dataCapture.csvContentTypes', csv], ['dataCapture.jsonContentTypes', json]] as const) {
      checkArray(this, prop, types, 'MIME types, e.g. ["text/csv"]');
      check(this, Token.isUnresolved(types) || types.length <= 10, prop, types, 'at most 10 MIME types (CaptureContentTypeHeader; an empty list leaves the header out)');
      types.forEach((t, i) => {
        checkType(this, `${prop}[${i}]`, t, 'string');
        check(this, !isConcrete(t) || (t.length <= 256 && CONTENT_TYPE.test(t)), `${prop}[${i}]`, t, 'a MIME type of at most 256 characters, e.g. "text/csv"');
      });
    }
    const key = destination.encryptionKey ?? this.encryptionKey;
    const bucket = destination.bucket;
    const objects = bucket.arnForObjects(`${prefix}/*`);
    this.allow(['s3:PutObject'], [objects]);
    this.allow(['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'], [key.keyArn]);
    Nag.acknowledgeWildcard(this.policy, objects,
      'SageMaker names captured-data objects itself (<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/<uuid>.jsonl); the wildcard allows only s3:PutObject under the one capture prefix.');
    const captureModes = mode === CaptureMode.INPUT_AND_OUTPUT ? [CaptureMode.INPUT, CaptureMode.OUTPUT] : [mode];
    return {
      capture: {
        bucket,
        prefix,
        s3Uri: destination.s3Uri,
        encryptionKey: key,
        captureModes,
        capturesInput: captureModes.includes(CaptureMode.INPUT),
        capturesOutput: captureModes.includes(CaptureMode.OUTPUT),
        samplingPercentage: sampling,
      },
      config: {
        destinationS3Uri: destination.s3Uri,
        initialSamplingPercentage: sampling,
        kmsKeyId: key.keyArn,
        enableCapture: true,
        captureOptions: captureModes.map((captureMode) => ({ captureMode })),
        // SageMaker takes 1–10 types per list: an empty list is left out.
        captureContentTypeHeader: { csvContentTypes: csv.length > 0 ? csv : undefined, jsonContentTypes: json.length > 0 ? json : undefined },
      },
    };
  }

  /**
   * AsyncInferenceConfig (API_AsyncInferenceConfig, API_AsyncInferenceOutputConfig,
   * API_AsyncInferenceClientConfig): the role writes results and failures under their prefixes with
   * the output key, and publishes to the two topics (async-inference-create-endpoint-prerequisites.html).
   */
  private renderAsyncInference(options: AsyncInferenceOptions): { built: EndpointAsyncInference; config: sagemaker.CfnEndpointConfig.AsyncInferenceConfigProperty } {
    checkRequired(this, 'asyncInference.bucket', options.bucket, 'the s3.IBucket results and failures are written to');
    const outputPrefix = options.outputPrefix ?? 'async-inference/output';
    const failurePrefix = options.failurePrefix ?? 'async-inference/failures';
    for (const [prop, prefix] of [['asyncInference.outputPrefix', outputPrefix], ['asyncInference.failurePrefix', failurePrefix]] as const) {
      checkType(this, prop, prefix, 'string');
      checkPattern(this, prop, prefix, /^[^/](.*[^/])?$/, 'a key prefix without leading or trailing "/", e.g. "async-inference/output"');
      // s3://<bucket name, at most 63>/<prefix> must fit SageMaker's 512 characters.
      check(this, !isConcrete(prefix) || prefix.length <= MAX_ASYNC_S3_URI - 's3://'.length - 63 - 1, prop, prefix,
        `a prefix of at most ${MAX_ASYNC_S3_URI - 's3://'.length - 63 - 1} characters (the S3 URI may have at most ${MAX_ASYNC_S3_URI})`);
    }
    check(this, !isConcrete(outputPrefix) || !isConcrete(failurePrefix) || (!outputPrefix.startsWith(`${failurePrefix}/`) && !failurePrefix.startsWith(`${outputPrefix}/`) && outputPrefix !== failurePrefix),
      'asyncInference.failurePrefix', failurePrefix, `a prefix apart from outputPrefix ("${outputPrefix}"): readers of results would otherwise see failures`);
    const maxConcurrent = options.maxConcurrentInvocationsPerInstance;
    checkType(this, 'asyncInference.maxConcurrentInvocationsPerInstance', maxConcurrent, 'number');
    checkRange(this, 'asyncInference.maxConcurrentInvocationsPerInstance', maxConcurrent, 1, 1000, { integer: true, unit: 'requests per instance (AsyncInferenceClientConfig)' });
    checkInstance(this, 'asyncInference.encryptionKey', options.encryptionKey, Construct, 'a kms.IKey');
    const key = options.encryptionKey ?? options.bucket.encryptionKey ?? this.encryptionKey;
    const topic = (id: string, given: sns.ITopic | undefined, what: string): sns.ITopic => given ?? new sns.Topic(this, id, {
      displayName: `${what} of asynchronous requests to SageMaker endpoint ${this.endpointName}`,
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    const successTopic = topic('SuccessTopic', options.successTopic, 'Successes');
    const errorTopic = topic('ErrorTopic', options.errorTopic, 'Failures');
    const bucket = options.bucket;
    const objects = [bucket.arnForObjects(`${outputPrefix}/*`), bucket.arnForObjects(`${failurePrefix}/*`)];
    this.allow(['s3:PutObject', 's3:AbortMultipartUpload'], objects);
    this.allow(['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'], [key.keyArn]);
    this.allow(['sns:Publish'], [successTopic.topicArn, errorTopic.topicArn]);
    // Publishing to a topic this construct encrypted with its key needs that key (sns-key-management.html);
    // a topic passed in brings its own key policy.
    if (!options.successTopic || !options.errorTopic) this.allow(['kms:GenerateDataKey', 'kms:Decrypt'], [this.encryptionKey.keyArn]);
    for (const arn of objects) {
      Nag.acknowledgeWildcard(this.policy, arn,
        'SageMaker names asynchronous results and failures itself (<inference id>.out / .err); the wildcard allows only writing under the one output or failure prefix.');
    }
    const s3OutputUri = bucket.s3UrlForObject(outputPrefix);
    const s3FailureUri = bucket.s3UrlForObject(failurePrefix);
    return {
      built: { bucket, s3OutputUri, s3FailureUri, encryptionKey: key, successTopic, errorTopic },
      config: {
        outputConfig: {
          s3OutputPath: s3OutputUri,
          s3FailurePath: s3FailureUri,
          kmsKeyId: key.keyArn,
          notificationConfig: { successTopic: successTopic.topicArn, errorTopic: errorTopic.topicArn },
        },
        clientConfig: maxConcurrent === undefined ? undefined : { maxConcurrentInvocationsPerInstance: maxConcurrent },
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
    // The permission list of host-vpc.html ("custom IAM policies"), DescribeVpcEndpoints included.
    this.allow(['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeDhcpOptions',
      'ec2:DescribeVpcEndpoints', 'ec2:DeleteNetworkInterfacePermission'], ['*']);
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

  /**
   * Deployment guardrails read the rollback alarms with the execution role
   * (deployment-guardrails-configuration.html: cloudwatch:DescribeAlarms on the alarms).
   */
  private grantDescribeAlarms(alarms: cloudwatch.IAlarm[]): void {
    if (alarms.length > 0) this.allow(['cloudwatch:DescribeAlarms'], alarms.map((a) => a.alarmArn));
  }

  /**
   * A serverless config's KmsKeyId encrypts SageMaker's copy of the image, and the key must admit
   * the endpoint's role (serverless-endpoints-prerequisites.html). The key's policy defers to IAM,
   * so the role gets what SageMaker does with it on the role's behalf, on this key only; grants
   * only for AWS resources (kms:GrantIsForAWSResource).
   */
  private grantServerlessKey(): void {
    const keyArn = this.encryptionKey.keyArn;
    this.allow(['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'], [keyArn]);
    this.allow(['kms:CreateGrant'], [keyArn], { Bool: { 'kms:GrantIsForAWSResource': 'true' } });
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

