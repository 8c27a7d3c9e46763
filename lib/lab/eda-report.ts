/**
 * The exploratory data analysis report of the lab (guide task 2.3): one self-contained HTML file
 * with summary statistics, missing values, class balance, a histogram and a box plot per numeric
 * feature, a correlation heatmap and a scatter of the two strongest features, each with a short
 * reading of what a learner should notice. Charts are Vega-Lite specs rendered to inline SVG on
 * this machine (no script, font or image is fetched when the file is opened).
 */
import { computeEdaStats, EdaDataset, EdaStats, NumericSummary } from './eda-stats';

export interface EdaReportOptions {
  /** The label column (e.g. `churned`). */
  readonly label: string;
  /** Heading of the report. */
  readonly title?: string;
  /** Where the data came from, shown under the title (e.g. the file or the Athena query). */
  readonly source?: string;
  /** Columns left out of the numeric charts (identifiers). Default: columns named `id` or `*_id`. */
  readonly exclude?: string[];
  /** Histogram bins per feature. Default 12. */
  readonly bins?: number;
  /** Columns whose values never appear in the report (personal data). Default: columns whose name contains `email`. */
  readonly pii?: string[];
}

/** One chart of the report, as the report's `data-*` attributes describe it. */
export interface EdaChart {
  /** Unique id, e.g. `histogram-income`. */
  readonly id: string;
  /** The mark that carries the data (`rect` bars, `symbol` points) and how many the data gives. */
  readonly mark: string;
  readonly marks: number;
  readonly svg: string;
  readonly title: string;
  readonly reading: string;
}

export interface EdaReport {
  readonly html: string;
  readonly stats: EdaStats;
  readonly charts: EdaChart[];
}

type VegaLiteSpec = Record<string, unknown>;

const WIDTH = 320;
const HEIGHT = 180;

async function toSvg(spec: VegaLiteSpec): Promise<string> {
  // Loaded on demand: the charting libraries are needed only by this report.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const vega = require('vega');
  const vl = require('vega-lite');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const view = new vega.View(vega.parse(vl.compile({ width: WIDTH, height: HEIGHT, ...spec }).spec), { renderer: 'none' });
  const svg: string = await view.toSVG();
  view.finalize();
  return svg;
}

const fmt = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v.toPrecision(digits)).toString());
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function numericReading(s: NumericSummary, label: string, r: number | null | undefined): string {
  const parts = [`${s.count} values, mean ${fmt(s.mean)}, median ${fmt(s.median)}, from ${fmt(s.min)} to ${fmt(s.max)}.`];
  if (s.missing > 0) parts.push(`${s.missing} missing: the ETL imputes them (mean for age, median for income) and keeps a \`${s.column}_was_missing\` flag, so the model can still tell.`);
  if (s.outliers.length > 0) parts.push(`${s.outliers.length} value${s.outliers.length === 1 ? '' : 's'} beyond the IQR fences [${fmt(s.lowFence)}, ${fmt(s.highFence)}] — planted outliers the ETL caps at the fences.`);
  if (Math.abs(s.mean - s.median) > 0.5 * s.std && s.std > 0) parts.push('The mean sits well away from the median: the distribution is skewed.');
  if (r !== null && r !== undefined && s.column !== label) parts.push(`Correlation with ${label}: r = ${fmt(r, 2)}${Math.abs(r) >= 0.2 ? ' — part of the planted signal.' : '.'}`);
  return parts.join(' ');
}

