import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { FeatureColumn } from '../core/model-defaults';

/**
 * The API Gateway pieces of {@link InferenceApi} that run in API Gateway, kept as plain text so
 * tests execute them with a Velocity engine and a JSON Schema validator.
 */
export class InferenceApiTemplates {
  /**
   * The request model (JSON Schema draft 4, API Gateway's dialect): `{"instances": [[...], ...]}`,
   * 1 to `maxRows` rows, each exactly the feature columns in order (`int` columns integers,
   * `double` columns numbers), nothing else.
   */
  public static requestSchema(features: FeatureColumn[], maxRows: number): apigateway.JsonSchema {
    return {
      schema: apigateway.JsonSchemaVersion.DRAFT4,
      title: 'PredictionRequest',
      type: apigateway.JsonSchemaType.OBJECT,
      required: ['instances'],
      additionalProperties: false,
      properties: {
        instances: {
          type: apigateway.JsonSchemaType.ARRAY,
          minItems: 1,
          maxItems: maxRows,
          items: {
            type: apigateway.JsonSchemaType.ARRAY,
            // Draft 4 tuple validation: one schema per column, in order, and no extra column.
            items: features.map((f) => ({ type: f.type === 'int' ? apigateway.JsonSchemaType.INTEGER : apigateway.JsonSchemaType.NUMBER, description: f.name })),
            minItems: features.length,
            maxItems: features.length,
            additionalItems: false,
          },
        },
      },
    };
  }

  /**
   * Request mapping template: the validated JSON rows → the CSV the built-in XGBoost takes (no
   * header, one row per line, values comma-separated, in column order).
   */
  public static requestTemplate(): string {
    return [
      '#set($csv = "")',
      '#foreach($row in $input.path(\'$.instances\'))',
      '#set($line = "")',
      '#foreach($value in $row)#set($line = "$line$value")#if($foreach.hasNext)#set($line = "$line,")#end#end',
      '#set($csv = "$csv$line")',
      '#if($foreach.hasNext)#set($csv = "$csv\n")#end',
      '#end',
      '$csv',
    ].join('');
  }

  /**
   * Response mapping template: the model's CSV answer (one probability per row, separated by
   * commas or line breaks) → `{"predictions": [p1, p2, ...]}`.
   */
  public static responseTemplate(): string {
    return [
      '#set($answer = $input.body.trim())',
      '{"predictions": [',
      '#foreach($p in $answer.split("[,\\s]+"))$p#if($foreach.hasNext),#end#end',
      ']}',
    ].join('');
  }

  /** Error body for a request the model or SageMaker refused (4XX from SageMaker). */
  public static clientErrorTemplate(): string {
    return '{"message": "The model could not score the request (too large or malformed for it)", "requestId": "$context.requestId"}';
  }

  /** Error body when the model failed (5XX from SageMaker). */
  public static serverErrorTemplate(): string {
    return '{"message": "The model failed to answer", "requestId": "$context.requestId"}';
  }

  /**
   * Gateway response body for a request the model rejected. `$context.error.messageString` comes
   * quoted; the validator's detail (`validationErrorString`) is not embedded: it holds unescaped
   * quotes that would break the JSON.
   */
  public static badRequestBodyTemplate(featureCount: number, maxRows: number): string {
    return `{"message": $context.error.messageString, "expected": "{\\"instances\\": [[${featureCount} numbers], ...]} with 1 to ${maxRows} rows", "requestId": "$context.requestId"}`;
  }
}
