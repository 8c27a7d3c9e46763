import * as path from 'path';
import { BatchScoring, InferenceApi, ModelMonitor, Profile } from '../../lib';
import { documentedDefaults, undocumentedOptionalProps } from '../support/documented-defaults';

const lib = (file: string) => path.join(__dirname, '..', '..', 'lib', file);

test.each([
  ['inference/model-monitor.ts', 'ModelMonitorProps'], ['inference/model-monitor.ts', 'ModelQualityOptions'],
  ['inference/inference-api.ts', 'InferenceApiProps'], ['inference/inference-api.ts', 'ApiThrottlingOptions'], ['inference/inference-api.ts', 'ApiKeyOptions'],
  ['inference/batch-scoring.ts', 'BatchScoringProps'], ['ops/mlops-dashboard.ts', 'MlOpsDashboardProps'],
])('every optional prop of %s %s documents its default', (file, name) => {
  expect(undocumentedOptionalProps(lib(file), name)).toEqual([]);
});

test('ModelMonitor profile defaults are the documented ones', () => {
  const docs = documentedDefaults(lib('inference/model-monitor.ts'), 'ModelMonitorProps');
  const [lab, prod] = [ModelMonitor.defaults(Profile.LAB), ModelMonitor.defaults(Profile.PRODUCTION)];
  expect(docs.instanceType).toBe(`- lab: ${lab.instanceType}; production: ${prod.instanceType}`);
  expect(docs.runOnceOnDeploy).toBe(`- lab: ${lab.runOnceOnDeploy}; production: ${prod.runOnceOnDeploy}`);
  expect(docs.schedule).toBe('MonitorSchedule.hourly()');
  expect(docs.maxRuntime).toBe('Duration.minutes(30)');
  expect(docs.driftThreshold).toBe('0.1');
  expect(docs.volumeSizeInGb).toBe('20');
  expect(docs.networkIsolation).toBe('true');
});

test('InferenceApi profile defaults are the documented ones', () => {
  const docs = documentedDefaults(lib('inference/inference-api.ts'), 'InferenceApiProps');
  const throttle = documentedDefaults(lib('inference/inference-api.ts'), 'ApiThrottlingOptions');
  const keys = documentedDefaults(lib('inference/inference-api.ts'), 'ApiKeyOptions');
  const [lab, prod] = [InferenceApi.defaults(Profile.LAB), InferenceApi.defaults(Profile.PRODUCTION)];
  expect(throttle.rateLimit).toBe(`- lab: ${lab.rateLimit}; production: ${prod.rateLimit}`);
  expect(throttle.burstLimit).toBe(`- lab: ${lab.burstLimit}; production: ${prod.burstLimit}`);
  expect(docs.executionLogging).toBe(`- lab: ${lab.executionLogging}; production: ${prod.executionLogging}`);
  expect(docs.webAcl).toBe(`- lab: ${lab.webAcl}; production: ${prod.webAcl}`);
  expect(keys.quotaPerDay).toBe(`- lab: ${lab.quotaPerDay}; production: ${prod.quotaPerDay}`);
  expect(docs.maxRows).toBe('100');
  expect(docs.iamAuthorization).toBe('true');
  expect(docs.wafRateLimit).toBe('1000');
  expect(docs.latencyThreshold).toBe('Duration.seconds(2)');
  expect(docs.clientErrorThreshold).toBe('50');
});

test('BatchScoring profile defaults are the documented ones', () => {
  const docs = documentedDefaults(lib('inference/batch-scoring.ts'), 'BatchScoringProps');
  expect(docs.instanceType).toBe(`- lab: ${BatchScoring.defaults(Profile.LAB).instanceType}; production: ${BatchScoring.defaults(Profile.PRODUCTION).instanceType}`);
  expect(docs.instanceCount).toBe('1');
  expect(docs.timeout).toBe('Duration.hours(2)');
  expect(docs.outputPrefix).toBe("'predictions'");
});
