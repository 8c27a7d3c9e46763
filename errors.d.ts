// `import { PropValidationError } from 'cdk-ml-reference/errors'`
export * from './dist/lib/errors';
