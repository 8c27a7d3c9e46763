import { App, Stack } from 'aws-cdk-lib';
import { DataStack, MlStack } from '../../examples/composition/composition-example';
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
