/**
 * The metrics the built-in SageMaker XGBoost algorithm emits, with the direction a tuning job
 * optimizes them in (SageMaker Developer Guide, "Tune an XGBoost model", metrics table:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html). Each is emitted for the
 * `train` and the `validation` channel, and only when `eval_metric` names it.
 */
export const XGBOOST_METRICS: Record<string, { maximize: boolean; bounded: boolean }> = {
  accuracy: { maximize: true, bounded: true },
  auc: { maximize: true, bounded: true },
  aucpr: { maximize: true, bounded: true },
  error: { maximize: false, bounded: true },
  f1: { maximize: true, bounded: true },
  logloss: { maximize: false, bounded: false },
  mae: { maximize: false, bounded: false },
  map: { maximize: true, bounded: true },
  merror: { maximize: false, bounded: true },
  mlogloss: { maximize: false, bounded: false },
  mse: { maximize: false, bounded: false },
  ndcg: { maximize: true, bounded: true },
  rmse: { maximize: false, bounded: false },
};
