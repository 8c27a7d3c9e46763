export * from './lab-guard';
