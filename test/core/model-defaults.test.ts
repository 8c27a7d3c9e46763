import * as fs from 'fs';
import * as path from 'path';
import { ChurnModelDefaults } from '../../lib/core/model-defaults';

// The churn model's one source of truth, pinned to literal values: the training script, the pipeline,
// the monitor and the lab all read it, so a change here must be a deliberate one.
describe('ChurnModelDefaults', () => {
  test('hyperparameters are the built-in XGBoost ones, every value a string as SageMaker takes them', () => {
    expect(ChurnModelDefaults.hyperparameters()).toEqual({
      objective: 'binary:logistic', eval_metric: 'auc', num_round: '200', max_depth: '4', eta: '0.1',
      subsample: '0.8', min_child_weight: '1', early_stopping_rounds: '10', seed: '42',
    });
  });

  test('the label is churned; the features are the export\'s 13 columns in order', () => {
    expect(ChurnModelDefaults.labelColumn()).toEqual({ name: 'churned', type: 'int' });
    const features = ChurnModelDefaults.featureColumns();
    expect(features.map((c) => c.name)).toEqual([
      'tenure_months', 'age_zscore', 'income_scaled', 'plan_basic', 'plan_standard', 'plan_premium',
      'age_was_missing', 'income_was_missing', 'sessions', 'page_views', 'cart_adds', 'purchases', 'days_since_last_visit',
    ]);
    expect(features.filter((c) => c.type === 'double').map((c) => c.name)).toEqual(['age_zscore', 'income_scaled']);
  });

  test('the files it names are the ones it reads', () => {
    expect(path.basename(ChurnModelDefaults.HYPERPARAMETERS_FILE)).toBe('xgboost-hyperparameters.json');
    expect(path.basename(ChurnModelDefaults.FEATURE_SCHEMA_FILE)).toBe('feature-schema.json');
    expect(JSON.parse(fs.readFileSync(ChurnModelDefaults.HYPERPARAMETERS_FILE, 'utf8')).num_round).toBe(200);
    expect(JSON.parse(fs.readFileSync(ChurnModelDefaults.FEATURE_SCHEMA_FILE, 'utf8')).label.name).toBe('churned');
  });
});
