// `npm run build` compiles lib/ to dist/lib; the Glue script, feature SQL and the shared model
// contracts travel with it, because the constructs read them from beside their compiled files.
import { cpSync } from 'node:fs';

cpSync('lib/data/etl', 'dist/lib/data/etl', { recursive: true });
cpSync('lib/core/model-defaults', 'dist/lib/core/model-defaults', { recursive: true });
