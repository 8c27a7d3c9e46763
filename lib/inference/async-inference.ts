import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';

// The asynchronous inference options of InferenceEndpoint, and what it exposes of them.

/** Autoscaling of an asynchronous endpoint's variants on their request backlog. */
export interface AsyncAutoScalingOptions {
  /**
   * Whether the variants autoscale at all.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Fewest instances; 0 lets the endpoint scale to zero when the queue is empty.
   * @default 0
   */
  readonly minCapacity?: number;
  /**
   * Most instances.
   * @default - lab: 2; production: 4
   */
  readonly maxCapacity?: number;
  /**
   * Queued requests per instance to hold (`ApproximateBacklogSizePerInstance`).
   * @default 5
   */
  readonly targetBacklogPerInstance?: number;
  /**
   * Wait after a scale-in before the next.
   * @default Duration.seconds(600)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out (and after a wake-up from zero) before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleOutCooldown?: Duration;
}

/** Asynchronous inference (`AsyncInferenceConfig`) of an `InferenceEndpoint`. */
export interface AsyncInferenceOptions {
  /** The bucket results and failures are written to (it must exist: e.g. a `SecureBucket` or a lake zone). */
  readonly bucket: s3.IBucket;
  /**
   * Key prefix of successful results.
   * @default 'async-inference/output'
   */
  readonly outputPrefix?: string;
  /**
   * Key prefix of failed requests' error output.
   * @default 'async-inference/failures'
   */
  readonly failurePrefix?: string;
  /**
   * The key SageMaker encrypts results and failures with.
   * @default - the bucket's own key, else the endpoint's key
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Topic told about each successful request.
   * @default - a new topic encrypted with the endpoint's key
   */
  readonly successTopic?: sns.ITopic;
  /**
   * Topic told about each failed request.
   * @default - a new topic encrypted with the endpoint's key
   */
  readonly errorTopic?: sns.ITopic;
  /**
   * Requests SageMaker sends to each instance's container at once, 1–1000.
   * @default - SageMaker chooses for the container
   */
  readonly maxConcurrentInvocationsPerInstance?: number;
  /**
   * Backlog autoscaling of every variant (it replaces the variants' invocation-based autoscaling).
   * @default - on, with the defaults of AsyncAutoScalingOptions
   */
  readonly autoScaling?: AsyncAutoScalingOptions;
}

/** The asynchronous inference setup of an endpoint as built. */
export interface EndpointAsyncInference {
  /** The bucket results and failures go to. */
  readonly bucket: s3.IBucket;
  /** `s3://<bucket>/<outputPrefix>`. */
  readonly s3OutputUri: string;
  /** `s3://<bucket>/<failurePrefix>`. */
  readonly s3FailureUri: string;
  /** The key results are encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** The success topic. */
  readonly successTopic: sns.ITopic;
  /** The error topic. */
  readonly errorTopic: sns.ITopic;
}
