export * from './core';
export * from './data';
export * from './inference';
export * from './training';
// domains: training

// domains: ops
export * from './ops';
