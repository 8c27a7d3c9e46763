import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import * as fs from 'fs';
import * as path from 'path';
import { Nag } from '../../lib';
import { testApp } from '../support/app';
import { nagFindings } from '../support/nag';

// aws-cdk-lib's helper providers are raw CfnResources, which the packs skip in the construct tree; a
// reviewer (or a template scanner) reading the template sees plain Lambda functions and roles. Load the
// synthesized template back as typed L1 resources to learn what the packs report on them there, and
// check the template's metadata accepts each of those findings with a reason.
const PROVIDERS = ['CustomS3AutoDeleteObjectsCustomResourceProvider', 'CustomVpcRestrictDefaultSGCustomResourceProvider'];

const app = testApp({ profile: 'lab' });
const stack = new Stack(app, 'Helpers');
new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true, enforceSSL: true });
new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
Nag.enable(app);
const assembly = app.synth();
const templateFile = path.join(assembly.directory, stack.templateFile);
const template = JSON.parse(fs.readFileSync(templateFile, 'utf8')) as { Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }> };

const reread = new Stack(new App(), 'Reread');
new CfnInclude(reread, 'Template', { templateFile });
const findings = nagFindings(reread).filter((f) => PROVIDERS.some((p) => f.path.includes(p)));

describe("acknowledgements of aws-cdk-lib's helper resources", () => {
  test('read back as typed resources, the helpers do draw findings (the check is not vacuous)', () => {
    for (const provider of PROVIDERS) expect(findings.filter((f) => f.path.includes(provider)).length).toBeGreaterThan(0);
  });

  test('every such finding is accepted, with a reason, in the template metadata of that resource', () => {
    const missing = findings.filter((f) => {
      const logicalId = f.path.split('/')[2];
      const rules = template.Resources[logicalId]?.Metadata?.cdk_nag?.rules_to_suppress ?? [];
      return !rules.some((r) => r.id === f.rule && r.reason.length >= 20);
    }).map((f) => `${f.rule} at ${f.path}`);
    expect(missing).toEqual([]);
  });
});
