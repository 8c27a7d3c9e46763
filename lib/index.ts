export * from './core';
export * from './data';
export * from './inference';
// domains: training

// domains: ops
export * from './ops';
