import { InferenceApiExample } from '../../examples/api/inference-api-example';
import { testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';

describe.each(['lab', 'production'] as const)('InferenceApiExample (%s)', (profile) => {
  const app = testApp({ profile });
  const stack = new InferenceApiExample(app, 'Api');

  test('is nag clean in the four packs', () => {
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });

});
