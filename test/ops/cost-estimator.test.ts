import { CostEstimator } from '../../lib/ops/cost-estimator';
import { PriceTable } from '../../lib/ops/cost-estimator-prices';
import { labTemplates } from '../../scripts/render-costs';

const estimator = new CostEstimator();
const lab = labTemplates('lab');
const prod = labTemplates('production');

describe('price table', () => {
  test('every price carries a source and a positive figure; the ids are unique', () => {
    const facts = PriceTable.usEast1().facts;
    expect(new Set(facts.map((f) => f.id)).size).toBe(facts.length);
    for (const f of facts) {
      expect(f.usd).toBeGreaterThan(0);
      expect(f.source).toMatch(/aws-facts\.md §5.*https:\/\/aws\.amazon\.com\//);
    }
  });

  test('figures are the ones of aws-facts.md §5', () => {
    const p = PriceTable.usEast1();
    expect(p.instanceHour('ml.c5.large')).toBe(0.102);
    expect(p.instanceHour('ml.m5.large')).toBe(0.115);
    expect(p.usd('kinesis:shard-hour')).toBe(0.015);
    expect(p.usd('kinesis:on-demand-stream-hour')).toBe(0.04);
    expect(p.usd('glue:dpu-hour')).toBe(0.44);
    expect(p.usd('vpce:az-hour')).toBe(0.01);
    expect(p.usd('sagemaker:serverless-gb-second')).toBe(0.00002);
    expect(p.hourly('kms:key-month')).toBeCloseTo(1 / 730, 10);
  });

  test('an unknown price fails loudly instead of counting as free', () => {
    expect(() => PriceTable.usEast1().instanceHour('ml.p5.48xlarge')).toThrow("no price for 'sagemaker:ml.p5.48xlarge'");
  });
});

describe('idle cost from templates', () => {
  test('the data stack idles at ≤ $0.05/h with no endpoint (lab profile)', () => {
    const idle = estimator.idleCost('MlLabData', lab.data);
    expect(idle.lines.some((l) => /endpoint/.test(l.item))).toBe(false);
    expect(idle.usdPerHour).toBeLessThanOrEqual(0.05);
    // One provisioned shard is the biggest item; keys and alarms are prorated monthly prices.
    expect(idle.lines[0]).toEqual(expect.objectContaining({ usd: 0.015, basis: '1 × $0.015/shard-hour' }));
  });

  test('the serving stack idles at one ml.c5.large, the hourly monitoring job, its keys and alarms (lab) and two instances (production)', () => {
    const labIdle = estimator.idleCost('MlLabServing', lab.serving);
    expect(labIdle.lines[0]).toEqual(expect.objectContaining({ usd: 0.102, basis: '1 × $0.102/h' }));
    expect(labIdle.lines.find((l) => /^monitoring job ml\.m5\.large × 1/.test(l.item))?.usd).toBeCloseTo(0.115 * 10 / 60, 10);
    expect(labIdle.usdPerHour).toBeGreaterThan(0.102 + 0.115 * 10 / 60);
    expect(labIdle.usdPerHour).toBeLessThan(0.135);
    expect(estimator.idleCost('MlLabServing', prod.serving).lines[0]).toEqual(expect.objectContaining({ usd: 0.204 }));
  });

  test('production data stack: on-demand stream, and no interface endpoint (PrivateNetwork adds none by default in either profile)', () => {
    const idle = estimator.idleCost('MlLabData', prod.data);
    expect(idle.lines.find((l) => /on-demand/.test(l.item))?.usd).toBe(0.04);
    expect(idle.lines.filter((l) => /interface endpoint/.test(l.item)).map((l) => l.usd)).toEqual([]);
    expect(idle.usdPerHour).toBeGreaterThan(estimator.idleCost('MlLabData', lab.data).usdPerHour);
  });

  test('each resource kind is priced as the table says (hand-made template)', () => {
    const t = { Resources: {
      Cfg: { Type: 'AWS::SageMaker::EndpointConfig', Properties: { ProductionVariants: [
        { VariantName: 'A', InstanceType: 'ml.m5.large', InitialInstanceCount: 3 },
        { VariantName: 'S', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } },
      ] } },
      Ep: { Type: 'AWS::SageMaker::Endpoint', Properties: { EndpointConfigName: { 'Fn::GetAtt': ['Cfg', 'EndpointConfigName'] } } },
      Nat: { Type: 'AWS::EC2::NatGateway', Properties: {} },
      Gw: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Gateway' } },
      If: { Type: 'AWS::EC2::VPCEndpoint', Properties: { VpcEndpointType: 'Interface', SubnetIds: ['a', 'b', 'c'], ServiceName: 'com.amazonaws.us-east-1.logs' } },
      S: { Type: 'AWS::Kinesis::Stream', Properties: { ShardCount: 4 } },
      K1: { Type: 'AWS::KMS::Key', Properties: {} },
      K2: { Type: 'AWS::KMS::Key', Properties: {} },
      A1: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
      Def: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { JobResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 } } } },
      Mon: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: {
        MonitoringJobDefinitionName: { 'Fn::GetAtt': ['Def', 'JobDefinitionName'] }, ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } } } },
    } };
    const idle = estimator.idleCost('T', t);
    const by = (re: RegExp) => idle.lines.find((l) => re.test(l.item))?.usd;
    expect(by(/ml\.m5\.large × 3/)).toBeCloseTo(0.345, 10);
    expect(by(/NAT/)).toBe(0.045);
    expect(by(/interface endpoint/)).toBeCloseTo(0.03, 10);
    expect(by(/Kinesis 4 shard/)).toBeCloseTo(0.06, 10);
    expect(by(/monitoring job/)).toBeCloseTo(0.23 * 10 / 60, 10);
    expect(idle.lines.find((l) => /KMS/.test(l.item))).toEqual({ item: 'KMS customer managed keys × 2', usd: 2 / 730, basis: '2 × $1/key-month ÷ 730 h' });
    expect(idle.lines.find((l) => /alarms/.test(l.item))).toEqual({ item: 'CloudWatch alarms × 1', usd: 0.1 / 730, basis: '1 × $0.10/alarm-month ÷ 730 h' });
    expect(idle.lines).toHaveLength(7); // gateway endpoint and serverless (no provisioned concurrency) are free idle
    expect(idle.usdPerHour).toBeCloseTo(0.345 + 0.045 + 0.03 + 0.06 + 0.23 / 6 + 2 / 730 + 0.1 / 730, 10);
  });

  test('a monitoring schedule naming its job definition literally (as ModelMonitor does) is priced too', () => {
    const t = { Resources: {
      Def: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { JobDefinitionName: 'mon-dq1', JobResources: { ClusterConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1 } } } },
      Other: { Type: 'AWS::SageMaker::DataQualityJobDefinition', Properties: { JobDefinitionName: 'other', JobResources: { ClusterConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1 } } } },
      Mon: { Type: 'AWS::SageMaker::MonitoringSchedule', Properties: { MonitoringScheduleConfig: {
        MonitoringJobDefinitionName: 'mon-dq1', ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' } } } },
    } };
    const line = estimator.idleCost('T', t).lines.find((l) => /monitoring job/.test(l.item));
    expect(line?.item).toBe('monitoring job ml.m5.large × 1 (Mon)');
    expect(line?.usd).toBeCloseTo(0.115 * 10 / 60, 10);
  });
});

