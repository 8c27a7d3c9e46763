import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import Ajv from 'ajv-draft-04';
import {
  ApiExecutionLogging, ChurnModelDefaults, InferenceApi, InferenceApiProps, InferenceApiTemplates, InferenceEndpoint,
} from '../../lib';
import { ProfileName } from '../support/app';
import { rejectionOf } from '../support/rejection';
import { javaDoubleToString, runTemplate } from './api-gateway-vtl';
import { endpoint, fixture, Fixture } from './helpers';

const FEATURES = ChurnModelDefaults.featureColumns();
const N = FEATURES.length;
/** A valid row: ints for int columns, doubles for the rest. */
const row = (seed = 1): number[] => FEATURES.map((f, i) => (f.type === 'int' ? (i + seed) % 2 : (i + seed) * 0.5));

interface Built { readonly f: Fixture; readonly ep: InferenceEndpoint; readonly api: InferenceApi; readonly t: Template }
function build(overrides: Partial<InferenceApiProps> = {}, profile: ProfileName = 'production'): Built {
  const f = fixture(profile);
  const ep = endpoint(f);
  const api = new InferenceApi(f.stack, 'Api', { endpoint: ep, ...overrides });
  return { f, ep, api, t: Template.fromStack(f.stack) };
}

/** The request model exactly as the template hands it to API Gateway. */
function synthesizedSchema(maxRows = 100): Record<string, unknown> {
  const { t } = build({ maxRows });
  const models = t.findResources('AWS::ApiGateway::Model', { Properties: { Name: 'PredictionRequest' } });
  return Object.values(models)[0].Properties.Schema as Record<string, unknown>;
}

describe('request model (JSON Schema draft 4 as synthesized, checked with ajv-draft-04)', () => {
  const schema = synthesizedSchema();
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(schema);
  const ok = (body: unknown) => validate(body);

  test('the schema declares draft 4, which API Gateway models use', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-04/schema#');
  });
  test('accepts one row and 100 rows of the 13 feature columns', () => {
    expect(N).toBe(13);
    expect(ok({ instances: [row()] })).toBe(true);
    expect(ok({ instances: Array.from({ length: 100 }, (_, i) => row(i)) })).toBe(true);
  });
  test.each([
    ['no instances', {}],
    ['empty instances', { instances: [] }],
    ['101 rows', { instances: Array.from({ length: 101 }, () => row()) }],
    ['a row one feature short', { instances: [row().slice(1)] }],
    ['a row one feature long', { instances: [[...row(), 1]] }],
    ['a string value', { instances: [[...row().slice(0, -1), '1']] }],
    ['a null value', { instances: [[...row().slice(0, -1), null]] }],
    ['a fraction in an int column (plan_basic)', { instances: [row().map((v, i) => (FEATURES[i].name === 'plan_basic' ? 0.5 : v))] }],
    ['a flat list', { instances: row() }],
    ['an extra property', { instances: [row()], label: 1 }],
    ['CSV text', 'a,b'],
  ])('rejects %s', (_n, body) => {
    expect(ok(body)).toBe(false);
  });
  test('column types come from the feature schema (int → integer, double → number)', () => {
    const items = ((schema.properties as Record<string, { items: { items: Array<{ type: string; description: string }> } }>).instances.items.items);
    expect(items.map((c) => c.description)).toEqual(FEATURES.map((f) => f.name));
    expect(items.map((c) => c.type)).toEqual(FEATURES.map((f) => (f.type === 'int' ? 'integer' : 'number')));
  });
  test('maxRows is the bound', () => {
    const five = new Ajv({ strict: false }).compile(synthesizedSchema(5));
    expect(five({ instances: Array.from({ length: 5 }, () => row()) })).toBe(true);
    expect(five({ instances: Array.from({ length: 6 }, () => row()) })).toBe(false);
  });
});

