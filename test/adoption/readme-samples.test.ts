import { App, Stack } from 'aws-cdk-lib';
import { Nag } from '../../lib';
import { formatNag, nagFindings } from '../support/nag';
import { readmeSamples, runnableSample, typeCheckSamples } from '../support/readme-samples';

// Every ```ts block of README.md compiles (a ```ts fragment with `app: App` and `stack: Stack`
// declared), and every complete sample synthesizes under Nag.enable with zero findings.
const samples = readmeSamples();
const checked = typeCheckSamples(samples);

describe('README samples', () => {
  test('there are samples, complete ones among them', () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
    expect(samples.filter((s) => !s.fragment).length).toBeGreaterThanOrEqual(2);
  });

  test('every ```ts block type-checks', () => {
    expect(checked.errors).toEqual([]);
  });

  test.each(samples.filter((s) => !s.fragment).map((s) => [s.line, s] as const))('the complete sample at README.md:%i synthesizes under Nag.enable with zero findings', (_line, sample) => {
    // The sample loads the same lib/ modules as this test: record the app it enables nag on.
    const enabled: App[] = [];
    const enable = Nag.enable.bind(Nag);
    const spy = jest.spyOn(Nag, 'enable').mockImplementation((app) => {
      enabled.push(app as App);
      enable(app);
    });
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs the transpiled sample
      require(runnableSample(sample, checked.dir));
    } finally {
      spy.mockRestore();
    }
    expect(enabled).toHaveLength(1);
    const app = enabled[0];
    app.synth();
    const stacks = app.node.findAll().filter(Stack.isStack);
    expect(stacks.length).toBeGreaterThan(0);
    expect(stacks.flatMap((s) => formatNag(nagFindings(s)))).toEqual([]);
  });
});
