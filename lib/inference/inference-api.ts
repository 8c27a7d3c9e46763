import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';
import { IApiMetrics } from '../core/dashboard-sources';
import { DataKey } from '../core/data-key';
import { EncryptedLogGroup } from '../core/encrypted-log-group';
import { ChurnModelDefaults } from '../core/model-defaults';
import { Nag } from '../core/nag';
import { Profile } from '../core/profile';
import { check, checkRange, checkRequired, checkType } from '../core/validation';
import type { InferenceEndpoint } from './inference-endpoint';
import { InferenceApiTemplates } from './inference-api-templates';
import { encryptedAlarmTopic } from './private/alarm-topic';

/** Execution logging level of the API stage. */
export enum ApiExecutionLogging {
  /** No execution logs (access logs are always on). */
  OFF = 'OFF',
  /** Errors only. */
  ERROR = 'ERROR',
  /** Every request (verbose; never logs bodies here: data tracing stays off). */
  INFO = 'INFO',
}

/** Throttling of the stage and of the prediction method. */
export interface ApiThrottlingOptions {
  /**
   * Steady requests per second.
   * @default - lab: 5; production: 50
   */
  readonly rateLimit?: number;
  /**
   * Burst of requests.
   * @default - lab: 10; production: 100
   */
  readonly burstLimit?: number;
}

/** API keys with a usage plan (in addition to, or instead of, IAM). */
export interface ApiKeyOptions {
  /**
   * Requests per day per key.
   * @default - lab: 1000; production: 100000
   */
  readonly quotaPerDay?: number;
}

/** Props of {@link InferenceApi}. */
export interface InferenceApiProps {
  /** The real-time endpoint behind the API. */
  readonly endpoint: InferenceEndpoint;
  /**
   * API name.
   * @default - the construct path
   */
  readonly apiName?: string;
  /**
   * Whether callers sign requests with SigV4 (IAM authorization; grant with `grantInvoke`).
   * @default true
   */
  readonly iamAuthorization?: boolean;
  /**
   * API keys and a usage plan; callers then also send `x-api-key`.
   * @default - none
   */
  readonly apiKeys?: ApiKeyOptions;
  /**
   * Most rows per request (1–1000); with 13 features a row is under 400 bytes, so bodies stay far
   * below SageMaker's 6 MB payload limit.
   * @default 100
   */
  readonly maxRows?: number;
  /**
   * Stage and method throttling.
   * @default - the defaults of ApiThrottlingOptions
   */
  readonly throttling?: ApiThrottlingOptions;
  /**
   * Execution logging. Any level but OFF sets the account's API Gateway CloudWatch role (one per
   * account and region, kept when the stack is deleted).
   * @default - lab: OFF; production: ERROR
   */
  readonly executionLogging?: ApiExecutionLogging;
  /**
   * A WAF web ACL with a rate-based rule (per client IP) and a body-size rule.
   * @default - lab: false; production: true
   */
  readonly webAcl?: boolean;
  /**
   * Requests per client IP per 5 minutes before WAF blocks it (100–2,000,000,000).
   * @default 1000
   */
  readonly wafRateLimit?: number;
  /**
   * Make the API private, reachable only through this `execute-api` interface endpoint.
   * @default - a regional (public) endpoint
   */
  readonly privateEndpoint?: ec2.IInterfaceVpcEndpoint;
  /**
   * Key of the access log group and the WAF log group.
   * @default - a new DataKey
   */
  readonly encryptionKey?: kms.IKey;
  /**
   * Retention of the access logs.
   * @default - lab: one week; production: one year
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Where the 4XX, 5XX and latency alarms notify.
   * @default - a new topic encrypted with a new customer managed key
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * p90 latency at which the latency alarm fires (at most 29 s, API Gateway's integration timeout).
   * @default Duration.seconds(2)
   */
  readonly latencyThreshold?: Duration;
  /**
   * 4XX answers per 5 minutes at which the client-error alarm fires.
   * @default 50
   */
  readonly clientErrorThreshold?: number;
}

/** Every profile-dependent default of {@link InferenceApi}. */
export interface InferenceApiDefaults {
  /** Stage and method rate limit. */
  readonly rateLimit: number;
  /** Stage and method burst limit. */
  readonly burstLimit: number;
  /** Execution logging. */
  readonly executionLogging: ApiExecutionLogging;
  /** Whether a WAF web ACL is attached. */
  readonly webAcl: boolean;
  /** Usage-plan quota per day. */
  readonly quotaPerDay: number;
  /** Access log retention. */
  readonly logRetention: logs.RetentionDays;
}