describe('exercises and sessions', () => {
  test('a 3-hour session with one training run, one ETL run and two endpoint hours costs ≤ $1.00', () => {
    const s = estimator.session(lab.data, lab.serving, 3, 2, ['train', 'etl']);
    expect(s.exercises.map((e) => e.id)).toEqual(['etl', 'train']);
    expect(s.totalUsd).toBeLessThanOrEqual(1);
    expect(s.totalUsd).toBeCloseTo(s.dataIdleUsd + s.servingIdleUsd + s.exercisesUsd, 10);
    expect(s.servingIdleUsd).toBeCloseTo(2 * estimator.idleCost('s', lab.serving).usdPerHour, 10);
  });

  test('the ETL exercise reads the Glue job size and crawler steps from the template', () => {
    const etl = estimator.exercises(lab.data, lab.serving).find((e) => e.id === 'etl')!;
    expect(etl.lines[0].item).toBe('Glue job, 2 DPU × 4 min');
    expect(etl.lines[0].usd).toBeCloseTo(2 * 0.44 * 4 / 60, 10);
    expect(etl.lines[1].item).toBe('Glue crawlers × 2, 2 DPU × 10 min each');
    // Production's ten workers cost five times the lab's two.
    const prodEtl = estimator.exercises(prod.data, prod.serving).find((e) => e.id === 'etl')!;
    expect(prodEtl.lines[0].usd).toBeCloseTo(5 * etl.lines[0].usd, 10);
  });

  test('at least 12 exercises from doctor to down; assumptions change the figures', () => {
    const all = estimator.exercises(lab.data, lab.serving);
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(all[0].id).toBe('doctor');
    expect(all[all.length - 1].id).toBe('down');
    const slow = estimator.exercises(lab.data, lab.serving, { trainingMinutes: 60 }).find((e) => e.id === 'train')!;
    expect(slow.lines[0].usd).toBeCloseTo(0.115, 10);
  });

  test('an unknown exercise id is an error that lists the known ones', () => {
    expect(() => estimator.session(lab.data, lab.serving, 1, 0, ['nope'])).toThrow(/unknown exercise\(s\) nope; known: doctor, up/);
  });
});

