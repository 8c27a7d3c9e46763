import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { InferenceInstanceType } from './instance-type';
import { DataCaptureDestination, ModelData } from './model-data';
import { ModelImage } from './model-image';
import { ModelPackage } from './model-package';
import { TrafficRouting } from './traffic-routing';

// The options of InferenceEndpoint's variants, data capture, guardrails and alarms, and what it
// exposes of its data capture (split from inference-endpoint.ts the way aws-cdk splits its endpoint).

/** What data capture records. */
export enum CaptureMode {
  /** Requests only. */
  INPUT = 'Input',
  /** Responses only. */
  OUTPUT = 'Output',
  /** Requests and responses (what Model Monitor's data quality checks need). */
  INPUT_AND_OUTPUT = 'InputAndOutput',
}

/** Data capture of an endpoint: a sample of requests and responses written to S3. */
export interface DataCaptureOptions {
  /** Where captured data goes. */
  readonly destination: DataCaptureDestination;
  /**
   * Percentage of requests captured (0–100).
   * @default - lab: 100; production: 20
   */
  readonly samplingPercentage?: number;
  /**
   * What is captured.
   * @default CaptureMode.INPUT_AND_OUTPUT
   */
  readonly captureMode?: CaptureMode;
  /**
   * Content types captured as CSV text instead of base64.
   * @default ['text/csv']
   */
  readonly csvContentTypes?: string[];
  /**
   * Content types captured as JSON text instead of base64.
   * @default ['application/json']
   */
  readonly jsonContentTypes?: string[];
}

/** Target-tracking autoscaling of an instance variant on `SageMakerVariantInvocationsPerInstance`. */
export interface VariantAutoScalingOptions {
  /**
   * Whether the variant autoscales. Burstable (`ml.t*`) types cannot: turn it off for them.
   *
   * While a variant is registered with Application Auto Scaling, SageMaker refuses an endpoint
   * update that changes its instance type or removes it. To do either: deploy with
   * `enabled: false` on that variant (deregisters it), deploy the change, then turn autoscaling
   * back on and deploy again.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Fewest instances (at least 1: target tracking cannot scale out from zero).
   * @default - lab: 1; production: 2
   */
  readonly minCapacity?: number;
  /**
   * Most instances.
   * @default - lab: 2; production: 4
   */
  readonly maxCapacity?: number;
  /**
   * Invocations per instance per minute to hold. AWS's rule: peak requests per second per
   * instance × 0.5 safety factor × 60.
   * @default 70
   */
  readonly targetInvocationsPerInstance?: number;
  /**
   * Wait after a scale-in before the next.
   * @default Duration.seconds(600)
   */
  readonly scaleInCooldown?: Duration;
  /**
   * Wait after a scale-out before the next.
   * @default Duration.seconds(300)
   */
  readonly scaleOutCooldown?: Duration;
}

/** An instance-backed production variant: one model on a fleet of instances, with a traffic weight. */
export interface InstanceVariantProps {
  /**
   * The variant's name. Keep it stable: blue/green guardrails match the old and new config by it.
   */
  readonly variantName: string;
  /**
   * The container image (give either `image` or `modelPackage`).
   * @default - none: `modelPackage` is required then
   */
  readonly image?: ModelImage;
  /**
   * The model artifact in S3 (with `image`). Use `ModelData.fromAsset` or a bucket that exists
   * before the stack deploys: CreateModel fails on an artifact the same template creates.
   * @default - none: the image carries the model
   */
  readonly modelData?: ModelData;
  /**
   * A registered model package version to serve instead of `image` and `modelData`.
   * @default - none: `image` is required then
   */
  readonly modelPackage?: ModelPackage;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Instance type.
   *
   * Changing it on an autoscaled variant fails at deploy (SageMaker refuses to change the instance
   * type of a variant that is a scaling target): first deploy with `autoScaling.enabled: false`,
   * then change the type, then re-enable autoscaling — three deployments.
   * @default - lab: ml.c5.large; production: ml.c5.large
   */
  readonly instanceType?: InferenceInstanceType;
  /**
   * Instances at creation (autoscaling then keeps the count between its minimum and maximum).
   * Every endpoint update (a new config swapped in) starts each variant's new fleet at this
   * count again, not at the count autoscaling had reached; autoscaling then scales it out anew.
   * With canary or linear traffic routing it must be at least 2: a canary or step is at most
   * half of the new fleet.
   * @default - lab: 1; production: 2
   */
  readonly initialInstanceCount?: number;
  /**
   * Relative traffic weight (≥ 0); the variant's share is its weight over the sum of all weights.
   * @default 1
   */
  readonly initialWeight?: number;
  /**
   * Size of the ML storage volume per instance, 1–512 GB (not for types with local NVMe storage).
   * @default - SageMaker's default for the instance type
   */
  readonly volumeSizeInGb?: number;
  /**
   * Time allowed to download the model artifact, 60–3600 s.
   * @default - SageMaker's default
   */
  readonly modelDataDownloadTimeout?: Duration;
  /**
   * Time allowed for the container to pass its health check after start, 60–3600 s.
   * @default - SageMaker's default
   */
  readonly containerStartupHealthCheckTimeout?: Duration;
  /**
   * Autoscaling of the variant.
   * @default - target tracking with the defaults of VariantAutoScalingOptions
   */
  readonly autoScaling?: VariantAutoScalingOptions;
}

