import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './support/app';

// DESIGN.md: examples → lib/<domain> → lib/core; a domain never imports a sibling domain except its
// interfaces (`import type`, erased at compile time: no runtime edge); lib/lab talks to AWS through the
// SDK and never imports aws-cdk-lib. Checked on the import statements themselves.

const DOMAINS = ['data', 'training', 'inference', 'ops'];

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Runtime imports of a file (type-only imports are left out: they leave no edge behind). */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(import|export)(\s+type\b)?[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g)]
    .filter((m) => !m[2])
    .map((m) => m[3] ?? m[4]);
}

/** The lib/ folder an import resolves into, or undefined for packages and files outside lib/. */
function libFolder(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const rel = path.relative(path.join(ROOT, 'lib'), path.resolve(path.dirname(fromFile), spec));
  if (rel.startsWith('..')) return undefined;
  return rel.split(path.sep)[0] || 'index';
}

describe('architecture', () => {
  test('lib/core imports no domain', () => {
    const bad = tsFiles(path.join(ROOT, 'lib', 'core')).flatMap((f) => imports(f)
      .filter((s) => { const folder = libFolder(f, s); return folder !== undefined && folder !== 'core'; })
      .map((s) => `${path.relative(ROOT, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  test.each(DOMAINS)('lib/%s imports only itself and lib/core', (domain) => {
    const bad = tsFiles(path.join(ROOT, 'lib', domain)).flatMap((f) => imports(f)
      .filter((s) => { const folder = libFolder(f, s); return folder !== undefined && folder !== domain && folder !== 'core'; })
      .map((s) => `${path.relative(ROOT, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  test('lib/lab imports neither aws-cdk-lib nor constructs nor the CDK side of lib', () => {
    const files = tsFiles(path.join(ROOT, 'lib', 'lab'));
    expect(files.length).toBeGreaterThan(0);
    const bad = files.flatMap((f) => imports(f)
      .filter((s) => s.startsWith('aws-cdk-lib') || s === 'constructs' || (libFolder(f, s) ?? 'lab') !== 'lab')
      .map((s) => `${path.relative(ROOT, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  test('lib/ never imports examples/, bin/ or test/', () => {
    const bad = tsFiles(path.join(ROOT, 'lib')).flatMap((f) => imports(f)
      .filter((s) => s.startsWith('.') && /^(examples|bin|test)(\/|$)/.test(path.relative(ROOT, path.resolve(path.dirname(f), s))))
      .map((s) => `${path.relative(ROOT, f)} -> ${s}`));
    expect(bad).toEqual([]);
  });

  test('the import scan sees imports (a scan that finds nothing would pass vacuously)', () => {
    const sample = path.join(os.tmpdir(), 'arch-sample.ts');
    fs.writeFileSync(sample, "import type { IDataLake } from '../data/data-lake';\nimport { Profile } from '../core/profile';\n");
    expect(imports(sample)).toEqual(['../core/profile']);
    expect(imports(path.join(ROOT, 'lib', 'data', 'data-lake.ts'))).toEqual(expect.arrayContaining(['../core/profile']));
    expect(libFolder(path.join(ROOT, 'lib', 'data', 'x.ts'), '../inference/y')).toBe('inference');
  });
});
