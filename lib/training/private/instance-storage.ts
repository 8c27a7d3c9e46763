/**
 * Families whose hosts carry local NVMe instance storage without a `d` in the family name (the
 * same rule as `InferenceInstanceType.hasLocalNvmeStorage` in lib/inference, which this domain may
 * not import; a candidate for lib/core).
 */
const NVME_FAMILIES_WITHOUT_D = new Set(['g5', 'g6', 'g6e', 'gr6', 'p5', 'p5e', 'p5en', 'trn1', 'trn1n', 'trn2', 'i3', 'i3en', 'i4i']);

/**
 * Whether a SageMaker instance type (`ml.<family>.<size>`) has local NVMe storage: SageMaker
 * encrypts it in hardware and rejects a `VolumeKmsKeyId` for it (CreateTrainingJob,
 * ResourceConfig.VolumeKmsKeyId).
 */
export function hasLocalNvmeStorage(instanceType: string): boolean {
  const family = /^ml\.([a-z0-9-]+)\.[a-z0-9]+$/.exec(instanceType)?.[1];
  if (!family) return false;
  if (NVME_FAMILIES_WITHOUT_D.has(family)) return true;
  const attributes = /^[a-z]+\d+([a-z-]*)$/.exec(family)?.[1] ?? '';
  return attributes.includes('d');
}