describe('mapping templates (velocityjs with API Gateway $input/$util stand-ins)', () => {
  const request = InferenceApiTemplates.requestTemplate();
  const response = InferenceApiTemplates.responseTemplate();

  test('JSON rows become header-less CSV lines in column order, numbers printed as API Gateway prints them', () => {
    const body = '{"instances": [[1, 2.5, -0.25, 0, 1, 0, 0, 1, 3.0, 12, 0.0001, 1e7, 30], [0, 0.5, 1, 1, 0, 0, 1, 0, 2, 4, 1, 0, 2]]}';
    expect(runTemplate(request, { body })).toBe('1,2.5,-0.25,0,1,0,0,1,3.0,12,1.0E-4,1.0E7,30\n0,0.5,1,1,0,0,1,0,2,4,1,0,2');
  });
  test('one row gives one line without a trailing newline', () => {
    expect(runTemplate(request, { body: JSON.stringify({ instances: [[1, 2, 3]] }) })).toBe('1,2,3');
  });
  test('the CSV answer becomes {"predictions": [...]}, comma- or newline-separated, trailing newline ignored', () => {
    expect(JSON.parse(runTemplate(response, { body: '0.12,0.87' }))).toEqual({ predictions: [0.12, 0.87] });
    expect(runTemplate(response, { body: '0.12\n0.87\n' })).toBe('{"predictions": [0.12,0.87]}');
    expect(runTemplate(response, { body: '0.5' })).toBe('{"predictions": [0.5]}');
  });
  test('error bodies are valid JSON and carry the request id, not SageMaker\'s internals', () => {
    const client = JSON.parse(runTemplate(InferenceApiTemplates.clientErrorTemplate(), { body: '{"ErrorCode":"CLIENT_ERROR_FROM_MODEL","Message":"secret detail"}' }));
    expect(client).toEqual({ message: 'The model could not score the request (too large or malformed for it)', requestId: 'req-1' });
    expect(JSON.parse(runTemplate(InferenceApiTemplates.serverErrorTemplate(), { body: 'boom' }))).toEqual({ message: 'The model failed to answer', requestId: 'req-1' });
  });
  test('the bad-request body stays valid JSON whatever the validator said', () => {
    const out = runTemplate(InferenceApiTemplates.badRequestBodyTemplate(13, 100), {
      body: '', context: { error: { messageString: '"Invalid request body"', validationErrorString: '[object has missing required properties (["instances"])]' } },
    });
    expect(JSON.parse(out)).toEqual({ message: 'Invalid request body', expected: '{"instances": [[13 numbers], ...]} with 1 to 100 rows', requestId: 'req-1' });
  });
  test('the stand-in prints doubles as Java does', () => {
    expect([1, 0.001, 1e-4, 1e7, 9999999.5, 123.456, -0.5, 0].map(javaDoubleToString)).toEqual(['1.0', '0.001', '1.0E-4', '1.0E7', '9999999.5', '123.456', '-0.5', '0.0']);
  });
});

