import * as fs from 'fs';
import { README, renderCostSection, withCostSection } from '../../scripts/render-costs';

test('the README cost figures and "Which option?" table are what the estimator computes (run npm run render:costs)', () => {
  const readme = fs.readFileSync(README, 'utf8');
  expect(withCostSection(readme, renderCostSection())).toBe(readme);
});

test('the renderer refuses a README without its markers', () => {
  expect(() => withCostSection('# nothing here', 'x')).toThrow(/lacks the .* markers/);
});