/** Builds the report: every number from `computeEdaStats`, every chart an inline SVG. */
export async function renderEdaReport(dataset: EdaDataset, options: EdaReportOptions): Promise<EdaReport> {
  const stats = computeEdaStats(dataset, options.label, options.bins ?? 12);
  const excluded = new Set(options.exclude ?? dataset.columns.filter((c) => c === 'id' || c.endsWith('_id')));
  const features = stats.numeric.filter((s) => !excluded.has(s.column) && s.column !== options.label);
  const corr = (x: string, y: string) => stats.correlations.find((c) => c.x === x && c.y === y)?.r;
  const charts: EdaChart[] = [];

  charts.push({
    id: 'missing-values', title: 'Missing values per column', mark: 'rect', marks: stats.missing.length,
    svg: await toSvg({
      data: { values: stats.missing }, mark: 'bar',
      encoding: { x: { field: 'column', type: 'nominal', sort: null, title: null }, y: { field: 'missing', type: 'quantitative', title: 'missing cells' } },
    }),
    reading: (() => {
      const worst = [...stats.missing].sort((a, b) => b.missing - a.missing)[0];
      const withGaps = stats.missing.filter((m) => m.missing > 0).map((m) => m.column);
      return withGaps.length === 0 ? 'No missing cells.'
        : `${withGaps.length} of ${stats.missing.length} columns have gaps (${withGaps.join(', ')}); the most is ${worst.column} with ${worst.missing} (${pct(worst.share)}). Missing values are planted: the ETL imputes them rather than dropping rows.`;
    })(),
  });

  const majority = [...stats.classBalance].sort((a, b) => b.count - a.count)[0];
  charts.push({
    id: 'class-balance', title: `Class balance of ${options.label}`, mark: 'rect', marks: stats.classBalance.length,
    svg: await toSvg({
      data: { values: stats.classBalance }, mark: 'bar',
      encoding: { x: { field: 'value', type: 'nominal', title: options.label }, y: { field: 'count', type: 'quantitative', title: 'rows' }, color: { field: 'value', type: 'nominal', legend: null } },
    }),
    reading: majority
      ? `${stats.classBalance.map((c) => `${options.label} = ${c.value}: ${c.count} (${pct(c.count / stats.rows)})`).join('; ')}. A model that always answers ${majority.value} is right ${pct(majority.count / stats.rows)} of the time — accuracy would flatter it, which is why the gate uses AUC.`
      : 'No labelled rows.',
  });

  for (const s of features) {
    const h = stats.histograms.find((x) => x.column === s.column);
    if (!h) continue;
    charts.push({
      id: `histogram-${s.column}`, title: `Histogram of ${s.column}`, mark: 'rect', marks: h.bins.length,
      svg: await toSvg({
        data: { values: h.bins }, mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: { x: { field: 'start', type: 'quantitative', title: s.column, scale: { zero: false } }, x2: { field: 'end' }, y: { field: 'count', type: 'quantitative', title: 'rows' }, y2: { datum: 0 } },
      }),
      reading: numericReading(s, options.label, corr(s.column, options.label)),
    });
    const lowWhisker = Math.min(...[s.min, s.q1].filter((v) => v >= s.lowFence));
    const highWhisker = Math.max(...[s.max, s.q3].filter((v) => v <= s.highFence));
    const box = { low: Number.isFinite(lowWhisker) ? lowWhisker : s.q1, high: Number.isFinite(highWhisker) ? highWhisker : s.q3, q1: s.q1, q3: s.q3, median: s.median, y: s.column };
    charts.push({
      id: `boxplot-${s.column}`, title: `Box plot of ${s.column}`, mark: 'symbol', marks: s.outliers.length,
      svg: await toSvg({
        height: 60,
        layer: [
          { data: { values: [box] }, mark: 'rule', encoding: { x: { field: 'low', type: 'quantitative', title: s.column, scale: { zero: false } }, x2: { field: 'high' }, y: { field: 'y', type: 'nominal', title: null } } },
          { data: { values: [box] }, mark: { type: 'bar', size: 20 }, encoding: { x: { field: 'q1', type: 'quantitative' }, x2: { field: 'q3' }, y: { field: 'y', type: 'nominal' } } },
          { data: { values: [box] }, mark: { type: 'tick', color: 'white', size: 20 }, encoding: { x: { field: 'median', type: 'quantitative' }, y: { field: 'y', type: 'nominal' } } },
          { data: { values: s.outliers.map((v) => ({ v, y: s.column })) }, mark: { type: 'point', color: '#d62728' }, encoding: { x: { field: 'v', type: 'quantitative' }, y: { field: 'y', type: 'nominal' } } },
        ],
      }),
      reading: s.outliers.length > 0
        ? `The box spans Q1 ${fmt(s.q1)} to Q3 ${fmt(s.q3)}; the red points are the ${s.outliers.length} outliers beyond the fences. The ETL caps them to [${fmt(s.lowFence)}, ${fmt(s.highFence)}] before scaling.`
        : `The box spans Q1 ${fmt(s.q1)} to Q3 ${fmt(s.q3)}; no value lies beyond the fences [${fmt(s.lowFence)}, ${fmt(s.highFence)}].`,
    });
  }

  const heatColumns = stats.numeric.filter((s) => !excluded.has(s.column)).map((s) => s.column);
  const cells = stats.correlations.filter((c) => heatColumns.includes(c.x) && heatColumns.includes(c.y) && c.r !== null);
  const strongestPair = cells.filter((c) => c.x < c.y).sort((a, b) => Math.abs(b.r as number) - Math.abs(a.r as number))[0];
  charts.push({
    id: 'correlation-heatmap', title: 'Correlation heatmap (Pearson r)', mark: 'rect', marks: cells.length,
    svg: await toSvg({
      width: 40 * heatColumns.length, height: 40 * heatColumns.length,
      data: { values: cells.map((c) => ({ ...c, label: fmt(c.r, 2) })) },
      layer: [
        { mark: 'rect', encoding: { x: { field: 'x', type: 'nominal', sort: heatColumns, title: null }, y: { field: 'y', type: 'nominal', sort: heatColumns, title: null }, color: { field: 'r', type: 'quantitative', scale: { domain: [-1, 1], scheme: 'redblue' } } } },
        { mark: { type: 'text', fontSize: 9 }, encoding: { x: { field: 'x', type: 'nominal', sort: heatColumns }, y: { field: 'y', type: 'nominal', sort: heatColumns }, text: { field: 'label' } } },
      ],
    }),
    reading: `Correlations with ${options.label}: ${heatColumns.filter((c) => c !== options.label).map((c) => `${c} ${fmt(corr(c, options.label), 2)}`).join(', ')}.`
      + (strongestPair ? ` The strongest pair is ${strongestPair.x} and ${strongestPair.y} (r = ${fmt(strongestPair.r, 2)}).` : '')
      + ' Pearson r sees only straight-line relations; tree models such as XGBoost also use the rest.',
  });

  if (stats.strongest.length === 2) {
    const [a, b] = stats.strongest;
    const ia = dataset.columns.indexOf(a);
    const ib = dataset.columns.indexOf(b);
    const il = dataset.columns.indexOf(options.label);
    const points = dataset.rows.filter((r) => r[ia] !== null && r[ib] !== null)
      .map((r) => ({ [a]: Number(r[ia]), [b]: Number(r[ib]), [options.label]: r[il] ?? 'missing' }));
    charts.push({
      id: 'scatter-strongest', title: `${a} against ${b}, coloured by ${options.label}`, mark: 'symbol', marks: points.length,
      svg: await toSvg({
        data: { values: points }, mark: { type: 'point', filled: true, opacity: 0.6, size: 18 },
        encoding: { x: { field: a, type: 'quantitative', scale: { zero: false } }, y: { field: b, type: 'quantitative', scale: { zero: false } }, color: { field: options.label, type: 'nominal' } },
      }),
      reading: `The two features most correlated with ${options.label} (r = ${fmt(corr(a, options.label), 2)} and ${fmt(corr(b, options.label), 2)}). Where the colours separate, a model can learn the boundary; where they overlap, no model will be perfect — that overlap is the planted noise.`,
    });
  }

  return { html: page(options, stats, charts, features), stats, charts };
}

