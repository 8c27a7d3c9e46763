import * as path from 'path';
import { Aws, CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventsTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BuiltInImage, CaptureMode, DataCaptureDestination, DataKey, DataZone, InferenceApi, InferenceEndpoint, LabGuard, ModelData, ModelImage, ModelMonitor,
  ModelPackage, MonitoringBaseline, Nag, Profile, TrafficRouting,
} from '../../lib';
import { invalidProp } from '../../lib/core/validation';
import { defaultToLabProfile } from './lab-profile';
import type { MlLabData } from './ml-lab-data';
import { LAB_BASELINE_PREFIX } from './ml-lab-data';

/** Context key: `s3://bucket/key` of the approved model package's artifact (`lab serve` resolves it from the registry). */
export const LAB_MODEL_DATA_URI_CONTEXT = 'labModelDataUri';
/** Context key: ARN of the approved model package version to serve (with `labModelDataUri`, its artifact, for the role's grant). */
export const LAB_MODEL_PACKAGE_ARN_CONTEXT = 'labModelPackageArn';
/** Context key: `s3://bucket/prefix` holding the served model's baseline statistics.json and constraints.json. */
export const LAB_BASELINE_URI_CONTEXT = 'labBaselineUri';
/** Context key: `true` adds a Challenger variant at weight 0, ready for `lab shift`. */
export const LAB_CHALLENGER_CONTEXT = 'labChallenger';
/** The committed model artifact (trained on the lab dataset), shipped as a CDK file asset when no version is approved. */
export const LAB_COMMITTED_MODEL_PATH = path.join(__dirname, '..', '..', 'models', 'churn-xgboost', 'model.tar.gz');
/**
 * Where the monitor looks for a baseline when `lab serve` found none (no training run yet): the
 * training pipeline's baseline prefix in the features zone. Monitoring runs fail until a baseline
 * is there; `lab train` then `lab serve` passes the real one.
 */
export const LAB_DEFAULT_BASELINE_PREFIX = `${LAB_BASELINE_PREFIX}committed-model`;
/** How long before the data stack the serving stack deletes itself (its endpoint lives in the data stack's VPC). */
export const SERVING_EXPIRY_LEAD = Duration.minutes(30);

/** Props of {@link MlLabServing}. */
export interface MlLabServingProps extends StackProps {
  /** The data stack: lake (model artifact, captured data, baselines), network and training pipeline. */
  readonly data: MlLabData;
}

/** Output keys of {@link MlLabServing} that the `lab` command line reads (kept stable). */
export class MlLabServingOutputs {
  public static readonly ENDPOINT = 'EndpointName';
  public static readonly MODEL_DATA = 'ModelDataUri';
  public static readonly MODEL_PACKAGE = 'ModelPackageArn';
  public static readonly SCHEDULE = 'MonitoringScheduleName';
  public static readonly REPORTS = 'MonitorReportsLocation';
  public static readonly BASELINE = 'BaselineLocation';
  public static readonly API_URL = 'InferenceApiUrl';
  public static readonly EXPIRES_AT = 'ExpiresAt';
}

const S3_OBJECT = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+\.tar\.gz)$/;
const S3_PREFIX = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+?)\/?$/;

/**
 * The hands-on lab's serving side: a VPC-only real-time endpoint with data capture and
 * autoscaling, A/B-ready (context `labChallenger=true` adds a Challenger variant at weight 0),
 * Model Monitor data-quality checks against the training baseline whose drift alarm starts the
 * data stack's training pipeline, an IAM-authorized REST API in front, and its own lab guard that
 * expires 30 minutes before the data stack's. Serves the approved model package version (contexts
 * `labModelPackageArn` and `labModelDataUri`, resolved by `lab serve`), else the committed artifact
 * as a file asset.
 */
