import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './support/app';
import { undocumentedOptionalProps } from './support/documented-defaults';

// The public API must stay jsii-compatible (we will ship to Python) and documented. These checks read
// the exported declarations of lib/ syntactically, the way a reviewer would.

const LIB = path.join(ROOT, 'lib');
/** Internal modules: not re-exported from lib/index.ts (see docs/decisions.md; `npm run check:jsii` compiles the rest with jsii). */
const INTERNAL = new Set(['core/validation.ts']);

function libFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    // lib/lab is SDK-side (not exported); private/ folders hold internals, as in aws-cdk.
    if (e.isDirectory()) return e.name === 'lab' || e.name === 'private' ? [] : libFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && e.name !== 'index.ts' ? [full] : [];
  });
}

const files = libFiles(LIB).filter((f) => !INTERNAL.has(path.relative(LIB, f)));
const isExported = (n: ts.Node) => ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const isHidden = (m: ts.Node) => {
  const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
  if (mods.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword)) return true;
  const name = (m as { name?: ts.Node }).name;
  if (name && ts.isPrivateIdentifier(name)) return true;
  if (name && name.getText().startsWith('_')) return true;
  return ts.getJSDocTags(m).some((t) => t.tagName.text === 'internal');
};

/** Type shapes jsii cannot express: unions (other than `T | undefined`), tuples, intersections, inline object types, mapped types. */
function badTypes(type: ts.TypeNode | undefined, source: ts.SourceFile): string[] {
  if (!type) return [];
  const out: string[] = [];
  const visit = (t: ts.Node) => {
    if (ts.isUnionTypeNode(t)) {
      const rest = t.types.filter((x) => x.kind !== ts.SyntaxKind.UndefinedKeyword);
      if (rest.length > 1) out.push(`union ${t.getText(source)}`);
    } else if (ts.isTupleTypeNode(t)) out.push(`tuple ${t.getText(source)}`);
    else if (ts.isIntersectionTypeNode(t)) out.push(`intersection ${t.getText(source)}`);
    else if (ts.isMappedTypeNode(t)) out.push(`mapped ${t.getText(source)}`);
    else if (ts.isTypeLiteralNode(t) && !(t.members.length === 1 && ts.isIndexSignatureDeclaration(t.members[0]))) {
      out.push(`inline object type ${t.getText(source)}`);
    } else if (ts.isTypeReferenceNode(t) && ['Partial', 'Pick', 'Omit', 'Readonly', 'ReadonlyArray'].includes(t.typeName.getText(source))) {
      out.push(`utility type ${t.getText(source)}`);
    }
    ts.forEachChild(t, visit);
  };
  visit(type);
  return out;
}

interface Finding { file: string; where: string; problem: string }

function inspect(file: string): Finding[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const rel = path.relative(ROOT, file);
  const out: Finding[] = [];
  const report = (where: string, type: ts.TypeNode | undefined) =>
    badTypes(type, source).forEach((problem) => out.push({ file: rel, where, problem }));
  for (const s of source.statements) {
    if (!isExported(s)) continue;
    if (ts.isFunctionDeclaration(s)) out.push({ file: rel, where: s.name?.text ?? '?', problem: 'exported free function (jsii exports classes, interfaces and enums only)' });
    if (ts.isTypeAliasDeclaration(s)) out.push({ file: rel, where: s.name.text, problem: 'exported type alias' });
    if (ts.isVariableStatement(s)) out.push({ file: rel, where: s.declarationList.declarations.map((d) => d.name.getText(source)).join(', '), problem: 'exported variable' });
    if (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) {
      const owner = s.name?.text ?? '?';
      for (const m of s.members) {
        if (isHidden(m)) continue;
        const name = `${owner}.${m.name?.getText(source) ?? 'constructor'}`;
        if (ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) report(name, m.type);
        if (ts.isMethodSignature(m) || ts.isMethodDeclaration(m) || ts.isConstructorDeclaration(m)) {
          report(`${name}()`, m.type);
          for (const p of m.parameters) {
            const paramHidden = ts.canHaveModifiers(p) && ts.getModifiers(p)?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword);
            if (!paramHidden) report(`${name}(${p.name.getText(source)})`, p.type);
          }
        }
        if (ts.isGetAccessor(m)) report(name, m.type);
      }
    }
  }
  return out;
}

describe('public API', () => {
  test('lib/ has construct files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  test('is jsii-compatible: no unions, tuples, inline object types, free functions or type aliases in exported signatures', () => {
    const findings = files.flatMap(inspect).map((f) => `${f.file} ${f.where}: ${f.problem}`);
    expect(findings).toEqual([]);
  });

  test('every optional prop of every exported *Props interface documents its @default', () => {
    const missing = files.flatMap((file) => {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      return source.statements
        .filter((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && isExported(s) && /Props$/.test(s.name.text))
        .flatMap((s) => undocumentedOptionalProps(file, s.name.text).map((p) => `${path.relative(ROOT, file)} ${s.name.text}.${p}`));
    });
    expect(missing).toEqual([]);
  });

  test('props interfaces are immutable: every field is readonly', () => {
    const mutable = files.flatMap((file) => {
      const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      return source.statements
        .filter((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && isExported(s) && /Props$/.test(s.name.text))
        .flatMap((s) => s.members.filter((m) => ts.isPropertySignature(m) && !ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.ReadonlyKeyword))
          .map((m) => `${s.name.text}.${m.name?.getText(source)}`));
    });
    expect(mutable).toEqual([]);
  });
});
