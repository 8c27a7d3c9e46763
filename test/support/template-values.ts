/**
 * A template value with its intrinsics written as text, for assertions that read like the template:
 * `<Id>` for a `Ref`, `<Id.Attr>` for an `Fn::GetAtt`, an `Fn::Join` joined. Other values are kept.
 */
export function flat(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(flat);
  if (x === null || typeof x !== 'object') return x;
  const node = x as Record<string, unknown>;
  if (node.Ref) return `<${String(node.Ref)}>`;
  if (node['Fn::GetAtt']) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  if (node['Fn::Join']) {
    const [sep, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(flat(p))).join(sep);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, flat(v)]));
}
