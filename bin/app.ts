import { App } from 'aws-cdk-lib';
import { Nag } from '../lib';
import { FoundationExample } from '../examples/foundation/foundation-example';

/**
 * Every example stack. The test gates (snapshot, cdk-nag, cfn-lint, built-in validator,
 * determinism) iterate over the stacks this adds, in both profiles: adding a stack here is all
 * it takes to bring it under them.
 */
export function addExamples(app: App): App {
  new FoundationExample(app, 'FoundationExample');
  Nag.enable(app);
  return app;
}

if (require.main === module) {
  addExamples(new App()).synth();
}
