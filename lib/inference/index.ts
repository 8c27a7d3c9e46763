export * from './inference-endpoint';
export * from './instance-type';
export * from './model-data';
export * from './model-image';
export * from './model-package';
export * from './private-network';
export * from './traffic-routing';
