import { CloudFormationClient, CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateJobCommand, DeleteJobCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateStreamCommand, DeleteStreamCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, CreateModelPackageCommand, CreateModelPackageGroupCommand,
  DeleteEndpointCommand, DeleteEndpointConfigCommand, DeleteModelCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { CreateStateMachineCommand, DeleteStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { CdkRunner } from '../../../lib/lab/cli/context';

export const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const REGION = 'us-east-1';
export const ROLE = 'arn:aws:iam::123456789012:role/lab';
export const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:MlLabData-Training';

/**
 * Stands in for the CDK CLI against moto: "deploying" a lab stack creates what the stack would
 * (buckets, stream, Glue job, training state machine and registry, or model, config and endpoint)
 * through the real SDK, plus a CloudFormation stack carrying the same outputs.
 */
export class MotoCdk implements CdkRunner {
  public readonly calls: string[] = [];
  public contexts: Record<string, Record<string, string>> = {};
  private readonly cfg: Record<string, unknown>;

  constructor(endpoint: string) {
    this.cfg = { region: REGION, endpoint, credentials: CREDENTIALS, forcePathStyle: true, requestHandler: new NodeHttpHandler() };
  }

  public async deploy(stack: string, context: Record<string, string>): Promise<void> {
    this.calls.push(`deploy ${stack}`);
    this.contexts[stack] = context;
    const outputs: Record<string, string> = stack === 'MlLabData' ? await this.createData(context) : await this.createServing(context);
    await new CloudFormationClient(this.cfg).send(new CreateStackCommand({
      StackName: stack,
      RoleARN: 'arn:aws:iam::123456789012:role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1',
      TemplateBody: JSON.stringify({
        Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
        Outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { Value: v }])),
      }),
    }));
  }

  public async destroy(stack: string): Promise<void> {
    this.calls.push(`destroy ${stack}`);
    const sm = new SageMakerClient(this.cfg);
    if (stack === 'MlLabServing') {
      await sm.send(new DeleteEndpointCommand({ EndpointName: 'MlLabServing-Endpoint' })).catch(() => undefined);
      await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'MlLabServing-Config' })).catch(() => undefined);
      await sm.send(new DeleteModelCommand({ ModelName: 'MlLabServing-Model' })).catch(() => undefined);
    } else {
      const s3 = new S3Client(this.cfg);
      for (const bucket of ['mllabdata-raw', 'mllabdata-curated', 'mllabdata-features']) {
        const objects = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? [];
        for (const o of objects) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
        await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
      }
      await new KinesisClient(this.cfg).send(new DeleteStreamCommand({ StreamName: 'MlLabData-Clickstream' }));
      await new GlueClient(this.cfg).send(new DeleteJobCommand({ JobName: 'MlLabData-Features' }));
      await new SFNClient(this.cfg).send(new DeleteStateMachineCommand({ stateMachineArn: STATE_MACHINE_ARN }));
    }
    await new CloudFormationClient(this.cfg).send(new DeleteStackCommand({ StackName: stack }));
  }

  private async createData(context: Record<string, string>): Promise<Record<string, string>> {
    const s3 = new S3Client(this.cfg);
    for (const bucket of ['mllabdata-raw', 'mllabdata-curated', 'mllabdata-features']) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await new KinesisClient(this.cfg).send(new CreateStreamCommand({ StreamName: 'MlLabData-Clickstream', ShardCount: 1 }));
    await new GlueClient(this.cfg).send(new CreateJobCommand({ Name: 'MlLabData-Features', Role: ROLE, Command: { Name: 'glueetl', ScriptLocation: 's3://mllabdata-raw/script.py' } }));
    const sm = new SageMakerClient(this.cfg);
    await new SFNClient(this.cfg).send(new CreateStateMachineCommand({ name: 'MlLabData-Training', roleArn: ROLE, definition: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}' }));
    await sm.send(new CreateModelPackageGroupCommand({ ModelPackageGroupName: 'MlLabData-Churn' }));
    await sm.send(new CreateModelPackageCommand({
      ModelPackageGroupName: 'MlLabData-Churn',
      ModelApprovalStatus: 'PendingManualApproval',
      // What the TrainingPipeline's register state writes: the gate's metric under its own name.
      CustomerMetadataProperties: { 'objective_metric': 'validation:auc', 'objective_value': '0.87', 'validation:auc': '0.87' },
      DriftCheckBaselines: { ModelDataQuality: {
        Statistics: { ContentType: 'application/json', S3Uri: 's3://mllabdata-features/model-baselines/lab-0123/statistics.json' },
        Constraints: { ContentType: 'application/json', S3Uri: 's3://mllabdata-features/model-baselines/lab-0123/constraints.json' },
      } },
      InferenceSpecification: {
        Containers: [{ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1', ModelDataUrl: 's3://mllabdata-curated/training/output/model.tar.gz' }],
        SupportedContentTypes: ['text/csv'], SupportedResponseMIMETypes: ['text/csv'],
      },
    }));
    return {
      RawBucketName: 'mllabdata-raw', CuratedBucketName: 'mllabdata-curated', FeaturesBucketName: 'mllabdata-features',
      ClickstreamStreamName: 'MlLabData-Clickstream', EtlJobName: 'MlLabData-Features', AthenaWorkGroupName: 'primary',
      RawDatabaseName: 'mllabdata_raw', FeaturesDatabaseName: 'mllabdata_features',
      TrainingPipelineName: 'MlLabData-Training', TrainingStateMachineArn: STATE_MACHINE_ARN, ModelPackageGroupName: 'MlLabData-Churn', TrainingGateAuc: '0.75',
      ExpiresAt: context.labExpiresAt.replace(/Z$/, ''),
    };
  }

  private async createServing(context: Record<string, string>): Promise<Record<string, string>> {
    const sm = new SageMakerClient(this.cfg);
    const uri = context.labModelDataUri ?? 's3://cdk-hnb659fds-assets-123456789012-us-east-1/0123abcd.tar.gz';
    await sm.send(new CreateModelCommand({ ModelName: 'MlLabServing-Model', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: 'xgboost', ModelDataUrl: uri } }));
    const variants = [{ VariantName: 'Champion', ModelName: 'MlLabServing-Model', InstanceType: 'ml.c5.large' as const, InitialInstanceCount: 1, InitialVariantWeight: 1 }];
    if (context.labChallenger === 'true') variants.push({ ...variants[0], VariantName: 'Challenger', InitialVariantWeight: 0 });
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'MlLabServing-Config', ProductionVariants: variants }));
    await sm.send(new CreateEndpointCommand({ EndpointName: 'MlLabServing-Endpoint', EndpointConfigName: 'MlLabServing-Config' }));
    return {
      EndpointName: 'MlLabServing-Endpoint', ModelDataUri: uri, ModelPackageArn: context.labModelPackageArn ?? 'none (the committed artifact)',
      MonitoringScheduleName: 'MlLabServing-Monitor-dq', InferenceApiUrl: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/predictions',
      ExpiresAt: '2026-12-01T17:30:00',
    };
  }
}
