/**
 * Renders the coverage map (lib/lab/coverage-map.ts) into README.md and docs/LAB.md, between the
 * markers `<!-- coverage:<exam>:begin -->` and `<!-- coverage:<exam>:end -->`. `npm run
 * render:coverage` writes the files; test/lab/coverage-map.test.ts fails when they are stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderCoverageTable } from '../lib/lab/coverage-map';
import { Exam } from '../lib/lab/exam-task-statements';

const ROOT = path.resolve(__dirname, '..');
export const README = path.join(ROOT, 'README.md');
export const LAB = path.join(ROOT, 'docs', 'LAB.md');

/** The headings of a markdown document (without the leading #s). */
export function headings(markdown: string): string[] {
  return markdown.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => l.replace(/^#+ /, '').trim());
}

/** The document with every coverage block replaced by the current rendering. */
export function render(file: string): string {
  const text = fs.readFileSync(file, 'utf8');
  const readmeHeadings = headings(fs.readFileSync(README, 'utf8'));
  const inDocs = path.dirname(file) !== ROOT;
  return Object.values(Exam).reduce((doc, exam) => {
    const begin = `<!-- coverage:${exam}:begin -->`;
    const end = `<!-- coverage:${exam}:end -->`;
    const start = doc.indexOf(begin);
    const stop = doc.indexOf(end);
    if (start < 0 || stop < start) return doc;
    const table = renderCoverageTable(exam, { readmeHeadings, readmePath: inDocs ? '../README.md' : '', labPath: inDocs ? '' : 'docs/LAB.md' });
    return `${doc.slice(0, start + begin.length)}\n${table}\n${doc.slice(stop)}`;
  }, text);
}

if (require.main === module) {
  for (const file of [README, LAB]) {
    if (!fs.existsSync(file)) continue;
    fs.writeFileSync(file, render(file));
    console.log(`rendered the coverage map into ${path.relative(ROOT, file)}`);
  }
}
