import { ServicePrincipals } from '../../lib/core/service-principals';
import { rejectionOf } from '../support/rejection';
import { regionalStack, testStack } from '../support/stack';

describe('ServicePrincipals', () => {
  test('of: the standardized global principal, the same in every partition', () => {
    expect(ServicePrincipals.of(testStack(), 'sagemaker')).toBe('sagemaker.amazonaws.com');
    expect(ServicePrincipals.of(regionalStack('cn-north-1'), 'sagemaker')).toBe('sagemaker.amazonaws.com');
  });

  test('regional and viaService with a token region end in AWS::URLSuffix', () => {
    const stack = testStack();
    const expected = { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] };
    expect(stack.resolve(ServicePrincipals.regional(stack, 'logs'))).toEqual(expected);
    expect(stack.resolve(ServicePrincipals.viaService(stack, 's3'))).toEqual({ 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]] });
  });

  test.each([
    ['us-east-1', 'logs.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com'],
    ['cn-north-1', 'logs.cn-north-1.amazonaws.com.cn', 's3.cn-north-1.amazonaws.com.cn'],
    ['cn-northwest-1', 'logs.cn-northwest-1.amazonaws.com.cn', 's3.cn-northwest-1.amazonaws.com.cn'],
  ])('with concrete region %s the partition domain is written out', (region, logs, s3) => {
    const stack = regionalStack(region);
    expect(ServicePrincipals.regional(stack, 'logs')).toBe(logs);
    expect(ServicePrincipals.viaService(stack, 's3')).toBe(s3);
  });

  test('a concrete region the region table does not know falls back to AWS::URLSuffix', () => {
    const stack = regionalStack('xx-future-1');
    expect(stack.resolve(ServicePrincipals.regional(stack, 'logs'))).toEqual({ 'Fn::Join': ['', ['logs.xx-future-1.', { Ref: 'AWS::URLSuffix' }]] });
  });

  test('accepts service prefixes with digits, hyphens and dots (the edges of the rule)', () => {
    const stack = testStack();
    expect(ServicePrincipals.of(stack, 's3')).toBe('s3.amazonaws.com');
    expect(ServicePrincipals.of(stack, 'vpc-flow-logs')).toBe('vpc-flow-logs.amazonaws.com');
    expect(ServicePrincipals.of(stack, 'sagemaker.application-autoscaling')).toBe('sagemaker.application-autoscaling.amazonaws.com');
    expect(ServicePrincipals.of(stack, 'a')).toBe('a.amazonaws.com');
  });

  test.each([
    ['a full principal name', 'sagemaker.amazonaws.com', '"sagemaker.amazonaws.com"'],
    ['a China domain', 'logs.amazonaws.com.cn', '"logs.amazonaws.com.cn"'],
    ['upper case', 'SageMaker', '"SageMaker"'],
    ['an empty string', '', '""'],
    ['a leading digit', '3s', '"3s"'],
    ['a trailing character outside the rule', 'logs!', '"logs!"'],
    ['a domain-like segment ending in .com', 'api.com', '"api.com"'],
    ['a number (plain JavaScript)', 42, '42'],
    ['undefined (plain JavaScript)', undefined, 'undefined'],
  ])('rejects %s, naming the construct path, prop, value and rule', (_what, service, shown) => {
    const e = rejectionOf(() => ServicePrincipals.regional(testStack(), service as string));
    expect(e.message).toBe(`[Test] invalid service: got ${shown}; allowed: an AWS service prefix such as "sagemaker", "logs" or "s3" (lower case, no domain)`);
  });
});
