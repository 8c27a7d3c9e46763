import { App, Duration } from 'aws-cdk-lib';
import { CDK_CONTEXT } from '../support/app';

/**
 * The App an integration test deploys: cdk.json's feature flags and the lab profile (cheapest
 * capacity, data destroyed with the stack, so `integ-runner` can clean up after itself).
 */
export function integApp(outdir?: string): App {
  return new App({ outdir, analyticsReporting: false, context: { ...CDK_CONTEXT, profile: 'lab' } });
}

/** How asynchronous results (an Athena query, Firehose buffering, a Glue run) are polled for. */
export const POLL = { interval: Duration.seconds(30), totalTimeout: Duration.minutes(30) };

/** Runs `build` as a CDK app when `integ-runner` executes the file. */
export function runIfMain(mod: NodeModule, build: (app: App) => void): void {
  if (require.main === mod) {
    const app = integApp();
    build(app);
    app.synth();
  }
}
