import { Lazy, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { UniqueNames } from '../../lib/core/unique-names';
import { testApp } from '../support/app';
import { rejectionOf } from '../support/rejection';

describe('UniqueNames', () => {
  test('a second construct of the same app claiming the same name is rejected, naming both', () => {
    const app = testApp();
    const a = new Construct(new Stack(app, 'A'), 'Lake');
    const b = new Construct(new Stack(app, 'B'), 'Lake');
    UniqueNames.claim(a, 'Glue database', 'sales_raw', 'databasePrefix');
    const e = rejectionOf(() => UniqueNames.claim(b, 'Glue database', 'sales_raw', 'databasePrefix'));
    expect(e.message).toBe('[B/Lake] invalid databasePrefix: got "sales_raw"; allowed: a Glue database name that no other construct of this app uses (A/Lake already uses it; AWS allows one per account and region)');
  });

  test('the same name of another kind, in another app, or claimed again by the same construct is accepted', () => {
    const app = testApp();
    const a = new Construct(new Stack(app, 'A'), 'X');
    const b = new Construct(new Stack(app, 'B'), 'X');
    UniqueNames.claim(a, 'Athena workgroup', 'lab', 'workGroupName');
    expect(() => UniqueNames.claim(a, 'Athena workgroup', 'lab', 'workGroupName')).not.toThrow();
    expect(() => UniqueNames.claim(b, 'SageMaker endpoint', 'lab', 'endpointName')).not.toThrow();
    const other = new Construct(new Stack(testApp(), 'A'), 'X');
    expect(() => UniqueNames.claim(other, 'Athena workgroup', 'lab', 'workGroupName')).not.toThrow();
  });

  test('unresolved tokens are not compared', () => {
    const app = testApp();
    const token = Lazy.string({ produce: () => 'same' });
    UniqueNames.claim(new Construct(new Stack(app, 'A'), 'X'), 'log group', token, 'logGroupName');
    expect(() => UniqueNames.claim(new Construct(new Stack(app, 'B'), 'X'), 'log group', token, 'logGroupName')).not.toThrow();
  });
});
