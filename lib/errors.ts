// The package's `cdk-ml-reference/errors` entry point (root errors.js / errors.d.ts load the compiled
// file). PropValidationError extends Error, which jsii cannot express, so it stays out of lib/index.ts.
export { PropValidationError } from './core/validation';
