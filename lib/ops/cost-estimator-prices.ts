/** One price the cost estimator uses, with where it comes from. */
export interface PriceFact {
  /** Stable id, e.g. `sagemaker:ml.c5.large` or `kinesis:shard-hour`. */
  readonly id: string;
  /** What is priced, in words. */
  readonly item: string;
  /** US dollars per `unit`. */
  readonly usd: number;
  /** The unit the price is per, e.g. `hour`, `GB-second`, `DPU-hour`. */
  readonly unit: string;
  /** Where the figure comes from. */
  readonly source: string;
}

const PRICING = 'https://aws.amazon.com/sagemaker/pricing/';
const FACTS = 'aws-facts.md §5 (prices for cost estimates, us-east-1, on-demand)';

/**
 * The prices behind every cost figure of this project: us-east-1, on-demand, as gathered in the
 * project's reference `aws-facts.md` §5 (AWS pricing pages where their stored copies carried
 * figures, otherwise infracost's test goldens and public code that agree). Re-check a figure
 * against its source before relying on it; other regions cost more or less.
 */
export class PriceTable {
  /** Hours in a month, as AWS prorates monthly prices (KMS keys, alarms). */
  public static readonly HOURS_PER_MONTH = 730;

  /** The us-east-1 on-demand table. */
  public static usEast1(): PriceTable {
    const sm = (type: string, usd: number): PriceFact => ({
      id: `sagemaker:${type}`, item: `SageMaker instance ${type} (hosting, training, processing)`, usd, unit: 'hour', source: `${FACTS}; ${PRICING}`,
    });
    return new PriceTable([
      sm('ml.t2.medium', 0.056),
      sm('ml.t3.medium', 0.05),
      sm('ml.m5.large', 0.115),
      sm('ml.c5.large', 0.102),
      sm('ml.m5.xlarge', 0.23),
      sm('ml.c5.xlarge', 0.204),
      { id: 'sagemaker:serverless-gb-second', item: 'SageMaker Serverless Inference compute', usd: 0.00002, unit: 'GB-second', source: `${FACTS}; ${PRICING}` },
      { id: 'sagemaker:serverless-gb-processed', item: 'SageMaker Serverless Inference data processed (in + out)', usd: 0.016, unit: 'GB', source: `${FACTS}; ${PRICING}` },
      { id: 'kinesis:shard-hour', item: 'Kinesis Data Streams provisioned shard', usd: 0.015, unit: 'shard-hour', source: `${FACTS}; https://aws.amazon.com/kinesis/data-streams/pricing/` },
      { id: 'kinesis:put-million', item: 'Kinesis Data Streams PUT payload units', usd: 0.014, unit: 'million units', source: `${FACTS}; https://aws.amazon.com/kinesis/data-streams/pricing/` },
      { id: 'kinesis:on-demand-stream-hour', item: 'Kinesis Data Streams on-demand stream', usd: 0.04, unit: 'stream-hour', source: `${FACTS}; https://aws.amazon.com/kinesis/data-streams/pricing/` },
      { id: 'firehose:gb', item: 'Firehose ingestion (weak: third-party figure)', usd: 0.029, unit: 'GB', source: `${FACTS}; https://aws.amazon.com/firehose/pricing/` },
      { id: 'firehose:conversion-gb', item: 'Firehose format conversion (weak: third-party figure)', usd: 0.018, unit: 'GB', source: `${FACTS}; https://aws.amazon.com/firehose/pricing/` },
      { id: 'glue:dpu-hour', item: 'Glue ETL job and crawler', usd: 0.44, unit: 'DPU-hour', source: `${FACTS}; https://aws.amazon.com/glue/pricing/` },
      { id: 'nat:hour', item: 'NAT gateway', usd: 0.045, unit: 'hour', source: `${FACTS}; https://aws.amazon.com/vpc/pricing/` },
      { id: 'vpce:az-hour', item: 'VPC interface endpoint', usd: 0.01, unit: 'AZ-hour', source: `${FACTS}; https://aws.amazon.com/privatelink/pricing/` },
      { id: 'kms:key-month', item: 'KMS customer managed key', usd: 1, unit: 'key-month', source: `${FACTS}; https://aws.amazon.com/kms/pricing/` },
      { id: 'kms:10k-requests', item: 'KMS requests', usd: 0.03, unit: '10,000 requests', source: `${FACTS}; https://aws.amazon.com/kms/pricing/` },
      { id: 's3:gb-month', item: 'S3 Standard storage', usd: 0.023, unit: 'GB-month', source: `${FACTS}; https://aws.amazon.com/s3/pricing/` },
      { id: 'cloudwatch:alarm-month', item: 'CloudWatch standard alarm', usd: 0.1, unit: 'alarm-month', source: `${FACTS}; https://aws.amazon.com/cloudwatch/pricing/` },
      { id: 'athena:tb', item: 'Athena data scanned (10 MB minimum per query)', usd: 5, unit: 'TB', source: `${FACTS}; https://aws.amazon.com/athena/pricing/` },
    ]);
  }

  /** Every price in the table. */
  public readonly facts: PriceFact[];

  constructor(facts: PriceFact[]) {
    this.facts = facts;
  }

  /** The price of `id`; throws for an id the table lacks (a silent 0 would understate a bill). */
  public usd(id: string): number {
    const fact = this.facts.find((f) => f.id === id);
    if (!fact) throw new Error(`no price for '${id}' in the price table; add it with its source to lib/ops/cost-estimator-prices.ts`);
    return fact.usd;
  }

  /** Whether the table prices this SageMaker instance type. */
  public hasInstance(instanceType: string): boolean {
    return this.facts.some((f) => f.id === `sagemaker:${instanceType}`);
  }

  /** Hourly price of a SageMaker instance type. */
  public instanceHour(instanceType: string): number {
    return this.usd(`sagemaker:${instanceType}`);
  }

  /** A monthly price as an hourly one (AWS prorates by the hour). */
  public hourly(id: string): number {
    return this.usd(id) / PriceTable.HOURS_PER_MONTH;
  }
}
