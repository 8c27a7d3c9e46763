import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { tempDir } from './temp-dirs';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The feature flags and settings of cdk.json, so a test's App behaves like `npx cdk synth`. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;

export type ProfileName = 'lab' | 'production';
export const PROFILES: ProfileName[] = ['lab', 'production'];

export interface TestAppOptions {
  /** Context `profile`; unset means whatever the library defaults to. */
  readonly profile?: ProfileName;
  /** Extra context. */
  readonly context?: Record<string, unknown>;
  /** Run aws-cdk-lib's built-in template validator during synth (slow: ~2 s). */
  readonly validation?: boolean;
  /** Cloud assembly directory; a fresh temp dir by default. */
  readonly outdir?: string;
}

/** An App with cdk.json's feature flags, no version reporting, synthesizing into a temp dir. */
export function testApp(options: TestAppOptions = {}): App {
  return new App({
    outdir: options.outdir ?? tempDir('cdk-ml-test-'),
    analyticsReporting: false,
    builtinCloudFormationValidation: options.validation ?? false,
    context: {
      ...CDK_CONTEXT,
      // Let synth finish and write its report; the gates then report each finding on its own.
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      ...(options.profile ? { profile: options.profile } : {}),
      ...options.context,
    },
  });
}
