import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } from 'cdk-nag';
import { Construct, IConstruct } from 'constructs';
import { DeployReadinessChecks } from './deploy-readiness-checks';
import { check } from './validation';

/** An accepted cdk-nag finding and why. */
export interface NagAcknowledgement {
  /** Rule id, with the finding in brackets where the rule reports several, e.g. `AwsSolutions-IAM5[Resource::*]`. */
  readonly id: string;
  /** Why the finding is acceptable: written for a security reviewer (at least 20 characters). */
  readonly reason: string;
}

/** The nag packs every app of this library runs, and the one way to accept a finding. */
export class Nag {
  /** The compliance packs whose rules share names (`<pack>-<rule>`), in the order `enable` attaches them. */
  public static readonly COMPLIANCE_PACKS: string[] = ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'];

  /**
   * Attach the AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 packs to an app as
   * policy-validation plugins.
   *
   * Acknowledgements are also written into each resource's template metadata
   * (`cdk_nag.rules_to_suppress`), so a reviewer reading only the template sees them.
   */
  public static enable(app: Construct): void {
    Validations.of(app).addPlugins(
      new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
      // One pack writes the metadata; a second would write the same block again.
      new HIPAASecurityChecks(app),
      new NIST80053R5Checks(app),
      new PCIDSS321Checks(app),
      new DeployReadinessChecks(app),
    );
  }

  /**
   * Accept findings on `scope` and everything below it. Scope it to the smallest construct
   * that needs it: the acknowledgement travels with that construct wherever it is used.
   */
  public static acknowledge(scope: IConstruct, ...acknowledgements: NagAcknowledgement[]): void {
    for (const ack of acknowledgements) {
      check(scope, /^[A-Za-z]+[.-][\w.-]+(\[.+\])?$/.test(ack.id), 'nag acknowledgement id', ack.id,
        'a cdk-nag rule id such as "AwsSolutions-S1" or "AwsSolutions-IAM5[Resource::*]"');
      check(scope, ack.reason.trim().length >= 20, `reason for ${ack.id}`, ack.reason,
        'a reason of at least 20 characters that a security reviewer would accept');
      Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
    }
  }

  /**
   * Accept one compliance rule (e.g. `S3BucketReplicationEnabled`) in every compliance pack that
   * has it (`Nag.COMPLIANCE_PACKS`): the packs check the same control under their own prefixes.
   */
  public static acknowledgeCompliance(scope: IConstruct, rule: string, reason: string): void {
    Nag.acknowledge(scope, ...Nag.COMPLIANCE_PACKS.map((pack) => ({ id: `${pack}-${rule}`, reason })));
  }

  /**
   * Accept findings on a singleton resource that aws-cdk-lib adds at stack level
   * (such as the provider behind `autoDeleteObjects`), if the stack has it.
   */
  public static acknowledgeStackChild(scope: IConstruct, childId: string, ...acknowledgements: NagAcknowledgement[]): void {
    const child = Stack.of(scope).node.tryFindChild(childId);
    if (child) Nag.acknowledge(child, ...acknowledgements);
  }

  /**
   * Accept an `AwsSolutions-IAM5` wildcard finding on one resource ARN (e.g. `bucket.arnForObjects('events/*')`),
   * with the id written exactly as cdk-nag prints it.
   */
  public static acknowledgeWildcard(scope: IConstruct, resourceArn: string, reason: string): void {
    Nag.acknowledge(scope, { id: `AwsSolutions-IAM5[Resource::${Nag.findingText(scope, resourceArn)}]`, reason });
  }

  /**
   * A value as cdk-nag prints it inside finding ids: `Ref` as `<LogicalId>`, `Fn::GetAtt` as
   * `<LogicalId.Attr>`, joins flattened, pseudo parameters as `<AWS::Region>`.
   */
  public static findingText(scope: IConstruct, value: string): string {
    return flatten(Stack.of(scope).resolve(value));
  }
}

function flatten(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as Record<string, unknown>;
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (node['Fn::Sub']) return flatten(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flatten(node['Fn::ImportValue']);
  if (node.Ref) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(value);
}
