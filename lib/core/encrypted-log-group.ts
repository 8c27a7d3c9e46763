import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { fixedNameRemovalPolicy } from './private/fixed-name-removal';
import { Profile } from './profile';
import { check, checkOneOf, checkPattern, checkRequired, checkShape, checkType, ConstructLocation, futurePath } from './validation';

/** Props of {@link EncryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /** The log group name; fixed, so the key policy can name it without a dependency cycle. */
  readonly logGroupName: string;
  /** The customer managed key; it must be defined in this app, so its policy can admit CloudWatch Logs. */
  readonly encryptionKey: kms.IKey;
  /**
   * How long to keep log events.
   * @default - lab: one week; production: one year
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack is deleted. RETAIN is applied as
   * RETAIN_ON_UPDATE_OR_DELETE: the name is fixed, so a group kept after a failed first create
   * would make every retry fail with "already exists".
   * @default - lab: DESTROY; production: RETAIN_ON_UPDATE_OR_DELETE
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A CloudWatch log group encrypted with a customer managed key, whose key policy lets CloudWatch
 * Logs of this region use the key for this log group only.
 */
export class EncryptedLogGroup extends logs.LogGroup {
  /**
   * Let CloudWatch Logs of the stack's region use `key` for the log groups whose names match
   * `logGroupNamePattern` (a name, or a prefix ending in `*`), as an encryption-context condition.
   * An imported key cannot take the statement: that fails with an error naming `prop`.
   */
  public static allowLogsToUseKey(scope: IConstruct, key: kms.IKey, logGroupNamePattern: string, prop: string): void {
    EncryptedLogGroup.admitLogs(scope, key, logGroupNamePattern, prop);
  }

  private static admitLogs(location: ConstructLocation, key: kms.IKey, pattern: string, prop: string): void {
    const stack = Stack.of(key);
    const added = key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs', resource: 'log-group', resourceName: pattern, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }));
    check(location, added.statementAdded, prop, key.keyArn,
      `a kms.Key defined in this CDK app (not imported): log groups "${pattern}" are encrypted with it, and CloudWatch Logs needs a key-policy statement that an imported key cannot take`);
  }

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    const profile = Profile.of(scope);
    const path = futurePath(scope, id);
    checkRequired(path, 'props', props, 'an object with logGroupName and encryptionKey');
    checkRequired(path, 'logGroupName', props.logGroupName, 'a log group name');
    checkType(path, 'logGroupName', props.logGroupName, 'string');
    checkPattern(path, 'logGroupName', props.logGroupName, /^[.\-_/#A-Za-z0-9]{1,512}$/,
      '1 to 512 characters: letters, digits, ".", "-", "_", "/" and "#" (CloudWatch Logs)');
    checkRequired(path, 'encryptionKey', props.encryptionKey, 'a kms.Key defined in this CDK app');
    checkShape(path, 'encryptionKey', props.encryptionKey, ['keyArn', 'addToResourcePolicy'], 'a kms.Key defined in this CDK app');
    checkOneOf(path, 'retention', props.retention, Object.values(logs.RetentionDays).filter((v) => typeof v === 'number'));
    checkOneOf(path, 'removalPolicy', props.removalPolicy, Object.values(RemovalPolicy));
    EncryptedLogGroup.admitLogs(path, props.encryptionKey, props.logGroupName, 'encryptionKey');
    super(scope, id, {
      logGroupName: props.logGroupName,
      encryptionKey: props.encryptionKey,
      retention: props.retention ?? profile.logRetention,
      // Its name is fixed: a retained group must not outlive a failed first create (RetainExceptOnCreate).
      removalPolicy: fixedNameRemovalPolicy(props.removalPolicy ?? profile.removalPolicy),
    });
  }
}
