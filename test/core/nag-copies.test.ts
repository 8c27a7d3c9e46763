/* eslint-disable @typescript-eslint/no-require-imports -- jest.isolateModules loads a second copy of a package only through require() */
import { App, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { Nag } from '../../lib';

// A folder install or `npm link` loads a second copy of aws-cdk-lib. Jest's isolated module registry
// loads one for real: the same package files evaluated again, with classes of their own. aws-cdk-lib
// requires its modules lazily, so everything of the second copy is built inside the isolation callback.

/** An app with a topic that has no SSL-only policy (AwsSolutions-SNS3), built with a second copy of aws-cdk-lib. */
function appOfSecondCopy(): App {
  let app: App | undefined;
  jest.isolateModules(() => {
    const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
    const otherSns: typeof import('aws-cdk-lib/aws-sns') = require('aws-cdk-lib/aws-sns');
    const a = new cdk.App({ autoSynth: false });
    new otherSns.Topic(new cdk.Stack(a, 'S'), 'PlainTopic');
    app = a as unknown as App;
  });
  return app!;
}

function appOfOurCopy(): { app: App; stack: Stack } {
  const app = new App({ autoSynth: false });
  const stack = new Stack(app, 'S');
  new sns.Topic(stack, 'PlainTopic');
  return { app, stack };
}

describe('Nag.enable with a second copy of aws-cdk-lib', () => {
  test('the copy is real: its classes are not ours, its global symbols are', () => {
    const app = appOfSecondCopy();
    expect(app instanceof App).toBe(false);
    expect(App.isApp(app)).toBe(true);
  });

  test('the hazard: our packs find nothing to flag in an app of the other copy', () => {
    const ours = appOfOurCopy();
    expect(new AwsSolutionsChecks().validateScope(ours.stack).violations.map((v) => v.ruleName)).toContain('AwsSolutions-SNS3');
    expect(new AwsSolutionsChecks().validateScope(appOfSecondCopy()).violations).toEqual([]);
  });

  test('Nag.enable refuses that app, saying what happened and how to fix it', () => {
    const app = appOfSecondCopy();
    expect(() => Nag.enable(app)).toThrow(/the app was built with another copy of aws-cdk-lib than cdk-ml-reference loads \(.*aws-cdk-lib\/package\.json\)/);
    expect(() => Nag.enable(app)).toThrow(/npm ls aws-cdk-lib constructs cdk-nag.*npm dedupe.*rather than `npm link`/);
  });

  test('an app of our copy passes the check, and the packs then flag the topic at synth', () => {
    const { app } = appOfOurCopy();
    expect(() => Nag.enable(app)).not.toThrow();
    expect(() => app.synth()).toThrow(/AwsSolutions-SNS3/);
  });
});

describe('Nag.enable when cdk-nag runs on another copy of aws-cdk-lib', () => {
  afterEach(() => jest.dontMock('cdk-nag'));

  test('fails, naming cdk-nag and the fix', () => {
    // cdk-nag loaded in a registry of its own brings its own aws-cdk-lib; the library and the app share another.
    let foreignNag: unknown;
    jest.isolateModules(() => {
      foreignNag = require('cdk-nag');
      // cdk-nag loads its rules (and their aws-cdk-lib classes) on first use: use it once inside its registry.
      const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
      const otherSns: typeof import('aws-cdk-lib/aws-sns') = require('aws-cdk-lib/aws-sns');
      const warm = new cdk.Stack(new cdk.App({ autoSynth: false }), 'Warm');
      new otherSns.CfnTopic(warm, 'T');
      new (foreignNag as typeof import('cdk-nag')).AwsSolutionsChecks().validateScope(warm);
    });
    jest.doMock('cdk-nag', () => foreignNag);
    let error: unknown;
    jest.isolateModules(() => {
      const isolatedNag: typeof Nag = require('../../lib/core/nag').Nag;
      const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
      try {
        isolatedNag.enable(new cdk.App({ autoSynth: false }));
      } catch (e) {
        error = e;
      }
    });
    expect(String(error)).toMatch(/cdk-nag \(.*\) runs on another copy of aws-cdk-lib .* did not flag an SNS topic without an SSL-only policy/);
    expect(String(error)).toMatch(/npm dedupe/);
  });
});
