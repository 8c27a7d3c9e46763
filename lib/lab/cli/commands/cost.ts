import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { LabContext } from '../context';
import { LabError, toLabError } from '../errors';

const $ = (n: number) => (n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`);

/** `lab cost`: the estimate (from the templates), and actuals from Cost Explorer when allowed. */
export async function cost(ctx: LabContext, opts: { actual?: boolean; days: string }): Promise<void> {
  const estimator = ctx.deps.estimator;
  if (!estimator) throw new LabError('No cost estimator is wired into this command line.', 'Run the lab through `npm run lab -- cost` from the repository.');
  const report = estimator.estimate();
  ctx.out.table('idle', report.idle.map((i) => ({ stack: i.stack, profile: i.profile, 'idle $/h': $(i.usdPerHour) })));
  ctx.out.line();
  ctx.out.table('exercises', report.exercises.map((e) => ({ exercise: e.id, title: e.title, 'usage $': $(e.usageUsd) })));
  ctx.out.set('sessionUsd', report.sessionUsd);
  ctx.out.line(`\n3-hour session (one ETL, one training run, two endpoint hours): ${$(report.sessionUsd)}`);
  if (!opts.actual) return;
  const days = Math.max(1, Math.min(90, Number(opts.days) || 7));
  const end = new Date(ctx.now());
  const start = new Date(end.getTime() - days * 86_400_000);
  try {
    // Cost Explorer charges $0.01 per request: one request, grouped by service.
    const res = await ctx.client(CostExplorerClient).send(new GetCostAndUsageCommand({
      TimePeriod: { Start: start.toISOString().slice(0, 10), End: end.toISOString().slice(0, 10) },
      Granularity: 'MONTHLY', Metrics: ['UnblendedCost'], GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
    }));
    const totals = new Map<string, number>();
    for (const r of res.ResultsByTime ?? []) for (const g of r.Groups ?? []) {
      const k = g.Keys?.[0] ?? '?';
      totals.set(k, (totals.get(k) ?? 0) + Number(g.Metrics?.UnblendedCost?.Amount ?? 0));
    }
    const rows = [...totals].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([service, usd]) => ({ service, [`actual $ (${days} d)`]: $(usd) }));
    ctx.out.line();
    ctx.out.table('actual', rows);
    ctx.out.set('actualUsd', [...totals.values()].reduce((a, b) => a + b, 0));
  } catch (e) {
    const err = toLabError(e, 'reading actual costs');
    ctx.out.warn(`Actual costs unavailable: ${err.message} (Cost Explorer needs ce:GetCostAndUsage and data up to 24 h old.)`);
    ctx.out.set('actualUsd', null);
  }
}
