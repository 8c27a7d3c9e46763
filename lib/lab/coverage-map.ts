/**
 * The coverage map: every task statement of both exams → what in this project shows it. A test
 * fails when a statement has no entry, when an entry names a construct, example stack, lab
 * exercise or README section that does not exist, or when the tables rendered into README.md and
 * docs/LAB.md are stale (`npm run render:coverage` rewrites them).
 */
import { Exam, TASK_STATEMENTS, TaskStatement } from './exam-task-statements';

/** How fully the project shows a task statement. */
export enum CoverageStatus {
  /** Built, tested and practised in the lab. */
  SHOWN = 'shown',
  /** Part of the statement is shown; `gap` says what is not. */
  PARTLY = 'partly',
  /** Nothing here shows it yet; `gap` says so. */
  NOT_YET = 'not yet',
}

export interface CoverageEntry {
  readonly exam: Exam;
  /** Task statement id, e.g. `1.2`. */
  readonly task: string;
  readonly status: CoverageStatus;
  /** Exported constructs (or classes) of the library. */
  readonly constructs: string[];
  /** Stack ids of bin/app.ts. */
  readonly stacks: string[];
  /** Exercise numbers of docs/LAB.md. */
  readonly exercises: number[];
  /** README headings (a heading containing this text). */
  readonly sections: string[];
  /** One line: what you will see. */
  readonly see: string;
  /** What is not shown, for `partly` and `not yet`. */
  readonly gap?: string;
}

const S = CoverageStatus;
type Spec = Omit<CoverageEntry, 'exam' | 'task'>;
const entry = (exam: Exam, task: string, spec: Spec): CoverageEntry => ({ exam, task, ...spec });

