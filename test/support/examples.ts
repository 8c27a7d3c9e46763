import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { addExamples } from '../../bin/app';
import { ProfileName, testApp } from './app';

export interface SynthesizedStack {
  readonly name: string;
  readonly stack: Stack;
  readonly templateFile: string;
  /** The template's exact bytes, as `cdk synth` writes them. */
  readonly templateText: string;
  readonly template: Record<string, unknown>;
}

export interface SynthesizedExamples {
  readonly app: App;
  readonly outdir: string;
  readonly stacks: SynthesizedStack[];
}

export interface SynthExamplesOptions {
  /** Run aws-cdk-lib's built-in validator. @default true */
  readonly validation?: boolean;
  /** What adds the stacks to the App. @default bin/app.ts's addExamples */
  readonly build?: (app: App) => App;
}

/** Builds the app of bin/app.ts for a profile and synthesizes it (once: call it once per test file). */
export function synthExamples(profile: ProfileName, options: SynthExamplesOptions = {}): SynthesizedExamples {
  const app = (options.build ?? addExamples)(testApp({ profile, validation: options.validation ?? true }));
  const assembly = app.synth();
  const stacks = app.node.children.filter(Stack.isStack).map((stack) => {
    const templateFile = path.join(assembly.directory, stack.templateFile);
    const templateText = fs.readFileSync(templateFile, 'utf8');
    return { name: stack.stackName, stack, templateFile, templateText, template: JSON.parse(templateText) };
  });
  return { app, outdir: assembly.directory, stacks };
}
