/**
 * The numbers behind the exploratory data analysis report: plain TypeScript over a table of text
 * cells, so the same code reads the generated sample and Athena's CSV results. Definitions are the
 * ones the feature SQL uses (nearest-rank percentiles, IQR fences, sample standard deviation), so
 * a learner sees in the report exactly what the ETL will do to the data.
 */

/** A table as CSV gives it: column names and rows of text cells (`null` or empty = missing). */
export interface EdaDataset {
  readonly columns: string[];
  readonly rows: Array<Array<string | null>>;
}

export interface NumericSummary {
  readonly column: string;
  readonly count: number;
  readonly missing: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1), as SQL's STDDEV_SAMP. */
  readonly std: number;
  readonly min: number;
  /** Nearest-rank percentiles: the value at rank ceil(p · n) of the sorted values. */
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  /** Q1 − 1.5 IQR and Q3 + 1.5 IQR: the fences the ETL caps at. */
  readonly lowFence: number;
  readonly highFence: number;
  /** Values outside the fences (none for a column of at most two distinct values). */
  readonly outliers: number[];
}

export interface CategoricalSummary {
  readonly column: string;
  readonly count: number;
  readonly missing: number;
  /** Each distinct value with its count, most frequent first (ties alphabetically). */
  readonly values: Array<{ value: string; count: number }>;
}

export interface Histogram {
  readonly column: string;
  /** Equal-width bins from min to max; the last bin includes max. */
  readonly edges: number[];
  /** Only the non-empty bins: `[lower edge, upper edge, count]`. */
  readonly bins: Array<{ start: number; end: number; count: number }>;
}

export interface EdaStats {
  readonly rows: number;
  readonly label: string;
  readonly numeric: NumericSummary[];
  readonly categorical: CategoricalSummary[];
  /** Missing cells per column, in column order. */
  readonly missing: Array<{ column: string; missing: number; share: number }>;
  /** Rows per label value. */
  readonly classBalance: Array<{ value: string; count: number }>;
  /** Pearson correlation of every pair of numeric columns, pairwise complete (as SQL's CORR). */
  readonly correlations: Array<{ x: string; y: string; r: number | null }>;
  readonly histograms: Histogram[];
  /** The two numeric features (not the label) most correlated with the label, by |r|. */
  readonly strongest: string[];
}

/** Parses CSV text (RFC 4180 quoting) into a dataset; empty cells become `null`. */
export function parseCsv(text: string): EdaDataset {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field); field = '';
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
    } else field += c;
  }
  if (field !== '' || record.length > 0) { record.push(field); records.push(record); }
  const [header, ...rows] = records;
  if (!header) throw new Error('The CSV has no header row: give the report a file whose first line names the columns.');
  return { columns: header, rows: rows.map((r) => header.map((_, i) => (r[i] === undefined || r[i].trim() === '' ? null : r[i]))) };
}

const isNumber = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

function pearson(xs: Array<number | null>, ys: Array<number | null>): number | null {
  const pairs = xs.map((x, i) => [x, ys[i]] as const).filter((p): p is readonly [number, number] => p[0] !== null && p[1] !== null);
  const n = pairs.length;
  if (n < 2) return null;
  const mx = pairs.reduce((s, p) => s + p[0], 0) / n;
  const my = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxy = 0; let sxx = 0; let syy = 0;
  for (const [x, y] of pairs) { sxy += (x - mx) * (y - my); sxx += (x - mx) ** 2; syy += (y - my) ** 2; }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** Computes every number the report shows. `bins` is the histogram bin count. */
export function computeEdaStats(dataset: EdaDataset, label: string, bins = 12): EdaStats {
  const labelIndex = dataset.columns.indexOf(label);
  if (labelIndex < 0) throw new Error(`The data has no column "${label}": pass the label column with --label (columns: ${dataset.columns.join(', ')}).`);
  const cells = (i: number) => dataset.rows.map((r) => r[i]);
  const numericIndexes = dataset.columns.map((_, i) => i).filter((i) => {
    const present = cells(i).filter((v): v is string => v !== null);
    return present.length > 0 && present.every(isNumber);
  });
  const values = (i: number) => cells(i).map((v) => (v === null ? null : Number(v)));

  const numeric: NumericSummary[] = numericIndexes.map((i) => {
    const present = values(i).filter((v): v is number => v !== null);
    const sorted = [...present].sort((a, b) => a - b);
    const n = sorted.length;
    const mean = sorted.reduce((s, v) => s + v, 0) / n;
    const std = n > 1 ? Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
    const q1 = percentile(sorted, 0.25);
    const q3 = percentile(sorted, 0.75);
    const lowFence = q1 - 1.5 * (q3 - q1);
    const highFence = q3 + 1.5 * (q3 - q1);
    return {
      column: dataset.columns[i], count: n, missing: dataset.rows.length - n, mean, std,
      min: sorted[0], q1, median: percentile(sorted, 0.5), q3, max: sorted[n - 1], lowFence, highFence,
      // A column of two values (a flag, the label) has no outliers, whatever its fences say.
      outliers: new Set(present).size <= 2 ? [] : present.filter((v) => v < lowFence || v > highFence),
    };
  });

  const categorical: CategoricalSummary[] = dataset.columns.map((column, i) => ({ column, i }))
    .filter(({ i }) => !numericIndexes.includes(i))
    .map(({ column, i }) => {
      const present = cells(i).filter((v): v is string => v !== null);
      const counts = new Map<string, number>();
      for (const v of present) counts.set(v, (counts.get(v) ?? 0) + 1);
      const sortedValues = [...counts].map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
      return { column, count: present.length, missing: dataset.rows.length - present.length, values: sortedValues };
    });

  const classCounts = new Map<string, number>();
  for (const v of cells(labelIndex)) if (v !== null) classCounts.set(v, (classCounts.get(v) ?? 0) + 1);

  const correlations = numericIndexes.flatMap((a) => numericIndexes.map((b) => ({ x: dataset.columns[a], y: dataset.columns[b], r: pearson(values(a), values(b)) })));

  const histograms: Histogram[] = numeric.map((s) => {
    const width = (s.max - s.min) / bins;
    const edges = Array.from({ length: bins + 1 }, (_, k) => (k === bins ? s.max : s.min + k * width));
    const counts = new Array<number>(bins).fill(0);
    for (const v of values(dataset.columns.indexOf(s.column))) {
      if (v === null) continue;
      counts[width === 0 ? 0 : Math.min(bins - 1, Math.floor((v - s.min) / width))]++;
    }
    return { column: s.column, edges, bins: counts.map((count, k) => ({ start: edges[k], end: edges[k + 1], count })).filter((b) => b.count > 0) };
  });

  const strongest = correlations
    .filter((c) => c.y === label && c.x !== label && c.r !== null)
    .sort((a, b) => Math.abs(b.r as number) - Math.abs(a.r as number) || (a.x < b.x ? -1 : 1))
    .slice(0, 2).map((c) => c.x);

  return {
    rows: dataset.rows.length,
    label,
    numeric,
    categorical,
    missing: dataset.columns.map((column, i) => {
      const missing = cells(i).filter((v) => v === null).length;
      return { column, missing, share: dataset.rows.length ? missing / dataset.rows.length : 0 };
    }),
    classBalance: [...classCounts].map(([value, count]) => ({ value, count })).sort((a, b) => (a.value < b.value ? -1 : 1)),
    correlations,
    histograms,
    strongest,
  };
}
