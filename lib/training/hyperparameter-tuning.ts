/** How a tuning job chooses the next hyperparameters. */
export enum TuningStrategy {
  /** Bayesian optimization: each job learns from the ones before it (the default). */
  BAYESIAN = 'Bayesian',
  /** Random search: jobs are independent, so they parallelize without loss. */
  RANDOM = 'Random',
}

/** How a continuous or integer range is searched. */
export enum HyperparameterScaling {
  /** SageMaker chooses. */
  AUTO = 'Auto',
  /** Uniformly over the range. */
  LINEAR = 'Linear',
  /** Uniformly over the logarithm of the range: for ranges spanning orders of magnitude; minimum above 0. */
  LOGARITHMIC = 'Logarithmic',
}

/** The kind of a hyperparameter range. */
export enum HyperparameterRangeType {
  /** Real numbers between a minimum and a maximum. */
  CONTINUOUS = 'Continuous',
  /** Integers between a minimum and a maximum. */
  INTEGER = 'Integer',
  /** One of a list of values. */
  CATEGORICAL = 'Categorical',
}

/** One hyperparameter a tuning job searches. */
export class HyperparameterRange {
  /** Real values from `min` to `max`, e.g. `eta` from 0.01 to 0.3. */
  public static continuous(name: string, min: number, max: number, scaling: HyperparameterScaling = HyperparameterScaling.AUTO): HyperparameterRange {
    return new HyperparameterRange(name, HyperparameterRangeType.CONTINUOUS, min, max, [], scaling);
  }

  /** Integer values from `min` to `max`, e.g. `max_depth` from 3 to 8. */
  public static integer(name: string, min: number, max: number, scaling: HyperparameterScaling = HyperparameterScaling.AUTO): HyperparameterRange {
    return new HyperparameterRange(name, HyperparameterRangeType.INTEGER, min, max, [], scaling);
  }

  /** One of `values` (1 to 30 of them), e.g. `tree_method` of `['hist', 'approx']`. */
  public static categorical(name: string, values: string[]): HyperparameterRange {
    return new HyperparameterRange(name, HyperparameterRangeType.CATEGORICAL, undefined, undefined, values, undefined);
  }

  private constructor(
    /** The hyperparameter's name. */
    public readonly name: string,
    /** Continuous, integer or categorical. */
    public readonly type: HyperparameterRangeType,
    /** Lower bound (continuous and integer ranges). */
    public readonly min: number | undefined,
    /** Upper bound (continuous and integer ranges). */
    public readonly max: number | undefined,
    /** The values (categorical ranges). */
    public readonly values: string[],
    /** Scaling (continuous and integer ranges). */
    public readonly scaling: HyperparameterScaling | undefined,
  ) {}
}

/** A hyperparameter tuning job instead of a single training job. */
export interface TuningConfig {
  /** The hyperparameters to search (the others keep their values). */
  readonly ranges: HyperparameterRange[];
  /**
   * Search strategy.
   * @default TuningStrategy.BAYESIAN
   */
  readonly strategy?: TuningStrategy;
  /**
   * Training jobs the tuning job runs in all.
   * @default 10
   */
  readonly maxJobs?: number;
  /**
   * Training jobs run at the same time (at most `maxJobs`; Bayesian search learns less from parallel jobs).
   * @default 2
   */
  readonly maxParallelJobs?: number;
  /**
   * Stop training jobs early when they are unlikely to beat the best so far.
   * @default true
   */
  readonly earlyStopping?: boolean;
}
