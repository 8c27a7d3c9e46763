import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { Template } from 'aws-cdk-lib/assertions';
import { InferenceEndpoint, ModelData } from '../../lib';
import { fixture, variant } from './helpers';

/**
 * Ordinary changes must update the endpoint in place. `fullDiff` classifies each change with
 * CloudFormation's resource specification (the `@aws-cdk/aws-service-spec` database shipped with
 * it, offline), which marks `AWS::SageMaker::Endpoint`'s `EndpointName`, every property of
 * `AWS::SageMaker::EndpointConfig` and of `AWS::SageMaker::Model` as requiring replacement.
 *
 * A template diff alone does not show what a replacement does to the resources that reference the
 * replaced one: `{"Fn::GetAtt": ["Config", "EndpointConfigName"]}` reads the same before and after,
 * yet CloudFormation hands the endpoint the new config's generated name. So, like CloudFormation,
 * we substitute each reference to a replaced resource with its old or new physical value and diff
 * again until nothing more changes: that is the change the endpoint really gets.
 * A negative control (renaming the endpoint) shows the check does see a replacement.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- templates are untyped JSON
type Json = any;

interface Shape {
  readonly modelKey?: string;
  readonly instanceCount?: number;
  readonly endpointName?: string;
}

function synth(shape: Shape): { template: Record<string, Json>; ids: { endpoint: string; config: string; model: string } } {
  const f = fixture('production');
  const ep = new InferenceEndpoint(f.stack, 'Endpoint', {
    vpc: f.network.vpc,
    endpointName: shape.endpointName,
    variants: [variant(f, {
      modelData: ModelData.fromBucket(f.bucket, shape.modelKey ?? 'models/v1/model.tar.gz'),
      initialInstanceCount: shape.instanceCount ?? 2,
    })],
  });
  return {
    template: Template.fromStack(f.stack).toJSON(),
    ids: {
      endpoint: f.stack.getLogicalId(ep.cfnEndpoint),
      config: f.stack.getLogicalId(ep.cfnEndpointConfig),
      model: f.stack.getLogicalId(ep.model('AllTraffic')),
    },
  };
}

/** Logical id → change impact, for every resource the diff touches. */
function diffImpacts(before: Record<string, Json>, after: Record<string, Json>): Record<string, ResourceImpact> {
  const out: Record<string, ResourceImpact> = {};
  fullDiff(before, after).resources.forEachDifference((id, change) => {
    out[id] = change.changeImpact;
  });
  return out;
}

/** Replaces `Ref`/`Fn::GetAtt` of the given logical ids with a physical value tagged `tag`. */
function substitute(value: Json, replaced: Set<string>, tag: string): Json {
  if (Array.isArray(value)) return value.map((v) => substitute(v, replaced, tag));
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string' && replaced.has(value.Ref)) return `${value.Ref}@${tag}`;
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && replaced.has(getAtt[0])) return `${getAtt[0]}.${getAtt[1]}@${tag}`;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, replaced, tag)]));
  }
  return value;
}

/** The impact of going from one shape to another, replacements propagated through references. */
function impacts(before: Shape, after: Shape): Record<string, ResourceImpact> {
  const old = synth(before).template;
  const next = synth(after).template;
  let result = diffImpacts(old, next);
  for (;;) {
    const replaced = new Set(Object.keys(result).filter((id) => result[id] === ResourceImpact.WILL_REPLACE));
    const propagated = diffImpacts(substitute(old, replaced, 'old'), substitute(next, replaced, 'new'));
    if (JSON.stringify(propagated) === JSON.stringify(result)) return result;
    result = propagated;
  }
}

const base = synth({});

describe('an endpoint survives ordinary changes', () => {
  test('a new model data location replaces the model and the config, and updates the endpoint in place', () => {
    const changes = impacts({}, { modelKey: 'models/v2/model.tar.gz' });
    expect(changes).toEqual({
      [base.ids.model]: ResourceImpact.WILL_REPLACE,
      [base.ids.config]: ResourceImpact.WILL_REPLACE,
      [base.ids.endpoint]: ResourceImpact.WILL_UPDATE,
      // The policy follows the object: it reads v2 instead of v1.
      [Object.keys(base.template.Resources).find((id) => base.template.Resources[id].Type === 'AWS::IAM::ManagedPolicy' && id.startsWith('Endpoint'))!]:
        ResourceImpact.WILL_UPDATE,
    });
  });

  test('a new instance count replaces only the config and updates the endpoint in place', () => {
    expect(impacts({}, { instanceCount: 3 })).toEqual({
      [base.ids.config]: ResourceImpact.WILL_REPLACE,
      [base.ids.endpoint]: ResourceImpact.WILL_UPDATE,
    });
  });

  test('the endpoint keeps its name and logical id across both changes', () => {
    for (const shape of [{ modelKey: 'models/v2/model.tar.gz' }, { instanceCount: 3 }]) {
      const after = synth(shape);
      expect(after.ids.endpoint).toBe(base.ids.endpoint);
      expect(after.template.Resources[after.ids.endpoint].Properties.EndpointName)
        .toBe(base.template.Resources[base.ids.endpoint].Properties.EndpointName);
    }
  });

  test('control: renaming the endpoint is reported as a replacement', () => {
    expect(impacts({}, { endpointName: 'renamed-endpoint' })[base.ids.endpoint]).toBe(ResourceImpact.WILL_REPLACE);
  });

  test('the config has no fixed name, so CloudFormation can create its replacement before deleting it', () => {
    expect(base.template.Resources[base.ids.config].Properties.EndpointConfigName).toBeUndefined();
  });
});