export const COVERAGE: readonly CoverageEntry[] = [
  // MLS-C01 — the study guide's exam.
  entry(Exam.MLS_C01, '1.1', {
    status: S.SHOWN, constructs: ['DataLake', 'ZoneCrawler'], stacks: ['DataLakeExample', 'MlLabData'], exercises: [2, 3],
    sections: ['DataLake'], see: 'raw, curated and features zones in KMS-encrypted S3, a Glue catalog per zone, an Athena workgroup with a scan cap',
  }),
  entry(Exam.MLS_C01, '1.2', {
    status: S.SHOWN, constructs: ['StreamingIngestion'], stacks: ['StreamingIngestionExample', 'MlLabData'], exercises: [4],
    sections: ['StreamingIngestion'], see: 'clickstream on Kinesis Data Streams, Firehose writing Parquet partitioned by event type and date',
  }),
  entry(Exam.MLS_C01, '1.3', {
    status: S.SHOWN, constructs: ['EtlJob'], stacks: ['EtlExample', 'MlLabData'], exercises: [5],
    sections: ['EtlJob'], see: 'a Glue Spark job running one SQL file that DuckDB runs in the tests, started by a crawler workflow',
  }),
  entry(Exam.MLS_C01, '2.1', {
    status: S.SHOWN, constructs: ['EtlJob'], stacks: ['EtlExample', 'MlLabData'], exercises: [5, 7],
    sections: ['EtlJob'], see: 'deduplication to the latest version, imputation with flags, IQR capping of the planted outliers',
  }),
  entry(Exam.MLS_C01, '2.2', {
    status: S.SHOWN, constructs: ['EtlJob'], stacks: ['EtlExample', 'MlLabData'], exercises: [5],
    sections: ['EtlJob'], see: 'z-score and min-max scaling, one-hot plans, age bands, hashed e-mail, activity aggregates joined from the clickstream',
  }),
  entry(Exam.MLS_C01, '2.3', {
    status: S.SHOWN, constructs: ['DataLake'], stacks: ['MlLabData'], exercises: [6, 7],
    sections: ['Exploratory data analysis'], see: 'Athena queries as tables, and the EDA report: histograms, box plots, correlation heatmap, class balance',
  }),
  entry(Exam.MLS_C01, '3.1', {
    status: S.PARTLY, constructs: [], stacks: [], exercises: [3, 8],
    sections: ["The lab's data path"], see: 'churn framed as binary classification with a planted, documented signal',
    gap: 'one problem only: no regression, clustering or AI-service framing',
  }),
  entry(Exam.MLS_C01, '3.2', {
    status: S.PARTLY, constructs: ['TrainingPipeline'], stacks: ['TrainingPipelineExample'], exercises: [8],
    sections: ['TrainingPipeline'], see: 'the built-in XGBoost algorithm for tabular binary classification; any ECR image can replace it',
    gap: 'no side-by-side of other algorithms (linear learner, k-means)',
  }),
  entry(Exam.MLS_C01, '3.3', {
    status: S.SHOWN, constructs: ['TrainingPipeline'], stacks: ['TrainingPipelineExample', 'MlLabData'], exercises: [8],
    sections: ['TrainingPipeline'], see: 'a training job on managed spot with checkpoints, in a VPC under KMS, on a 70/15/15 split by customer',
  }),
  entry(Exam.MLS_C01, '3.4', {
    status: S.SHOWN, constructs: ['TrainingPipeline'], stacks: ['TuningPipelineExample'], exercises: [],
    sections: ['TrainingPipeline'], see: 'a Bayesian or random tuning job over depth, eta and rounds, with early stopping (the lab trains once; `-c tuning=true` tunes)',
  }),
  entry(Exam.MLS_C01, '3.5', {
    status: S.SHOWN, constructs: ['TrainingPipeline', 'InferenceEndpoint'], stacks: ['TrainingPipelineExample', 'AbTestingEndpointExample'], exercises: [8, 9, 11, 12],
    sections: ['TrainingPipeline'], see: 'the validation AUC gate before registration, test-split AUC from `lab invoke`, A/B variants',
  }),
  entry(Exam.MLS_C01, '4.1', {
    status: S.SHOWN, constructs: ['InferenceEndpoint', 'MlOpsDashboard'], stacks: ['RealtimeEndpointExample', 'MlLabServing'], exercises: [10, 12],
    sections: ['InferenceEndpoint', 'MlOpsDashboard'], see: 'multi-AZ instances, autoscaling, blue/green with rollback alarms, one operations dashboard',
  }),
  entry(Exam.MLS_C01, '4.2', {
    status: S.SHOWN, constructs: ['InferenceEndpoint', 'BatchScoring', 'InferenceApi'], stacks: ['ServerlessEndpointExample', 'AsyncEndpointExample', 'BatchScoringExample'], exercises: [1, 11, 14],
    sections: ['Which option?', 'Asynchronous inference', 'Batch scoring'], see: 'real-time, serverless, asynchronous and batch inference priced side by side; spot training; quotas checked by `lab doctor`',
  }),
  entry(Exam.MLS_C01, '4.3', {
    status: S.SHOWN, constructs: ['PrivateNetwork', 'DataKey', 'SecureBucket', 'Nag'], stacks: ['FoundationExample', 'RealtimeEndpointExample'], exercises: [1, 2, 10],
    sections: ['PrivateNetwork', 'Quality gates', 'The deploy-readiness rule pack'], see: 'isolated subnets, network isolation, customer managed keys everywhere, least-privilege roles checked by four nag packs',
  }),
  entry(Exam.MLS_C01, '4.4', {
    status: S.SHOWN, constructs: ['InferenceEndpoint', 'ModelMonitor', 'InferenceApi', 'TrainingPipeline'], stacks: ['MonitoredEndpointExample', 'InferenceApiExample', 'MlLabServing'], exercises: [9, 10, 12, 13],
    sections: ['ModelMonitor', 'InferenceApi'], see: 'the registry feeding an endpoint, traffic shifting, drift caught by Model Monitor, retraining triggers',
  }),
  // MLA-C01 — the current exam.
  entry(Exam.MLA_C01, '1.1', {
    status: S.SHOWN, constructs: ['DataLake', 'StreamingIngestion'], stacks: ['DataLakeExample', 'StreamingIngestionExample', 'MlLabData'], exercises: [2, 3, 4],
    sections: ['DataLake', 'StreamingIngestion'], see: 'CSV and Parquet in an S3 lake, Kinesis and Firehose streaming, storage classes and lifecycle',
  }),
  entry(Exam.MLA_C01, '1.2', {
    status: S.PARTLY, constructs: ['EtlJob'], stacks: ['EtlExample', 'MlLabData'], exercises: [5],
    sections: ['EtlJob'], see: 'outliers, imputation, dedup, scaling, binning, encoding in Glue Spark SQL',
    gap: 'no Data Wrangler or Feature Store',
  }),
  entry(Exam.MLA_C01, '1.3', {
    status: S.PARTLY, constructs: ['EtlJob', 'DataKey'], stacks: ['MlLabData'], exercises: [5, 7],
    sections: ['EtlJob', 'Exploratory data analysis'], see: 'class balance in the EDA report, PII hashing, KMS encryption, a leak-free split by customer',
    gap: 'no SageMaker Clarify bias metrics',
  }),
  entry(Exam.MLA_C01, '2.1', {
    status: S.PARTLY, constructs: ['TrainingPipeline'], stacks: ['TrainingPipelineExample'], exercises: [8],
    sections: ['TrainingPipeline'], see: 'a built-in algorithm chosen for tabular data, its cost on spot',
    gap: 'no AI services or interpretability comparison',
  }),
  entry(Exam.MLA_C01, '2.2', {
    status: S.SHOWN, constructs: ['TrainingPipeline'], stacks: ['TrainingPipelineExample', 'MlLabData'], exercises: [8],
    sections: ['TrainingPipeline'], see: 'early stopping, distributed training by S3 shard, tuning (Bayesian, random), managed spot, versioned model packages',
  }),
  entry(Exam.MLA_C01, '2.3', {
    status: S.SHOWN, constructs: ['TrainingPipeline'], stacks: ['TrainingPipelineExample'], exercises: [8, 9, 11],
    sections: ['TrainingPipeline'], see: 'validation AUC against a gate, the Model Monitor baseline, test-split AUC after deployment',
  }),
  entry(Exam.MLA_C01, '3.1', {
    status: S.SHOWN, constructs: ['InferenceEndpoint', 'BatchScoring'], stacks: ['RealtimeEndpointExample', 'ServerlessEndpointExample', 'AsyncEndpointExample', 'BatchScoringExample'], exercises: [10, 11],
    sections: ['Which option?'], see: 'real-time, serverless, async and batch for the same model, with cost and limits; rollback strategies',
  }),
  entry(Exam.MLA_C01, '3.2', {
    status: S.SHOWN, constructs: ['InferenceEndpoint', 'PrivateNetwork'], stacks: ['RealtimeEndpointExample', 'MlLabServing'], exercises: [2, 10],
    sections: ['InferenceEndpoint', 'Quality gates'], see: 'the whole system as CDK constructs, scaling policies, a VPC without internet',
  }),
  entry(Exam.MLA_C01, '3.3', {
    status: S.PARTLY, constructs: ['TrainingPipeline', 'InferenceEndpoint'], stacks: ['TrainingPipelineExample', 'AbTestingEndpointExample'], exercises: [8, 12],
    sections: ['TrainingPipeline'], see: 'a Step Functions training pipeline with schedule, new-data and alarm triggers; blue/green, canary and linear updates',
    gap: 'no CodePipeline CI/CD of the code itself',
  }),
  entry(Exam.MLA_C01, '4.1', {
    status: S.PARTLY, constructs: ['ModelMonitor'], stacks: ['MonitoredEndpointExample', 'MlLabServing'], exercises: [13],
    sections: ['ModelMonitor'], see: 'data-quality drift on captured traffic, per-feature drift alarms, skewed traffic sent on purpose',
    gap: 'no Clarify bias or explainability monitoring',
  }),
  entry(Exam.MLA_C01, '4.2', {
    status: S.SHOWN, constructs: ['MlOpsDashboard', 'LabGuard'], stacks: ['MlLabData', 'MlLabServing'], exercises: [14],
    sections: ['MlOpsDashboard', 'The hands-on lab'], see: 'one CloudWatch dashboard with a health alarm, a budget with alerts, a cost estimate per exercise',
  }),
  entry(Exam.MLA_C01, '4.3', {
    status: S.SHOWN, constructs: ['PrivateNetwork', 'DataKey', 'Nag'], stacks: ['FoundationExample', 'MlLabServing'], exercises: [1, 10, 15],
    sections: ['PrivateNetwork', 'Quality gates'], see: 'least-privilege roles, KMS, VPC endpoints, network isolation, access logs, four nag packs',
  }),
];

