import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BuiltInImage, CaptureMode, DataCaptureDestination, DataKey, DataZone, InferenceEndpoint, LabGuard, ModelData, ModelImage, Nag, Profile, TrafficRouting,
} from '../../lib';
import { invalidProp } from '../../lib/core/validation';
import { defaultToLabProfile } from './lab-profile';
import type { MlLabData } from './ml-lab-data';

/** Context key: `s3://bucket/key` of the approved model package's artifact (`lab serve` resolves it from the registry). */
export const LAB_MODEL_DATA_URI_CONTEXT = 'labModelDataUri';
/** Context key: `true` adds a Challenger variant at weight 0, ready for `lab shift`. */
export const LAB_CHALLENGER_CONTEXT = 'labChallenger';
/** Where `lab serve` uploads the committed artifact (models/churn-xgboost/model.tar.gz) in the curated zone. */
export const LAB_DEFAULT_MODEL_KEY = 'models/churn-xgboost/model.tar.gz';
/** How long before the data stack the serving stack deletes itself (its endpoint lives in the data stack's VPC). */
export const SERVING_EXPIRY_LEAD = Duration.minutes(30);

/** Props of {@link MlLabServing}. */
export interface MlLabServingProps extends StackProps {
  /** The data stack: lake (model artifact, captured data) and network. */
  readonly data: MlLabData;
}

/** Output keys of {@link MlLabServing} that the `lab` command line reads (kept stable). */
export class MlLabServingOutputs {
  public static readonly ENDPOINT = 'EndpointName';
  public static readonly MODEL_DATA = 'ModelDataUri';
  public static readonly EXPIRES_AT = 'ExpiresAt';
}

/**
 * The hands-on lab's serving side: a VPC-only real-time endpoint with data capture and
 * autoscaling, A/B-ready (context `labChallenger=true` adds a Challenger variant at weight 0), and
 * its own lab guard that expires 30 minutes before the data stack's. Serves the approved model
 * package's artifact (context `labModelDataUri`, resolved by `lab serve`), else the committed
 * artifact that `lab serve` uploads to the curated zone.
 */
export class MlLabServing extends Stack {
  /** The endpoint. */
  public readonly endpoint: InferenceEndpoint;
  /** Budget and time-to-live. */
  public readonly guard: LabGuard;

  constructor(scope: Construct, id: string, props: MlLabServingProps) {
    super(scope, id, { description: 'cdk-ml-reference lab: real-time endpoint with capture and autoscaling, budget and time-to-live', ...props });
    defaultToLabProfile(this);
    const { lake, network } = props.data;
    const key = new DataKey(this, 'Key', { description: `Endpoint volumes and logs of ${this.stackName}` });
    const image = ModelImage.fromBuiltIn(BuiltInImage.xgboost());
    const modelData = this.modelData(props.data);

    this.endpoint = new InferenceEndpoint(this, 'Endpoint', {
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      networkIsolation: true,
      encryptionKey: key,
      dataCapture: {
        destination: DataCaptureDestination.fromDataLake(lake, DataZone.CURATED, 'data-capture'),
        captureMode: CaptureMode.INPUT_AND_OUTPUT,
      },
      deployment: Profile.of(this).isLab ? undefined : { trafficRouting: TrafficRouting.canary(20, Duration.minutes(5)) },
    });
    // The endpoint acknowledges its capture-prefix wildcard by the bucket ARN as it resolves in one
    // stack; across stacks cdk-nag prints the cross-stack output instead, so name that form here.
    const curatedOutput = `PublishOutputFnGetAtt${props.data.getLogicalId(lake.curatedBucket.node.defaultChild as s3.CfnBucket)}Arn`;
    Nag.acknowledge(this.endpoint.policy, {
      id: `AwsSolutions-IAM5[Resource::{"Fn::GetStackOutput":{"StackName":"${props.data.stackName}","Region":{"Ref":"AWS::Region"},"OutputName":"${curatedOutput}5C9DFC77"}}/data-capture/*]`,
      reason: 'SageMaker writes captured requests under generated object names below the data-capture/ prefix of the curated zone: the prefix is as narrow as it gets.',
    });
    this.endpoint.addVariant({ variantName: 'Champion', image, modelData, initialWeight: 1 });
    const challenger: unknown = this.node.tryGetContext(LAB_CHALLENGER_CONTEXT);
    if (challenger === true || challenger === 'true') {
      // Weight 0: deployed and warm, no traffic until `lab shift` moves some.
      this.endpoint.addVariant({ variantName: 'Challenger', image, modelData, initialWeight: 0 });
    }
    // wire at merge: ModelMonitor (data quality against the TrainingPipeline baseline, on the captured data)
    // wire at merge: InferenceApi (IAM-authorized REST front door; `lab invoke --api` uses it)
    this.guard = new LabGuard(this, 'Guard', { expiryLead: SERVING_EXPIRY_LEAD });

    new CfnOutput(this, MlLabServingOutputs.ENDPOINT, { value: this.endpoint.endpointName });
    new CfnOutput(this, MlLabServingOutputs.MODEL_DATA, { value: modelData.bind(this, 'modelData').s3Uri });
    new CfnOutput(this, MlLabServingOutputs.EXPIRES_AT, { value: this.guard.deleteAt ?? 'never (no labExpiresAt context)' });
  }

  private modelData(data: MlLabData): ModelData {
    const uri: unknown = this.node.tryGetContext(LAB_MODEL_DATA_URI_CONTEXT);
    // wire at merge: ModelData.fromAsset('models/churn-xgboost/model.tar.gz') once the data-path branch has it;
    // until then `lab serve` uploads the committed artifact to this key before deploying.
    if (uri === undefined) return ModelData.fromDataLake(data.lake, DataZone.CURATED, LAB_DEFAULT_MODEL_KEY);
    const match = typeof uri === 'string' ? /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+\.tar\.gz)$/.exec(uri) : null;
    if (!match) return invalidProp(this, LAB_MODEL_DATA_URI_CONTEXT, uri, 's3://<bucket>/<key>.tar.gz of the approved model package');
    // The training pipeline writes artifacts into the lake, under the lake's key.
    return ModelData.fromBucket(s3.Bucket.fromBucketName(this, 'ApprovedModelBucket', match[1]), match[2], data.lake.encryptionKey);
  }
}
