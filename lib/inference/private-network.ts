import { Aws, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataKey } from '../core/data-key';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { Nag } from '../core/nag';
import { Profile } from '../core/profile';
import { UniqueNames } from '../core/unique-names';
import { check, checkArray, checkInstance, checkPattern, checkRange, checkType } from '../core/validation';

/** Props of {@link PrivateNetwork}. */
export interface PrivateNetworkProps {
  /**
   * An existing VPC to use instead of creating one. Nothing is added to it (no flow log, no
   * gateway or interface endpoint) unless asked for with the props below.
   * @default - a new VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * IPv4 CIDR block of the new VPC: /16 to /24, or /16 to /22 with NAT gateways (the public
   * subnets get a 64th of it and must be /28 or larger).
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;
  /**
   * Availability zones of the new VPC (2 to 6): SageMaker hosting in a VPC needs subnets in at least two.
   * An environment-agnostic stack (no account and region) gets two whatever this says.
   * @default 2
   */
  readonly maxAzs?: number;
  /**
   * NAT gateways of the new VPC. With none, the VPC has isolated subnets only (no internet gateway,
   * no route out); with one or more it gets public subnets and private subnets with egress.
   * @default - lab: 0; production: 0
   */
  readonly natGateways?: number;
  /**
   * Interface endpoints to add, as the service part of `com.amazonaws.<region>.<service>`
   * (e.g. `sagemaker.runtime`, `logs`, `ecr.dkr`): only what code inside the VPC calls. Hosting
   * models in a VPC needs only the S3 gateway endpoint; add
   * `PrivateNetwork.SAGEMAKER_CLIENT_SERVICES` (`sagemaker.runtime`, `sagemaker.api`, about $29 a
   * month in two AZs) when a client inside the VPC (a Lambda function, a notebook, a
   * processing job) invokes endpoints or calls the SageMaker API.
   * @default - lab: none; production: none
   */
  readonly interfaceEndpointServices?: string[];
  /**
   * Whether to add an S3 gateway endpoint (free; model artifacts and data reach S3 through it).
   * @default - true for a new VPC; false when `vpc` is given
   */
  readonly s3GatewayEndpoint?: boolean;
  /**
   * Whether to log the VPC's traffic to an encrypted log group.
   * @default - true for a new VPC; false when `vpc` is given
   */
  readonly flowLogs?: boolean;
  /**
   * The key the flow log group is encrypted with. It gets a key policy statement for CloudWatch
   * Logs, so it must be a key defined in this app: an imported key is rejected at synth.
   * @default - a new DataKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * How long flow logs are kept.
   * @default - lab: one week; production: one year
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** The profile-dependent defaults of {@link PrivateNetworkProps}. */
export interface PrivateNetworkDefaults {
  /** NAT gateways. */
  readonly natGateways: number;
  /** Interface endpoint services. */
  readonly interfaceEndpointServices: string[];
  /** Flow log retention. */
  readonly flowLogRetention: logs.RetentionDays;
}

const SERVICE_NAME_PATTERN_DOC = 'the service part of com.amazonaws.<region>.<service>, e.g. "sagemaker.runtime"';
const SERVICE_NAME_PATTERN = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * A VPC for SageMaker models, training and endpoints: isolated subnets in two or more AZs with no
 * route to the internet by default, an S3 gateway endpoint, interface endpoints only for the
 * services code inside calls, flow logs to a KMS-encrypted log group, and a default security group
 * with every rule removed. Or an existing VPC, to which it adds only what is asked.
 */
export class PrivateNetwork extends Construct {
  /**
   * The interface endpoints an in-VPC client of SageMaker needs: `sagemaker.runtime`
   * (InvokeEndpoint) and `sagemaker.api` (the control plane).
   */
  public static readonly SAGEMAKER_CLIENT_SERVICES: string[] = ['sagemaker.runtime', 'sagemaker.api'];

  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): PrivateNetworkDefaults {
    return {
      natGateways: profile.natGateways,
      // None in either profile: models hosted in the VPC reach S3 through the gateway endpoint and
      // call no SageMaker API; interface endpoints cost money per AZ and hour (deploy audit #12).
      interfaceEndpointServices: [],
      flowLogRetention: profile.logRetention,
    };
  }

  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The subnets workloads should use: isolated ones, or private ones with egress when the VPC has no isolated subnets. */
  public readonly workloadSubnets: ec2.SubnetSelection;
  /** The key of the flow log group; undefined when no flow log was added. */
  public readonly encryptionKey?: kms.IKey;
  /** The flow log group; undefined when no flow log was added. */
  public readonly flowLogGroup?: logs.ILogGroup;
  /** The S3 gateway endpoint; undefined when none was added. */
  public readonly s3Endpoint?: ec2.IGatewayVpcEndpoint;

