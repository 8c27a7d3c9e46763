import { PropValidationError } from '../../lib/core/validation';

/**
 * Runs `build` and returns the PropValidationError it throws. Any other error is rethrown as it is,
 * and throwing nothing fails the test: a rejection test cannot pass by accident.
 */
export function rejectionOf(build: () => unknown): PropValidationError {
  try {
    build();
  } catch (e) {
    if (e instanceof PropValidationError) return e;
    throw e;
  }
  throw new Error('expected a PropValidationError, but nothing was thrown');
}
