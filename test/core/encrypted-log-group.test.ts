import * as path from 'path';
import { RemovalPolicy } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DataKey, EncryptedLogGroup, Profile } from '../../lib';
import { documentedDefaults } from '../support/documented-defaults';
import { testStack } from '../support/stack';

const logsPrincipal = { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } };
const arnOf = (name: string) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:${name}`]],
});

describe.each(['lab', 'production'] as const)('EncryptedLogGroup (%s)', (profile) => {
  const stack = testStack(profile);
  const key = new DataKey(stack, 'Key');
  new DataKey(stack, 'OtherKey');
  new EncryptedLogGroup(stack, 'Logs', { logGroupName: '/test/app', encryptionKey: key });
  const template = Template.fromStack(stack);

  test('is encrypted with exactly the given key, with the profile retention and removal policy', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/test/app',
        KmsKeyId: stack.resolve(key.keyArn),
        RetentionInDays: profile === 'lab' ? 7 : 365,
      },
      DeletionPolicy: profile === 'lab' ? 'Delete' : 'RetainExceptOnCreate',
    });
  });

  test('the key policy lets CloudWatch Logs of this region use the key for this log group only', () => {
    const policy = template.findResources('AWS::KMS::Key')[stack.getLogicalId(key.node.defaultChild as kms.CfnKey)];
    expect(JSON.stringify(policy.Properties.KeyPolicy)).toContain('logs.');
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([{
        Effect: 'Allow',
        Principal: logsPrincipal,
        Action: ['kms:Decrypt*', 'kms:Describe*', 'kms:Encrypt*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
        Resource: '*',
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arnOf('/test/app') } },
      }]) },
    });
  });
});

describe('EncryptedLogGroup options and rejections', () => {
  test('retention and removal policy can be overridden', () => {
    const stack = testStack('lab');
    new EncryptedLogGroup(stack, 'Logs', { logGroupName: '/x', encryptionKey: new DataKey(stack, 'Key'), retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.RETAIN });
    // RETAIN keeps the group on delete but not after a failed first create (fixed name).
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { Properties: Match.objectLike({ RetentionInDays: 30 }), DeletionPolicy: 'RetainExceptOnCreate', UpdateReplacePolicy: 'Retain' });
  });

  test('a DESTROY override in production is kept as given', () => {
    const stack = testStack('production');
    new EncryptedLogGroup(stack, 'Logs', { logGroupName: '/x', encryptionKey: new DataKey(stack, 'Key'), removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(stack).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  test('allowLogsToUseKey admits a prefix of log groups, once however often it is called', () => {
    const stack = testStack();
    const key = new DataKey(stack, 'Key');
    EncryptedLogGroup.allowLogsToUseKey(stack, key, '/aws-glue/jobs*', 'key');
    EncryptedLogGroup.allowLogsToUseKey(stack, key, '/aws-glue/jobs*', 'key');
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'))[0].Properties.KeyPolicy.Statement;
    const forLogs = statements.filter((s: { Principal?: unknown }) => JSON.stringify(s.Principal) === JSON.stringify(logsPrincipal));
    expect(forLogs).toHaveLength(1);
    expect(forLogs[0].Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arnOf('/aws-glue/jobs*') } });
  });

  test('rejects an imported key, whose policy cannot admit CloudWatch Logs', () => {
    const stack = testStack();
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(() => new EncryptedLogGroup(stack, 'Logs', { logGroupName: '/x', encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', arn) }))
      .toThrow(`[Test/Logs] invalid encryptionKey: got "${arn}"; allowed: a kms.Key defined in this CDK app (not imported)`);
  });

  test('documented defaults agree with the profile', () => {
    const docs = documentedDefaults(path.join(__dirname, '..', '..', 'lib', 'core', 'encrypted-log-group.ts'), 'EncryptedLogGroupProps');
    expect(docs.retention).toBe('- lab: one week; production: one year');
    expect([Profile.LAB.logRetention, Profile.PRODUCTION.logRetention]).toEqual([RetentionDays.ONE_WEEK, RetentionDays.ONE_YEAR]);
    expect(docs.removalPolicy).toBe('- lab: DESTROY; production: RETAIN_ON_UPDATE_OR_DELETE');
  });
});
