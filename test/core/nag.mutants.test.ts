import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Nag } from '../../lib/core/nag';
import { testApp } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { testStack } from '../support/stack';

// Tests written for mutants StrykerJS found alive in lib/core/nag.ts (npm run mutate).

const REASON_20 = 'x'.repeat(20);

describe('Nag.acknowledge input rules', () => {
  test.each(['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled', 'AwsSolutions-IAM5[Resource::*]', 'DeployReadiness-VpcHostingPermissions[ec2:DescribeVpcs]'])(
    'accepts the rule id %s', (id) => {
      expect(() => Nag.acknowledge(testStack(), { id, reason: REASON_20 })).not.toThrow();
    });

  test.each(['xAwsSolutions-S1 trailing', ' AwsSolutions-S1', 'AwsSolutions_S1', 'AwsSolutions-IAM5[]', '9Pack-S1'])('rejects the rule id %p', (id) => {
    expect(rejectionOf(() => Nag.acknowledge(testStack(), { id, reason: REASON_20 })).message)
      .toBe(`[Test] invalid nag acknowledgement id: got ${JSON.stringify(id)}; allowed: a cdk-nag rule id such as "AwsSolutions-S1" or "AwsSolutions-IAM5[Resource::*]"`);
  });

  test('a reason of exactly 20 characters is accepted; 19, or 20 with padding, is rejected', () => {
    expect(() => Nag.acknowledge(testStack(), { id: 'AwsSolutions-S1', reason: REASON_20 })).not.toThrow();
    for (const reason of ['x'.repeat(19), ` ${'x'.repeat(19)} `]) {
      expect(rejectionOf(() => Nag.acknowledge(testStack(), { id: 'AwsSolutions-S1', reason })).message)
        .toBe(`[Test] invalid reason for AwsSolutions-S1: got ${JSON.stringify(reason)}; allowed: a reason of at least 20 characters that a security reviewer would accept`);
    }
  });
});

describe('Nag.enable and acknowledgeCompliance', () => {
  test('acknowledgements are written into the template metadata (cdk_nag.rules_to_suppress)', () => {
    const app = testApp();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Nag.enable(app);
    Nag.acknowledge(bucket, { id: 'AwsSolutions-S1', reason: 'Access logs are not needed for this bucket.' });
    app.synth();
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket')) as Array<{ Metadata?: { cdk_nag?: { rules_to_suppress: unknown[] } } }>;
    expect(resource.Metadata?.cdk_nag?.rules_to_suppress).toEqual([{ id: 'AwsSolutions-S1', reason: 'Access logs are not needed for this bucket.' }]);
  });

  test('acknowledgeCompliance accepts the rule in each compliance pack', () => {
    const app = testApp();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Nag.enable(app);
    Nag.acknowledgeCompliance(bucket, 'S3BucketLoggingEnabled', 'Access logs are not needed for this bucket.');
    app.synth();
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::S3::Bucket')) as Array<{ Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string }> } } }>;
    expect(resource.Metadata?.cdk_nag?.rules_to_suppress.map((r) => r.id)).toEqual(Nag.COMPLIANCE_PACKS.map((p) => `${p}-S3BucketLoggingEnabled`));
  });

  test('findingText prints refs, attributes, joins and pseudo parameters as cdk-nag does', () => {
    const stack = testStack();
    const bucket = new s3.Bucket(stack, 'B');
    expect(Nag.findingText(stack, bucket.arnForObjects('events/*'))).toMatch(/^<B[0-9A-F]+\.Arn>\/events\/\*$/);
    expect(Nag.findingText(stack, `arn:${stack.partition}:s3:::${bucket.bucketName}`)).toMatch(/^arn:<AWS::Partition>:s3:::<B[0-9A-F]+>$/);
  });
});

describe('Nag.enable refuses a Construct of another copy of "constructs"', () => {
  test('an object that is a Construct by its global symbol but not by class fails, naming the package and the fix', () => {
    const foreign = new (class {})() as unknown as App;
    Object.defineProperty(foreign, Symbol.for('constructs.Construct'), { value: true });
    const error = (() => { try { Nag.enable(foreign); } catch (e) { return e as Error; } return undefined; })();
    expect(error?.message).toMatch(/^Nag\.enable: the app is a Construct of another copy of the "constructs" package than cdk-ml-reference loads \(.*constructs\/package\.json\)/);
    expect(error?.message).toContain('npm install aws-cdk-lib constructs cdk-nag');
  });
});