function page(options: EdaReportOptions, stats: EdaStats, charts: EdaChart[], features: NumericSummary[]): string {
  const title = options.title ?? 'Exploratory data analysis';
  const summaryRows = stats.numeric.map((s) => `<tr data-column="${esc(s.column)}"><th>${esc(s.column)}</th>${[s.count, s.missing, s.mean, s.std, s.min, s.q1, s.median, s.q3, s.max, s.outliers.length]
    .map((v) => `<td>${fmt(v, 6)}</td>`).join('')}</tr>`).join('\n');
  const pii = new Set(options.pii ?? stats.categorical.map((c) => c.column).filter((c) => c.toLowerCase().includes('email')));
  const frequent = (c: EdaStats['categorical'][number]) => (pii.has(c.column) ? 'hidden: personal data (the ETL keeps only a hash and the domain)'
    : c.values.length === c.count ? 'every value distinct'
      : c.values.slice(0, 5).map((v) => `${v.value} (${v.count})`).join(', '));
  const categoricalRows = stats.categorical.map((c) => `<tr data-column="${esc(c.column)}"><th>${esc(c.column)}</th><td>${c.count}</td><td>${c.missing}</td><td>${c.values.length}</td><td>${esc(frequent(c))}</td></tr>`).join('\n');
  const figures = charts.map((c) => `<figure data-chart="${esc(c.id)}" data-mark="${c.mark}" data-marks="${c.marks}">
<figcaption>${esc(c.title)}</figcaption>
${c.svg}
<p class="reading">${esc(c.reading)}</p>
</figure>`).join('\n');
  // Numbers for machines (tests, scripts): the same object the tables are written from.
  const json = JSON.stringify({
    ...stats,
    numeric: stats.numeric.map((s) => ({ ...s, outliers: s.outliers.length })),
    categorical: stats.categorical.map((c) => ({ ...c, values: pii.has(c.column) ? [] : c.values })),
    features: features.map((f) => f.column),
  })
    .replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(title)}</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 2px 8px; text-align: right; }
