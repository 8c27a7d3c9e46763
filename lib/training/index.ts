export * from './hyperparameter-tuning';
export * from './training-data';
export * from './training-image';
export * from './training-pipeline';
