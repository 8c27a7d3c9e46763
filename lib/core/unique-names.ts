import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from './validation';

/** Names claimed so far, per app (the root construct), per kind. */
const CLAIMS = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Names that AWS allows only once per account and region (a Glue database, an Athena workgroup,
 * an endpoint, a log group): two constructs of one app asking for the same name would synthesize
 * fine and then fail the deploy with "already exists". Claiming the name at construction fails the
 * synth instead, naming both constructs.
 */
export class UniqueNames {
  /**
   * Claim `name` of `kind` (e.g. `Athena workgroup`) for `scope`. Throws a `PropValidationError` on
   * `prop` when another construct of the same app claimed it. Unresolved tokens are not checked.
   */
  public static claim(scope: IConstruct, kind: string, name: string, prop: string): void {
    if (Token.isUnresolved(name)) return;
    const root = scope.node.root;
    let claims = CLAIMS.get(root);
    if (!claims) {
      claims = new Map();
      CLAIMS.set(root, claims);
    }
    const key = `${kind}\u0000${name}`;
    const owner = claims.get(key);
    if (owner !== undefined && owner !== scope.node.path) {
      invalidProp(scope, prop, name, `a ${kind} name that no other construct of this app uses (${owner} already uses it; AWS allows one per account and region)`);
    }
    claims.set(key, scope.node.path);
  }
}
