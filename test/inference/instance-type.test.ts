import { InferenceInstanceType } from '../../lib';

describe('InferenceInstanceType', () => {
  test.each(['ml.m5d.large', 'ml.c5d.xlarge', 'ml.r5d.2xlarge', 'ml.g4dn.xlarge', 'ml.p3dn.24xlarge', 'ml.p4d.24xlarge', 'ml.m6id.large',
    'ml.g5.xlarge', 'ml.g6.xlarge', 'ml.p5.48xlarge', 'ml.trn1.2xlarge'])('%s has local NVMe storage', (name) => {
    expect(InferenceInstanceType.of(name).hasLocalNvmeStorage).toBe(true);
  });

  test.each(['ml.c5.large', 'ml.m5.xlarge', 'ml.t2.medium', 'ml.p3.2xlarge', 'ml.inf1.xlarge', 'ml.c6i.large', 'ml.r5.large'])('%s has EBS storage', (name) => {
    expect(InferenceInstanceType.of(name).hasLocalNvmeStorage).toBe(false);
  });

  test.each([['ml.t2.medium', true], ['ml.t3.large', true], ['ml.c5.large', false], ['ml.trn1.2xlarge', false]])('%s burstable: %s', (name, burstable) => {
    expect(InferenceInstanceType.of(name as string).isBurstable).toBe(burstable);
  });

  test.each(['c5.large', 'ml.c5', 'ml..large', 'ML.C5.LARGE', 'ml.c5.large.x', 'ml.large.c5'])('%s is not well formed', (name) => {
    expect(InferenceInstanceType.of(name).isWellFormed).toBe(false);
  });

  test('family and name', () => {
    expect(InferenceInstanceType.C5_LARGE.family).toBe('c5');
    expect(InferenceInstanceType.G4DN_XLARGE.toString()).toBe('ml.g4dn.xlarge');
  });
});
