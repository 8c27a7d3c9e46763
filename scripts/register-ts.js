// Runs the CDK app's TypeScript without a type-check (npm test type-checks once with tsc):
// esbuild transpiles each .ts file as Node loads it. Measured 2x faster than tsx, whose
// resolver hooks every require, including aws-cdk-lib's own lazy ones (docs/decisions.md).
const fs = require('fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename, sourcemap: 'inline',
  });
  module._compile(code, filename);
};
