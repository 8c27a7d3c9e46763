import * as fs from 'fs';
import { aslToMermaid, diagramBlock, END, README, readmeWithDiagram, START } from '../../scripts/training-diagram';

describe('the README diagram of the state machine', () => {
  const block = diagramBlock();

  test('is current: README.md holds exactly what npm run diagram:training generates', () => {
    const readme = fs.readFileSync(README, 'utf8');
    expect(readme).toContain(START);
    expect(readme.slice(readme.indexOf(START), readme.indexOf(END) + END.length)).toBe(block);
  });

  test('draws every state of the definition with its integration', () => {
    for (const text of ['List running executions', 'sagemaker:createTrainingJob.sync', 'Gate', 'Below the gate',
      'sagemaker:createProcessingJob.sync', 'sagemaker:createModelPackage', 'Skip: another execution is running',
      'sagemaker:createHyperParameterTuningJob.sync', 'No completed training job']) {
      expect(block).toContain(text);
    }
    expect(block).toContain('metric.values[0] at least 0.75');
  });

  test('a changed definition gives a changed diagram (the check is not vacuous)', () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::sagemaker:createTrainingJob.sync', Next: 'B' }, B: { Type: 'Succeed' } } };
    const before = aslToMermaid(definition);
    const after = aslToMermaid({ ...definition, States: { ...definition.States, A: { ...definition.States.A, Next: 'C' }, C: { Type: 'Pass', Next: 'B' } } as never });
    expect(after).not.toBe(before);
    expect(after).toContain('s0 --> s2');
    expect(() => readmeWithDiagram('no markers here', block)).toThrow(/has no/);
  });
});