th:first-child { text-align: left; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid #eee; padding: .5rem; }
figcaption { font-weight: 600; }
.reading { color: #444; }
</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p>${stats.rows} rows, ${stats.numeric.length + stats.categorical.length} columns, label <code>${esc(stats.label)}</code>${options.source ? `; source: ${esc(options.source)}` : ''}.</p>
<h2>Summary statistics</h2>
<table id="numeric-summary">
<thead><tr><th>column</th><th>count</th><th>missing</th><th>mean</th><th>std</th><th>min</th><th>Q1</th><th>median</th><th>Q3</th><th>max</th><th>outliers</th></tr></thead>
<tbody>
${summaryRows}
</tbody>
</table>
<table id="categorical-summary">
<thead><tr><th>column</th><th>count</th><th>missing</th><th>distinct</th><th>most frequent</th></tr></thead>
<tbody>
${categoricalRows}
</tbody>
</table>
${categoricalReadings(stats).map((r) => `<p class="reading">${esc(r)}</p>`).join('\n')}
<h2>Charts</h2>
<div class="charts">
${figures}
</div>
<script type="application/json" id="eda-stats">${json}</script>
</body>
</html>
`;
}

/** What a learner should notice in the text columns: spellings the ETL folds together. */
function categoricalReadings(stats: EdaStats): string[] {
  return stats.categorical.flatMap((c) => {
    const folded = new Set(c.values.map((v) => v.value.trim().toLowerCase()));
    return folded.size < c.values.length && c.values.length !== c.count
      ? [`${c.column} has ${c.values.length} spellings of ${folded.size} values (${c.values.map((v) => v.value).join(', ')}): messy categories the ETL trims and lower-cases before encoding.`]
      : [];
  });
}
