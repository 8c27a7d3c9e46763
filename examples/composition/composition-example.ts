import { CfnOutput, Names, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  BuiltInImage, DataCaptureDestination, DataKey, DataLake, DataZone, EtlJob, IDataLake, InferenceEndpoint, ModelData, ModelImage,
  PrivateNetwork, StreamingIngestion,
} from '../../lib';

/**
 * The usual split of a team's app: the data lake in a long-lived data stack, everything that
 * computes on it in an ML stack that references the lake across stacks (exports, or weak references
 * under `@aws-cdk/core:defaultCrossStackReferences`). Every acknowledgement of the ML stack's
 * constructs must still match the findings cdk-nag prints for those references.
 */
export class DataStack extends Stack {
  /** The lake the ML stack uses. */
  public readonly lake: DataLake;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { description: 'cdk-ml-reference: the data stack of a two-stack composition (data lake)', ...props });
    this.lake = new DataLake(this, 'Lake', { crawledZones: [DataZone.RAW] });
    new CfnOutput(this, 'RawBucketName', { value: this.lake.rawBucket.bucketName });
  }
}

/** Props of {@link MlStack}. */
export interface MlStackProps extends StackProps {
  /** The lake of the data stack. */
  readonly dataLake: IDataLake;
}

/** Ingestion, feature engineering and an endpoint on a lake that lives in another stack. */
export class MlStack extends Stack {
  constructor(scope: Construct, id: string, props: MlStackProps) {
    super(scope, id, { description: 'cdk-ml-reference: the ML stack of a two-stack composition (ingestion, ETL, endpoint)', ...props });
    const lake = props.dataLake;
    const alerts = alertsTopic(this);
    new StreamingIngestion(this, 'Clickstream', { dataLake: lake, dataPrefix: 'clickstream/dt=!{timestamp:yyyy-MM-dd}/', alarmTopic: alerts });
    new EtlJob(this, 'CustomerFeatures', { dataLake: lake, inputPrefix: 'customers/', outputPrefix: 'customer_features/', alarmTopic: alerts });
    const network = new PrivateNetwork(this, 'Network');
    const endpoint = new InferenceEndpoint(this, 'Endpoint', {
      vpc: network.vpc,
      vpcSubnets: network.workloadSubnets,
      encryptionKey: new DataKey(this, 'EndpointKey', { description: 'Endpoint volumes and logs of the composition example' }),
      variants: [{
        variantName: 'AllTraffic',
        image: ModelImage.fromBuiltIn(BuiltInImage.xgboost()),
        modelData: ModelData.fromDataLake(lake, DataZone.FEATURES, 'models/churn/model.tar.gz'),
      }],
      dataCapture: { destination: DataCaptureDestination.fromDataLake(lake, DataZone.CURATED, 'data-capture') },
    });
    new CfnOutput(this, 'EndpointName', { value: endpoint.endpointName });
  }
}

/**
 * The ML stack's alarm topic, under a key of its own (a key of the data stack would need a policy
 * statement naming this stack's topic: a reference back, hence a cycle). CloudWatch alarms and
 * EventBridge (the ETL job's failure rule) publish to it.
 */
function alertsTopic(scope: Construct): sns.Topic {
  const key = new DataKey(scope, 'AlertsKey', { description: 'Alarm topic of the composition example' });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowPublishFromCloudWatch',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  }));
  // EventBridge's KMS requests for SNS carry no aws:SourceAccount (SNS key-management docs).
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowPublishFromEvents',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
  }));
  // A name known at synth: EtlJob's key statement for EventBridge names the topic exactly.
  return new sns.Topic(scope, 'Alerts', {
    displayName: 'ML stack alarms', masterKey: key, enforceSSL: true,
    topicName: `${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}-alerts`,
  });
}
