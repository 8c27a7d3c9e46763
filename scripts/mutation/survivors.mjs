// Lists the mutants a Stryker JSON report left alive (survived or no coverage) as the Markdown rows
// docs/mutation-survivors.md is written from; the reason column is left for a person to fill in:
//   node scripts/mutation/survivors.mjs reports/mutation/lib-ops.json
import fs from 'node:fs';

const [report] = process.argv.slice(2);
if (!report) {
  console.error('usage: node scripts/mutation/survivors.mjs <stryker report.json>');
  process.exit(2);
}
const { files } = JSON.parse(fs.readFileSync(report, 'utf8'));
const shorten = (text) => {
  const line = text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return line.length > 48 ? `${line.slice(0, 45)}…` : line;
};
// Markdown code: a text holding backticks goes between double ones, padded.
const code = (text) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);
const rows = ['| where | mutation | why it survives |', '|---|---|---|'];
for (const [file, { source, mutants }] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
  const lines = source.split('\n');
  const original = ({ start, end }) => {
    if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
    return [lines[start.line - 1].slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1].slice(0, end.column - 1)].join('\n');
  };
  const alive = mutants
    .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  for (const m of alive) {
    const where = `${file.replace(/^lib\/[a-z]+\//, '')}:${m.location.start.line}:${m.location.start.column}`;
    const tag = m.status === 'NoCoverage' ? ' (no coverage)' : '';
    rows.push(`| ${where} | ${code(shorten(original(m.location)))} → ${code(shorten(m.replacement ?? m.mutatorName))}${tag} |  |`);
  }
}
console.log(rows.join('\n'));
