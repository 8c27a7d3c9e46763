import { App, Stack } from 'aws-cdk-lib';
import * as fs from 'fs';
import * as path from 'path';
import { DataStack, MlStack } from '../../examples/composition/composition-example';
import { Nag } from '../../lib';
import { testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';

function compose(references: string | undefined): { app: App; data: Stack; ml: Stack } {
  const app = testApp({ profile: 'lab', context: { '@aws-cdk/core:defaultCrossStackReferences': references } });
  const data = new DataStack(app, 'Data');
  const ml = new MlStack(app, 'Ml', { dataLake: data.lake });
  app.synth();
  return { app, data, ml };
}

describe.each([['weak', 'weak'], ['strong (exports)', 'strong'], ['unset', undefined]] as const)('a lake in one stack, ingestion, ETL and endpoint in another: %s references', (_name, mode) => {
  const { ml, data } = compose(mode);

  test('the ML stack really references the data stack', () => {
    const template = JSON.stringify(ml.resolve((ml as unknown as { _toCloudFormation(): unknown })._toCloudFormation()));
    expect(template).toMatch(mode === 'weak' ? /Fn::GetStackOutput/ : /Fn::ImportValue/);
  });

  test('every acknowledgement still matches: no unacknowledged finding in either stack', () => {
    expect(formatNag(nagFindings(ml))).toEqual([]);
    expect(formatNag(nagFindings(data))).toEqual([]);
  });
});

describe('acknowledgements of cross-stack wildcards in the template', () => {
  test('carry the id as cdk-nag prints it for the import, with the reason', () => {
    const app = testApp({ profile: 'lab', context: { '@aws-cdk/core:defaultCrossStackReferences': 'strong' } });
    const data = new DataStack(app, 'Data');
    const ml = new MlStack(app, 'Ml', { dataLake: data.lake });
    Nag.enable(app);
    const assembly = app.synth();
    const template = JSON.parse(fs.readFileSync(path.join(assembly.directory, ml.templateFile), 'utf8'));
    const ids = Object.values(template.Resources as Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }>)
      .flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    const imported = ids.filter((r) => /^AwsSolutions-IAM5\[Resource::Data:ExportsOutput\w+\/customers\*\]$/.test(r.id)); // the ETL reads customers* (Spark probes the bare key)
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.every((r) => r.reason.length >= 20)).toBe(true);
    expect(ids.some((r) => r.id.includes('${Token'))).toBe(false);
  });
});
