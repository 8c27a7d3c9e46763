import { familyHasLocalNvmeStorage, hasLocalNvmeStorage } from '../../lib/core/private/instance-storage';

// SageMaker rejects a KMS key for local NVMe instance storage (it encrypts it in hardware): the
// endpoint and the training pipeline both leave the key out for these instance types.
describe('local NVMe instance storage', () => {
  test.each(['g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2', 'i3', 'i3en', 'i4i'])(
    'the listed family %s has it though its name has no d', (family) => {
      expect(familyHasLocalNvmeStorage(family)).toBe(true);
      expect(hasLocalNvmeStorage(`ml.${family}.xlarge`)).toBe(true);
    });

  test.each(['m5d', 'c5d', 'r5d', 'g4dn', 'p3dn', 'p4d', 'p4de', 'm6id', 'c6id', 'x2iedn'])('the d family %s has it', (family) => {
    expect(familyHasLocalNvmeStorage(family)).toBe(true);
  });

  test.each(['m5', 'c5', 'r5', 't3', 'p3', 'inf1', 'inf2', 'c6i', 'm6g', 'g4', 'trn', 'c7g', 'ml5'])('%s has none', (family) => {
    expect(familyHasLocalNvmeStorage(family)).toBe(false);
  });

  test('reads the family of a full instance type, and nothing of a malformed one', () => {
    expect(hasLocalNvmeStorage('ml.m5d.large')).toBe(true);
    expect(hasLocalNvmeStorage('ml.g4dn.12xlarge')).toBe(true);
    expect(hasLocalNvmeStorage('ml.m5.large')).toBe(false);
    expect(hasLocalNvmeStorage('ml.m5d')).toBe(false);
    expect(hasLocalNvmeStorage('m5d.large')).toBe(false);
    expect(hasLocalNvmeStorage('ml.m5d.large.extra')).toBe(false);
    expect(hasLocalNvmeStorage('xml.m5d.large')).toBe(false);
    expect(hasLocalNvmeStorage('ml.g5.2xlarge ')).toBe(false);
  });

  test('a family must start with letters then a generation digit; "d" in the letters alone does not count', () => {
    expect(familyHasLocalNvmeStorage('d5')).toBe(false);
    expect(familyHasLocalNvmeStorage('md')).toBe(false);
    expect(familyHasLocalNvmeStorage('5d')).toBe(false);
    expect(familyHasLocalNvmeStorage('m5d ')).toBe(false);
    expect(familyHasLocalNvmeStorage('xm5d')).toBe(true);
    expect(familyHasLocalNvmeStorage('m55d')).toBe(true);
  });
});