describe('InferenceApi', () => {
  const { t, api, f } = build();
  const r = (v: unknown) => f.stack.resolve(v);

  test('POST /predictions: IAM auth, body validation with the model, direct SageMaker runtime integration (no Lambda)', () => {
    t.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'AWS_IAM',
      ApiKeyRequired: false,
      RequestModels: { 'application/json': { Ref: Match.stringLikeRegexp('PredictionRequest') } },
      RequestValidatorId: { Ref: Match.stringLikeRegexp('BodyValidator') },
      Integration: Match.objectLike({
        Type: 'AWS',
        IntegrationHttpMethod: 'POST',
        PassthroughBehavior: 'NEVER',
        TimeoutInMillis: 29000,
        Uri: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':runtime.sagemaker:path/endpoints/')])] },
        RequestParameters: { 'integration.request.header.Content-Type': "'text/csv'", 'integration.request.header.Accept': "'text/csv'" },
        RequestTemplates: { 'application/json': InferenceApiTemplates.requestTemplate() },
        IntegrationResponses: [
          Match.objectLike({ StatusCode: '200', ResponseTemplates: { 'application/json': InferenceApiTemplates.responseTemplate() } }),
          Match.objectLike({ StatusCode: '400', SelectionPattern: '4\\d{2}' }),
          Match.objectLike({ StatusCode: '502', SelectionPattern: '5\\d{2}' }),
        ],
      }),
    });
    expect(api.node.findAll().filter((c) => c.node.id === 'Resource' && (c as { cfnResourceType?: string }).cfnResourceType === 'AWS::Lambda::Function')).toEqual([]);
    t.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
    t.hasResourceProperties('AWS::ApiGateway::Model', { ContentType: 'application/json', Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#' }) });
  });

  test('the integration role may invoke only this endpoint', () => {
    t.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: r(api.node.scope ? (f.stack.node.findChild('Endpoint') as InferenceEndpoint).endpointArn : '') }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^ApiIntegrationRole') }],
    });
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } })] },
    });
  });

  test('stage: throttling on stage and method, X-Ray, JSON access logs to a KMS-encrypted log group, production execution logging ERROR', () => {
    t.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false }),
        Match.objectLike({ HttpMethod: 'POST', ResourcePath: '/~1predictions', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ]),
    });
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^/cdk-ml-reference/api-access/'), KmsKeyId: Match.anyValue() });
  });

  test('lab: 5/10 throttling, execution logging off and no account role, no WAF', () => {
    const lab = build({}, 'lab');
    lab.t.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([Match.objectLike({ HttpMethod: '*', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, LoggingLevel: 'OFF' })]),
    });
    lab.t.resourceCountIs('AWS::ApiGateway::Account', 0);
    lab.t.resourceCountIs('AWS::WAFv2::WebACL', 0);
  });

  test('production: WAF web ACL with a per-IP rate rule and a body-size rule, associated with the stage, logged', () => {
    t.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [
        Match.objectLike({ Name: 'RatePerClientIp', Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } } }),
        Match.objectLike({ Name: 'BodyTooLarge', Statement: { SizeConstraintStatement: Match.objectLike({ ComparisonOperator: 'GT', FieldToMatch: { Body: { OversizeHandling: 'MATCH' } } }) } }),
      ],
    });
    t.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') });
  });

  test('alarms on 5XX (>= 1), 4XX (>= 50 per 5 minutes) and p90 latency (>= 2000 ms), each notifying the encrypted topic', () => {
    for (const [metric, threshold, stat] of [['5XXError', 1, 'Sum'], ['4XXError', 50, 'Sum']] as const) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/ApiGateway', MetricName: metric, Threshold: threshold, Statistic: stat, Period: 300,
        Dimensions: Match.arrayWith([{ Name: 'Stage', Value: Match.anyValue() }]),
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^ApiAlarmTopic') }],
      });
    }
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', ExtendedStatistic: 'p90', Threshold: 2000 });
    expect(api.alarms).toHaveLength(3);
  });

  test('grantInvoke allows execute-api:Invoke on POST /predictions of the stage only', () => {
    const f2 = fixture();
    const api2 = new InferenceApi(f2.stack, 'Api', { endpoint: endpoint(f2) });
    const role = new iam.Role(f2.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    api2.grantInvoke(role);
    const policy = Template.fromStack(f2.stack).findResources('AWS::IAM::Policy');
    const text = JSON.stringify(policy);
    expect(text).toContain('execute-api:Invoke');
    expect(text).toContain('{"Ref":"ApiDeploymentStageprod95EFE650"},"/POST/predictions"');
  });

  test('API keys: the method requires a key; a usage plan with throttle and daily quota', () => {
    const b = build({ apiKeys: { quotaPerDay: 500 } });
    b.t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', ApiKeyRequired: true, AuthorizationType: 'AWS_IAM' });
    b.t.hasResourceProperties('AWS::ApiGateway::UsagePlan', { Quota: { Limit: 500, Period: 'DAY' }, Throttle: { RateLimit: 50, BurstLimit: 100 } });
    b.t.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  test('private endpoint: PRIVATE type and a policy denying other VPC endpoints', () => {
    const f2 = fixture();
    const vpce = f2.network.addInterfaceEndpoint('execute-api');
    const api2 = new InferenceApi(f2.stack, 'Api', { endpoint: endpoint(f2), privateEndpoint: vpce });
    const t2 = Template.fromStack(f2.stack);
    t2.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [{ Ref: Match.stringLikeRegexp('ExecuteApiEndpoint') }] },
      Policy: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { StringNotEquals: { 'aws:SourceVpce': { Ref: Match.stringLikeRegexp('ExecuteApiEndpoint') } } } })]) },
    });
    expect(api2.api).toBeDefined();
  });
});

