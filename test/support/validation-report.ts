import * as fs from 'fs';
import * as path from 'path';

export interface ValidatorError {
  readonly plugin: string;
  readonly rule: string;
  readonly description: string;
  readonly paths: string[];
}

interface Report {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{ ruleName: string; description: string; severity?: string; violatingConstructs?: Array<{ constructPath?: string }> }>;
  }>;
}

/** The name aws-cdk-lib gives its own template validator in the report. */
export const BUILTIN_VALIDATOR = 'CloudFormation Validate';

/**
 * Reads `validation-report.json` from a cloud assembly and returns the built-in validator's
 * errors (or every plugin's, with `allPlugins`). A missing report is an error: it means the
 * validator did not run.
 */
export function validatorErrors(assemblyDir: string, options: { allPlugins?: boolean } = {}): ValidatorError[] {
  const file = path.join(assemblyDir, 'validation-report.json');
  if (!fs.existsSync(file)) throw new Error(`no validation report at ${file}: was the built-in validator turned off?`);
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
  return report.pluginReports
    .filter((p) => options.allPlugins || p.pluginName === BUILTIN_VALIDATOR)
    .flatMap((p) => p.violations
      .filter((v) => v.severity === undefined || v.severity === 'error' || v.severity === 'fatal')
      .map((v) => ({
        plugin: p.pluginName,
        rule: v.ruleName,
        description: v.description,
        paths: (v.violatingConstructs ?? []).map((c) => c.constructPath ?? '?'),
      })));
}
