import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DataLake, HyperparameterRange, HyperparameterScaling, PrivateNetwork, Profile, TrainingData, TrainingPipeline, TuningStrategy,
} from '../../lib';

/** Props of {@link TrainingPipelineExample}. */
export interface TrainingPipelineExampleProps extends StackProps {
  /**
   * Run a Bayesian tuning job instead of one training job.
   * @default - context `tuning` ("true"), else false
   */
  readonly tuning?: boolean;
}

/**
 * The churn model's training pipeline: a data lake holding the training export, a VPC with no
 * route out, and the Step Functions pipeline that trains (or tunes) built-in XGBoost on spot
 * capacity in it, gates on validation AUC, computes the Model Monitor baseline and registers the
 * model version. New training data retrains it; production also retrains weekly.
 * Study guide domain 3 (modeling) and task 4.4 (retraining).
 */
export class TrainingPipelineExample extends Stack {
  /** The lake. */
  public readonly lake: DataLake;
  /** The network. */
  public readonly network: PrivateNetwork;
  /** The pipeline. */
  public readonly pipeline: TrainingPipeline;

  constructor(scope: Construct, id: string, props: TrainingPipelineExampleProps = {}) {
    super(scope, id, { description: 'cdk-ml-reference: training pipeline (spot training or tuning, gate, registry, baseline) in a private VPC', ...props });
    const lab = Profile.of(this).isLab;
    const tuning = props.tuning ?? String(this.node.tryGetContext('tuning')) === 'true';
    this.lake = new DataLake(this, 'Lake');
    this.network = new PrivateNetwork(this, 'Network');
    this.pipeline = new TrainingPipeline(this, 'Pipeline', {
      trainingData: TrainingData.fromLake(this.lake),
      vpc: this.network.vpc,
      vpcSubnets: this.network.workloadSubnets,
      // Distinct per pipeline of an app: each role may act on `<prefix>-*` jobs only.
      jobNamePrefix: props.tuning ? 'churnhpo' : 'churn',
      tuning: tuning ? {
        strategy: TuningStrategy.BAYESIAN,
        ranges: [
          HyperparameterRange.continuous('eta', 0.01, 0.3, HyperparameterScaling.LOGARITHMIC),
          HyperparameterRange.integer('max_depth', 3, 8),
          HyperparameterRange.continuous('subsample', 0.5, 1),
        ],
        maxJobs: lab ? 4 : 20,
        maxParallelJobs: 2,
      } : undefined,
      retrainOnNewData: true,
      // The lab starts it by hand (or on new data); production also retrains every Sunday at 04:00 UTC.
      schedule: lab ? undefined : 'cron(0 4 ? * SUN *)',
    });
    new CfnOutput(this, 'StateMachineArn', { value: this.pipeline.stateMachine.stateMachineArn });
    new CfnOutput(this, 'ModelPackageGroupName', { value: this.pipeline.modelPackageGroupName });
    new CfnOutput(this, 'TrainingExportLocation', { value: `s3://${this.lake.featuresBucket.bucketName}/training-export/` });
  }
}
