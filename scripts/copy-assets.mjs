// `npm run build` compiles lib/ to dist/lib; the Glue script and feature SQL travel with it,
// because EtlJob ships them as assets from beside its compiled file.
import { cpSync } from 'node:fs';

cpSync('lib/data/etl', 'dist/lib/data/etl', { recursive: true });
