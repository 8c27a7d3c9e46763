import { Aws, Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { check } from './validation';

const SERVICE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;

/**
 * Service principal names and `kms:ViaService` values that are right in every partition.
 *
 * Regional names end in the partition's domain (`amazonaws.com`, `amazonaws.com.cn`, ...): with an
 * environment-agnostic stack that is `AWS::URLSuffix`, resolved at deploy time; with a concrete
 * region, the region's domain. Writing `logs.${region}.amazonaws.com` by hand breaks in China.
 */
export class ServicePrincipals {
  /**
   * The global service principal, e.g. `sagemaker.amazonaws.com`.
   *
   * Global service principals are `<service>.amazonaws.com` in every partition (aws-cdk-lib's
   * `ServicePrincipal.servicePrincipalName` documents the standardization), so this needs no suffix.
   */
  public static of(scope: IConstruct, service: string): string {
    ServicePrincipals.checkService(scope, service);
    return `${service}.amazonaws.com`;
  }

  /**
   * A regional service principal, e.g. `logs.<region>.<url suffix>` (the CloudWatch Logs principal a
   * KMS key policy names for encrypted log groups).
   */
  public static regional(scope: IConstruct, service: string): string {
    ServicePrincipals.checkService(scope, service);
    const stack = Stack.of(scope);
    return `${service}.${stack.region}.${ServicePrincipals.urlSuffix(scope)}`;
  }

  /** A `kms:ViaService` value, e.g. `s3.<region>.<url suffix>`. */
  public static viaService(scope: IConstruct, service: string): string {
    return ServicePrincipals.regional(scope, service);
  }

  /** The partition's domain: `AWS::URLSuffix` for a token region, else the region's domain. */
  public static urlSuffix(scope: IConstruct): string {
    const region = Stack.of(scope).region;
    if (Token.isUnresolved(region)) return Aws.URL_SUFFIX;
    return RegionInfo.get(region).domainSuffix ?? Aws.URL_SUFFIX;
  }

  private static checkService(scope: IConstruct, service: string): void {
    check(scope, typeof service === 'string' && SERVICE.test(service) && !/amazonaws|\.(com|cn)$/.test(service), 'service', service,
      'an AWS service prefix such as "sagemaker", "logs" or "s3" (lower case, no domain)');
  }
}
