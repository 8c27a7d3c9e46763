import * as fs from 'fs';
import * as ts from 'typescript';

/**
 * The `@default` text of every property of an exported interface, read from the source file,
 * so tests can hold the docs to what the code does.
 */
export function documentedDefaults(file: string, interfaceName: string): Record<string, string> {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (!found) throw new Error(`interface ${interfaceName} not found in ${file}`);
  const out: Record<string, string> = {};
  for (const member of found.members) {
    if (!ts.isPropertySignature(member) || !member.name) continue;
    const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
    if (tag) out[member.name.getText(source)] = ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '';
  }
  return out;
}

/** The optional properties of the interface that carry no `@default` (should be none). */
export function undocumentedOptionalProps(file: string, interfaceName: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (!found) throw new Error(`interface ${interfaceName} not found in ${file}`);
  return found.members
    .filter((m): m is ts.PropertySignature => ts.isPropertySignature(m) && !!m.questionToken)
    .filter((m) => !ts.getJSDocTags(m).some((t) => t.tagName.text === 'default'))
    .map((m) => m.name.getText(source));
}