/** A serverless variant: SageMaker provisions compute per request; no VPC, isolation or data capture. */
export interface ServerlessVariantProps {
  /** The variant's name. */
  readonly variantName: string;
  /**
   * The container image (CPU only: serverless has no GPUs); give either `image` or `modelPackage`.
   * @default - none: `modelPackage` is required then
   */
  readonly image?: ModelImage;
  /**
   * The model artifact in S3 (with `image`).
   * @default - none: the image carries the model
   */
  readonly modelData?: ModelData;
  /**
   * A registered model package version to serve instead of `image` and `modelData`.
   * @default - none: `image` is required then
   */
  readonly modelPackage?: ModelPackage;
  /**
   * Environment variables of the container.
   * @default - none
   */
  readonly environment?: { [key: string]: string };
  /**
   * Memory, 1024–6144 MB in steps of 1024.
   * @default 2048
   */
  readonly memorySizeInMb?: number;
  /**
   * Concurrent invocations, 1–200.
   * @default 5
   */
  readonly maxConcurrency?: number;
  /**
   * Warm capacity kept ready (1–200, at most maxConcurrency); billed while provisioned.
   * @default - none: cold starts possible
   */
  readonly provisionedConcurrency?: number;
}

/** Blue/green update guardrails: traffic shifting, bake time and automatic rollback. */
export interface DeploymentGuardrailOptions {
  /**
   * Whether updates run under deployment guardrails (`DeploymentConfig`). SageMaker requires a
   * guarded update's new config to keep the old variant names, so adding, removing or renaming a
   * variant of a deployed endpoint fails under guardrails: deploy that one change with
   * `guardrails: false` (the endpoint is then updated without `DeploymentConfig`: SageMaker's
   * plain blue/green swap, all at once, no bake time, no alarm rollback), then turn guardrails
   * back on in the next deployment.
   * @default true
   */
  readonly guardrails?: boolean;
  /**
   * How traffic moves to the new fleet.
   * @default - lab: all at once; production: canary 10 % with a 5 minute wait
   */
  readonly trafficRouting?: TrafficRouting;
  /**
   * How long the old fleet is kept after the last traffic shift before it is terminated, 0–3600 s
   * (`TerminationWaitInSeconds`).
   * @default - lab: 0 seconds; production: 10 minutes
   */
  readonly bakeTime?: Duration;
  /**
   * Longest a deployment may run before it is rolled back, 600–28800 s, and longer than the bake
   * time plus the waits of the traffic routing (one for all at once and canary, one per step for
   * linear).
   * @default - SageMaker's default
   */
  readonly maximumExecutionTimeout?: Duration;
  /**
   * Whether the endpoint's 5XX and model latency alarms roll a deployment back.
   * @default - lab: false; production: true
   */
  readonly autoRollback?: boolean;
  /**
   * More alarms that roll a deployment back (only when autoRollback is on). SageMaker takes at
   * most 10 rollback alarms in all, and the endpoint brings two per variant.
   * @default - none
   */
  readonly additionalRollbackAlarms?: cloudwatch.IAlarm[];
}

/** Thresholds of the alarms each instance or serverless variant gets. */
export interface EndpointAlarmOptions {
  /**
   * 5XX errors per minute at which the error alarm fires.
   * @default 1
   */
  readonly invocation5xxErrors?: number;
  /**
   * Average model latency over a minute at which the latency alarm fires.
   * @default Duration.seconds(1)
   */
  readonly modelLatency?: Duration;
  /**
   * Consecutive breaching minutes before an alarm fires.
   * @default 2
   */
  readonly evaluationPeriods?: number;
  /**
   * Actions when an alarm fires, e.g. an SNS topic that pages someone.
   * @default - none: the alarms gate deployments and show state, notifying nobody
   */
  readonly alarmActions?: cloudwatch.IAlarmAction[];
}

/** The data capture of an endpoint as built: what Model Monitor and other readers need. */
export interface EndpointDataCapture {
  /** The bucket captured data goes to. */
  readonly bucket: s3.IBucket;
  /** Key prefix of captured data (SageMaker appends `<endpoint>/<variant>/<yyyy>/<mm>/<dd>/<hh>/`). */
  readonly prefix: string;
  /** `s3://<bucket>/<prefix>` (the config's `DestinationS3Uri`). */
  readonly s3Uri: string;
  /** The key captured data is encrypted with. */
  readonly encryptionKey: kms.IKey;
  /** The capture modes configured: `[INPUT, OUTPUT]`, `[INPUT]` or `[OUTPUT]`. */
  readonly captureModes: CaptureMode[];
  /** Whether requests are captured (Model Monitor's data quality checks need them). */
  readonly capturesInput: boolean;
  /** Whether responses are captured (model quality checks need them). */
  readonly capturesOutput: boolean;
  /** Percentage of requests captured. */
  readonly samplingPercentage: number;
}