describe('InferenceApi rejections', () => {
  test.each([
    ['maxRows 0', { maxRows: 0 }, 'maxRows'],
    ['maxRows 1001', { maxRows: 1001 }, 'maxRows'],
    ['maxRows 2.5', { maxRows: 2.5 }, 'maxRows'],
    ['rate limit 0', { throttling: { rateLimit: 0 } }, 'throttling.rateLimit'],
    ['burst above 5000', { throttling: { burstLimit: 5001 } }, 'throttling.burstLimit'],
    ['WAF rate limit 99', { wafRateLimit: 99 }, 'wafRateLimit'],
    ['WAF rate limit without WAF', { webAcl: false, wafRateLimit: 500 }, 'wafRateLimit'],
    ['latency above the 29 s integration timeout', { latencyThreshold: Duration.seconds(30) }, 'latencyThreshold'],
    ['no authorization at all', { iamAuthorization: false }, 'iamAuthorization'],
    ['quota 0', { apiKeys: { quotaPerDay: 0 } }, 'apiKeys.quotaPerDay'],
  ] as Array<[string, Partial<InferenceApiProps>, string]>)('%s', (_n, overrides, prop) => {
    expect(rejectionOf(() => build(overrides)).prop).toBe(prop);
  });

  test('edges accepted: 1 and 1000 rows, latency 29 s, WAF limit 100, API keys without IAM', () => {
    expect(build({ maxRows: 1 }).api.maxRows).toBe(1);
    expect(build({ maxRows: 1000, latencyThreshold: Duration.seconds(29), wafRateLimit: 100 }).api.maxRows).toBe(1000);
    build({ iamAuthorization: false, apiKeys: {} }).t.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', AuthorizationType: 'NONE', ApiKeyRequired: true });
  });

  test('the message names path, prop, value and rule', () => {
    expect(rejectionOf(() => build({ maxRows: 0 })).message).toBe('[Test/Api] invalid maxRows: got 0; allowed: an integer from 1 to 1000 rows');
  });

  describe('plain JavaScript misuse', () => {
    test.each([
      ['maxRows as a string', { maxRows: '10' }, 'maxRows'],
      ['maxRows NaN', { maxRows: NaN }, 'maxRows'],
      ['iamAuthorization as a string', { iamAuthorization: 'false' }, 'iamAuthorization'],
      ['webAcl as a number', { webAcl: 1 }, 'webAcl'],
      ['executionLogging as a free string', { executionLogging: 'DEBUG' }, 'executionLogging'],
      ['latencyThreshold as a number', { latencyThreshold: 2000 }, 'latencyThreshold'],
      ['apiKeys as a list', { apiKeys: [{}] }, 'apiKeys'],
      ['endpoint as a name', { endpoint: 'churn' }, 'endpoint'],
      ['missing endpoint', { endpoint: undefined }, 'endpoint'],
    ])('%s', (_n, overrides, prop) => {
      expect(rejectionOf(() => build(overrides as unknown as Partial<InferenceApiProps>)).prop).toBe(prop);
    });
    test('the enum value as its string is accepted (what Python passes)', () => {
      expect(() => build({ executionLogging: 'INFO' as ApiExecutionLogging })).not.toThrow();
    });
  });
});

test('an imported VPC endpoint works as the private endpoint', () => {
  const f = fixture();
  const vpce = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(f.stack, 'Vpce', { vpcEndpointId: 'vpce-123', port: 443 });
  expect(() => new InferenceApi(f.stack, 'Api', { endpoint: endpoint(f), privateEndpoint: vpce })).not.toThrow();
});
