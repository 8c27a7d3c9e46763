import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { CaptureMode, DataCaptureDestination, InferenceEndpoint, PrivateNetwork, Profile, TrafficRouting } from '../../lib';
import { rejectionOf } from '../support/rejection';
import { endpoint, fixture, serverless, variant } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (stack: Stack, id = 'EndpointPolicy'): Statement[] =>
  Object.entries(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy')).find(([k]) => k.startsWith(id))![1].Properties.PolicyDocument.Statement;
const withAction = (statements: Statement[], action: string) => statements.filter((s) => [s.Action].flat().includes(action));

describe('issue 11.3: the endpoint role has what the AWS docs list', () => {
  test('production (rollback on): cloudwatch:DescribeAlarms on exactly the rollback alarms, additional ones included', () => {
    const f = fixture('production');
    const extra = new cloudwatch.Alarm(f.stack, 'Extra', { metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }), threshold: 1, evaluationPeriods: 1 });
    const ep = endpoint(f, { deployment: { additionalRollbackAlarms: [extra] } });
    const describe = withAction(statementsOf(f.stack), 'cloudwatch:DescribeAlarms');
    const resources = describe.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r)).sort();
    expect(resources).toEqual(ep.rollbackAlarms.map((a) => JSON.stringify(f.stack.resolve(a.alarmArn))).sort());
    expect(resources).toHaveLength(3);
  });

  test('lab (rollback off): no DescribeAlarms', () => {
    const f = fixture('lab');
    endpoint(f);
    expect(withAction(statementsOf(f.stack), 'cloudwatch:DescribeAlarms')).toEqual([]);
  });

  test('ec2:DescribeVpcEndpoints with the other hosting-in-VPC describes (host-vpc.html)', () => {
    const f = fixture('lab');
    endpoint(f);
    const [statement] = withAction(statementsOf(f.stack), 'ec2:DescribeVpcEndpoints');
    expect(statement.Resource).toBe('*');
    expect(statement.Action).toEqual(expect.arrayContaining(['ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups',
      'ec2:DescribeNetworkInterfaces', 'ec2:DescribeDhcpOptions', 'ec2:DescribeVpcEndpoints']));
  });

  test('serverless: the config keeps its KmsKeyId and the role may use that key (and only it) as SageMaker does for the image copy', () => {
    const f = fixture('production');
    const ep = new InferenceEndpoint(f.stack, 'Endpoint', { serverlessVariant: serverless(f) });
    const keyArn = f.stack.resolve(ep.encryptionKey.keyArn);
    Template.fromStack(f.stack).hasResourceProperties('AWS::SageMaker::EndpointConfig', { KmsKeyId: keyArn });
    const statements = statementsOf(f.stack);
    expect(withAction(statements, 'kms:GenerateDataKey').find((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn))?.Action)
      .toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext']);
    expect(withAction(statements, 'kms:CreateGrant')).toEqual([{
      Action: 'kms:CreateGrant', Effect: 'Allow', Resource: keyArn, Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }]);
  });

  test('instance endpoints get no CreateGrant (the deployer, not the role, creates the volume grants)', () => {
    const f = fixture('production');
    endpoint(f);
    expect(withAction(statementsOf(f.stack), 'kms:CreateGrant')).toEqual([]);
  });
});

describe('issue 11.2: the fixed-name log group never blocks a retry', () => {
  test.each([['production', 'RetainExceptOnCreate', 'Retain'], ['lab', 'Delete', 'Delete']] as const)('%s: DeletionPolicy %s', (profile, deletion, replace) => {
    const f = fixture(profile);
    const ep = endpoint(f);
    const group = Template.fromStack(f.stack).findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: `/aws/sagemaker/Endpoints/${ep.endpointName}` } });
    expect(Object.values(group).map((g) => [g.DeletionPolicy, g.UpdateReplacePolicy])).toEqual([[deletion, replace]]);
    expect(InferenceEndpoint.defaults(profile === 'lab' ? Profile.LAB : Profile.PRODUCTION).logGroupRemovalPolicy)
      .toBe(profile === 'lab' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
  });
});

