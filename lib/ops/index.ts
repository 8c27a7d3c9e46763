export * from './cost-estimator';
export * from './cost-estimator-prices';
export * from './lab-guard';
