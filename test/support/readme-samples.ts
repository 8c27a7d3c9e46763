import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './app';
import { tempDir } from './temp-dirs';

export interface ReadmeSample {
  /** Line of the opening fence in README.md (1-based). */
  readonly line: number;
  /** A fragment (` ```ts fragment `): type-checked with `app: App` and `stack: Stack` declared; not run. */
  readonly fragment: boolean;
  readonly code: string;
}

/** Every ```ts block of a Markdown file (info string `ts`, or `ts fragment`). */
export function readmeSamples(file = path.join(ROOT, 'README.md')): ReadmeSample[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out: ReadmeSample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|typescript)( fragment)?\s*$/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
    out.push({ line: i + 1, fragment: !!open[2], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

/** The sample as a module: a fragment gets its imports hoisted and `app`, `stack` declared. */
export function sampleModule(sample: ReadmeSample): string {
  if (!sample.fragment) return `${sample.code}\nexport {};\n`;
  const source = ts.createSourceFile('fragment.ts', sample.code, ts.ScriptTarget.Latest, true);
  const imports = source.statements.filter(ts.isImportDeclaration).map((s) => s.getText(source));
  const body = source.statements.filter((s) => !ts.isImportDeclaration(s)).map((s) => s.getFullText(source)).join('');
  return [
    "import { App as ReadmeApp, Stack as ReadmeStack } from 'aws-cdk-lib';",
    ...imports,
    'declare const app: ReadmeApp;',
    'declare const stack: ReadmeStack;',
    body,
    'export {};',
  ].join('\n');
}

/** This project's packages, found as Node finds them (Stryker's sandbox has none of its own; it resolves them upwards). */
const NODE_MODULES = path.dirname(fs.realpathSync(path.dirname(require.resolve('aws-cdk-lib/package.json', { paths: [ROOT] }))));

/** Where the library resolves from in samples: `cdk-ml-reference` is lib/ itself. */
const PATHS = {
  'cdk-ml-reference': [path.join(ROOT, 'lib', 'index.ts')],
  'cdk-ml-reference/errors': [path.join(ROOT, 'lib', 'errors.ts')],
  // The samples are written to a temp dir: packages come from this project's node_modules.
  '*': [path.join(NODE_MODULES, '*'), path.join(NODE_MODULES, '@types', '*')],
};

/** Type-checks every sample in one program; returns `README.md:<line>: <message>` per error. */
export function typeCheckSamples(samples: ReadmeSample[]): { dir: string; files: string[]; errors: string[] } {
  const dir = tempDir('readme-samples-');
  const files = samples.map((s) => {
    const file = path.join(dir, `sample-line-${s.line}.ts`);
    fs.writeFileSync(file, sampleModule(s));
    return file;
  });
  const program = ts.createProgram(files, {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, resolveJsonModule: true,
    types: ['node', 'jest'], typeRoots: [path.join(NODE_MODULES, '@types')], baseUrl: ROOT, paths: PATHS,
    noUnusedLocals: false,
  });
  const errors = ts.getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(path.resolve(d.file.fileName)))
    .map((d) => {
      const sample = samples[files.indexOf(path.resolve(d.file!.fileName))];
      return `README.md:${sample.line} (${sample.fragment ? 'fragment' : 'complete'}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
  return { dir, files, errors };
}

/** A complete sample as CommonJS that loads the library from lib/ (for Jest to run). */
export function runnableSample(sample: ReadmeSample, dir: string): string {
  const js = ts.transpileModule(sample.code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText
    .replace(/require\("cdk-ml-reference"\)/g, `require(${JSON.stringify(path.join(ROOT, 'lib', 'index.ts'))})`)
    .replace(/require\("cdk-ml-reference\/errors"\)/g, `require(${JSON.stringify(path.join(ROOT, 'lib', 'errors.ts'))})`)
    .replace(/require\("([^"./][^"]*)"\)/g, (_m, pkg: string) => `require(${JSON.stringify(require.resolve(pkg, { paths: [ROOT] }))})`);
  const file = path.join(dir, `run-line-${sample.line}.js`);
  fs.writeFileSync(file, js);
  return file;
}