describe('issue 11.4: changing the variant set with deployment.guardrails false', () => {
  test('guardrails false: no DeploymentConfig at all (SageMaker\'s plain swap, which takes a different variant set)', () => {
    const f = fixture('production');
    endpoint(f, { variants: [variant(f, { variantName: 'Champion' }), variant(f, { variantName: 'Challenger', initialWeight: 0 })], deployment: { guardrails: false } });
    const [ep] = Object.values(Template.fromStack(f.stack).findResources('AWS::SageMaker::Endpoint'));
    expect(ep.Properties.DeploymentConfig).toBeUndefined();
  });

  test('guardrails false: alarms stay (state and notifications) but roll nothing back, so the role gets no DescribeAlarms', () => {
    const f = fixture('production');
    const ep = endpoint(f, { deployment: { guardrails: false } });
    expect(ep.alarms).toHaveLength(2);
    expect(ep.rollbackAlarms).toEqual([]);
    expect(ep.guardrails).toBe(false);
    expect(withAction(statementsOf(f.stack), 'cloudwatch:DescribeAlarms')).toEqual([]);
  });

  test('guardrails false allows canary-incompatible one-instance variants (the swap is all at once)', () => {
    const f = fixture('production');
    expect(() => endpoint(f, { variants: [variant(f, { initialInstanceCount: 1 })], deployment: { guardrails: false } })).not.toThrow();
  });

  test('guardrails on (default): DeploymentConfig with blue/green', () => {
    const f = fixture('production');
    const ep = endpoint(f);
    expect(ep.guardrails).toBe(true);
    Template.fromStack(f.stack).hasResourceProperties('AWS::SageMaker::Endpoint', { DeploymentConfig: { BlueGreenUpdatePolicy: Match.anyValue() } });
  });

  test.each([
    ['deployment.autoRollback', { autoRollback: true }, 'true'],
    ['deployment.trafficRouting', { trafficRouting: TrafficRouting.allAtOnce() }, '"set"'],
    ['deployment.bakeTime', { bakeTime: Duration.minutes(1) }, '"set"'],
    ['deployment.maximumExecutionTimeout', { maximumExecutionTimeout: Duration.minutes(20) }, '"set"'],
  ])('guardrails false rejects %s', (prop, deployment, got) => {
    const f = fixture('production');
    const e = rejectionOf(() => endpoint(f, { deployment: { guardrails: false, ...deployment } }));
    expect(e.prop).toBe(prop);
    expect(e.message).toContain(`got ${got}`);
  });
});

describe('issue 9.10: names AWS allows once per account and region', () => {
  test('two endpoints with one name in an app are rejected, naming both', () => {
    const f = fixture('lab');
    endpoint(f, { endpointName: 'churn' }, 'First');
    const e = rejectionOf(() => endpoint(f, { endpointName: 'churn' }, 'Second'));
    expect(e.message).toBe('[Test/Second] invalid endpointName: got "churn"; allowed: a SageMaker endpoint name that no other construct of this app uses (Test/First already uses it; AWS allows one per account and region)');
  });

  test('the same name in two stacks of one app is rejected too', () => {
    const f = fixture('lab');
    endpoint(f, { endpointName: 'churn' });
    const other = new Stack(f.stack.node.root, 'Other');
    const e = rejectionOf(() => new InferenceEndpoint(other, 'Endpoint', { serverlessVariant: serverless(f), endpointName: 'churn' }));
    expect(e.constructPath).toBe('Other/Endpoint');
  });

  test('different names are fine', () => {
    const f = fixture('lab');
    endpoint(f, { endpointName: 'churn-a' }, 'A');
    expect(() => endpoint(f, { endpointName: 'churn-b' }, 'B')).not.toThrow();
  });
});