/** SageMaker's real-time InvokeEndpoint payload limit (bytes). */
const SAGEMAKER_MAX_PAYLOAD = 6 * 1024 * 1024;
/** A JSON number of a feature, generously: sign, 17 significant digits, point, exponent, comma. */
const MAX_VALUE_BYTES = 26;
/** API Gateway's REST integration timeout. */
const INTEGRATION_TIMEOUT = Duration.seconds(29);

/**
 * An API Gateway REST API in front of an `InferenceEndpoint` with no Lambda in between: `POST
 * /predictions` takes `{"instances": [[...features...]]}`, validated against a draft-4 model
 * built from the churn model's feature schema, turns it into CSV with a mapping template, calls
 * SageMaker's `InvokeEndpoint` through an AWS service integration whose role may invoke only
 * that endpoint, and answers `{"predictions": [...]}`. IAM authorization by default (API keys
 * optional), throttling, JSON access logs to an encrypted log group, X-Ray, optional WAF and
 * private endpoint, and alarms on 4XX, 5XX and latency.
 */
export class InferenceApi extends Construct implements IApiMetrics {
  /** Profile-dependent defaults, documented on the props. */
  public static defaults(profile: Profile): InferenceApiDefaults {
    return {
      rateLimit: profile.isLab ? 5 : 50,
      burstLimit: profile.isLab ? 10 : 100,
      executionLogging: profile.isLab ? ApiExecutionLogging.OFF : ApiExecutionLogging.ERROR,
      webAcl: !profile.isLab,
      quotaPerDay: profile.isLab ? 1000 : 100000,
      logRetention: profile.logRetention,
    };
  }

  /** The REST API. */
  public readonly api: apigateway.RestApi;
  /** The `/predictions` resource. */
  public readonly predictions: apigateway.Resource;
  /** `POST /predictions`. */
  public readonly predictMethod: apigateway.Method;
  /** The role API Gateway assumes to call SageMaker (InvokeEndpoint on the one endpoint). */
  public readonly integrationRole: iam.Role;
  /** The request model. */
  public readonly requestModel: apigateway.Model;
  /** The access log group (JSON, encrypted). */
  public readonly accessLogGroup: logs.ILogGroup;
  /** The web ACL, when WAF is on. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The usage plan, when API keys are on. */
  public readonly usagePlan?: apigateway.UsagePlan;
  /** The API key, when API keys are on. */
  public readonly apiKey?: apigateway.IApiKey;
  /** The alarm topic. */
  public readonly alarmTopic: sns.ITopic;
  /** 4XX, 5XX and latency alarms. */
  public readonly alarms: cloudwatch.IAlarm[];
  /** `https://…/prod/predictions`. */
  public readonly predictionsUrl: string;
  /** Rows per request at most. */
  public readonly maxRows: number;

