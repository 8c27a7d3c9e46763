import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DataKey, PrivateNetwork, Profile } from '../../lib';
import { PROFILES, ProfileName } from '../support/app';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';
import { formatNag, nagFindings } from '../support/nag';
import { testStack } from '../support/stack';
import { rejectionOf } from '../support/rejection';

const SOURCE = path.join(__dirname, '..', '..', 'lib', 'inference', 'private-network.ts');
const RETENTION_DAYS: Record<ProfileName, number> = { lab: 7, production: 365 };

describe.each(PROFILES)('PrivateNetwork, new VPC (%s profile)', (profile) => {
  const stack = testStack(profile);
  const network = new PrivateNetwork(stack, 'Network');
  const template = Template.fromStack(stack);
  const resolve = (x: unknown) => stack.resolve(x);

  test('two AZs of isolated subnets only: no public subnet, no internet gateway, no NAT', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 2);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourcePropertiesCountIs('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false }, 2);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    expect(network.vpc.isolatedSubnets).toHaveLength(2);
    expect(network.workloadSubnets).toEqual({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
  });

  test('no route leaves the VPC except through the S3 gateway endpoint', () => {
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    expect(routes).toEqual([]);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      RouteTableIds: resolve(network.vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId)),
    });
    expect(network.s3Endpoint).toBeDefined();
  });

  test('no interface endpoint by default (hosting in a VPC needs only the S3 gateway endpoint), so no endpoint security group', () => {
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 0);
    expect(network.interfaceEndpointServices).toEqual([]);
    expect(network.endpointSecurityGroup).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroup', { GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only' }, 0);
  });

  test(`the flow log group (a fixed name) is ${profile === 'lab' ? 'deleted with the stack' : 'kept on delete but not after a failed first create (RetainExceptOnCreate)'}`, () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(1);
    expect(groups[0].DeletionPolicy).toBe(profile === 'lab' ? 'Delete' : 'RetainExceptOnCreate');
    expect(groups[0].UpdateReplacePolicy).toBe(profile === 'lab' ? 'Delete' : 'Retain');
  });

  describe('with PrivateNetwork.SAGEMAKER_CLIENT_SERVICES for an in-VPC client', () => {
    const clientStack = testStack(profile);
    const withClients = new PrivateNetwork(clientStack, 'Network', { interfaceEndpointServices: PrivateNetwork.SAGEMAKER_CLIENT_SERVICES });
    const t = Template.fromStack(clientStack);

    test('sagemaker.runtime and sagemaker.api interface endpoints with private DNS in the workload subnets', () => {
      expect(PrivateNetwork.SAGEMAKER_CLIENT_SERVICES).toEqual(['sagemaker.runtime', 'sagemaker.api']);
      t.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 2);
      for (const service of ['sagemaker.runtime', 'sagemaker.api']) {
        t.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          VpcEndpointType: 'Interface',
          ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
          PrivateDnsEnabled: true,
          SecurityGroupIds: [clientStack.resolve(withClients.endpointSecurityGroup!.securityGroupId)],
          SubnetIds: clientStack.resolve(withClients.vpc.isolatedSubnets.map((sn) => sn.subnetId)),
        });
      }
      expect(withClients.interfaceEndpointServices).toEqual(['sagemaker.runtime', 'sagemaker.api']);
    });

    test('the endpoint security group takes HTTPS from the VPC CIDR (a literal) and sends nothing', () => {
      t.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Interface endpoints: HTTPS from inside the VPC only',
        SecurityGroupIngress: [{ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
      });
    });

    test('has no unacknowledged cdk-nag findings', () => {
      expect(formatNag(nagFindings(clientStack))).toEqual([]);
    });
  });

  test('the default security group is stripped of its rules', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test(`all traffic is logged to a KMS-encrypted log group kept ${RETENTION_DAYS[profile]} days`, () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      ResourceId: resolve(network.vpc.vpcId),
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: resolve(network.flowLogGroup!.logGroupName),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/cdk-ml-reference/vpc-flow-logs/'),
      KmsKeyId: resolve(network.encryptionKey!.keyArn),
      RetentionInDays: RETENTION_DAYS[profile],
    });
  });

  test('the flow log role may only write to its log group, through a managed policy, and trusts only this account\'s deliveries', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: resolve(network.flowLogGroup!.logGroupArn),
      }] },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('the flow log key is rotated and lets CloudWatch Logs use it for that log group only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
        Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^:log-group:/cdk-ml-reference/vpc-flow-logs/')])] } } },
      })]) },
    });
  });

  test('has no unacknowledged cdk-nag findings', () => {
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});

