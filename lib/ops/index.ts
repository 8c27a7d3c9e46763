export * from './mlops-dashboard';
export * from './cost-estimator';
export * from './cost-estimator-prices';
export * from './lab-guard';