describe('which option?', () => {
  const options = estimator.inferenceOptions();

  test('four modes, in order, each with limits and a reason to choose it', () => {
    expect(options.map((o) => o.mode)).toEqual(['Real-time endpoint', 'Serverless endpoint', 'Asynchronous endpoint', 'Batch transform']);
    for (const o of options) {
      expect(o.limits.length).toBeGreaterThan(10);
      expect(o.choose.length).toBeGreaterThan(10);
    }
  });

  test('real-time: idle is the instance price, per 1,000 is the instance hour spread over 3,600 requests', () => {
    expect(options[0].idleUsdPerHour).toBe(0.102);
    expect(options[0].usdPer1000).toBeCloseTo(0.102 / 3.6, 10);
    expect(estimator.inferenceOptions({ requestsPerSecond: 10 })[0].usdPer1000).toBeCloseTo(0.102 / 36, 10);
  });

  test('serverless: nothing idle; GB-seconds plus data processed per request', () => {
    expect(options[1].idleUsdPerHour).toBe(0);
    expect(options[1].usdPer1000).toBeCloseTo(1000 * (2 * 0.02 * 0.00002 + 200e-9 * 0.016), 12);
  });

  test('batch: one job\'s instance minutes over its rows', () => {
    expect(options[3].usdPer1000).toBeCloseTo(0.102 * 7 / 60 / 10, 10);
  });

  test('the Markdown table has a header, a separator and one row per mode', () => {
    const lines = estimator.renderInferenceTable().split('\n').filter((l) => l.startsWith('|'));
    expect(lines).toHaveLength(6);
    expect(lines[2]).toMatch(/^\| Real-time endpoint \| \$0\.102 \| \$0\.0283 \|/);
  });

  test('formatUsd keeps two significant figures for small amounts', () => {
    expect(CostEstimator.formatUsd(0.6466)).toBe('$0.65');
    expect(CostEstimator.formatUsd(0.0008, 4)).toBe('$0.00080');
    expect(CostEstimator.formatUsd(0)).toBe('$0');
  });
});
