import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct, IConstruct } from 'constructs';
import { check, checkArray, checkInstance, checkOneOf, checkRange, checkType, isConcrete } from '../../core/validation';
import type { InstanceVariantProps, ServerlessVariantProps } from '../endpoint-options';
import type { InferenceEndpointProps } from '../inference-endpoint';
import { ModelData } from '../model-data';
import { ModelImage } from '../model-image';
import { ModelPackage } from '../model-package';
import { TrafficRouting, TrafficRoutingType } from '../traffic-routing';

// InferenceEndpoint's input checks and traffic-routing rendering (not part of the public API).

/** Environment variables of a container: at most 100, names `[a-zA-Z_][a-zA-Z0-9_]*` up to 1024 characters, values up to 1024 (ContainerDefinition `Environment`). */
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,1023}$/;
const MAX_ENV_ENTRIES = 100;
const MAX_ENV_VALUE = 1024;
/** A MIME type as CaptureContentTypeHeader takes it (1–256 characters, 1–10 per list). */
export const CONTENT_TYPE = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*\/[a-zA-Z0-9](-*[a-zA-Z0-9.])*$/;
/** AsyncInferenceOutputConfig S3OutputPath / S3FailurePath: at most 512 characters. */
export const MAX_ASYNC_S3_URI = 512;

export function validateTrafficRouting(scope: Construct, routing: TrafficRouting): void {
  checkRange(scope, 'deployment.trafficRouting waitInterval', routing.waitInterval.toSeconds(), 0, 3600, { integer: true, unit: 'seconds' });
  if (routing.type === TrafficRoutingType.CANARY) {
    checkRange(scope, 'deployment.trafficRouting canary size', routing.sizePercent, 1, 50, { integer: true, unit: 'percent of capacity' });
  } else if (routing.type === TrafficRoutingType.LINEAR) {
    checkRange(scope, 'deployment.trafficRouting linear step', routing.sizePercent, 10, 50, { integer: true, unit: 'percent of capacity' });
  }
}

/** The waits a routing adds to a deployment: one after the shift or canary, one per linear step. */
export function routingWaitSeconds(routing: TrafficRouting): number {
  const wait = routing.waitInterval.toSeconds();
  if (routing.type !== TrafficRoutingType.LINEAR || routing.sizePercent === undefined || Token.isUnresolved(routing.sizePercent)) return wait;
  return Math.ceil(100 / routing.sizePercent) * wait;
}

export function renderTrafficRouting(routing: TrafficRouting): sagemaker.CfnEndpoint.TrafficRoutingConfigProperty {
  const size = routing.sizePercent === undefined ? undefined : { type: 'CAPACITY_PERCENT', value: routing.sizePercent };
  return {
    type: routing.type,
    waitIntervalInSeconds: routing.waitInterval.toSeconds(),
    canarySize: routing.type === TrafficRoutingType.CANARY ? size : undefined,
    linearStepSize: routing.type === TrafficRoutingType.LINEAR ? size : undefined,
  };
}

