import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Nag } from '../../lib';
import { testApp } from '../support/app';
import { nagFindings } from '../support/nag';

const AUTO_DELETE_PROVIDER = 'Custom::S3AutoDeleteObjectsCustomResourceProvider';

function autoDeleteStack(): Stack {
  const app = testApp();
  const stack = new Stack(app, 'S');
  new s3.Bucket(stack, 'B', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
  app.synth();
  return stack;
}

describe('Nag', () => {
  test('enable attaches the AwsSolutions, HIPAA Security, NIST 800-53 R5, PCI DSS 3.2.1 and deploy-readiness packs as validation plugins of the app', () => {
    const app = testApp();
    Nag.enable(app);
    const plugins = (app as unknown as { _validationPlugins: Array<{ name: string }> })._validationPlugins.map((p) => p.name);
    expect(plugins).toEqual(['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'DeployReadiness']);
  });

  test('acknowledgeCompliance accepts one rule in each compliance pack, and the packs then stay quiet about it', () => {
    const app = testApp();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true });
    app.synth();
    const before = nagFindings(stack).filter((f) => f.rule.endsWith('-S3DefaultEncryptionKMS')).map((f) => f.rule).sort();
    expect(before).toEqual(['HIPAA.Security-S3DefaultEncryptionKMS', 'NIST.800.53.R5-S3DefaultEncryptionKMS', 'PCI.DSS.321-S3DefaultEncryptionKMS']);
    Nag.acknowledgeCompliance(bucket, 'S3DefaultEncryptionKMS', 'Reason long enough for a reviewer to read.');
    const entries = JSON.stringify(bucket.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((e) => e.data));
    for (const pack of ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321']) expect(entries).toContain(`${pack}-S3DefaultEncryptionKMS`);
    expect(nagFindings(stack).filter((f) => f.rule.endsWith('-S3DefaultEncryptionKMS'))).toEqual([]);
  });

  test('acknowledge records the rule and its reason on exactly the construct given', () => {
    const stack = new Stack(testApp(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    Nag.acknowledge(bucket, { id: 'AwsSolutions-S1', reason: 'Reason long enough for a reviewer to read.' });
    const entries = bucket.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(entries.map((e) => e.data))).toContain('AwsSolutions-S1');
    expect(stack.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toEqual([]);
  });

  test('rejects a reason too short to convince a reviewer', () => {
    const stack = new Stack(testApp(), 'S');
    expect(() => Nag.acknowledge(stack, { id: 'AwsSolutions-S1', reason: 'ok' }))
      .toThrow('[S] invalid reason for AwsSolutions-S1: got "ok"; allowed: a reason of at least 20 characters');
  });

  test('rejects an id that is not a cdk-nag rule id', () => {
    const stack = new Stack(testApp(), 'S');
    expect(() => Nag.acknowledge(stack, { id: 'S1', reason: 'A reason that is long enough anyway.' }))
      .toThrow('invalid nag acknowledgement id: got "S1"');
  });

  test("aws-cdk-lib's auto-delete provider raises no finding: it is a raw CfnResource the packs do not inspect", () => {
    const stack = autoDeleteStack();
    expect(stack.node.tryFindChild(AUTO_DELETE_PROVIDER)).toBeDefined();
    expect(nagFindings(stack).filter((f) => f.path.includes(AUTO_DELETE_PROVIDER))).toEqual([]);
  });

  test('findingText renders an ARN the way cdk-nag prints it in finding ids', () => {
    const stack = new Stack(testApp(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    const id = stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
    expect(Nag.findingText(stack, bucket.arnForObjects('events/*'))).toBe(`<${id}.Arn>/events/*`);
    expect(Nag.findingText(stack, `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/x/*`))
      .toBe('arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/x/*');
    expect(Nag.findingText(stack, 'plain')).toBe('plain');
  });

  test('acknowledgeWildcard accepts exactly the IAM5 finding of that resource', () => {
    const app = testApp();
    const stack = new Stack(app, 'S');
    const bucket = new s3.Bucket(stack, 'B', { enforceSSL: true });
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    bucket.grantRead(role, 'events/*');
    bucket.grantPut(role, 'out/*');
    Nag.acknowledgeWildcard(role, bucket.arnForObjects('events/*'), 'Objects are named at run time; reads stay under events/.');
    app.synth();
    const iam5 = nagFindings(stack).filter((f) => f.rule.startsWith('AwsSolutions-IAM5[Resource::')).map((f) => f.rule);
    expect(iam5.some((r) => r.endsWith('/events/*]'))).toBe(false);
    expect(iam5.some((r) => r.endsWith('/out/*]'))).toBe(true);
  });

  test('findingText leaves a reference into another stack a token, and acknowledge resolves it at synth as cdk-nag prints it', () => {
    const app = testApp({ context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
    const producer = new Stack(app, 'Producer');
    const consumer = new Stack(app, 'Consumer');
    const bucket = new s3.Bucket(producer, 'B', { enforceSSL: true });
    const role = new iam.Role(consumer, 'R', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    bucket.grantRead(role, 'events/*');
    const text = Nag.findingText(role, bucket.arnForObjects('events/*'));
    expect(text).toMatch(/\$\{Token\[/);
    Nag.acknowledgeWildcard(role, bucket.arnForObjects('events/*'), 'Objects are named at run time; reads stay under events/.');
    app.synth();
    const iam5 = nagFindings(consumer).filter((f) => f.rule.startsWith('AwsSolutions-IAM5[Resource::')).map((f) => f.rule);
    expect(iam5).toEqual([]);
    const acknowledged = JSON.stringify(role.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((e) => e.data));
    expect(acknowledged).toMatch(/AwsSolutions-IAM5\[Resource::Producer:ExportsOutputFnGetAttB\w+\/events\/\*\]/);
  });

  test('findingText of a same-stack value is the text itself, at once', () => {
    const stack = new Stack(testApp(), 'S');
    const bucket = new s3.Bucket(stack, 'B');
    expect(Nag.findingText(stack, bucket.bucketArn)).toBe(`<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>`);
  });
});
