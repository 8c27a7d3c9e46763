import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { BuiltInImage } from '../core/built-in-image';

/** A regular expression SageMaker applies to a custom container's logs to read a metric. */
export interface TrainingMetricDefinition {
  /** The metric name, e.g. `validation:auc`. */
  readonly name: string;
  /** The regular expression, with one capture group for the value. */
  readonly regex: string;
}

/**
 * The container a training job runs: a SageMaker built-in algorithm image (XGBoost; its metrics
 * are known) or an image of your own in ECR (its metrics declared by regular expressions).
 */
export class TrainingImage {
  /** A built-in algorithm image; `TrainingPipeline` accepts XGBoost, whose metrics it knows. */
  public static fromBuiltIn(image: BuiltInImage): TrainingImage {
    return new TrainingImage(image, undefined, undefined, []);
  }

  /** An image of your own; `metricDefinitions` must declare the objective metric. */
  public static fromEcrRepository(repository: ecr.IRepository, tag: string, metricDefinitions: TrainingMetricDefinition[]): TrainingImage {
    return new TrainingImage(undefined, repository, tag, metricDefinitions);
  }

  private constructor(
    /** The built-in image, if this is one. */
    public readonly builtIn: BuiltInImage | undefined,
    /** The ECR repository of a custom image. */
    public readonly repository: ecr.IRepository | undefined,
    /** The tag of a custom image. */
    public readonly tag: string | undefined,
    /** Metric definitions of a custom image (empty for built-in images, whose metrics SageMaker knows). */
    public readonly metricDefinitions: TrainingMetricDefinition[],
  ) {}

  /** Whether this is the built-in XGBoost image. */
  public get isBuiltInXGBoost(): boolean {
    return this.builtIn?.repositoryName === 'sagemaker-xgboost';
  }

  /** The image URI in the scope's region. */
  public imageUri(scope: IConstruct): string {
    if (this.builtIn) return this.builtIn.imageUri(scope);
    return this.repository!.repositoryUriForTag(this.tag);
  }

  /** The repository ARN, for scoping the image pull. */
  public repositoryArn(scope: IConstruct): string {
    if (this.builtIn) return this.builtIn.repositoryArn(scope);
    return this.repository!.repositoryArn;
  }
}