describe('acknowledgements resolved at synth (references into another stack)', () => {
  const build = () => {
    const app = testApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
    const producer = new Stack(app, 'Producer');
    const consumer = new Stack(app, 'Consumer');
    const bucket = new s3.Bucket(producer, 'B', { enforceSSL: true });
    const role = new iam.Role(consumer, 'R', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    bucket.grantRead(role, 'events/*');
    return { app, bucket, role };
  };
  const suppressed = (role: iam.Role) => role.node.findAll().filter(CfnResource.isCfnResource)
    .map((r) => ((r.getMetadata('cdk_nag') as { rules_to_suppress?: Array<{ id: string; reason: string }> } | undefined)?.rules_to_suppress ?? []));

  test('with the packs enabled, the resolved id and its reason are written into the template metadata of each resource, once', () => {
    const { app, bucket, role } = build();
    Nag.enable(app);
    Nag.acknowledgeWildcard(role, bucket.arnForObjects('events/*'), 'Objects are named at run time; reads stay under events/.');
    const assembly = app.synth();
    app.synth({ force: true });
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'Consumer.template.json'), 'utf8')) as {
      Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress?: Array<{ id: string; reason: string }> } } }>;
    };
    const lists = Object.values(template.Resources).map((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(lists.length).toBeGreaterThanOrEqual(2);
    for (const rules of lists) {
      const ours = rules.filter((r) => /^AwsSolutions-IAM5\[Resource::Producer:ExportsOutputFnGetAttB\w+\/events\/\*\]$/.test(r.id));
      expect(ours).toEqual([{ id: ours[0]?.id, reason: 'Objects are named at run time; reads stay under events/.' }]);
    }
  });

  test('without the packs, nothing is written into the template metadata', () => {
    const { app, bucket, role } = build();
    Nag.acknowledgeWildcard(role, bucket.arnForObjects('events/*'), 'Objects are named at run time; reads stay under events/.');
    app.synth();
    expect(suppressed(role).flat()).toEqual([]);
  });
});

describe('Nag.acknowledgeStackChild', () => {
  test('acknowledges the stack-level child when it exists, and does nothing when it does not', () => {
    const stack = testStack();
    const child = new s3.CfnBucket(stack, 'Singleton');
    Nag.acknowledgeStackChild(stack, 'Missing', { id: 'AwsSolutions-S1', reason: REASON_20 });
    Nag.acknowledgeStackChild(new s3.CfnBucket(stack, 'Other'), 'Singleton', { id: 'AwsSolutions-S2', reason: REASON_20 });
    const acked = (c: { node: { metadata: Array<{ type: string; data: unknown }> } }) => JSON.stringify(c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((m) => m.data));
    expect(acked(child)).toContain('AwsSolutions-S2');
    expect(acked(stack)).not.toContain('AwsSolutions-S1');
  });
});

describe('findingText', () => {
  test('Fn::Sub is printed with <> for ${}, and pseudo parameters are not another stack', () => {
    const stack = testStack();
    expect(Nag.findingText(stack, Token.asString({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::logs/*' }))).toBe('arn:<AWS::Partition>:s3:::logs/*');
    expect(Nag.findingText(stack, Token.asString({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs']] }))).toBe('arn:<AWS::Partition>:sqs');
    expect(Nag.findingText(stack, Token.asString({ 'Fn::ImportValue': 'Shared-Arn' }))).toBe('Shared-Arn');
    expect(Nag.findingText(stack, Token.asString({ 'Fn::GetStackOutput': { StackName: 'A', OutputName: 'B' } }))).toBe('{"Fn::GetStackOutput":{"StackName":"A","OutputName":"B"}}');
  });

  test('a Ref or GetAtt of a logical id the stack does not have stays a token; one of its own is printed', () => {
    const stack = testStack();
    const bucket = new s3.CfnBucket(stack, 'Own');
    const own = stack.resolve(bucket.logicalId) as string;
    const elsewhere = Token.asString({ Ref: 'Elsewhere' });
    expect(Nag.findingText(stack, elsewhere)).toBe(elsewhere);
    const getAtt = Token.asString({ 'Fn::GetAtt': ['Elsewhere', 'Arn'] });
    expect(Nag.findingText(stack, getAtt)).toBe(getAtt);
    expect(Nag.findingText(stack, Token.asString({ Ref: own }))).toBe(`<${own}>`);
    const mixed = Token.asString({ 'Fn::Join': ['/', [{ Ref: own }, { Ref: 'Elsewhere' }]] });
    expect(Nag.findingText(stack, mixed)).toBe(mixed);
    expect(Nag.findingText(stack, Token.asString({ 'Fn::Join': ['/', [{ Ref: own }, { 'Fn::GetAtt': [own, 'Arn'] }]] }))).toBe(`<${own}>/<${own}.Arn>`);
  });
});
