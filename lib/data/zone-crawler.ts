import { Lazy, Names, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { Nag } from '../core/nag';
import { Profile } from '../core/profile';
import { check, checkRequired, checkShape, checkType, invalidProp, isConcrete } from '../core/validation';
import type { IDataLake } from './data-lake';
import { UniqueNames } from '../core/unique-names';
import { databaseIdentity } from './private/database-identity';
import { fixedNameRemovalPolicy } from '../core/private/fixed-name-removal';
import { checkGlueSchedule } from './private/glue-cron';
import { checkEnum } from './private/input-checks';
import { kmsSecurityConfiguration } from './private/glue-security-configuration';

/** What a crawler reads on each run after the first. */
export enum RecrawlBehavior {
  /** Every folder, every run: picks up schema changes in old partitions; costs more on a growing lake. */
  CRAWL_EVERYTHING = 'CRAWL_EVERYTHING',
  /** Only folders added since the last run: cheap for append-only zones; schema changes are logged, not applied. */
  CRAWL_NEW_FOLDERS_ONLY = 'CRAWL_NEW_FOLDERS_ONLY',
}

/** Props of {@link ZoneCrawler}. */
export interface ZoneCrawlerProps {
  /** The lake whose zone is crawled. */
  readonly lake: IDataLake;
  /** The zone to crawl; its tables go to the zone's Glue database. */
  readonly zone: string;
  /**
   * Crawl only objects under this key prefix, e.g. `events/`.
   * @default - the whole zone bucket
   */
  readonly prefix?: string;
  /**
   * When to run, as a Glue cron expression in UTC: `cron(Minutes Hours Day-of-month Month
   * Day-of-week Year)`, with `?` in exactly one of the two day fields, e.g. `cron(0 3 * * ? *)`.
   * @default - none: the crawler runs on demand
   */
  readonly schedule?: string;
  /**
   * What later runs read.
   * @default RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY
   */
  readonly recrawlBehavior?: RecrawlBehavior;
}

/** The defaults of {@link ZoneCrawlerProps}, as {@link ZoneCrawler.defaults} returns them. */
export interface ZoneCrawlerDefaults {
  readonly recrawlBehavior: RecrawlBehavior;
}

const CRAWLER_LOG_GROUP_PREFIX = '/aws-glue/crawlers-role/';

/**
 * A Glue crawler over one zone of a data lake, writing tables to the zone's database.
 *
 * Runs as its own least-privilege role (read the zone, write its database's tables, write its
 * own log group) under a Glue security configuration that encrypts its CloudWatch logs, and any
 * S3 output, with the lake's key. Its log group is created here, encrypted and with the profile's
 * retention; one Glue created on first run would keep logs forever.
 */
export class ZoneCrawler extends Construct {
  /** The defaults of {@link ZoneCrawlerProps} (the `@default` docs are tested against this). */
  public static defaults(): ZoneCrawlerDefaults {
    return { recrawlBehavior: RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY };
  }

  /**
   * Allows CloudWatch Logs in this region to use the key for Glue crawler log groups; fails for
   * a key whose policy cannot be edited from here (an imported key).
   * @internal
   */
  public static _allowCrawlerLogs(scope: IConstruct, key: kms.IKey, prop: string): void {
    EncryptedLogGroup.allowLogsToUseKey(scope, key, `${CRAWLER_LOG_GROUP_PREFIX}*`, prop);
  }

  /** The crawler. */
  public readonly cfnCrawler: glue.CfnCrawler;
  /** The role the crawler runs as. */
  public readonly role: iam.Role;
  /** The role's permissions. */
  public readonly policy: iam.ManagedPolicy;
  /** The security configuration that encrypts the crawler's logs with the lake's key. */
  public readonly securityConfiguration: glue.CfnSecurityConfiguration;
  /** The crawler's CloudWatch log group (encrypted with the lake's key). */
  public readonly logGroup: logs.LogGroup;
  /** The crawler's name. */
  public readonly crawlerName: string;
  /** The zone this crawler catalogs. */
  public readonly zone: string;

  constructor(scope: Construct, id: string, props: ZoneCrawlerProps) {
    super(scope, id);
    checkRequired(this, 'props', props, 'props with lake and zone');
    checkRequired(this, 'lake', props.lake, 'an IDataLake, e.g. a DataLake');
    checkShape(this, 'lake', props.lake, ['hasZone'], 'an IDataLake, e.g. a DataLake');
    checkRequired(this, 'zone', props.zone, `a zone of the lake: ${props.lake.zoneNames.join(', ')}`);
    checkType(this, 'zone', props.zone, 'string');
    checkType(this, 'prefix', props.prefix, 'string');
    checkEnum(this, 'recrawlBehavior', props.recrawlBehavior, RecrawlBehavior, 'RecrawlBehavior');
    const { lake, zone } = props;
    this.zone = zone;
    if (!lake.hasZone(zone)) invalidProp(this, 'zone', zone, `a zone of the lake: ${lake.zoneNames.join(', ')}`);
    checkGlueSchedule(this, 'schedule', props.schedule);
    if (props.prefix !== undefined && isConcrete(props.prefix)) {
      check(this, props.prefix.length > 0 && !props.prefix.startsWith('/') && !props.prefix.includes('*'), 'prefix', props.prefix,
        'a non-empty S3 key prefix without a leading "/" or "*", e.g. "events/"');
    }
    const stack = Stack.of(this);
    const profile = Profile.of(this);
    const key = lake.encryptionKey;
    ZoneCrawler._allowCrawlerLogs(this, key, 'lake.encryptionKey');

    const securityConfigurationName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.securityConfiguration = kmsSecurityConfiguration(this, securityConfigurationName, key);

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: `Glue crawler of the ${zone} zone of ${lake.node.path}`,
    });

    // Glue writes a crawler's logs to this group when a security configuration encrypts them.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `${CRAWLER_LOG_GROUP_PREFIX}${this.role.roleName}-${securityConfigurationName}`,
      encryptionKey: key,
      retention: profile.logRetention,
      // Its name is fixed: plain RETAIN would keep it after a failed first create.
      removalPolicy: fixedNameRemovalPolicy(profile.removalPolicy),
    });

    const bucket = lake.zoneBucket(zone);
    const databaseName = lake.databaseName(zone);
    const tablesArn = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${databaseName}/*` });
    const objectsArn = bucket.arnForObjects(`${props.prefix ?? ''}*`);
    // A managed policy rather than an inline one, and exact actions rather than grantRead's
    // wildcards: a crawler only lists and reads.
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: `Least privilege of the Glue crawler of the ${zone} zone of ${lake.node.path}`,
      roles: [this.role],
      statements: [
        new iam.PolicyStatement({
          sid: 'ListTheZone',
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: props.prefix ? { StringLike: { 's3:prefix': [`${props.prefix}*`] } } : undefined,
        }),
        // Part of AWSGlueServiceRole, the baseline the crawler docs name. Its own statement: the
        // s3:prefix condition above is absent from GetBucketLocation requests and would deny it.
        new iam.PolicyStatement({ sid: 'LocateTheZone', actions: ['s3:GetBucketLocation'], resources: [bucket.bucketArn] }),
        new iam.PolicyStatement({ sid: 'ReadTheZone', actions: ['s3:GetObject'], resources: [objectsArn] }),
        new iam.PolicyStatement({ sid: 'DecryptTheZone', actions: ['kms:Decrypt'], resources: [key.keyArn] }),
        new iam.PolicyStatement({
          sid: 'CatalogTablesOfTheZone',
          actions: [
            'glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable',
            'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:CreatePartition',
            'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:BatchUpdatePartition',
          ],
          resources: [lake.catalogArn, lake.databaseArn(zone), tablesArn],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogGroup',
          actions: ['logs:CreateLogGroup', 'logs:AssociateKmsKey', 'logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });

    // Two crawlers writing one database fight over its tables (each run rewrites the other's).
    UniqueNames.claim(this, 'crawled Glue database', databaseIdentity(lake, zone), 'zone');
    const recrawl = props.recrawlBehavior ?? ZoneCrawler.defaults().recrawlBehavior;
    this.cfnCrawler = new glue.CfnCrawler(this, 'Crawler', {
      role: this.role.roleArn,
      databaseName,
      description: `Catalogs the ${zone} zone of ${lake.node.path}`,
      targets: {
        s3Targets: [{
          path: `s3://${bucket.bucketName}/${props.prefix ?? ''}`,
          // Read when the template is built, so prefixes registered after this crawler count too.
          exclusions: Lazy.list({ produce: () => crawlerExclusions(lake, zone, props.prefix ?? '') }, { omitEmpty: true }),
        }],
      },
      crawlerSecurityConfiguration: this.securityConfiguration.ref,
      recrawlPolicy: { recrawlBehavior: recrawl },
      // Glue accepts only LOG/LOG when crawling new folders only; with full crawls, tables follow
      // the data but deleted data is logged rather than dropped from the catalog.
      schemaChangePolicy: recrawl === RecrawlBehavior.CRAWL_NEW_FOLDERS_ONLY
        ? { updateBehavior: 'LOG', deleteBehavior: 'LOG' }
        : { updateBehavior: 'UPDATE_IN_DATABASE', deleteBehavior: 'LOG' },
      schedule: props.schedule ? { scheduleExpression: props.schedule } : undefined,
    });
    this.cfnCrawler.node.addDependency(this.policy);
    this.crawlerName = this.cfnCrawler.ref;

    Nag.acknowledge(this.policy,
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, tablesArn)}]`,
        reason: 'A crawler creates and updates tables it discovers, whose names are not known at deploy time; the wildcard is limited to the tables of this zone\'s database.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${Nag.findingText(this, objectsArn)}]`,
        reason: 'A crawler reads the objects it discovers, whose keys are not known at deploy time; the wildcard is limited to s3:GetObject in this zone\'s bucket (under the crawled prefix).',
      },
    );
  }
}

/**
 * Prefixes that hold no table and that a crawler would otherwise turn into tables: Firehose error
 * output (StreamingIngestion's default `errors/`), SageMaker data capture (`data-capture/`), and
 * what the lake was told with `excludeFromCrawlers`. Glue matches exclusions relative to the
 * crawled path, so each is cut to the part under the crawler's prefix.
 */
const ALWAYS_EXCLUDED_PREFIXES = ['errors/', 'data-capture/'];

function crawlerExclusions(lake: IDataLake, zone: string, crawledPrefix: string): string[] {
  const registered = (lake as { _crawlerExclusions?: (z: string) => string[] })._crawlerExclusions?.(zone) ?? [];
  const out: string[] = [];
  for (const prefix of [...ALWAYS_EXCLUDED_PREFIXES, ...registered]) {
    // A prefix outside the crawled path needs no exclusion.
    if (!prefix.startsWith(crawledPrefix)) continue;
    const pattern = `${prefix.slice(crawledPrefix.length)}**`;
    if (!out.includes(pattern)) out.push(pattern);
  }
  return out;
}
