import { Aws, CfnMapping, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from './validation';

/**
 * Registry accounts of SageMaker's built-in algorithm images, per region.
 * Source: the SageMaker Python SDK's image URI configs (see shared/reference/aws-facts.md §1).
 */
const REGISTRY_ACCOUNTS: Record<string, { xgboost: string; modelmonitor: string; linearlearner: string }> = {
  'us-east-1': { xgboost: '683313688378', modelmonitor: '156813124566', linearlearner: '382416733822' },
  'us-east-2': { xgboost: '257758044811', modelmonitor: '777275614652', linearlearner: '404615174143' },
  'us-west-1': { xgboost: '746614075791', modelmonitor: '890145073186', linearlearner: '632365934929' },
  'us-west-2': { xgboost: '246618743249', modelmonitor: '159807026194', linearlearner: '174872318107' },
  'eu-west-1': { xgboost: '141502667606', modelmonitor: '468650794304', linearlearner: '438346466558' },
  'eu-west-2': { xgboost: '764974769150', modelmonitor: '749857270468', linearlearner: '644912444149' },
  'eu-central-1': { xgboost: '492215442770', modelmonitor: '048819808253', linearlearner: '664544806723' },
  'eu-north-1': { xgboost: '662702820516', modelmonitor: '895015795356', linearlearner: '669576153137' },
  'ap-northeast-1': { xgboost: '354813040037', modelmonitor: '574779866223', linearlearner: '351501993468' },
  'ap-northeast-2': { xgboost: '366743142698', modelmonitor: '709848358524', linearlearner: '835164637446' },
  'ap-southeast-1': { xgboost: '121021644041', modelmonitor: '245545462676', linearlearner: '475088953585' },
  'ap-southeast-2': { xgboost: '783357654285', modelmonitor: '563025443158', linearlearner: '712309505854' },
  'ap-south-1': { xgboost: '720646828776', modelmonitor: '126357580389', linearlearner: '991648021394' },
  'ca-central-1': { xgboost: '341280168497', modelmonitor: '536280801234', linearlearner: '469771592824' },
  'sa-east-1': { xgboost: '737474898029', modelmonitor: '539772159869', linearlearner: '855470959533' },
  'cn-north-1': { xgboost: '450853457545', modelmonitor: '453000072557', linearlearner: '390948362332' },
  'cn-northwest-1': { xgboost: '451049120500', modelmonitor: '453252182341', linearlearner: '387376663083' },
};

type RegistryColumn = 'xgboost' | 'modelmonitor' | 'linearlearner';

const MAPPING_ID = 'CdkMlBuiltInImageRegistries';
const RULE_ID = 'CdkMlBuiltInImageRegions';

/** A published version of the SageMaker XGBoost container. */
export class XGBoostVersion {
  /** XGBoost 1.5-1. */
  public static readonly V1_5_1 = new XGBoostVersion('1.5-1');
  /** XGBoost 1.7-1 (the default). */
  public static readonly V1_7_1 = new XGBoostVersion('1.7-1');
  /** XGBoost 3.0-5. */
  public static readonly V3_0_5 = new XGBoostVersion('3.0-5');
  /** XGBoost 3.2-0. */
  public static readonly V3_2_0 = new XGBoostVersion('3.2-0');

  private constructor(
    /** The image tag, e.g. `1.7-1`. */
    public readonly version: string,
  ) {}
}

/**
 * A SageMaker built-in algorithm image, resolved for the stack's region.
 *
 * Stacks are environment-agnostic: with a token region the URI reads the registry account
 * from a `CfnMapping` at deploy time, and a template rule (`CdkMlBuiltInImageRegions`) stops a
 * deploy to a region outside the table before anything is created; with a concrete region it is a
 * plain string, and a region missing from the table fails synth.
 */
export class BuiltInImage {
  /** The region-keyed table behind the mapping (for tests and docs). */
  public static registryAccounts(): Record<string, Record<string, string>> {
    return JSON.parse(JSON.stringify(REGISTRY_ACCOUNTS));
  }

  /** SageMaker XGBoost, `sagemaker-xgboost:<version>`. */
  public static xgboost(version: XGBoostVersion = XGBoostVersion.V1_7_1): BuiltInImage {
    return new BuiltInImage('XGBoost', 'sagemaker-xgboost', version.version, 'xgboost');
  }

  /** Linear Learner, `linear-learner:1`. */
  public static readonly LINEAR_LEARNER = new BuiltInImage('Linear Learner', 'linear-learner', '1', 'linearlearner');
  /** k-means, `kmeans:1`. */
  public static readonly KMEANS = new BuiltInImage('k-means', 'kmeans', '1', 'linearlearner');
  /** Model Monitor's analyzer, `sagemaker-model-monitor-analyzer` (published without a tag). */
  public static readonly MODEL_MONITOR_ANALYZER = new BuiltInImage('Model Monitor analyzer', 'sagemaker-model-monitor-analyzer', undefined, 'modelmonitor');

  private constructor(
    /** Human-readable name of the algorithm. */
    public readonly displayName: string,
    /** The ECR repository name. */
    public readonly repositoryName: string,
    /** The image tag; undefined when the image is published without one. */
    public readonly tag: string | undefined,
    private readonly column: RegistryColumn,
  ) {}

  /** The registry (AWS account) that publishes this image in the scope's region. */
  public registryAccount(scope: IConstruct): string {
    const region = Stack.of(scope).region;
    if (Token.isUnresolved(region)) {
      return BuiltInImage.mapping(scope).findInMap(Aws.REGION, this.column);
    }
    const accounts = REGISTRY_ACCOUNTS[region];
    if (!accounts) {
      return invalidProp(scope, `stack region for the ${this.displayName} image`, region,
        `a region that publishes SageMaker built-in images: ${Object.keys(REGISTRY_ACCOUNTS).join(', ')}`);
    }
    return accounts[this.column];
  }

  /** The full image URI, e.g. `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1`. */
  public imageUri(scope: IConstruct): string {
    const stack = Stack.of(scope);
    const suffix = Token.isUnresolved(stack.region) ? Aws.URL_SUFFIX : stack.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    const tag = this.tag ? `:${this.tag}` : '';
    return `${this.registryAccount(scope)}.dkr.ecr.${stack.region}.${suffix}/${this.repositoryName}${tag}`;
  }

  /** The ECR repository ARN, for scoping `ecr:BatchGetImage` and friends to exactly this image. */
  public repositoryArn(scope: IConstruct): string {
    const stack = Stack.of(scope);
    return `arn:${stack.partition}:ecr:${stack.region}:${this.registryAccount(scope)}:repository/${this.repositoryName}`;
  }

  private static mapping(scope: IConstruct): CfnMapping {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(MAPPING_ID);
    if (existing) return existing as CfnMapping;
    const regions = Object.keys(REGISTRY_ACCOUNTS);
    // Without it, a region outside the table fails deep in the deploy at Fn::FindInMap ("Unable to
    // get mapping"); a template rule is checked before any resource is created, with this message.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/rules-section-structure.html
    new CfnRule(stack, RULE_ID, {
      assertions: [{
        assert: Fn.conditionContains(regions, Aws.REGION),
        assertDescription: `SageMaker built-in algorithm images (cdk-ml-reference BuiltInImage) are mapped for ${regions.join(', ')} only. `
          + 'Deploy this stack to one of them, or give the construct an image URI of your own.',
      }],
    });
    return new CfnMapping(stack, MAPPING_ID, { mapping: BuiltInImage.registryAccounts(), lazy: true });
  }
}
