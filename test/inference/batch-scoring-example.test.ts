import { BatchScoringExample } from '../../examples/batch/batch-scoring-example';
import { testApp } from '../support/app';
import { formatNag, nagFindings } from '../support/nag';

describe.each(['lab', 'production'] as const)('BatchScoringExample (%s)', (profile) => {
  const stack = new BatchScoringExample(testApp({ profile }), 'Batch');
  test('is nag clean in the four packs', () => {
    expect(formatNag(nagFindings(stack))).toEqual([]);
  });
});
