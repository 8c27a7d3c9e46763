import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { TrainingData, TrainingPipeline, TrainingPipelineProps } from '../../lib';
import { ProfileName } from '../support/app';
import { testStack } from '../support/stack';

/** The parts a pipeline needs, in a fresh stack. */
export interface Fixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly data: TrainingData;
}

export function fixture(profile: ProfileName = 'lab', context?: Record<string, unknown>): Fixture {
  const stack = testStack(profile, context);
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Bucket', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
  return { stack, vpc, key, bucket, data: TrainingData.fromBucket(bucket, key) };
}

/** A pipeline with the fixture's parts plus `props`. */
export function pipeline(props: Partial<TrainingPipelineProps> = {}, profile: ProfileName = 'lab'): { f: Fixture; p: TrainingPipeline; t: Template } {
  const { f, p } = unsynthesized(props, profile);
  return { f, p, t: Template.fromStack(f.stack) };
}

/** The same, before synthesis: for tests that add to the stack first. */
export function unsynthesized(props: Partial<TrainingPipelineProps> = {}, profile: ProfileName = 'lab'): { f: Fixture; p: TrainingPipeline } {
  const f = fixture(profile);
  return { f, p: new TrainingPipeline(f.stack, 'Pipeline', { trainingData: f.data, vpc: f.vpc, ...props }) };
}

/** Stand-ins for the tokens of a rendered definition, so it can be parsed and evaluated as Step Functions would see it. */
const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws', 'AWS::Region': 'us-east-1', 'AWS::AccountId': '111122223333', 'AWS::URLSuffix': 'amazonaws.com',
};

function stringOf(part: unknown): string {
  if (typeof part === 'string') return part;
  const node = part as Record<string, unknown>;
  if (node.Ref) return PSEUDO[node.Ref as string] ?? `ref-${String(node.Ref).toLowerCase()}`;
  if (node['Fn::GetAtt']) {
    const [id, attr] = node['Fn::GetAtt'] as [string, string];
    if (attr === 'Arn') return `arn:aws:test:us-east-1:111122223333:${id.toLowerCase()}`;
    return `${id}-${attr}`.toLowerCase();
  }
  if (node['Fn::FindInMap']) return '683313688378';
  if (node['Fn::Join']) {
    const [sep, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(stringOf).join(sep);
  }
  throw new Error(`unexpected token in definition: ${JSON.stringify(part)}`);
}

/** The state machine's definition, as JSON with stand-ins for the deploy-time values. */
export function definitionOf(t: Template): Record<string, unknown> {
  const machines = t.findResources('AWS::StepFunctions::StateMachine');
  const [machine] = Object.values(machines);
  const body = (machine as { Properties: { DefinitionString: unknown } }).Properties.DefinitionString;
  return JSON.parse(stringOf(body));
}

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Next?: string;
  readonly Choices?: Array<Record<string, unknown>>;
  readonly Default?: string;
  readonly [key: string]: unknown;
}

export function statesOf(definition: Record<string, unknown>): Record<string, AslState> {
  return definition.States as Record<string, AslState>;
}
