import * as fs from 'fs';
import { LAB_MD, README, renderCostSection, withCostSection, withLabCosts } from '../../scripts/render-costs';

test('the README cost figures and "Which option?" table are what the estimator computes (run npm run render:costs)', () => {
  const readme = fs.readFileSync(README, 'utf8');
  expect(withCostSection(readme, renderCostSection())).toBe(readme);
});

test('the renderer refuses a README without its markers', () => {
  expect(() => withCostSection('# nothing here', 'x')).toThrow(/lacks the .* markers/);
});

test('docs/LAB.md exercise costs and its session total are what the estimator computes (run npm run render:costs)', () => {
  const labMd = fs.readFileSync(LAB_MD, 'utf8');
  expect(labMd.match(/<!-- cost:[a-z]+ -->/g)!.length).toBeGreaterThanOrEqual(12);
  expect(withLabCosts(labMd)).toBe(labMd);
});
