import * as fs from 'fs';
import * as path from 'path';

/** Where the shared model contracts live (copied next to the compiled file by `npm run build`). */
const DIR = path.join(__dirname, 'model-defaults');

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as T;
}

/** One column of the training export. */
export interface FeatureColumn {
  /** Column name, as the feature SQL writes it. */
  readonly name: string;
  /** `int` or `double`. */
  readonly type: string;
}

/**
 * The one source of truth for the lab's churn model: the built-in XGBoost hyperparameters and
 * the feature columns of the training export (label first, then these, in this order). The
 * training script, `TrainingPipeline`, `InferenceApi` and the lab command line all read these
 * files instead of repeating them.
 */
export class ChurnModelDefaults {
  /** The JSON file with the default hyperparameters (read by the Python training script too). */
  public static readonly HYPERPARAMETERS_FILE = path.join(DIR, 'xgboost-hyperparameters.json');
  /** The JSON file with the feature schema. */
  public static readonly FEATURE_SCHEMA_FILE = path.join(DIR, 'feature-schema.json');

  /** Default hyperparameters as SageMaker takes them (every value a string). */
  public static hyperparameters(): Record<string, string> {
    const raw = readJson<Record<string, string | number>>('xgboost-hyperparameters.json');
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  }

  /** The label column of the training export. */
  public static labelColumn(): FeatureColumn {
    return readJson<{ label: FeatureColumn }>('feature-schema.json').label;
  }

  /** The feature columns of the training export, in order (the label is not among them). */
  public static featureColumns(): FeatureColumn[] {
    return readJson<{ features: FeatureColumn[] }>('feature-schema.json').features;
  }
}
