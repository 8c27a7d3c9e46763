import { CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** One resource of a resolved template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** An IAM policy statement as it appears in a template (values may still hold intrinsics). */
export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Principal?: unknown;
  readonly Condition?: unknown;
}

/**
 * The resolved CloudFormation resources of one stack, so rules can follow `Ref`/`Fn::GetAtt` from
 * one resource to another (endpoint → config → model → role → policies). cdk-nag hands a rule one
 * `CfnResource` at a time; this is the view across them.
 */
export class TemplateModel {
  /** The model of the stack `scope` belongs to, built once per cache (a pack clears it per run). */
  public static of(scope: IConstruct, cache: Map<Stack, TemplateModel>): TemplateModel {
    const stack = Stack.of(scope);
    let model = cache.get(stack);
    if (!model) {
      model = new TemplateModel(stack);
      cache.set(stack, model);
    }
    return model;
  }

  public readonly resources: Record<string, TemplateResource> = {};

  private constructor(private readonly stack: Stack) {
    for (const c of stack.node.findAll()) {
      if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
      try {
        // The same rendering synth uses (property overrides, DependsOn, policies included).
        const rendered = stack.resolve((c as unknown as { _toCloudFormation(): { Resources: Record<string, TemplateResource> } })._toCloudFormation());
        Object.assign(this.resources, rendered.Resources);
      } catch {
        // A resource that cannot render outside synth is skipped: rules treat it as unknown.
      }
    }
  }

  /** The logical id of a resource in this template. */
  public logicalId(resource: CfnResource): string {
    return this.stack.resolve(resource.logicalId) as string;
  }

  /** The rendered form of a resource. */
  public rendered(resource: CfnResource): TemplateResource | undefined {
    return this.resources[this.logicalId(resource)];
  }

  /** The logical id a value points at directly (`Ref` or `Fn::GetAtt`), if it is a resource of this template. */
  public target(value: unknown, type?: string): string | undefined {
    const node = value as Record<string, unknown> | undefined;
    if (!node || typeof node !== 'object') return undefined;
    let id: unknown;
    if (typeof node.Ref === 'string') id = node.Ref;
    else if (Array.isArray(node['Fn::GetAtt'])) id = (node['Fn::GetAtt'] as unknown[])[0];
    else if (typeof node['Fn::GetAtt'] === 'string') id = (node['Fn::GetAtt'] as string).split('.')[0];
    if (typeof id !== 'string' || !this.resources[id]) return undefined;
    return type === undefined || this.resources[id].Type === type ? id : undefined;
  }

  /** Every resource of this template a value references anywhere inside (Ref, GetAtt, `${X}` in Fn::Sub). */
  public referencedIds(value: unknown): string[] {
    const out = new Set<string>();
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach(visit);
        return;
      }
      if (!v || typeof v !== 'object') return;
      const direct = this.target(v);
      if (direct) out.add(direct);
      const sub = (v as Record<string, unknown>)['Fn::Sub'];
      const text = typeof sub === 'string' ? sub : Array.isArray(sub) && typeof sub[0] === 'string' ? sub[0] : undefined;
      for (const m of (text ?? '').matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z0-9.]+)?\}/g)) {
        if (this.resources[m[1]]) out.add(m[1]);
      }
      Object.values(v as Record<string, unknown>).forEach(visit);
    };
    visit(value);
    return [...out];
  }

  /** Resources of one type. */
  public ofType(type: string): Array<[string, TemplateResource]> {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type);
  }

  /** The role a value (`Fn::GetAtt [Role, Arn]`, `Ref`) points at, if the template creates it. */
  public role(value: unknown): string | undefined {
    return this.target(value, 'AWS::IAM::Role');
  }

  /** Every policy statement attached to a role of this template: inline, `AWS::IAM::Policy` and managed policies. */
  public statementsOfRole(roleId: string): PolicyStatement[] {
    const role = this.resources[roleId];
    if (!role) return [];
    const props = role.Properties ?? {};
    const documents: unknown[] = asArray(props.Policies).map((p) => (p as Record<string, unknown>).PolicyDocument);
    const attachesRole = (r: TemplateResource) => asArray(r.Properties?.Roles).some((x) => this.target(x) === roleId);
    for (const [, policy] of this.ofType('AWS::IAM::Policy')) if (attachesRole(policy)) documents.push(policy.Properties?.PolicyDocument);
    const managedOfRole = new Set(asArray(props.ManagedPolicyArns).map((x) => this.target(x, 'AWS::IAM::ManagedPolicy')).filter(Boolean));
    for (const [id, policy] of this.ofType('AWS::IAM::ManagedPolicy')) {
      if (attachesRole(policy) || managedOfRole.has(id)) documents.push(policy.Properties?.PolicyDocument);
    }
    return documents.flatMap((d) => asArray((d as Record<string, unknown> | undefined)?.Statement) as PolicyStatement[]);
  }

  /**
   * Whether the role's statements grant `action` on a resource matching `resourceArn` (any resource
   * when omitted), as IAM evaluates them: an `Allow` (by `Action` or `NotAction`, `Resource` or
   * `NotResource`) that no unconditional `Deny` overrides. Wildcards match as in IAM; a pseudo
   * parameter inside a resource ARN (partition, region, account) matches anything, a reference to
   * another resource (a database name, a bucket) matches no literal name. A conditional `Deny` is
   * not taken to apply: the template cannot tell when its condition holds.
   */
  public roleAllows(roleId: string, action: string, resourceArn?: string): boolean {
    const statements = this.statementsOfRole(roleId);
    return statements.some((s) => s.Effect === 'Allow' && coversAction(s, action) && coversResource(s, resourceArn, false))
      && !statements.some((s) => s.Effect === 'Deny' && s.Condition === undefined && coversAction(s, action) && coversResource(s, resourceArn, true));
  }
}

