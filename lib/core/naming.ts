import { Names, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { checkPattern, invalidProp } from './validation';

/** SageMaker's rule for endpoint, config, variant, model, schedule and model package group names. */
const SAGEMAKER_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const SAGEMAKER_NAME_MAX_LENGTH = 63;
const SAGEMAKER_NAME_RULE = '1 to 63 characters: letters, digits and hyphens, starting and ending with a letter or digit';

/** Glue database and table names: lower case letters, digits and underscores (Athena-safe). */
const GLUE_NAME_PATTERN = /^[a-z0-9_]{1,255}$/;
const GLUE_NAME_RULE = '1 to 255 characters: lower-case letters, digits and underscores';

/**
 * Deterministic SageMaker names, unique within a stack.
 *
 * Built from the stack name and the construct path plus a hash of the path (so two
 * constructs never collide), cut to 63 characters and to SageMaker's pattern.
 */
export class SageMakerNames {
  /** A name for the resource that `scope` represents; `suffix` tells apart several names of one construct. */
  public static unique(scope: IConstruct, suffix?: string): string {
    checkPattern(scope, 'name suffix', suffix, /^[a-zA-Z0-9]{1,16}$/, '1 to 16 letters or digits');
    const tail = suffix ? `-${suffix}` : '';
    const base = Names.uniqueResourceName(scope, {
      maxLength: SAGEMAKER_NAME_MAX_LENGTH - tail.length,
      separator: '-',
      allowedSpecialCharacters: '-',
    }).replace(/^-+|-+$/g, '');
    const name = `${base}${tail}`;
    SageMakerNames.validate(scope, 'name', name);
    return name;
  }

  /** The longest SageMaker resource name. */
  public static readonly MAX_LENGTH = SAGEMAKER_NAME_MAX_LENGTH;

  /** Whether SageMaker accepts the name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit. */
  public static isValid(name: string): boolean {
    return SAGEMAKER_NAME_PATTERN.test(name);
  }

  /** Rejects a user-given SageMaker name (tokens pass: CloudFormation checks them). */
  public static validate(scope: IConstruct, prop: string, name: string | undefined): void {
    checkPattern(scope, prop, name, SAGEMAKER_NAME_PATTERN, SAGEMAKER_NAME_RULE);
  }
}

/** Glue catalog names. */
export class GlueNames {
  /** `prefix_id`, lower case, non-word characters as underscores, e.g. `datalakeexample_raw`. */
  public static of(scope: IConstruct, prefix: string, id: string): string {
    if (Token.isUnresolved(prefix)) return invalidProp(scope, 'name prefix', prefix, 'a string known at synth time');
    // Always valid: at least one underscore, only [a-z0-9_], at most 255 characters.
    return `${prefix}_${id}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/_+/g, '_').slice(0, 255);
  }

  /** Whether Glue and Athena accept the name: 1 to 255 lower-case letters, digits and underscores. */
  public static isValid(name: string): boolean {
    return GLUE_NAME_PATTERN.test(name);
  }

  /** Rejects a user-given Glue database or table name. */
  public static validate(scope: IConstruct, prop: string, name: string | undefined): void {
    checkPattern(scope, prop, name, GLUE_NAME_PATTERN, GLUE_NAME_RULE);
  }
}
