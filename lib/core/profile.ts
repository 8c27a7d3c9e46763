import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { invalidProp } from './validation';

/** The two postures one set of constructs can take. */
export enum ProfileName {
  /** A sandbox account: cheapest capacity, data destroyed with the stack, teardown guard rails. */
  LAB = 'lab',
  /** A real workload: data retained, redundant capacity, alarms wired to rollback. */
  PRODUCTION = 'production',
}

/**
 * Lab or production: the defaults table of DESIGN.md, in one place.
 *
 * Constructs read their profile-dependent defaults from here (each construct
 * documents them on its props) and every such default can be overridden by a prop.
 * Choose with context: `cdk synth -c profile=lab`; production when unset.
 */
export class Profile {
  /** The context key that selects the profile. */
  public static readonly CONTEXT_KEY = 'profile';

  /** Where a bad profile is reported: the app's context, not a construct. */
  private static readonly CONTEXT_PATH = 'app context';

  /** Sandbox posture. */
  public static readonly LAB = new Profile(ProfileName.LAB);

  /** Production posture (the default). */
  public static readonly PRODUCTION = new Profile(ProfileName.PRODUCTION);

  /**
   * The profile in force for a scope: context `profile` (`lab` or `production`), production when unset.
   *
   * @throws PropValidationError when the context holds any other value: it names the context key, not
   * the construct that happened to read it first (every construct reads it)
   */
  public static of(scope: IConstruct): Profile {
    const value: unknown = scope.node.tryGetContext(Profile.CONTEXT_KEY);
    if (value === undefined || value === ProfileName.PRODUCTION) return Profile.PRODUCTION;
    if (value === ProfileName.LAB) return Profile.LAB;
    return invalidProp(Profile.CONTEXT_PATH, Profile.CONTEXT_KEY, value,
      `"lab" or "production" (unset means "production"), set with -c ${Profile.CONTEXT_KEY}=lab or in cdk.json's "context"`);
  }

  /** `lab` or `production`. */
  public readonly name: ProfileName;
  /** True for the lab profile. */
  public readonly isLab: boolean;

  // Data on stack delete.
  /** What happens to stateful resources when the stack is deleted: DESTROY in lab, RETAIN in production. */
  public readonly removalPolicy: RemovalPolicy;
  /** Whether buckets are emptied on stack delete so they can be destroyed: lab only. */
  public readonly autoDeleteObjects: boolean;
  /**
   * Whether the profile calls for versioned buckets: production only. For buckets of your own:
   * SecureBucket and AccessLogBucket are versioned in both profiles (their lifecycle rules act on versions).
   */
  public readonly versioned: boolean;
  /** KMS key deletion waiting period: 7 days in lab (the minimum), 30 in production (the maximum). */
  public readonly keyPendingWindow: Duration;
  /** Retention of CloudWatch log groups: one week in lab, one year in production. */
  public readonly logRetention: RetentionDays;

  // Endpoint capacity.
  /** Endpoint instance type: the cheapest non-burstable type (burstable types cannot autoscale). */
  public readonly endpointInstanceType: string;
  /** Initial instances per variant: 1 in lab, 2 (across AZs) in production. */
  public readonly endpointInitialInstanceCount: number;
  /** Autoscaling minimum: 1 in lab, 2 in production. */
  public readonly endpointMinCapacity: number;
  /** Autoscaling maximum: 2 in lab, 4 in production. */
  public readonly endpointMaxCapacity: number;

  // Networking.
  /** NAT gateways: none in either profile (private subnets reach AWS through endpoints). */
  public readonly natGateways: number;

  // Streams.
  /** Kinesis shard count when provisioned: 1 in lab; production defaults to on-demand (undefined). */
  public readonly streamShardCount?: number;

  // Guard rails.
  /** Budget alarm and time-to-live teardown: lab only. */
  public readonly labGuard: boolean;
  /** Alarms wired to deployment rollback: production only. */
  public readonly rollbackAlarms: boolean;

  private constructor(name: ProfileName) {
    const lab = name === ProfileName.LAB;
    this.name = name;
    this.isLab = lab;
    this.removalPolicy = lab ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    this.autoDeleteObjects = lab;
    this.versioned = !lab;
    this.keyPendingWindow = Duration.days(lab ? 7 : 30);
    this.logRetention = lab ? RetentionDays.ONE_WEEK : RetentionDays.ONE_YEAR;
    this.endpointInstanceType = 'ml.c5.large';
    this.endpointInitialInstanceCount = lab ? 1 : 2;
    this.endpointMinCapacity = lab ? 1 : 2;
    this.endpointMaxCapacity = lab ? 2 : 4;
    this.natGateways = 0;
    this.streamShardCount = lab ? 1 : undefined;
    this.labGuard = lab;
    this.rollbackAlarms = !lab;
  }
}