describe('PrivateNetwork options', () => {
  const stack = testStack('production');
  const key = new DataKey(stack, 'Key');
  const withNat = new PrivateNetwork(stack, 'WithNat', {
    cidr: '10.8.0.0/20', maxAzs: 3, natGateways: 1, interfaceEndpointServices: ['logs', 'ecr.dkr'], encryptionKey: key,
    flowLogRetention: RetentionDays.ONE_MONTH,
  });
  withNat.addInterfaceEndpoint('sts');
  const again = withNat.addInterfaceEndpoint('sts');
  const existingVpc = new ec2.Vpc(stack, 'Existing', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Iso', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const onExisting = new PrivateNetwork(stack, 'OnExisting', { vpc: existingVpc });
  const template = Template.fromStack(stack);
  const resolve = (x: unknown) => stack.resolve(x);

  test('with NAT gateways: public subnets for the NAT and private subnets with egress for workloads', () => {
    // An environment-agnostic stack knows no AZ names, so aws-cdk-lib uses at most two whatever maxAzs says.
    expect(withNat.vpc.publicSubnets).toHaveLength(2);
    expect(withNat.vpc.privateSubnets).toHaveLength(2);
    expect(withNat.workloadSubnets).toEqual({ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS });
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.8.0.0/20' });
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
  });

  test('interface endpoints as given plus added ones, each once', () => {
    expect(withNat.interfaceEndpointServices).toEqual(['logs', 'ecr.dkr', 'sts']);
    expect(again).toBe(withNat.interfaceEndpoint('sts'));
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.ecr.dkr']] },
      SubnetIds: resolve(withNat.vpc.privateSubnets.map((s) => s.subnetId)),
    });
  });

  test('the key and retention given are used', () => {
    expect(withNat.encryptionKey).toBe(key);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: resolve(key.keyArn), RetentionInDays: 30 });
  });

  test('an existing VPC gets nothing added unless asked', () => {
    expect(onExisting.vpc).toBe(existingVpc);
    expect(onExisting.flowLogGroup).toBeUndefined();
    expect(onExisting.s3Endpoint).toBeUndefined();
    expect(onExisting.interfaceEndpointServices).toEqual([]);
    template.resourcePropertiesCountIs('AWS::EC2::FlowLog', { ResourceId: resolve(existingVpc.vpcId) }, 0);
    template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcId: resolve(existingVpc.vpcId) }, 0);
  });
});

describe('PrivateNetwork documented defaults match the code', () => {
  const lab = PrivateNetwork.defaults(Profile.LAB);
  const prod = PrivateNetwork.defaults(Profile.PRODUCTION);
  const docs = documentedDefaults(SOURCE, 'PrivateNetworkProps');
  const services = (s: string[]) => (s.length === 0 ? 'none' : s.join(' and '));

  test('natGateways', () => {
    expect(docs.natGateways).toBe(`- lab: ${lab.natGateways}; production: ${prod.natGateways}`);
  });

  test('interfaceEndpointServices', () => {
    expect([lab.interfaceEndpointServices, prod.interfaceEndpointServices]).toEqual([[], []]);
    expect(docs.interfaceEndpointServices).toBe(`- lab: ${services(lab.interfaceEndpointServices)}; production: ${services(prod.interfaceEndpointServices)}`);
  });

  test('flowLogRetention', () => {
    expect([lab.flowLogRetention, prod.flowLogRetention]).toEqual([RetentionDays.ONE_WEEK, RetentionDays.ONE_YEAR]);
    expect(docs.flowLogRetention).toBe('- lab: one week; production: one year');
  });

  test('constants and every optional prop documented', () => {
    expect(docs).toMatchObject({ cidr: "'10.0.0.0/16'", maxAzs: '2' });
    expect(undocumentedOptionalProps(SOURCE, 'PrivateNetworkProps')).toEqual([]);
  });
});

describe('PrivateNetwork rejects at synth', () => {
  function expectRejected(props: ConstructorParameters<typeof PrivateNetwork>[2], prop: string, got: string, extra?: (n: PrivateNetwork) => void): void {
    const stack = testStack('lab');
    const error = rejectionOf(() => {
      const network = new PrivateNetwork(stack, 'Network', props);
      extra?.(network);
    });
    expect(error.prop).toBe(prop);
    expect(error.message).toContain(`[Test/Network] invalid ${prop}: got ${got};`);
  }

  test('an imported key for the flow logs (its policy cannot admit CloudWatch Logs)', () => {
    const stack = testStack('lab');
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(() => new PrivateNetwork(stack, 'Network', { encryptionKey: kms.Key.fromKeyArn(stack, 'Imported', arn) }))
      .toThrow(`[Test/Network/FlowLogGroup] invalid encryptionKey: got "${arn}"; allowed: a kms.Key defined in this CDK app (not imported)`);
  });

  test('a single availability zone', () => expectRejected({ maxAzs: 1 }, 'maxAzs', '1'));
  test('more NAT gateways than availability zones', () => expectRejected({ natGateways: 3 }, 'natGateways', '3'));
  test('a CIDR that is not one', () => expectRejected({ cidr: '10.0.0.0' }, 'cidr', '"10.0.0.0"'));
  test('a CIDR block smaller than /24', () => expectRejected({ cidr: '10.0.0.0/28' }, 'cidr', '"10.0.0.0/28"'));
  test('a /23 CIDR block with NAT gateways (its public subnets would be /29)', () => expectRejected({ cidr: '10.0.0.0/23', natGateways: 1 }, 'cidr', '"10.0.0.0/23"'));
  test('an interface endpoint service that is not a service name', () => expectRejected({ interfaceEndpointServices: ['com.amazonaws.eu-west-1.logs!'] },
    'interfaceEndpointServices[0]', '"com.amazonaws.eu-west-1.logs!"'));
  test('the same interface endpoint service twice', () => expectRejected({ interfaceEndpointServices: ['logs', 'logs'] },
    'interfaceEndpointServices', '["logs", "logs"]'));
  test('an interface endpoint added later with a bad name', () => expectRejected({}, 'service', '"Logs Service"', (n) => n.addInterfaceEndpoint('Logs Service')));
  test('VPC shape props beside an existing VPC', () => {
    const stack = testStack('lab');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2 });
    expect(() => new PrivateNetwork(stack, 'Network', { vpc, cidr: '10.1.0.0/16' }))
      .toThrow('[Test/Network] invalid cidr: got "10.1.0.0/16"; allowed: nothing when `vpc` is given');
  });
});
