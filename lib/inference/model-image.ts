import { Stack, Token } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { IConstruct } from 'constructs';
import { BuiltInImage } from '../core/built-in-image';
import { check, checkPattern, checkType } from '../core/validation';

/** `<account>.dkr.ecr.<region>.<domain>/<repository>(:<tag>|@sha256:<digest>)`. */
const ECR_URI_PATTERN = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9][a-z0-9._/-]*)(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/;

/** An OCI tag or a sha256 digest. */
const TAG_OR_DIGEST = /^(?:[\w][\w.-]{0,127}|sha256:[a-f0-9]{64})$/;

/** What a model container needs to know about its image, resolved in a scope. */
export interface ModelImageConfig {
  /** The URI SageMaker pulls. */
  readonly imageUri: string;
  /** ARN of the ECR repository, for scoping the pull permissions to it. */
  readonly repositoryArn: string;
}

/** The container image a SageMaker model runs: a built-in algorithm or any ECR image. */
export abstract class ModelImage {
  /** A SageMaker built-in algorithm image from lib/core, e.g. `BuiltInImage.xgboost()`. */
  public static fromBuiltIn(image: BuiltInImage): ModelImage {
    return new BuiltInModelImage(image);
  }

  /** An image in an ECR repository, by tag or digest (`sha256:...`). */
  public static fromEcrRepository(repository: ecr.IRepository, tagOrDigest: string = 'latest'): ModelImage {
    return new RepositoryModelImage(repository, tagOrDigest);
  }

  /**
   * Any ECR image by URI, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com/my-model:1.0`.
   * The URI must name a tag or a digest so a deployment is reproducible.
   */
  public static fromEcrUri(uri: string): ModelImage {
    return new UriModelImage(uri);
  }

  /** Resolves the image for a construct; bad input fails naming that construct. */
  public abstract bind(scope: IConstruct, prop: string): ModelImageConfig;
}

class BuiltInModelImage extends ModelImage {
  constructor(private readonly image: BuiltInImage) {
    super();
  }

  public bind(scope: IConstruct): ModelImageConfig {
    return { imageUri: this.image.imageUri(scope), repositoryArn: this.image.repositoryArn(scope) };
  }
}

class RepositoryModelImage extends ModelImage {
  constructor(private readonly repository: ecr.IRepository, private readonly tagOrDigest: string) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ModelImageConfig {
    checkType(scope, `${prop} tag`, this.tagOrDigest, 'string');
    checkPattern(scope, `${prop} tag`, this.tagOrDigest, TAG_OR_DIGEST,
      'an image tag (letters, digits, "_", "." and "-", at most 128 characters, not starting with "." or "-") or a digest "sha256:<64 hex digits>"');
    return { imageUri: this.repository.repositoryUriForTagOrDigest(this.tagOrDigest), repositoryArn: this.repository.repositoryArn };
  }
}

class UriModelImage extends ModelImage {
  constructor(private readonly uri: string) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ModelImageConfig {
    checkType(scope, prop, this.uri, 'string');
    check(scope, Token.isUnresolved(this.uri) || ECR_URI_PATTERN.test(this.uri), prop, this.uri,
      'an ECR image URI with a tag or digest: <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>');
    const match = ECR_URI_PATTERN.exec(this.uri);
    const stack = Stack.of(scope);
    const repositoryArn = match
      ? `arn:${match[2].startsWith('cn-') ? 'aws-cn' : stack.partition}:ecr:${match[2]}:${match[1]}:repository/${match[3]}`
      : stack.formatArn({ service: 'ecr', resource: 'repository', resourceName: '*' });
    return { imageUri: this.uri, repositoryArn };
  }
}