export class MlLabServing extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;
  /** Data quality against the training baseline. */
  public readonly monitor: ModelMonitor;
  /** The REST front door (SigV4). */
  public readonly api: InferenceApi;
  /** Drift alarm → the training pipeline. */
  public readonly retrainOnDrift: events.Rule;
  /** Budget and time-to-live. */
  public readonly guard: LabGuard;

  constructor(scope: Construct, id: string, props: MlLabServingProps) {
    super(scope, id, { description: 'cdk-ml-reference lab: real-time endpoint with capture, autoscaling, Model Monitor and a REST API, budget and time-to-live', ...props });
    defaultToLabProfile(this);
    const { lake, network, training } = props.data;
    const key = new DataKey(this, 'Key', { description: `Endpoint volumes and logs of ${this.stackName}` });
    const image = ModelImage.fromBuiltIn(BuiltInImage.xgboost());
    const served = this.servedModel(props.data, image);
    const capture = DataCaptureDestination.fromDataLake(lake, DataZone.CURATED, 'data-capture');

    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      networkIsolation: true,
      encryptionKey: key,
      dataCapture: { destination: capture, captureMode: CaptureMode.INPUT_AND_OUTPUT },
      deployment: Profile.of(this).isLab ? undefined : { trafficRouting: TrafficRouting.canary(20, Duration.minutes(5)) },
    });
    // The endpoint acknowledges its capture-prefix wildcard by the bucket ARN as it resolves in one
    // stack; across stacks cdk-nag prints the cross-stack output instead, so name that form here.
    const curatedOutput = `PublishOutputFnGetAtt${props.data.getLogicalId(lake.curatedBucket.node.defaultChild as s3.CfnBucket)}Arn`;
    Nag.acknowledge(this.endpoint.policy, {
      id: `AwsSolutions-IAM5[Resource::{"Fn::GetStackOutput":{"StackName":"${props.data.stackName}","Region":{"Ref":"AWS::Region"},"OutputName":"${curatedOutput}5C9DFC77"}}/data-capture/*]`,
      reason: 'SageMaker writes captured requests under generated object names below the data-capture/ prefix of the curated zone: the prefix is as narrow as it gets.',
    });
    const variant = served.modelPackage ? { modelPackage: served.modelPackage } : { image, modelData: served.modelData };
    this.endpoint.addVariant({ variantName: 'Champion', ...variant, initialWeight: 1 });
    const challenger: unknown = this.node.tryGetContext(LAB_CHALLENGER_CONTEXT);
    if (challenger === true || challenger === 'true') {
      // Weight 0: deployed and warm, no traffic until `lab shift` moves some.
      this.endpoint.addVariant({ variantName: 'Challenger', ...variant, initialWeight: 0 });
    }

    const baseline = this.baseline(props.data);
    this.monitor = new ModelMonitor(this, 'Monitor', {
      endpoint: this.endpoint,
      captureDestination: capture,
      baseline: baseline.baseline,
      outputBucket: lake.curatedBucket,
      outputPrefix: 'model-monitor',
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      encryptionKey: lake.encryptionKey,
      // One run at deploy only when the baseline is known to exist; hourly runs either way.
      runOnceOnDeploy: Profile.of(this).isLab && baseline.given,
    });
    // Drift starts retraining in the data stack. The rule and its role live here (the serving stack
    // already depends on the data stack), so the data stack never references this one.
    const retrainRole = new iam.Role(this, 'RetrainRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
      description: `Starts the lab training pipeline when ${this.stackName}'s drift alarm fires`,
    });
    new iam.ManagedPolicy(this, 'RetrainPolicy', {
      description: 'Start the lab training pipeline on drift',
      roles: [retrainRole],
      statements: [new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [training.stateMachine.stateMachineArn] })],
    });
    this.retrainOnDrift = this.monitor.onDrift('RetrainOnDrift', new eventsTargets.SfnStateMachine(training.stateMachine, {
      role: retrainRole.withoutPolicyUpdates(),
      input: events.RuleTargetInput.fromObject({ trigger: 'alarm' }),
      retryAttempts: 2,
    }));

    this.api = new InferenceApi(this, 'Api', { endpoint: this.endpoint, encryptionKey: key });
    this.guard = new LabGuard(this, 'Guard', { expiryLead: SERVING_EXPIRY_LEAD });

    new CfnOutput(this, MlLabServingOutputs.ENDPOINT, { value: this.endpoint.endpointName });
    new CfnOutput(this, MlLabServingOutputs.MODEL_DATA, { value: served.modelData.bind(this, 'modelData').s3Uri });
    new CfnOutput(this, MlLabServingOutputs.MODEL_PACKAGE, { value: served.modelPackage?.modelPackageArn ?? 'none (the committed artifact)' });
    new CfnOutput(this, MlLabServingOutputs.SCHEDULE, { value: this.monitor.scheduleName, description: 'lab drift runs this schedule\'s job definition now' });
    new CfnOutput(this, MlLabServingOutputs.REPORTS, { value: this.monitor.outputUri });
    new CfnOutput(this, MlLabServingOutputs.BASELINE, { value: baseline.uri });
    new CfnOutput(this, MlLabServingOutputs.API_URL, { value: this.api.predictionsUrl, description: 'POST {"instances": [[...]]} signed with SigV4 (lab invoke --api)' });
    new CfnOutput(this, MlLabServingOutputs.EXPIRES_AT, { value: this.guard.deleteAt ?? 'never (no labExpiresAt context)' });
  }

  /** The approved version (package ARN + its artifact) by context, else the committed artifact as an asset. */
  private servedModel(data: MlLabData, image: ModelImage): { modelData: ModelData; modelPackage?: ModelPackage } {
    const uri: unknown = this.node.tryGetContext(LAB_MODEL_DATA_URI_CONTEXT);
    const arn: unknown = this.node.tryGetContext(LAB_MODEL_PACKAGE_ARN_CONTEXT);
    if (uri === undefined) {
      if (arn !== undefined) return invalidProp(this, LAB_MODEL_DATA_URI_CONTEXT, uri, `the s3://<bucket>/<key>.tar.gz the package names, with ${LAB_MODEL_PACKAGE_ARN_CONTEXT}`);
      return { modelData: ModelData.fromAsset(LAB_COMMITTED_MODEL_PATH) };
    }
    const match = typeof uri === 'string' ? S3_OBJECT.exec(uri) : null;
    if (!match) return invalidProp(this, LAB_MODEL_DATA_URI_CONTEXT, uri, 's3://<bucket>/<key>.tar.gz of the approved model package');
    // The training pipeline writes artifacts into the lake, under the lake's key.
    const modelData = ModelData.fromBucket(s3.Bucket.fromBucketName(this, 'ApprovedModelBucket', match[1]), match[2], data.lake.encryptionKey);
    if (arn === undefined) return { modelData };
    if (typeof arn !== 'string') return invalidProp(this, LAB_MODEL_PACKAGE_ARN_CONTEXT, arn, 'a model package version ARN');
    return { modelData, modelPackage: ModelPackage.fromArn(arn, { image, modelData }) };
  }

  /** The served version's baseline by context, else the default prefix of the pipeline's baselines. */
  private baseline(data: MlLabData): { baseline: MonitoringBaseline; uri: string; given: boolean } {
    const uri: unknown = this.node.tryGetContext(LAB_BASELINE_URI_CONTEXT);
    if (uri === undefined) {
      return {
        baseline: MonitoringBaseline.fromBucket(data.lake.featuresBucket, LAB_DEFAULT_BASELINE_PREFIX, data.lake.encryptionKey),
        uri: `s3://${data.lake.featuresBucket.bucketName}/${LAB_DEFAULT_BASELINE_PREFIX}`,
        given: false,
      };
    }
    const match = typeof uri === 'string' ? S3_PREFIX.exec(uri) : null;
    if (!match) return invalidProp(this, LAB_BASELINE_URI_CONTEXT, uri, 's3://<bucket>/<prefix holding statistics.json and constraints.json>');
    return {
      baseline: MonitoringBaseline.fromBucket(s3.Bucket.fromBucketName(this, 'BaselineBucket', match[1]), match[2], data.lake.encryptionKey),
      uri: `s3://${match[1]}/${match[2]}`,
      given: true,
    };
  }
}
