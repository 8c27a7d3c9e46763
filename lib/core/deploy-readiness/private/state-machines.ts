import { parseJsonWithTokens, TemplateResource } from './template';

/** A SageMaker job a workflow starts: where, which API, with which request. */
export interface SageMakerJobCall {
  /** Where it is, for findings: `<state name>` or `<pipeline step name>`. */
  readonly location: string;
  /** The API, e.g. `createTrainingJob`. */
  readonly api: string;
  /** Whether Step Functions waits for the job (`.sync`): it then manages an EventBridge rule. */
  readonly sync: boolean;
  /** The request (Parameters/Arguments), undefined when fully dynamic. */
  readonly request: Record<string, unknown> | undefined;
}

const SAGEMAKER_TASK = /:states:::sagemaker:([A-Za-z]+)(\.sync(?::\d+)?|\.waitForTaskToken)?$/;

/** Every SageMaker task of a state machine (Parallel branches and Map processors included). */
export function sageMakerTasks(stateMachine: TemplateResource): SageMakerJobCall[] {
  const props = stateMachine.Properties ?? {};
  const definition = parseJsonWithTokens(props.Definition ?? props.DefinitionString) as Record<string, unknown> | undefined;
  const out: SageMakerJobCall[] = [];
  const walk = (states: unknown): void => {
    if (!states || typeof states !== 'object') return;
    for (const [name, raw] of Object.entries(states as Record<string, unknown>)) {
      const state = (raw ?? {}) as Record<string, unknown>;
      const m = typeof state.Resource === 'string' ? SAGEMAKER_TASK.exec(state.Resource) : null;
      if (state.Type === 'Task' && m) {
        const request = (state.Parameters ?? state.Arguments) as Record<string, unknown> | undefined;
        out.push({ location: name, api: m[1], sync: (m[2] ?? '').startsWith('.sync'), request: typeof request === 'object' ? request : undefined });
      }
      for (const branch of (Array.isArray(state.Branches) ? state.Branches : []) as Array<Record<string, unknown>>) walk(branch?.States);
      walk((state.Iterator as Record<string, unknown> | undefined)?.States);
      walk((state.ItemProcessor as Record<string, unknown> | undefined)?.States);
    }
  };
  walk(definition?.States);
  return out;
}

/** Every training or tuning step of a SageMaker pipeline (`AWS::SageMaker::Pipeline`). */
export function pipelineJobSteps(pipeline: TemplateResource): SageMakerJobCall[] {
  const holder = (pipeline.Properties?.PipelineDefinition ?? {}) as Record<string, unknown>;
  // CfnPipeline passes its (untyped) definition through as written, so both casings occur.
  const body = holder.PipelineDefinitionBody ?? holder.pipelineDefinitionBody;
  const definition = parseJsonWithTokens(body) as Record<string, unknown> | undefined;
  const steps = Array.isArray(definition?.Steps) ? definition.Steps as Array<Record<string, unknown>> : [];
  const apis: Record<string, string> = { Training: 'createTrainingJob', Tuning: 'createHyperParameterTuningJob', Processing: 'createProcessingJob' };
  return steps.filter((s) => apis[s.Type as string]).map((s) => ({
    location: String(s.Name), api: apis[s.Type as string], sync: false, request: s.Arguments as Record<string, unknown> | undefined,
  }));
}

/** The training-job definitions inside a request: the request itself, or a tuning job's definition(s). */
export function trainingDefinitions(call: SageMakerJobCall): Array<Record<string, unknown>> {
  if (!call.request) return [];
  if (call.api === 'createTrainingJob') return [call.request];
  if (call.api === 'createHyperParameterTuningJob') {
    const defs = [call.request.TrainingJobDefinition, ...(Array.isArray(call.request.TrainingJobDefinitions) ? call.request.TrainingJobDefinitions : [])];
    return defs.filter((d): d is Record<string, unknown> => !!d && typeof d === 'object');
  }
  return [];
}

/**
 * What is wrong with managed spot in one training definition: `checkpoint` (no S3 checkpoints) and
 * `maxWait` (`MaxWaitTimeInSeconds` missing or below `MaxRuntimeInSeconds`). Values given at run
 * time (`Key.$`) cannot be judged and pass.
 */
export function spotProblems(definition: Record<string, unknown>): string[] {
  if (definition.EnableManagedSpotTraining !== true) return [];
  const problems: string[] = [];
  const checkpoint = definition.CheckpointConfig as Record<string, unknown> | undefined;
  if (!('CheckpointConfig.$' in definition) && !(checkpoint && (checkpoint.S3Uri || 'S3Uri.$' in checkpoint))) problems.push('checkpoint');
  if ('StoppingCondition.$' in definition) return problems;
  const stopping = (definition.StoppingCondition ?? {}) as Record<string, unknown>;
  if ('MaxWaitTimeInSeconds.$' in stopping || 'MaxRuntimeInSeconds.$' in stopping) return problems;
  // A token (known only at deploy time) parses as a string: it cannot be judged either.
  if (typeof stopping.MaxWaitTimeInSeconds === 'string' || typeof stopping.MaxRuntimeInSeconds === 'string') return problems;
  // CreateTrainingJob's default MaxRuntimeInSeconds is one day.
  const runtime = typeof stopping.MaxRuntimeInSeconds === 'number' ? stopping.MaxRuntimeInSeconds : 86400;
  const wait = stopping.MaxWaitTimeInSeconds;
  if (typeof wait !== 'number' || wait < runtime) problems.push('maxWait');
  return problems;
}