function coversAction(s: PolicyStatement, action: string): boolean {
  const named = (list: unknown) => asArray(list).some((a) => typeof a === 'string' && globMatch(a, action, true));
  if (s.Action !== undefined) return named(s.Action);
  return s.NotAction !== undefined && asArray(s.NotAction).every((a) => typeof a === 'string') && !named(s.NotAction);
}

/**
 * Whether a statement applies to `resourceArn`. With no ARN given, the question is "some resource"
 * for an `Allow` and "every resource" for a `Deny` (a Deny of one bucket does not take the action
 * away from the others).
 */
function coversResource(s: PolicyStatement, resourceArn: string | undefined, everyResource: boolean): boolean {
  if (s.Resource !== undefined) {
    const patterns = asArray(s.Resource).map(arnPattern);
    if (resourceArn !== undefined) return patterns.some((p) => globMatch(p, resourceArn, false));
    return everyResource ? patterns.includes('*') : true;
  }
  if (s.NotResource === undefined) return false;
  const excluded = asArray(s.NotResource).map(arnPattern);
  if (resourceArn !== undefined) return !excluded.some((p) => globMatch(p, resourceArn, false));
  return !everyResource && !excluded.includes('*');
}

/** A resource ARN as an IAM glob: pseudo parameters become `*`, other intrinsics a character no name has. */
export function arnPattern(value: unknown): string {
  const node = value as Record<string, unknown> | undefined;
  if (typeof value === 'string') return value;
  if (node && Array.isArray(node['Fn::Join']) && Array.isArray((node['Fn::Join'] as unknown[])[1])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(arnPattern).join(delimiter);
  }
  if (node && typeof node.Ref === 'string' && node.Ref.startsWith('AWS::')) return '*';
  if (node && typeof node['Fn::Sub'] === 'string') {
    return (node['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, (_m, name: string) => (name.startsWith('AWS::') ? '*' : '\u0000'));
  }
  return '\u0000';
}

/** A value as one string; each intrinsic becomes `placeholder`. */
export function flatten(value: unknown, placeholder: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const node = value as Record<string, unknown> | undefined;
  if (node && Array.isArray(node['Fn::Join'])) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown];
    if (Array.isArray(items)) return items.map((i) => flatten(i, placeholder)).join(delimiter);
  }
  if (node && typeof node['Fn::Sub'] === 'string') return (node['Fn::Sub'] as string).replace(/\$\{[^}]+\}/g, placeholder);
  return placeholder;
}

/**
 * A JSON document (a state machine definition, a pipeline body) that may hold intrinsics, parsed
 * with each intrinsic read as the string `"<token>"`. Undefined when it is not JSON.
 */
export function parseJsonWithTokens(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value) && !('Fn::Join' in value) && !('Fn::Sub' in value)) {
    return value; // already an object (an L1 `Definition`)
  }
  const parts: unknown[] = typeof value === 'string' ? [value]
    : Array.isArray((value as Record<string, unknown>)?.['Fn::Join']) ? ((value as Record<string, [string, unknown[]]>)['Fn::Join'][1] ?? []) : [value];
  let text = '';
  let inString = false;
  for (const part of parts) {
    if (typeof part === 'string') {
      for (let i = 0; i < part.length; i++) {
        if (part[i] === '\\') i++;
        else if (part[i] === '"') inString = !inString;
      }
      text += part;
    } else {
      text += inString ? '<token>' : '"<token>"';
    }
  }
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** IAM-style wildcard match (`*` any run, `?` one character). */
export function globMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('*').map((p) => p.split('?').map(escapeRegex).join('.')).join('.*');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}

function escapeRegex(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** A scalar or list as a list (CloudFormation allows both in many places). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