  constructor(scope: Construct, id: string, props: InferenceApiProps) {
    super(scope, id);
    validateShape(this, props);
    const profile = Profile.of(this);
    const defaults = InferenceApi.defaults(profile);
    const endpoint = props.endpoint;

    const iamAuth = props.iamAuthorization ?? true;
    check(this, iamAuth || props.apiKeys !== undefined, 'iamAuthorization', false,
      'true, or apiKeys given: an inference API without any authorization would let anyone spend the endpoint');
    const features = ChurnModelDefaults.featureColumns();
    this.maxRows = props.maxRows ?? 100;
    checkRange(this, 'maxRows', this.maxRows, 1, 1000, { integer: true, unit: 'rows' });
    const worstBody = this.maxRows * features.length * MAX_VALUE_BYTES + 64;
    check(this, worstBody <= SAGEMAKER_MAX_PAYLOAD, 'maxRows', this.maxRows, `rows whose largest body fits SageMaker's ${SAGEMAKER_MAX_PAYLOAD} byte payload limit`);
    const rateLimit = props.throttling?.rateLimit ?? defaults.rateLimit;
    const burstLimit = props.throttling?.burstLimit ?? defaults.burstLimit;
    checkRange(this, 'throttling.rateLimit', rateLimit, 1, 10000, { unit: 'requests per second (the account limit)' });
    checkRange(this, 'throttling.burstLimit', burstLimit, 1, 5000, { integer: true, unit: 'requests (the account limit)' });
    const executionLogging = props.executionLogging ?? defaults.executionLogging;
    const wafOn = props.webAcl ?? defaults.webAcl;
    const wafRateLimit = props.wafRateLimit ?? 1000;
    checkRange(this, 'wafRateLimit', wafRateLimit, 100, 2_000_000_000, { integer: true, unit: 'requests per IP per 5 minutes' });
    check(this, props.wafRateLimit === undefined || wafOn, 'wafRateLimit', props.wafRateLimit, 'nothing while webAcl is false');
    const latency = props.latencyThreshold ?? Duration.seconds(2);
    checkRange(this, 'latencyThreshold', latency.toMilliseconds(), 1, INTEGRATION_TIMEOUT.toMilliseconds(), { unit: 'ms (API Gateway ends integrations at 29 s)' });
    const clientErrors = props.clientErrorThreshold ?? 50;
    checkRange(this, 'clientErrorThreshold', clientErrors, 1, 1e9, { integer: true, unit: 'errors per 5 minutes' });

    const key = props.encryptionKey ?? new DataKey(this, 'Key', { description: `Logs of API ${this.node.path}` });
    this.accessLogGroup = new EncryptedLogGroup(this, 'AccessLogs', {
      logGroupName: `/cdk-ml-reference/api-access/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      encryptionKey: key,
      retention: props.logRetention ?? defaults.logRetention,
      removalPolicy: profile.removalPolicy,
    });

    const stageName = 'prod';
    const throttle = { throttlingRateLimit: rateLimit, throttlingBurstLimit: burstLimit };
    const apiName = props.apiName ?? this.node.path.replace(/\//g, '-');
    this.api = new apigateway.RestApi(this, 'Api', {
      restApiName: apiName,
      description: `Predictions of SageMaker endpoint ${endpoint.endpointName}`,
      endpointConfiguration: props.privateEndpoint
        ? { types: [apigateway.EndpointType.PRIVATE], vpcEndpoints: [props.privateEndpoint] }
        : { types: [apigateway.EndpointType.REGIONAL] },
      policy: props.privateEndpoint ? privatePolicy(props.privateEndpoint) : undefined,
      cloudWatchRole: executionLogging !== ApiExecutionLogging.OFF,
      deployOptions: {
        stageName,
        tracingEnabled: true,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true, httpMethod: true, ip: true, protocol: true, requestTime: true, resourcePath: true, responseLength: true, status: true, user: true,
        }),
        loggingLevel: apigateway.MethodLoggingLevel[executionLogging],
        dataTraceEnabled: false,
        metricsEnabled: true,
        ...throttle,
        methodOptions: { '/predictions/POST': throttle },
      },
      disableExecuteApiEndpoint: false,
    });

    // The integration role: InvokeEndpoint on this endpoint and nothing else.
    this.integrationRole = new iam.Role(this, 'IntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `API Gateway calls SageMaker endpoint ${endpoint.endpointName}`,
    });
    const policy = new iam.ManagedPolicy(this, 'IntegrationPolicy', {
      description: `InvokeEndpoint on ${endpoint.endpointName} only`,
      roles: [this.integrationRole],
      statements: [new iam.PolicyStatement({ actions: ['sagemaker:InvokeEndpoint'], resources: [endpoint.endpointArn] })],
    });

    this.requestModel = this.api.addModel('PredictionRequest', {
      modelName: 'PredictionRequest',
      contentType: 'application/json',
      schema: InferenceApiTemplates.requestSchema(features, this.maxRows),
      description: `{"instances": [[${features.length} features]]}, 1 to ${this.maxRows} rows`,
    });
    const validator = this.api.addRequestValidator('BodyValidator', { validateRequestBody: true, validateRequestParameters: true });
    const json = { 'application/json': "'application/json'" };
    const integration = new apigateway.AwsIntegration({
      service: 'runtime.sagemaker',
      path: `endpoints/${endpoint.endpointName}/invocations`,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        timeout: INTEGRATION_TIMEOUT,
        requestParameters: {
          'integration.request.header.Content-Type': "'text/csv'",
          'integration.request.header.Accept': "'text/csv'",
        },
        requestTemplates: { 'application/json': InferenceApiTemplates.requestTemplate() },
        integrationResponses: [
          { statusCode: '200', responseTemplates: { 'application/json': InferenceApiTemplates.responseTemplate() }, responseParameters: { 'method.response.header.Content-Type': json['application/json'] } },
          { statusCode: '400', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': InferenceApiTemplates.clientErrorTemplate() } },
          { statusCode: '502', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': InferenceApiTemplates.serverErrorTemplate() } },
        ],
      },
    });
    this.predictions = this.api.root.addResource('predictions');
    this.predictMethod = this.predictions.addMethod('POST', integration, {
      authorizationType: iamAuth ? apigateway.AuthorizationType.IAM : apigateway.AuthorizationType.NONE,
      apiKeyRequired: props.apiKeys !== undefined,
      requestValidator: validator,
      requestModels: { 'application/json': this.requestModel },
      methodResponses: [
        { statusCode: '200', responseModels: { 'application/json': apigateway.Model.EMPTY_MODEL }, responseParameters: { 'method.response.header.Content-Type': true } },
        { statusCode: '400', responseModels: { 'application/json': apigateway.Model.ERROR_MODEL } },
        { statusCode: '502', responseModels: { 'application/json': apigateway.Model.ERROR_MODEL } },
      ],
    });
    this.predictMethod.node.addDependency(policy);
    Nag.acknowledge(this.predictMethod, {
      id: 'AwsSolutions-COG4',
      reason: 'Callers authenticate with IAM (SigV4) by default, or API keys when chosen; a Cognito user pool is for end users, who do not call a model API directly.',
    });
    this.api.addGatewayResponse('BadRequestBody', {
      type: apigateway.ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: { 'application/json': InferenceApiTemplates.badRequestBodyTemplate(features.length, this.maxRows) },
    });
    // Oversize bodies: API Gateway itself refuses more than 10 MB (413); below that the model
    // bounds rows and columns, and WAF (when on) blocks bodies above what a full request can be.

    if (props.apiKeys) {
      const quota = props.apiKeys.quotaPerDay ?? defaults.quotaPerDay;
      checkRange(this, 'apiKeys.quotaPerDay', quota, 1, 1e9, { integer: true, unit: 'requests per day' });
      this.apiKey = this.api.addApiKey('ApiKey', { description: `Key for ${apiName}` });
      this.usagePlan = this.api.addUsagePlan('UsagePlan', {
        description: `Throttle and quota of ${apiName}`,
        throttle: { rateLimit, burstLimit },
        quota: { limit: quota, period: apigateway.Period.DAY },
        apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
      });
      this.usagePlan.addApiKey(this.apiKey);
    }

    if (wafOn) this.webAcl = this.createWebAcl(key, wafRateLimit, worstBody, profile);

    this.predictionsUrl = this.api.urlForPath('/predictions');
    this.alarmTopic = props.alarmTopic ?? encryptedAlarmTopic(this, 'AlarmTopic', `Inference API ${apiName}`);
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, metric: cloudwatch.Metric, threshold: number, description: string) => {
      const a = metric.createAlarm(this, alarmId, {
        alarmDescription: description, threshold, evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      return a;
    };
    this.alarms = [
      alarm('ServerErrorAlarm', this.metricServerError(), 1, `${apiName}: the endpoint answered 5XX`),
      alarm('ClientErrorAlarm', this.metricClientError(), clientErrors, `${apiName}: ${clientErrors} or more 4XX answers in 5 minutes`),
      alarm('LatencyAlarm', this.metricLatency({ statistic: 'p90' }), latency.toMilliseconds(), `${apiName}: p90 latency at or above ${latency.toMilliseconds()} ms`),
    ];

    this.acknowledge(wafOn, executionLogging);
  }

  /** Allows `execute-api:Invoke` on `POST /predictions` of this API's stage (SigV4 callers). */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.api.arnForExecuteApi('POST', '/predictions', this.api.deploymentStage.stageName)],
    });
  }

  /** A metric of the stage (namespace `AWS/ApiGateway`, dimensions ApiName and Stage). */
  public metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ApiGateway',
      metricName,
      statistic: cloudwatch.Stats.SUM,
      period: Duration.minutes(5),
      ...props,
      dimensionsMap: { ApiName: this.api.restApiName, Stage: this.api.deploymentStage.stageName, ...props.dimensionsMap },
    });
  }

  /** Requests (sum). */
  public metricCount(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('Count', props);
  }

  /** 4XX answers (sum). */
  public metricClientError(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('4XXError', props);
  }

  /** 5XX answers (sum). */
  public metricServerError(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('5XXError', props);
  }

  /** End-to-end latency in ms (average). */
  public metricLatency(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('Latency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  /** Time spent in SageMaker in ms (average). */
  public metricIntegrationLatency(props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return this.metric('IntegrationLatency', { statistic: cloudwatch.Stats.AVERAGE, ...props });
  }

  private createWebAcl(key: kms.IKey, rateLimit: number, maxBody: number, profile: Profile): wafv2.CfnWebACL {
    const visibility = (metricName: string) => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const name = this.node.path.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 100);
    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility(`${name}-acl`),
      rules: [
        {
          name: 'RatePerClientIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility(`${name}-rate`),
        },
        {
          // WAF inspects the first 16 KB of a REST API body; a body beyond that (or beyond the
          // largest valid request, if smaller) cannot be a request the model accepts.
          name: 'BodyTooLarge',
          priority: 1,
          action: { block: {} },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: Math.min(maxBody, 16 * 1024),
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility(`${name}-size`),
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.api.deploymentStage.stageArn,
      webAclArn: acl.attrArn,
    });
    // WAF log group names must start with aws-waf-logs-.
    const wafLogs = new EncryptedLogGroup(this, 'WafLogs', {
      logGroupName: `aws-waf-logs-${name}`.slice(0, 512),
      encryptionKey: key,
      retention: profile.logRetention,
      removalPolicy: profile.removalPolicy,
    });
    new wafv2.CfnLoggingConfiguration(this, 'WafLogging', {
      resourceArn: acl.attrArn,
      logDestinationConfigs: [Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: wafLogs.logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    });
    return acl;
  }

  private acknowledge(wafOn: boolean, executionLogging: ApiExecutionLogging): void {
    const stage = this.api.deploymentStage;
    Nag.acknowledgeCompliance(stage, 'APIGWCacheEnabledAndEncrypted',
      'Predictions are computed per request from the caller\'s features: a cache would return another request\'s answer and hold customer features outside the encrypted stores.');
    Nag.acknowledgeCompliance(stage, 'APIGWSSLEnabled',
      'The backend is SageMaker through an AWS service integration (SigV4 over TLS to the AWS endpoint); client certificates apply to HTTP backends only.');
    if (!wafOn) {
      const reason = 'The lab profile skips WAF to stay within a few dollars; IAM authorization and stage/method throttling still apply. Production attaches a web ACL with a rate rule by default.';
      Nag.acknowledge(stage, { id: 'AwsSolutions-APIG3', reason });
      Nag.acknowledgeCompliance(stage, 'APIGWAssociatedWithWAF', reason);
    }
    if (executionLogging === ApiExecutionLogging.OFF) {
      const reason = 'Execution logging needs the account-wide API Gateway CloudWatch role, which a lab sandbox should not change; JSON access logs and X-Ray traces cover every request.';
      Nag.acknowledge(stage, { id: 'AwsSolutions-APIG6', reason });
      Nag.acknowledgeCompliance(stage, 'APIGWExecutionLoggingEnabled', reason);
    } else {
      const role = this.api.node.tryFindChild('CloudWatchRole');
      if (role) {
        Nag.acknowledge(role, {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
          reason: 'The AWS managed policy API Gateway documents for its account-level logging role: write to CloudWatch Logs only.',
        });
      }
    }
  }
}

function privatePolicy(vpce: ec2.IInterfaceVpcEndpoint): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'] }),
      new iam.PolicyStatement({
        effect: iam.Effect.DENY, principals: [new iam.AnyPrincipal()], actions: ['execute-api:Invoke'], resources: ['execute-api:/*'],
        conditions: { StringNotEquals: { 'aws:SourceVpce': vpce.vpcEndpointId } },
      }),
    ],
  });
}

function validateShape(scope: IConstruct, props: InferenceApiProps): void {
  checkRequired(scope, 'props', props, 'InferenceApiProps');
  checkRequired(scope, 'endpoint', props.endpoint, 'an InferenceEndpoint');
  check(scope, typeof props.endpoint === 'object' && typeof (props.endpoint as { grantInvoke?: unknown }).grantInvoke === 'function'
    && (props.endpoint as { endpointArn?: unknown }).endpointArn !== undefined, 'endpoint', props.endpoint, 'an InferenceEndpoint');
  checkType(scope, 'iamAuthorization', props.iamAuthorization, 'boolean');
  checkType(scope, 'maxRows', props.maxRows, 'number');
  checkType(scope, 'webAcl', props.webAcl, 'boolean');
  checkType(scope, 'wafRateLimit', props.wafRateLimit, 'number');
  checkType(scope, 'apiName', props.apiName, 'string');
  checkType(scope, 'clientErrorThreshold', props.clientErrorThreshold, 'number');
  if (props.throttling !== undefined) {
    checkType(scope, 'throttling.rateLimit', props.throttling.rateLimit, 'number');
    checkType(scope, 'throttling.burstLimit', props.throttling.burstLimit, 'number');
  }
  if (props.executionLogging !== undefined) {
    check(scope, Object.values(ApiExecutionLogging).includes(props.executionLogging), 'executionLogging', props.executionLogging, 'ApiExecutionLogging.OFF, ERROR or INFO');
  }
  if (props.latencyThreshold !== undefined) check(scope, props.latencyThreshold instanceof Duration, 'latencyThreshold', props.latencyThreshold, 'a Duration');
  check(scope, !Array.isArray(props.apiKeys), 'apiKeys', props.apiKeys, 'one ApiKeyOptions object (e.g. {}), not a list');
}