describe('sagemaker.IEndpoint and the accessors other constructs read', () => {
  const f = fixture('lab');
  const ep = endpoint(f, {
    encryptionKey: f.key,
    dataCapture: { destination: DataCaptureDestination.fromBucket(f.bucket, 'capture/churn'), captureMode: CaptureMode.INPUT, samplingPercentage: 50 },
  });

  test('InferenceEndpoint is an aws-cdk-lib sagemaker.IEndpoint: apigateway.SagemakerIntegration takes it and its role may invoke exactly it', () => {
    const asInterface: sagemaker.IEndpoint = ep;
    expect(asInterface.endpointRef.endpointArn).toBe(ep.endpointArn);
    expect(asInterface.stack).toBe(f.stack);
    const api = new apigateway.RestApi(f.stack, 'Api');
    api.root.addMethod('POST', new apigateway.SagemakerIntegration(asInterface));
    const template = Template.fromStack(f.stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: f.stack.resolve(ep.endpointArn) }] },
    });
  });

  test('grantInvoke', () => {
    const role = new iam.Role(f.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    const grant = ep.grantInvoke(role);
    expect(grant.success).toBe(true);
  });

  test('applyRemovalPolicy acts on the endpoint', () => {
    const f2 = fixture('lab');
    const e2 = endpoint(f2);
    e2.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(Object.values(Template.fromStack(f2.stack).findResources('AWS::SageMaker::Endpoint'))[0].DeletionPolicy).toBe('Retain');
  });

  test('data capture: on, its modes, its location and key', () => {
    expect(ep.dataCaptureEnabled).toBe(true);
    const capture = ep.dataCapture!;
    expect(capture.captureModes).toEqual([CaptureMode.INPUT]);
    expect([capture.capturesInput, capture.capturesOutput]).toEqual([true, false]);
    expect(capture.prefix).toBe('capture/churn');
    expect(capture.bucket).toBe(f.bucket);
    expect(f.stack.resolve(capture.s3Uri)).toEqual(f.stack.resolve(f.bucket.s3UrlForObject('capture/churn')));
    expect(capture.encryptionKey).toBe(f.key);
    expect(capture.samplingPercentage).toBe(50);
  });

  test('network: VPC, subnet ids, security groups; not serverless', () => {
    expect(ep.vpc).toBe(f.network.vpc);
    expect(ep.subnetIds).toEqual(f.network.vpc.isolatedSubnets.map((s) => s.subnetId));
    expect(ep.securityGroups).toEqual(ep.connections.securityGroups);
    expect(ep.securityGroups).toHaveLength(1);
    expect(ep.serverless).toBe(false);
    expect(ep.isAsync).toBe(false);
    expect(ep.encryptionKey).toBe(f.key);
  });

  test('without capture: dataCapture undefined; serverless: no VPC, no subnets, no security groups', () => {
    const f2 = fixture('lab');
    const s = new InferenceEndpoint(f2.stack, 'S', { serverlessVariant: serverless(f2) });
    expect(s.dataCaptureEnabled).toBe(false);
    expect(s.dataCapture).toBeUndefined();
    expect([s.vpc, s.subnetIds, s.securityGroups, s.serverless]).toEqual([undefined, [], [], true]);
  });
});

describe('issue 17: profile defaults as literal values', () => {
  test('InferenceEndpoint.defaults', () => {
    const literal = (p: typeof Profile.LAB) => {
      const d = InferenceEndpoint.defaults(p);
      return {
        ...d,
        trafficRouting: { type: d.trafficRouting.type, sizePercent: d.trafficRouting.sizePercent, wait: d.trafficRouting.waitInterval.toSeconds() },
        bakeTime: d.bakeTime.toSeconds(),
      };
    };
    expect(literal(Profile.LAB)).toEqual({
      instanceType: 'ml.c5.large', initialInstanceCount: 1, minCapacity: 1, maxCapacity: 2, samplingPercentage: 100,
      trafficRouting: { type: 'ALL_AT_ONCE', sizePercent: undefined, wait: 0 }, bakeTime: 0, autoRollback: false, logRetention: 7,
      logGroupRemovalPolicy: 'destroy',
    });
    expect(literal(Profile.PRODUCTION)).toEqual({
      instanceType: 'ml.c5.large', initialInstanceCount: 2, minCapacity: 2, maxCapacity: 4, samplingPercentage: 20,
      trafficRouting: { type: 'CANARY', sizePercent: 10, wait: 300 }, bakeTime: 600, autoRollback: true, logRetention: 365,
      logGroupRemovalPolicy: 'retain-on-update-or-delete',
    });
  });

  test('PrivateNetwork.defaults', () => {
    expect(PrivateNetwork.defaults(Profile.LAB)).toEqual({ natGateways: 0, interfaceEndpointServices: [], flowLogRetention: 7 });
    expect(PrivateNetwork.defaults(Profile.PRODUCTION)).toEqual({ natGateways: 0, interfaceEndpointServices: [], flowLogRetention: 365 });
  });
});
