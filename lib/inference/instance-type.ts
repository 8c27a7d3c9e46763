import { familyHasLocalNvmeStorage } from '../core/private/instance-storage';

/** `ml.<family>.<size>`, e.g. `ml.c5.large`, `ml.g4dn.xlarge`, `ml.m5d.12xlarge`. */
const INSTANCE_TYPE_PATTERN = /^ml\.([a-z][a-z0-9-]*[0-9][a-z0-9-]*)\.([a-z0-9]+)$/;

/** A SageMaker hosting instance type, e.g. `InferenceInstanceType.of('ml.c5.large')`. */
export class InferenceInstanceType {
  /** ml.c5.large: the cheapest common non-burstable type (it can autoscale). */
  public static readonly C5_LARGE = InferenceInstanceType.of('ml.c5.large');
  /** ml.c5.xlarge. */
  public static readonly C5_XLARGE = InferenceInstanceType.of('ml.c5.xlarge');
  /** ml.m5.large. */
  public static readonly M5_LARGE = InferenceInstanceType.of('ml.m5.large');
  /** ml.m5.xlarge. */
  public static readonly M5_XLARGE = InferenceInstanceType.of('ml.m5.xlarge');
  /** ml.t2.medium: burstable, cannot autoscale. */
  public static readonly T2_MEDIUM = InferenceInstanceType.of('ml.t2.medium');
  /** ml.g4dn.xlarge: GPU with local NVMe storage (no endpoint config KMS key). */
  public static readonly G4DN_XLARGE = InferenceInstanceType.of('ml.g4dn.xlarge');

  /**
   * Any instance type by name. The format (`ml.<family>.<size>`) is checked by the construct
   * that uses it, so the error can name that construct and prop.
   */
  public static of(name: string): InferenceInstanceType {
    return new InferenceInstanceType(name);
  }

  private constructor(
    /** The type name, e.g. `ml.c5.large`. */
    public readonly name: string,
  ) {}

  /** Whether the name has the `ml.<family>.<size>` shape. */
  public get isWellFormed(): boolean {
    return INSTANCE_TYPE_PATTERN.test(this.name);
  }

  /** The family, e.g. `c5` for `ml.c5.large`; undefined when the name is malformed. */
  public get family(): string | undefined {
    return INSTANCE_TYPE_PATTERN.exec(this.name)?.[1];
  }

  /** Burstable (`ml.t*`) types, which Application Auto Scaling cannot scale. */
  public get isBurstable(): boolean {
    return /^t\d/.test(this.family ?? '');
  }

  /**
   * Nitro types with local NVMe instance storage (`d` families such as m5d, c5d, g4dn, p3dn, p4d,
   * and g5, g6, p5, trn1): SageMaker rejects an endpoint config `KmsKeyId` for them.
   */
  public get hasLocalNvmeStorage(): boolean {
    const family = this.family;
    return family !== undefined && familyHasLocalNvmeStorage(family);
  }

  /** The type name. */
  public toString(): string {
    return this.name;
  }
}
