/**
 * Families whose hosts carry local NVMe instance storage without a `d` in the family name.
 * SageMaker encrypts that storage in hardware and rejects a KMS key for it: an endpoint config
 * `KmsKeyId`, a training job's `ResourceConfig.VolumeKmsKeyId`.
 */
const NVME_FAMILIES_WITHOUT_D = new Set(['g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2', 'i3', 'i3en', 'i4i']);

/**
 * Whether an instance family (`m5d`, `g4dn`, `c5`) has local NVMe storage: the `d` families (m5d,
 * c5d, g4dn, p3dn, p4d…) and the ones listed above.
 */
export function familyHasLocalNvmeStorage(family: string): boolean {
  if (NVME_FAMILIES_WITHOUT_D.has(family)) return true;
  // The letters after the generation digit: m5d -> "d", m6id -> "id", g4dn -> "dn", p4de -> "de".
  const attributes = /^[a-z]+\d+([a-z-]*)$/.exec(family)?.[1] ?? '';
  return attributes.includes('d');
}

/** Whether a SageMaker instance type (`ml.<family>.<size>`) has local NVMe storage. */
export function hasLocalNvmeStorage(instanceType: string): boolean {
  const family = /^ml\.([a-z0-9-]+)\.[a-z0-9]+$/.exec(instanceType)?.[1];
  return family !== undefined && familyHasLocalNvmeStorage(family);
}
