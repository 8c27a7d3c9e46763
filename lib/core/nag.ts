import { App, AspectPriority, Aspects, CfnElement, CfnResource, IAspect, Stack, Stage, Token, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
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
   * Attach the AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 packs and this
   * library's deploy-readiness pack (`DeployReadinessChecks`) to an app as policy-validation plugins.
   *
   * Acknowledgements are also written into each resource's template metadata
   * (`cdk_nag.rules_to_suppress`), so a reviewer reading only the template sees them.
   *
   * @throws Error when the app, this library and cdk-nag do not share one copy of aws-cdk-lib and
   * constructs: the packs would then check nothing and every synth would pass.
   */
  public static enable(app: Construct): void {
    Nag.checkOneCopy(app);
    (app.node.root as unknown as Record<symbol, boolean>)[ENABLED] = true;
    // Before the packs' metadata aspect (default priority), so these reach the template too.
    Aspects.of(app).add(new AcknowledgeHelperProviders(), { priority: AspectPriority.MUTATING });
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
   * Two copies of aws-cdk-lib (a folder install or `npm link` brings the library's own node_modules)
   * make every `instanceof` between them false: the packs find no resource of theirs and report nothing.
   * `Construct.isConstruct` and `Stage.isStage` recognize objects of any copy (global symbols);
   * `instanceof` only ours. cdk-nag is probed with a resource it must flag.
   */
  private static checkOneCopy(app: Construct): void {
    const fix = 'Keep exactly one copy of aws-cdk-lib, constructs and cdk-nag in the app: they are peer dependencies of ' +
      'cdk-ml-reference, so install them in the app itself (npm install aws-cdk-lib constructs cdk-nag), then run ' +
      '`npm ls aws-cdk-lib constructs cdk-nag` and `npm dedupe` until each appears once. Install cdk-ml-reference from ' +
      'the registry, a tarball or a git URL rather than `npm link` or a folder path (a symlink brings its own node_modules along).';
    if (Stage.isStage(app) && !(app instanceof Stage)) {
      throw new Error(`Nag.enable: the app was built with another copy of aws-cdk-lib than cdk-ml-reference loads (${resolved('aws-cdk-lib')}), so the nag packs would check nothing and every synth would pass. ${fix}`);
    }
    if (Construct.isConstruct(app) && !(app instanceof Construct)) {
      throw new Error(`Nag.enable: the app is a Construct of another copy of the "constructs" package than cdk-ml-reference loads (${resolved('constructs')}), so no nag pack would see its resources. ${fix}`);
    }
    const probe = new Stack(new App({ autoSynth: false }), 'NagProbe');
    new sns.CfnTopic(probe, 'TopicWithoutSslPolicy');
    const report = new AwsSolutionsChecks().validateScope(probe);
    if (!report.violations.some((v) => v.ruleName === 'AwsSolutions-SNS3')) {
      throw new Error(`Nag.enable: cdk-nag (${resolved('cdk-nag')}) runs on another copy of aws-cdk-lib than cdk-ml-reference (${resolved('aws-cdk-lib')}): ` +
        `it did not flag an SNS topic without an SSL-only policy (AwsSolutions-SNS3), so it would check nothing. ${fix}`);
    }
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
      if (Token.isUnresolved(ack.id)) Nag.acknowledgeAtSynth(scope, ack);
      else Validations.of(scope).acknowledge({ id: ack.id, reason: ack.reason });
    }
  }

  /**
   * An id that still holds a reference into another stack (from `findingText`) is written as cdk-nag
   * prints it only once synth has put the cross-stack references in place (an export, or a weak
   * `Fn::GetStackOutput`). Validation hooks run after that and before the packs: acknowledge there,
   * and write the id into the template metadata ourselves (the packs' metadata aspect has run by then).
   */
  private static acknowledgeAtSynth(scope: IConstruct, ack: NagAcknowledgement): void {
    let done = false;
    scope.node.addValidation({
      validate: () => {
        if (done) return [];
        done = true;
        const id = flatten(Stack.of(scope).resolve(ack.id));
        Validations.of(scope).acknowledge({ id, reason: ack.reason });
        if ((scope.node.root as unknown as Record<symbol, boolean>)[ENABLED]) {
          for (const resource of scope.node.findAll().filter(CfnResource.isCfnResource)) {
            const rules = (resource.getMetadata('cdk_nag') as { rules_to_suppress?: NagAcknowledgement[] } | undefined)?.rules_to_suppress ?? [];
            if (!rules.some((r) => r.id === id)) resource.addMetadata('cdk_nag', { rules_to_suppress: [...rules, { id, reason: ack.reason }] });
          }
        }
        return [];
      },
    });
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
   * `<LogicalId.Attr>`, joins flattened, pseudo parameters as `<AWS::Region>`, imports as the export
   * name, weak references (`Fn::GetStackOutput`) as their JSON.
   *
   * A value that references a resource of another stack is printed differently once synth has turned the
   * reference into an import: for such a value the text stays a token until then, and `Nag.acknowledge`
   * (and `acknowledgeWildcard`) resolve an id holding it at synth.
   */
  public static findingText(scope: IConstruct, value: string): string {
    const resolved = Stack.of(scope).resolve(value);
    return referencesOtherStack(Stack.of(scope), resolved) ? value : flatten(resolved);
  }
}

/**
 * aws-cdk-lib's singleton providers (raw CfnResources the packs skip in the construct tree, but a
 * reviewer or scanner reading the template sees a Lambda function with an AWS managed policy).
 * What the packs report on them once the template is read back as typed resources
 * (test/core/nag-helper-resources.test.ts), accepted with the reason, so the template says so.
 */
const HELPER_PROVIDERS: Record<string, string> = {
  'Custom::S3AutoDeleteObjectsCustomResourceProvider': "aws-cdk-lib's provider behind autoDeleteObjects (lab profile): it empties the bucket when the stack is deleted, runs only during deployment, holds no data, and is maintained by aws-cdk-lib.",
  'Custom::VpcRestrictDefaultSGCustomResourceProvider': "aws-cdk-lib's provider that removes every rule from the VPC's default security group; it runs only during deployment, holds no data, and is maintained by aws-cdk-lib.",
};
const HELPER_RULES = [
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
  ...['LambdaConcurrency', 'LambdaDLQ', 'LambdaInsideVPC', 'IAMNoInlinePolicy'].flatMap((rule) => ['HIPAA.Security', 'NIST.800.53.R5'].map((pack) => `${pack}-${rule}`)),
  'PCI.DSS.321-LambdaInsideVPC', 'PCI.DSS.321-IAMNoInlinePolicy',
];

class AcknowledgeHelperProviders implements IAspect {
  public visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    for (const [id, reason] of Object.entries(HELPER_PROVIDERS)) {
      const provider = node.node.tryFindChild(id);
      if (provider) Validations.of(provider).acknowledge(...HELPER_RULES.map((rule) => ({ id: rule, reason })));
    }
  }
}

/** Set on the root of an app that `Nag.enable` attached the packs to. */
const ENABLED = Symbol.for('cdk-ml-reference.Nag.enabled');

/** Whether a resolved value holds a `Ref` or `Fn::GetAtt` of a logical id that is not one of `stack`'s. */
function referencesOtherStack(stack: Stack, resolved: unknown): boolean {
  const ids = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) ids.add(o.Ref);
      const getAtt = o['Fn::GetAtt'];
      if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') ids.add(getAtt[0]);
      Object.values(o).forEach(visit);
    }
  };
  visit(resolved);
  if (ids.size === 0) return false;
  const own = new Set(stack.node.findAll().filter(CfnElement.isCfnElement)
    .filter((e) => Stack.of(e) === stack)
    .map((e) => stack.resolve(e.logicalId) as string));
  return [...ids].some((id) => !own.has(id));
}

/** Where Node resolves a package from this library, for error messages. */
function resolved(pkg: string): string {
  try {
    return require.resolve(`${pkg}/package.json`);
  } catch {
    return pkg;
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
