function apply(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

/**
 * Runs `body` with these environment variables set (undefined: unset), and restores them after,
 * once its promise settles when it returns one.
 */
export function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  apply(vars);
  let result: T;
  try {
    result = body();
  } catch (e) {
    apply(saved);
    throw e;
  }
  if (result instanceof Promise) return result.finally(() => apply(saved)) as T;
  apply(saved);
  return result;
}
