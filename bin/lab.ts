#!/usr/bin/env node
// The `lab` command line: `npm run lab -- <command>` (or `lab <command>` after `npm link`).
import * as path from 'path';
import { runLab } from '../lib/lab/cli';
import { LabCostEstimator, LabCostReport } from '../lib/lab/cli/context';
import { CostEstimator } from '../lib/ops/cost-estimator';

// lib/lab may not import lib/ops (test/architecture.test.ts): the estimator is wired here.
const estimator: LabCostEstimator = {
  estimate(): LabCostReport {
    // Synthesizes the lab stacks in-process (no AWS call); loaded lazily so other commands start fast.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { labTemplates } = require('../scripts/render-costs') as typeof import('../scripts/render-costs');
    const e = new CostEstimator();
    const lab = labTemplates('lab');
    const prod = labTemplates('production');
    return {
      idle: [
        { stack: 'MlLabData', profile: 'lab', usdPerHour: e.idleCost('MlLabData', lab.data).usdPerHour },
        { stack: 'MlLabServing', profile: 'lab', usdPerHour: e.idleCost('MlLabServing', lab.serving).usdPerHour },
        { stack: 'MlLabData', profile: 'production', usdPerHour: e.idleCost('MlLabData', prod.data).usdPerHour },
        { stack: 'MlLabServing', profile: 'production', usdPerHour: e.idleCost('MlLabServing', prod.serving).usdPerHour },
      ],
      exercises: e.exercises(lab.data, lab.serving).map((x) => ({ id: x.id, title: x.title, usageUsd: x.usageUsd })),
      sessionUsd: e.session(lab.data, lab.serving, 3, 2, ['train', 'etl']).totalUsd,
    };
  },
};

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130); // a second Ctrl-C leaves at once
  process.stderr.write('\nStopping (the AWS work already started goes on; the message below says how to resume) ...\n');
  controller.abort();
});

runLab(process.argv.slice(2), {
  root: path.resolve(__dirname, '..'),
  tty: !!process.stderr.isTTY && !process.env.CI,
  estimator,
  endpoint: process.env.LAB_AWS_ENDPOINT,
}, controller.signal).then((r) => process.exit(r.exitCode));
