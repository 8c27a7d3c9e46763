import { ArnFormat, Names, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DataKey } from '../../core/data-key';

/**
 * An SNS topic encrypted with its own customer managed key, to which EventBridge rules and
 * CloudWatch alarms of this account may publish. The key lets the two services use it for this
 * topic only (`kms:EncryptionContext:aws:sns:topicArn`); the topic has a fixed name so the key
 * policy can name it without a reference (key → topic → key would be a cycle).
 */
export function encryptedAlarmTopic(scope: Construct, id: string, displayName: string): sns.Topic {
  const stack = Stack.of(scope);
  const topicName = Names.uniqueResourceName(scope, { maxLength: 240, separator: '-' }) + `-${id}`;
  const topicArn = stack.formatArn({ service: 'sns', resource: topicName, arnFormat: ArnFormat.NO_RESOURCE_NAME });
  const key = new DataKey(scope, `${id}Key`, { description: `Notifications of ${scope.node.path}` });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventsAndAlarmsToPublishToTheTopic',
    principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
  }));
  const topic = new sns.Topic(scope, id, { topicName, displayName: displayName.slice(0, 100), masterKey: key, enforceSSL: true });
  // enforceSSL replaces SNS's default policy, which is what let CloudWatch publish.
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
  return topic;
}
