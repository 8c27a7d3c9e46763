import * as fs from 'fs';
import * as path from 'path';
import { BuiltInImage, XGBoostVersion } from '../../lib';
import { ROOT } from '../support/app';
import { regionalStack, templateOf, testStack } from '../support/stack';

/** The image table of aws-facts.md, parsed: region -> [xgboost, model monitor, linear-learner/kmeans]. */
function factsTable(text: string): Record<string, string[]> {
  const rows: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).filter(Boolean);
    if (cells.length === 4 && /^[a-z]{2}-[a-z]+-\d$/.test(cells[0])) rows[cells[0]] = cells.slice(1);
  }
  return rows;
}

const vendored = fs.readFileSync(path.join(ROOT, 'test/fixtures/aws-facts-images.md'), 'utf8');
const table = factsTable(vendored);
const sharedFacts = path.join(ROOT, '..', 'shared', 'reference', 'aws-facts.md');

describe('BuiltInImage', () => {
  test('the vendored table has all 17 regions', () => {
    expect(Object.keys(table)).toHaveLength(17);
  });

  // Locally a clone without ../shared skips; CI must have it (a skip there would hide a stale copy).
  (fs.existsSync(sharedFacts) || process.env.CI === 'true' ? test : test.skip)('the vendored table still matches shared/reference/aws-facts.md', () => {
    expect(factsTable(fs.readFileSync(sharedFacts, 'utf8'))).toEqual(table);
  });

  test.each(Object.entries(table))('%s: concrete-region URIs match the facts table', (region, [xgb, monitor, linear]) => {
    const stack = regionalStack(region);
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    expect(BuiltInImage.xgboost().imageUri(stack)).toBe(`${xgb}.dkr.ecr.${region}.${domain}/sagemaker-xgboost:1.7-1`);
    expect(BuiltInImage.MODEL_MONITOR_ANALYZER.imageUri(stack)).toBe(`${monitor}.dkr.ecr.${region}.${domain}/sagemaker-model-monitor-analyzer`);
    expect(BuiltInImage.LINEAR_LEARNER.imageUri(stack)).toBe(`${linear}.dkr.ecr.${region}.${domain}/linear-learner:1`);
    expect(BuiltInImage.KMEANS.imageUri(stack)).toBe(`${linear}.dkr.ecr.${region}.${domain}/kmeans:1`);
  });

  test('a token region resolves through one CfnMapping holding every region of the table', () => {
    const stack = testStack();
    const uri = BuiltInImage.xgboost().imageUri(stack);
    BuiltInImage.KMEANS.imageUri(stack);
    const resolved = stack.resolve(uri);
    expect(resolved).toEqual({
      'Fn::Join': ['', [
        { 'Fn::FindInMap': ['CdkMlBuiltInImageRegistries', { Ref: 'AWS::Region' }, 'xgboost'] },
        '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-xgboost:1.7-1',
      ]],
    });
    const mappings = templateOf(stack).toJSON().Mappings;
    expect(Object.keys(mappings)).toEqual(['CdkMlBuiltInImageRegistries']);
    const mapping = mappings.CdkMlBuiltInImageRegistries;
    for (const [region, [xgb, monitor, linear]] of Object.entries(table)) {
      expect(mapping[region]).toEqual({ xgboost: xgb, modelmonitor: monitor, linearlearner: linear });
    }
    expect(Object.keys(mapping)).toHaveLength(17);
  });

  test('no mapping is emitted when no image is used', () => {
    expect(templateOf(testStack()).toJSON().Mappings).toBeUndefined();
  });

  // The tag comes first, from the test: a name printed from the version object would change with the library.
  test.each([
    ['1.5-1', XGBoostVersion.V1_5_1], ['1.7-1', XGBoostVersion.V1_7_1], ['3.0-5', XGBoostVersion.V3_0_5], ['3.2-0', XGBoostVersion.V3_2_0],
  ])('XGBoost %s uses that tag from the same registry', (tag, version) => {
    const stack = regionalStack('eu-west-1');
    expect(BuiltInImage.xgboost(version).imageUri(stack)).toBe(`141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:${tag}`);
  });

  test('repositoryArn scopes pulls to the publishing account and repository', () => {
    expect(BuiltInImage.xgboost().repositoryArn(regionalStack('us-east-1')))
      .toBe('arn:aws:ecr:us-east-1:683313688378:repository/sagemaker-xgboost');
  });

  test('rejects a concrete region missing from the table, naming it and the allowed regions', () => {
    const stack = regionalStack('af-south-1');
    expect(() => BuiltInImage.xgboost().imageUri(stack))
      .toThrow(/\[Test\] invalid stack region for the XGBoost image: got "af-south-1"; allowed: a region that publishes SageMaker built-in images: us-east-1, .*cn-northwest-1/);
  });

  describe('the region rule (a token region outside the table fails before anything is created)', () => {
    /** Evaluates the rule's single assertion for a region, as CloudFormation would. */
    function ruleAccepts(rule: { Assertions: Array<{ Assert: { 'Fn::Contains': [string[], unknown] } }> }, region: string): boolean {
      const [allowed, value] = rule.Assertions[0].Assert['Fn::Contains'];
      expect(value).toEqual({ Ref: 'AWS::Region' });
      return allowed.includes(region);
    }

    test('using the mapping adds one rule asserting AWS::Region is one of the 17 mapped regions, with a clear message', () => {
      const stack = testStack();
      BuiltInImage.xgboost().imageUri(stack);
      BuiltInImage.MODEL_MONITOR_ANALYZER.imageUri(stack);
      const rules = templateOf(stack).toJSON().Rules;
      expect(Object.keys(rules).filter((k) => k !== 'CheckBootstrapVersion')).toEqual(['CdkMlBuiltInImageRegions']);
      const rule = rules.CdkMlBuiltInImageRegions;
      expect(rule.RuleCondition).toBeUndefined();
      expect(rule.Assertions).toHaveLength(1);
      expect([...rule.Assertions[0].Assert['Fn::Contains'][0]].sort()).toEqual(Object.keys(table).sort());
      expect(rule.Assertions[0].AssertDescription).toBe(
        `SageMaker built-in algorithm images (cdk-ml-reference BuiltInImage) are mapped for ${Object.keys(BuiltInImage.registryAccounts()).join(', ')} only. `
        + 'Deploy this stack to one of them, or give the construct an image URI of your own.');
    });

    test.each(Object.keys(table))('accepts mapped region %s', (region) => {
      const stack = testStack();
      BuiltInImage.KMEANS.imageUri(stack);
      expect(ruleAccepts(templateOf(stack).toJSON().Rules.CdkMlBuiltInImageRegions, region)).toBe(true);
    });

    test.each(['eu-west-3', 'af-south-1', 'ap-northeast-3', 'me-south-1', 'us-gov-west-1'])('rejects unmapped region %s', (region) => {
      const stack = testStack();
      BuiltInImage.KMEANS.imageUri(stack);
      expect(ruleAccepts(templateOf(stack).toJSON().Rules.CdkMlBuiltInImageRegions, region)).toBe(false);
    });

    test('no rule without an image, and none for a concrete region (synth checks that one)', () => {
      const concrete = regionalStack('eu-west-1');
      BuiltInImage.xgboost().imageUri(concrete);
      expect(templateOf(testStack()).toJSON().Rules.CdkMlBuiltInImageRegions).toBeUndefined();
      expect(templateOf(concrete).toJSON().Rules.CdkMlBuiltInImageRegions).toBeUndefined();
    });
  });
});