  private readonly endpoints = new Map<string, ec2.InterfaceVpcEndpoint>();
  private endpointSg?: ec2.SecurityGroup;
  private readonly endpointIngressCidr: string;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps = {}) {
    super(scope, id);
    check(this, typeof props === 'object' && props !== null, 'props', props, 'a PrivateNetworkProps object (or nothing)');
    checkInstance(this, 'vpc', props.vpc, Construct, 'an ec2.IVpc');
    checkType(this, 'cidr', props.cidr, 'string');
    checkType(this, 'maxAzs', props.maxAzs, 'number');
    checkType(this, 'natGateways', props.natGateways, 'number');
    checkArray(this, 'interfaceEndpointServices', props.interfaceEndpointServices, `service names (${SERVICE_NAME_PATTERN_DOC})`);
    checkType(this, 's3GatewayEndpoint', props.s3GatewayEndpoint, 'boolean');
    checkType(this, 'flowLogs', props.flowLogs, 'boolean');
    checkInstance(this, 'encryptionKey', props.encryptionKey, Construct, 'a kms.IKey');
    checkType(this, 'flowLogRetention', props.flowLogRetention, 'number');
    const profile = Profile.of(this);
    const defaults = PrivateNetwork.defaults(profile);
    const existing = props.vpc !== undefined;
    const maxAzs = props.maxAzs ?? 2;
    const natGateways = props.natGateways ?? defaults.natGateways;
    const cidr = props.cidr ?? '10.0.0.0/16';
    const services = props.interfaceEndpointServices ?? (existing ? [] : defaults.interfaceEndpointServices);

    if (existing) {
      for (const prop of ['cidr', 'maxAzs', 'natGateways'] as const) {
        check(this, props[prop] === undefined, prop, props[prop], 'nothing when `vpc` is given (they shape a new VPC only)');
      }
    }
    checkRange(this, 'maxAzs', maxAzs, 2, 6, { integer: true, unit: 'availability zones' });
    checkRange(this, 'natGateways', natGateways, 0, maxAzs, { integer: true, unit: '(at most one per availability zone)' });
    checkPattern(this, 'cidr', cidr, CIDR_PATTERN, 'an IPv4 CIDR block from /16 to /24, e.g. "10.0.0.0/16"');
    const cidrMatch = CIDR_PATTERN.exec(cidr);
    if (cidrMatch) {
      const octetsOk = cidrMatch.slice(1, 5).every((o) => Number(o) <= 255);
      const mask = Number(cidrMatch[5]);
      check(this, octetsOk && mask >= 16 && mask <= 24, 'cidr', cidr, 'an IPv4 CIDR block from /16 to /24, e.g. "10.0.0.0/16"');
      // Public subnets get a 64th of the block (mask + 6), and AWS subnets are /28 at the smallest.
      check(this, natGateways === 0 || mask + 6 <= 28, 'cidr', cidr,
        `a block of /22 or larger while natGateways is ${natGateways}: the public subnets would be /${mask + 6}, and AWS subnets must be /28 or larger`);
    }
    services.forEach((service, i) => {
      checkType(this, `interfaceEndpointServices[${i}]`, service, 'string');
      checkPattern(this, `interfaceEndpointServices[${i}]`, service, SERVICE_NAME_PATTERN, SERVICE_NAME_PATTERN_DOC);
    });
    check(this, new Set(services).size === services.length, 'interfaceEndpointServices', services, 'each service once');

    if (props.vpc) {
      this.vpc = props.vpc;
      this.endpointIngressCidr = props.vpc.vpcCidrBlock;
    } else {
      const isolated = natGateways === 0;
      const mask = Number(cidrMatch?.[5] ?? 16);
      const vpc = new ec2.Vpc(this, 'Vpc', {
        ipAddresses: ec2.IpAddresses.cidr(cidr),
        maxAzs,
        natGateways,
        restrictDefaultSecurityGroup: true,
        subnetConfiguration: isolated
          ? [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: mask + 4 }]
          : [
            { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: mask + 6, mapPublicIpOnLaunch: false },
            { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: mask + 4 },
          ],
      });
      this.vpc = vpc;
      // The CIDR as written, not the VPC's attribute: a literal peer lets reviewers (and cdk-nag) see the rule's scope.
      this.endpointIngressCidr = cidr;
      acknowledgeRestrictDefaultSgProvider(this);
    }
    this.workloadSubnets = this.vpc.isolatedSubnets.length > 0
      ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }
      : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

    if (props.flowLogs ?? !existing) {
      this.encryptionKey = props.encryptionKey ?? new DataKey(this, 'FlowLogKey', { description: `Flow logs of ${this.node.path}` });
      const flowLogGroupName = `/cdk-ml-reference/vpc-flow-logs/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
      UniqueNames.claim(this, 'CloudWatch log group', flowLogGroupName, 'flowLogs');
      this.flowLogGroup = new EncryptedLogGroup(this, 'FlowLogGroup', {
        logGroupName: flowLogGroupName,
        encryptionKey: this.encryptionKey,
        retention: props.flowLogRetention ?? defaults.flowLogRetention,
        // A fixed name: kept on delete in production, but never after a failed first create.
        removalPolicy: profile.isLab ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });
      // L1 with a role of our own: the L2 FlowLog attaches an inline policy to its role.
      const flowLogRole = new iam.Role(this, 'FlowLogRole', {
        assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
        description: `Delivers the flow logs of ${this.node.path}`,
      });
      const flowLogPolicy = new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        description: `Write the flow logs of ${this.node.path} to their log group`,
        roles: [flowLogRole],
        statements: [new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        })],
      });
      const flowLog = new ec2.CfnFlowLog(this, 'FlowLog', {
        resourceId: this.vpc.vpcId,
        resourceType: 'VPC',
        trafficType: 'ALL',
        logDestinationType: 'cloud-watch-logs',
        logGroupName: this.flowLogGroup.logGroupName,
        deliverLogsPermissionArn: flowLogRole.roleArn,
      });
      flowLog.node.addDependency(flowLogPolicy);
    }

    if (props.s3GatewayEndpoint ?? !existing) {
      this.s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    }

    for (const service of services) this.addInterfaceEndpoint(service);
  }

  /**
   * The security group of the interface endpoints (HTTPS in from the VPC's CIDR, nothing out);
   * undefined until the first interface endpoint is added.
   */
  public get endpointSecurityGroup(): ec2.ISecurityGroup | undefined {
    return this.endpointSg;
  }

  /** The interface endpoint services added so far, in order. */
  public get interfaceEndpointServices(): string[] {
    return [...this.endpoints.keys()];
  }

  /** The interface endpoint of a service added earlier; undefined if there is none. */
  public interfaceEndpoint(service: string): ec2.InterfaceVpcEndpoint | undefined {
    return this.endpoints.get(service);
  }

  /**
   * Adds an interface endpoint (private DNS on, in the workload subnets, behind the endpoint
   * security group) for `com.amazonaws.<region>.<service>`; returns the existing one if already added.
   */
  public addInterfaceEndpoint(service: string): ec2.InterfaceVpcEndpoint {
    checkType(this, 'service', service, 'string');
    checkPattern(this, 'service', service, SERVICE_NAME_PATTERN, SERVICE_NAME_PATTERN_DOC);
    const found = this.endpoints.get(service);
    if (found) return found;
    const id = service.split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
    const endpoint = this.vpc.addInterfaceEndpoint(`${id}Endpoint`, {
      service: new ec2.InterfaceVpcEndpointAwsService(service),
      privateDnsEnabled: true,
      open: false,
      securityGroups: [this.interfaceEndpointSecurityGroup()],
      subnets: this.workloadSubnets,
    });
    this.endpoints.set(service, endpoint);
    return endpoint;
  }

  private interfaceEndpointSecurityGroup(): ec2.SecurityGroup {
    if (!this.endpointSg) {
      this.endpointSg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'Interface endpoints: HTTPS from inside the VPC only',
        allowAllOutbound: false,
      });
      this.endpointSg.addIngressRule(ec2.Peer.ipv4(this.endpointIngressCidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    }
    return this.endpointSg;
  }
}

/** The provider aws-cdk-lib adds to strip the default security group's rules (a security control). */
function acknowledgeRestrictDefaultSgProvider(scope: Construct): void {
  const reason = "aws-cdk-lib's singleton provider that removes every rule from the VPC's default security group; it runs only during deployment, holds no data, and is managed by aws-cdk-lib.";
  Nag.acknowledgeStackChild(Stack.of(scope), 'Custom::VpcRestrictDefaultSGCustomResourceProvider',
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason },
    { id: 'AwsSolutions-L1', reason },
    { id: 'HIPAA.Security-LambdaConcurrency', reason },
    { id: 'HIPAA.Security-LambdaDLQ', reason },
    { id: 'HIPAA.Security-LambdaInsideVPC', reason },
  );
}
