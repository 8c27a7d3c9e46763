import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkInstance, checkPattern, checkType } from '../core/validation';
import { ModelData } from './model-data';
import { ModelImage } from './model-image';

/**
 * A versioned model package ARN: `arn:<partition>:sagemaker:<region>:<account>:model-package/<group>/<version>`.
 * (CreateModel's `ModelPackageName` also takes unversioned ARNs of unversioned packages; a
 * registry version is always versioned.)
 */
const VERSIONED_PACKAGE_ARN = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:model-package\/[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\/\d+$/;

/** What the model role needs to run a registered package: the image and artifact its inference specification names. */
export interface ModelPackageOptions {
  /**
   * The container image named in the package's inference specification: the role gets ECR pull
   * rights on its repository.
   * @default - none: grant the role the pull rights yourself (`endpoint.role`)
   */
  readonly image?: ModelImage;
  /**
   * The artifact named in the package's inference specification: the role may read exactly that object.
   * @default - none: grant the role read access yourself (`endpoint.role`)
   */
  readonly modelData?: ModelData;
}

/**
 * A registered model package version (from a SageMaker Model Registry, e.g. the one the
 * TrainingPipeline writes to), served instead of an image and an artifact: the model's
 * container is `{ ModelPackageName: <arn> }`.
 *
 * SageMaker reads the image and artifact from the package's inference specification with the
 * model's execution role, so that role needs the same pull and read rights as for an image and
 * artifact given directly: say which through `options`, or grant them on `endpoint.role`.
 */
export class ModelPackage {
  /** A package version by ARN (a token, e.g. a pipeline's output or an SSM parameter, is accepted). */
  public static fromArn(modelPackageArn: string, options: ModelPackageOptions = {}): ModelPackage {
    return new ModelPackage(modelPackageArn, options);
  }

  private constructor(
    /** The package version's ARN. */
    public readonly modelPackageArn: string,
    /** The image and artifact the package names, for the role's permissions. */
    public readonly options: ModelPackageOptions,
  ) {}

  /** Checks the ARN and options for the construct that serves the package. */
  public validate(scope: IConstruct, prop: string): void {
    checkType(scope, prop, this.modelPackageArn, 'string');
    if (!Token.isUnresolved(this.modelPackageArn)) {
      checkPattern(scope, prop, this.modelPackageArn, VERSIONED_PACKAGE_ARN,
        'a model package version ARN: arn:<partition>:sagemaker:<region>:<account>:model-package/<group name>/<version>');
    }
    checkInstance(scope, `${prop} image`, this.options.image, ModelImage, 'a ModelImage (e.g. ModelImage.fromBuiltIn(BuiltInImage.xgboost()))');
    checkInstance(scope, `${prop} modelData`, this.options.modelData, ModelData, 'a ModelData (e.g. ModelData.fromBucket(bucket, key))');
  }
}
