import { App } from 'aws-cdk-lib';
import { Nag } from '../lib';
import { FoundationExample } from '../examples/foundation/foundation-example';
import { AbTestingEndpointExample } from '../examples/inference/ab-testing-endpoint-example';
import { RealtimeEndpointExample } from '../examples/inference/realtime-endpoint-example';
import { ServerlessEndpointExample } from '../examples/inference/serverless-endpoint-example';
import { DataLakeExample } from '../examples/data-lake/data-lake-example';
import { EtlExample } from '../examples/etl/etl-example';
import { StreamingIngestionExample } from '../examples/streaming-ingestion/streaming-ingestion-example';
// imports: adoption
import { DataStack, MlStack } from '../examples/composition/composition-example';

// imports: training
import { TrainingPipelineExample } from '../examples/training/training-pipeline-example';

// imports: monitoring and api
import { InferenceApiExample } from '../examples/api/inference-api-example';
import { BatchScoringExample } from '../examples/batch/batch-scoring-example';
import { MonitoredEndpointExample } from '../examples/monitoring/monitored-endpoint-example';

// imports: lab
import { MlLabData } from '../examples/lab/ml-lab-data';
import { MlLabServing } from '../examples/lab/ml-lab-serving';

// imports: inference
import { AsyncEndpointExample } from '../examples/inference/async-endpoint-example';

// imports: data

/**
 * The name of every stack `addExamples` adds. The gates fail when a stack named here is missing from
 * the app, or the app has a stack not named here: add a stack's name here, next to its area's names,
 * when you add the stack below.
 */
export const EXAMPLE_STACKS: readonly string[] = [
  'FoundationExample', 'DataLakeExample', 'EtlExample', 'StreamingIngestionExample',
  'RealtimeEndpointExample', 'AbTestingEndpointExample', 'ServerlessEndpointExample',
  // names: adoption
  'CompositionDataStack', 'CompositionMlStack',
  // names: training

  // names: monitoring and api

  // names: lab
  'MlLabData', 'MlLabServing',
  // names: inference

  // names: data

];

/**
 * Every example stack. The test gates (snapshot, cdk-nag, cfn-lint, built-in validator,
 * determinism, bare App) iterate over the stacks this adds, in both profiles: adding a stack here
 * (and its name to EXAMPLE_STACKS) is all it takes to bring it under them.
 */
export function addExamples(app: App): App {
  new FoundationExample(app, 'FoundationExample');
  new DataLakeExample(app, 'DataLakeExample');
  new EtlExample(app, 'EtlExample');
  new StreamingIngestionExample(app, 'StreamingIngestionExample');
  new RealtimeEndpointExample(app, 'RealtimeEndpointExample');
  new AbTestingEndpointExample(app, 'AbTestingEndpointExample');
  new ServerlessEndpointExample(app, 'ServerlessEndpointExample');
  // stacks: adoption
  const data = new DataStack(app, 'CompositionDataStack');
  new MlStack(app, 'CompositionMlStack', { dataLake: data.lake });

  // stacks: training
  new TrainingPipelineExample(app, 'TrainingPipelineExample');
  new TrainingPipelineExample(app, 'TuningPipelineExample', { tuning: true });

  // stacks: monitoring and api
  new MonitoredEndpointExample(app, 'MonitoredEndpointExample');
  new InferenceApiExample(app, 'InferenceApiExample');
  new BatchScoringExample(app, 'BatchScoringExample');

  // stacks: lab
  const labData = new MlLabData(app, 'MlLabData');
  new MlLabServing(app, 'MlLabServing', { data: labData });

  // stacks: inference
  new AsyncEndpointExample(app, 'AsyncEndpointExample');

  // stacks: data
  Nag.enable(app);
  return app;
}

if (require.main === module) {
  addExamples(new App()).synth();
}
