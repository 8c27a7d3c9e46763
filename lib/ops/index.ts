export * from './mlops-dashboard';
