import { AwsSolutionsChecks, HIPAASecurityChecks, NagPack, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { DeployReadinessChecks } from '../../lib/core/deploy-readiness-checks';

export interface NagFinding {
  readonly pack: string;
  readonly rule: string;
  readonly path: string;
  readonly description: string;
}

/**
 * Runs the AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 packs over `scope` and returns the findings
 * nobody acknowledged. Call it after synth, when aspects have run.
 */
export function nagFindings(scope: IConstruct): NagFinding[] {
  const packs: NagPack[] = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks(), new PCIDSS321Checks(), new DeployReadinessChecks()];
  return packs.flatMap((pack) => pack.validateScope(scope).violations.flatMap((v) =>
    v.violatingResources.map((r) => ({ pack: pack.readPackName, rule: v.ruleName, path: r.constructPath ?? '?', description: v.description })),
  ));
}

/** One line per finding, for readable assertion failures. */
export function formatNag(findings: NagFinding[]): string[] {
  return findings.map((f) => `${f.rule} at ${f.path}: ${f.description}`);
}