/** The entry of a task statement. */
export function coverageOf(statement: TaskStatement): CoverageEntry | undefined {
  return COVERAGE.find((e) => e.exam === statement.exam && e.task === statement.id);
}

const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\w\- ]+/g, '').replace(/ /g, '-');

/**
 * One markdown table per exam. `headings` are the target document's headings (to link README
 * sections by their GitHub anchors); `labPath` is where docs/LAB.md is from that document.
 */
export function renderCoverageTable(exam: Exam, options: { readmeHeadings: string[]; readmePath: string; labPath: string }): string {
  const link = (section: string) => {
    const heading = options.readmeHeadings.find((h) => h.includes(section));
    return heading ? `[${section}](${options.readmePath}#${slug(heading)})` : section;
  };
  const code = (names: string[]) => names.map((n) => `\`${n}\``).join(', ');
  const rows = TASK_STATEMENTS.filter((t) => t.exam === exam).map((t) => {
    const e = coverageOf(t);
    if (!e) return `| ${t.id} ${t.title} | — | — | — | no entry |`;
    const status = e.status === CoverageStatus.SHOWN ? 'shown' : `${e.status}: ${e.gap ?? ''}`;
    const where = [code(e.constructs), code(e.stacks), e.sections.map(link).join(', ')].filter((x) => x).join('; ');
    const exercises = e.exercises.map((n) => `[${n}](${options.labPath}#exercise-${n})`).join(', ');
    return `| ${t.id} ${t.title} | ${e.see} | ${where || '—'} | ${exercises || '—'} | ${status} |`;
  });
  return ['| task statement | what you will see | where | lab exercises | status |', '|---|---|---|---|---|', ...rows].join('\n');
}
