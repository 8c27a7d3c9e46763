import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DataLake, StreamingIngestion, StreamRecordFormat, ZoneCrawler } from '../../lib';
import { PROFILES, ProfileName, testApp } from '../support/app';

// Issue 9.3: a team's first unit test builds a bare `new App()`, without cdk.json's feature flags.
// The data constructs must build the same security posture there. The one flag they still need,
// @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy, belongs to lib/core's AccessLogBucket (fixed
// there); until that lands it is the only context given here.
const CORE_FLAG_PENDING = { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true };

function templateIn(app: App): Record<string, unknown> {
  const stack = new Stack(app, 'Data');
  const lake = new DataLake(stack, 'Lake', { crawledZones: ['raw'] });
  new ZoneCrawler(stack, 'Curated', { lake, zone: 'curated' });
  new StreamingIngestion(stack, 'Clicks', { dataLake: lake, partitionKeys: { type: '.event_type' }, dataPrefix: 'c/type=!{partitionKeyFromQuery:type}/' });
  new StreamingIngestion(stack, 'Parquet', { dataLake: lake, format: StreamRecordFormat.PARQUET, columns: [{ name: 'id', type: 'string' }] });
  return sortLists(Template.fromStack(stack).toJSON()) as Record<string, unknown>;
}

/** Lists in sorted order: the flag @aws-cdk/aws-iam:minimizePolicies only reorders IAM actions and resources. */
function sortLists(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortLists).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, sortLists(v)]));
  return x;
}

describe.each(PROFILES)('data constructs in an App without cdk.json flags (%s)', (profile: ProfileName) => {
  const flagged = templateIn(testApp({ profile }));
  const bare = templateIn(new App({ context: { profile, ...CORE_FLAG_PENDING } }));
  const resources = (t: Record<string, unknown>) => t.Resources as Record<string, { Type: string }>;

  test('the same resources, policies, encryption and removal policies as under the project\'s flags', () => {
    expect(Object.keys(resources(bare)).sort()).toEqual(Object.keys(resources(flagged)).sort());
    expect(Object.keys(resources(flagged)).length).toBeGreaterThan(40);
    expect(bare).toEqual(flagged);
  });

  test('every bucket is SSE-KMS or (access logs) SSE-S3, blocks public access and enforces object ownership in the bare App', () => {
    const buckets = Object.values(resources(bare)).filter((r) => r.Type === 'AWS::S3::Bucket') as unknown as Array<{ Properties: Record<string, unknown> }>;
    expect(buckets).toHaveLength(5);
    for (const b of buckets) {
      expect(JSON.stringify(b.Properties.BucketEncryption)).toMatch(/"SSEAlgorithm":"(aws:kms|AES256)"/);
      expect(b.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      expect(b.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
  });
});
