import { ArnFormat, CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { BatchScoring, BuiltInImage, Nag, PrivateNetwork, Profile } from '../../lib';
import { ModelArtifacts, ModelArtifactsProps } from '../inference/model-artifacts';

/** Props of {@link BatchScoringExample}. */
export interface BatchScoringExampleProps extends StackProps, ModelArtifactsProps {}

/** Where the example reads the records to score: `id,features...` CSV lines, no header. */
export const SCORING_INPUT_PREFIX = 'scoring/input';

/**
 * Nightly (production) or on-demand (lab) batch scoring of the churn model: a batch transform job
 * in a VPC with no internet route, network isolation, KMS on volumes and predictions, ids joined
 * back to the predictions; no endpoint kept running (study guide task 4.2: batch inference).
 */
export class BatchScoringExample extends Stack {
  /** The model the transform jobs run. */
  public readonly model: sagemaker.CfnModel;
  /** The batch scoring. */
  public readonly scoring: BatchScoring;

  constructor(scope: Construct, id: string, props: BatchScoringExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: batch transform scoring with ids joined back, on a schedule or on demand', ...props });
    const artifacts = new ModelArtifacts(this, 'Artifacts', props);
    const network = new PrivateNetwork(this, 'Network');
    const image = BuiltInImage.xgboost();
    const modelData = artifacts.modelData();

    const sg = new ec2.SecurityGroup(this, 'ModelSecurityGroup', { vpc: network.vpc, description: 'Batch transform: HTTPS out to the S3 gateway endpoint only', allowAllOutbound: false });
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'HTTPS to the S3 gateway endpoint (the subnets route nowhere else)');
    const role = new iam.Role(this, 'ModelRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'), description: 'Batch transform jobs of the churn model' });
    const subnets = network.vpc.selectSubnets(network.workloadSubnets).subnetIds;
    const arn = (service: string, resource: string, resourceName: string, arnFormat?: ArnFormat) => this.formatArn({ service, resource, resourceName, arnFormat });
    const artifact = modelData.bind(this, 'modelData');
    const policy = new iam.ManagedPolicy(this, 'ModelPolicy', {
      description: 'What a batch transform job of the churn model needs: its image, artifact, logs and network interfaces',
      roles: [role],
      statements: [
        new iam.PolicyStatement({ actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'], resources: [image.repositoryArn(this)] }),
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [artifact.objectArn] }),
        new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          resources: [arn('logs', 'log-group', '/aws/sagemaker/TransformJobs:*', ArnFormat.COLON_RESOURCE_NAME)] }),
        new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeDhcpOptions', 'ec2:DescribeVpcEndpoints', 'ec2:DeleteNetworkInterfacePermission'], resources: ['*'] }),
        new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/TransformJobs' } } }),
        new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterface'], resources: [arn('ec2', 'network-interface', '*'),
          ...subnets.map((s) => arn('ec2', 'subnet', s)), arn('ec2', 'security-group', sg.securityGroupId)] }),
        new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface'], resources: [arn('ec2', 'network-interface', '*')],
          conditions: { StringEquals: { 'ec2:Vpc': arn('ec2', 'vpc', network.vpc.vpcId) } } }),
      ],
    });
    if (artifact.kmsKeyArn) policy.addStatements(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [artifact.kmsKeyArn] }));
    const reason = 'SageMaker names transform-job log streams and network interfaces itself; GetAuthorizationToken, the EC2 Describe actions, DeleteNetworkInterfacePermission '
      + 'and PutMetricData (namespace-conditioned) have no resource-level permissions; the rest is scoped to this image, artifact, log group, subnets and VPC.';
    Nag.acknowledge(policy, { id: 'AwsSolutions-IAM5[Resource::*]', reason },
      { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, arn('ec2', 'network-interface', '*'))}]`, reason },
      { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, arn('logs', 'log-group', '/aws/sagemaker/TransformJobs:*', ArnFormat.COLON_RESOURCE_NAME))}]`, reason });

    this.model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: role.roleArn,
      primaryContainer: { image: image.imageUri(this), modelDataUrl: artifact.s3Uri },
      vpcConfig: { subnets, securityGroupIds: [sg.securityGroupId] },
      enableNetworkIsolation: true,
    });
    this.model.node.addDependency(policy);

    this.scoring = new BatchScoring(this, 'Scoring', {
      modelName: this.model.attrModelName,
      modelRole: role,
      inputBucket: artifacts.bucket,
      inputPrefix: SCORING_INPUT_PREFIX,
      outputBucket: artifacts.bucket,
      outputPrefix: 'scoring/predictions',
      encryptionKey: artifacts.key,
      // Production scores every night at 02:00 UTC; the lab starts runs by hand.
      schedule: Profile.of(this).isLab ? undefined : 'cron(0 2 * * ? *)',
    });

    new CfnOutput(this, 'StateMachineArn', { value: this.scoring.stateMachineArn, description: 'aws stepfunctions start-execution --state-machine-arn <this> to score now' });
    new CfnOutput(this, 'InputLocation', { value: artifacts.bucket.s3UrlForObject(SCORING_INPUT_PREFIX), description: 'id,13 features per line, no header' });
    new CfnOutput(this, 'PredictionsLocation', { value: this.scoring.outputUri });
  }
}