/** For callers without a type checker: every top-level prop has the type the interface says. */
export function validatePropTypes(scope: IConstruct, props: InferenceEndpointProps): void {
  checkType(scope, 'endpointName', props.endpointName, 'string');
  checkArray(scope, 'variants', props.variants, 'InstanceVariantProps');
  checkType(scope, 'networkIsolation', props.networkIsolation, 'boolean');
  checkArray(scope, 'securityGroups', props.securityGroups, 'ec2.ISecurityGroup');
  checkInstance(scope, 'vpc', props.vpc, Construct, 'an ec2.IVpc (e.g. new PrivateNetwork(...).vpc)');
  checkInstance(scope, 'encryptionKey', props.encryptionKey, Construct, 'a kms.IKey');
  checkInstance(scope, 'role', props.role, Construct, 'an iam.IRole');
  checkType(scope, 'logRetention', props.logRetention, 'number');
  if (isConcrete(props.logRetention)) {
    checkOneOf(scope, 'logRetention', props.logRetention, Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'));
  }
  const deployment = props.deployment ?? {};
  checkType(scope, 'deployment.guardrails', deployment.guardrails, 'boolean');
  checkType(scope, 'deployment.autoRollback', deployment.autoRollback, 'boolean');
  checkInstance(scope, 'deployment.trafficRouting', deployment.trafficRouting, TrafficRouting, 'a TrafficRouting, e.g. TrafficRouting.canary(10)');
  for (const prop of ['bakeTime', 'maximumExecutionTimeout'] as const) {
    checkInstance(scope, `deployment.${prop}`, deployment[prop], Duration, 'a Duration, e.g. Duration.minutes(10)');
  }
  checkArray(scope, 'deployment.additionalRollbackAlarms', deployment.additionalRollbackAlarms, 'cloudwatch.IAlarm');
  const alarms = props.alarms ?? {};
  checkType(scope, 'alarms.invocation5xxErrors', alarms.invocation5xxErrors, 'number');
  checkType(scope, 'alarms.evaluationPeriods', alarms.evaluationPeriods, 'number');
  checkInstance(scope, 'alarms.modelLatency', alarms.modelLatency, Duration, 'a Duration, e.g. Duration.seconds(1)');
  checkArray(scope, 'alarms.alarmActions', alarms.alarmActions, 'cloudwatch.IAlarmAction');
  if (props.dataCapture) checkType(scope, 'dataCapture.captureMode', props.dataCapture.captureMode, 'string');
}

/** For callers without a type checker: a variant's props have the types the interface says. */
export function validateVariantTypes(scope: IConstruct, p: (field: string) => string, props: InstanceVariantProps | ServerlessVariantProps): void {
  checkInstance(scope, p('image'), props.image, ModelImage, 'a ModelImage, e.g. ModelImage.fromBuiltIn(BuiltInImage.xgboost())');
  checkInstance(scope, p('modelData'), props.modelData, ModelData, 'a ModelData, e.g. ModelData.fromAsset("model.tar.gz")');
  checkInstance(scope, p('modelPackage'), props.modelPackage, ModelPackage, 'a ModelPackage, e.g. ModelPackage.fromArn(arn)');
  const numbers = ['initialInstanceCount', 'initialWeight', 'volumeSizeInGb', 'memorySizeInMb', 'maxConcurrency', 'provisionedConcurrency'] as const;
  for (const field of numbers) checkType(scope, p(field), (props as unknown as Record<string, unknown>)[field], 'number');
  for (const field of ['modelDataDownloadTimeout', 'containerStartupHealthCheckTimeout'] as const) {
    checkInstance(scope, p(field), (props as InstanceVariantProps)[field], Duration, 'a Duration, e.g. Duration.minutes(10)');
  }
  const scaling = (props as InstanceVariantProps).autoScaling;
  if (scaling) {
    checkType(scope, p('autoScaling.enabled'), scaling.enabled, 'boolean');
    for (const field of ['minCapacity', 'maxCapacity', 'targetInvocationsPerInstance'] as const) checkType(scope, p(`autoScaling.${field}`), scaling[field], 'number');
  }
}

/**
 * A container's environment (ContainerDefinition `Environment`, API_ContainerDefinition): at most
 * 100 entries, names `[a-zA-Z_][a-zA-Z0-9_]*` of at most 1024 characters, string values of at most 1024.
 */
export function validateEnvironment(scope: IConstruct, prop: string, environment: { [key: string]: string } | undefined): void {
  if (environment === undefined || Token.isUnresolved(environment)) return;
  check(scope, typeof environment === 'object' && environment !== null && !Array.isArray(environment), prop, environment,
    'an object of environment variable names to string values');
  const entries = Object.entries(environment);
  check(scope, entries.length <= MAX_ENV_ENTRIES, prop, `${entries.length} variables`, `at most ${MAX_ENV_ENTRIES} environment variables`);
  for (const [name, value] of entries) {
    check(scope, Token.isUnresolved(name) || ENV_NAME.test(name), `${prop} name`, name,
      'an environment variable name of 1 to 1024 characters: letters, digits and "_", not starting with a digit');
    checkType(scope, `${prop}.${name}`, value, 'string');
    check(scope, !isConcrete(value) || value.length <= MAX_ENV_VALUE, `${prop}.${name}`, `${value.length} characters`, `a value of at most ${MAX_ENV_VALUE} characters`);
  }
}
