import { App, Stack } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { addExamples } from '../../bin/app';
import { PROFILES, ProfileName, testApp } from '../support/app';

// A team's first unit test builds a bare `new App()`: none of cdk.json's feature flags. Every example
// must synthesize there with the security posture it has under the project's flags (issue 9, item 3).

type Template = { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

function templates(app: App): Record<string, Template> {
  addExamples(app);
  const assembly = app.synth();
  return Object.fromEntries(app.node.children.filter(Stack.isStack).map((s) => [
    s.stackName, JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8')) as Template,
  ]));
}

/** What a bucket's security rests on: ownership, ACL, encryption, public access, logging, versioning, and its policy. */
function bucketPosture(template: Template): Record<string, unknown> {
  const resources = template.Resources ?? {};
  const out: Record<string, unknown> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type === 'AWS::S3::Bucket') {
      const p = r.Properties ?? {};
      out[id] = {
        OwnershipControls: p.OwnershipControls,
        AccessControl: p.AccessControl,
        BucketEncryption: p.BucketEncryption,
        PublicAccessBlockConfiguration: p.PublicAccessBlockConfiguration,
        LoggingConfiguration: p.LoggingConfiguration,
        VersioningConfiguration: p.VersioningConfiguration,
      };
    }
    if (r.Type === 'AWS::S3::BucketPolicy') out[`${id} (policy of ${JSON.stringify(r.Properties?.Bucket)})`] = policyAtoms(r.Properties?.PolicyDocument);
  }
  return out;
}

type Statement = { Effect: string; Principal?: unknown; Action?: string | string[]; Resource?: unknown; Condition?: unknown };

/**
 * A policy as the sorted set of (effect, principal, action, resource, condition) it allows or denies:
 * the flag '@aws-cdk/aws-iam:minimizePolicies' merges statements and sorts actions without changing
 * what they grant.
 */
function policyAtoms(document: unknown): string[] {
  const statements = ((document as { Statement?: Statement[] })?.Statement ?? []);
  const list = (x: unknown) => (Array.isArray(x) ? x : [x]);
  const atoms = statements.flatMap((s) => list(s.Action).flatMap((action) => list(s.Resource).map((resource) =>
    JSON.stringify([s.Effect, s.Principal, action, resource, s.Condition ?? null]))));
  return [...new Set(atoms)].sort();
}

function bareApp(profile: ProfileName): App {
  // No context at all for production (the library's default profile); only the profile for lab.
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ml-bare-'));
  return new App(profile === 'production' ? { outdir } : { outdir, context: { profile } });
}

describe.each(PROFILES)('every example in a bare App (%s profile)', (profile) => {
  const bare = templates(bareApp(profile));
  const flagged = templates(testApp({ profile }));

  test('synthesizes the same stacks as under the project flags', () => {
    expect(Object.keys(bare).sort()).toEqual(Object.keys(flagged).sort());
    expect(Object.keys(bare).length).toBeGreaterThan(5);
  });

  test.each(Object.keys(flagged))('%s: buckets keep their ownership, ACLs, encryption, logging and policies', (name) => {
    const expected = bucketPosture(flagged[name]);
    expect(bucketPosture(bare[name])).toEqual(expected);
  });

  test('the comparison is not vacuous: buckets and bucket policies were compared', () => {
    const all = Object.values(flagged).map(bucketPosture);
    const ids = all.flatMap((p) => Object.keys(p));
    expect(ids.filter((id) => !id.includes('(policy of')).length).toBeGreaterThanOrEqual(10);
    expect(ids.filter((id) => id.includes('(policy of')).length).toBeGreaterThanOrEqual(10);
  });
});
