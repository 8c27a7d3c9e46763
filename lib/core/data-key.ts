import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { Profile } from './profile';
import { checkOneOf, checkPattern, checkRange, checkShape, checkType, futurePath } from './validation';

/** Props of {@link DataKey}. */
export interface DataKeyProps {
  /**
   * What the key protects, shown in the KMS console.
   * @default 'cdk-ml-reference data key'
   */
  readonly description?: string;
  /**
   * An alias, without the `alias/` prefix.
   * @default - no alias
   */
  readonly alias?: string;
  /**
   * What happens to the key when the stack is deleted.
   * @default - lab: DESTROY; production: RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Waiting period before a destroyed key is deleted (7 to 30 days).
   * @default - lab: 7 days; production: 30 days
   */
  readonly pendingWindow?: Duration;
}

/**
 * A customer managed KMS key with yearly rotation: what every data store of this library is
 * encrypted with unless the user passes a key of their own.
 */
export class DataKey extends kms.Key {
  constructor(scope: Construct, id: string, props: DataKeyProps = {}) {
    const profile = Profile.of(scope);
    const path = futurePath(scope, id);
    // kms.Key throws its own, pathless errors (or drops the value): check first.
    checkType(path, 'description', props.description, 'string');
    checkRange(path, 'description.length', props.description?.length, 0, 8192, { integer: true, unit: 'characters' });
    checkType(path, 'alias', props.alias, 'string');
    checkPattern(path, 'alias', props.alias, /^(?!alias\/)(?!aws\/)[a-zA-Z0-9/_-]{1,250}$/,
      '1 to 250 letters, digits, "/", "_" or "-", without the "alias/" prefix and not starting with "aws/" (reserved by AWS)');
    checkOneOf(path, 'removalPolicy', props.removalPolicy, Object.values(RemovalPolicy));
    checkShape(path, 'pendingWindow', props.pendingWindow, ['toDays'], 'a Duration from 7 to 30 days, e.g. Duration.days(7)');
    const pendingWindow = props.pendingWindow ?? profile.keyPendingWindow;
    checkRange(path, 'pendingWindow', pendingWindow.toDays(), 7, 30, { integer: true, unit: 'days' });
    super(scope, id, {
      description: props.description ?? 'cdk-ml-reference data key',
      alias: props.alias,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? profile.removalPolicy,
      pendingWindow,
    });
  }
}
