export * from './context';
export * from './errors';
export * from './output';
export * from './program';
export * from './regions';
