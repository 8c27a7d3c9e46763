/**
 * An error the learner can act on: one plain sentence saying what went wrong, and one saying what
 * to do next. The command line prints both and no stack trace (unless `--debug`).
 */
export class LabError extends Error {
  /** What to do next. */
  public readonly next: string;
  /** Process exit code: 1 for failures, 130 after Ctrl-C. */
  public readonly exitCode: number;

  constructor(message: string, next: string, exitCode: number = 1) {
    super(message);
    this.name = 'LabError';
    this.next = next;
    this.exitCode = exitCode;
  }
}

function nameOf(e: unknown): string {
  const err = e as { name?: string; Code?: string; code?: string; __type?: string };
  return String(err?.name ?? err?.Code ?? err?.code ?? '');
}

/** Any error as a {@link LabError}: the AWS errors a learner meets, each with its remedy. */
export function toLabError(e: unknown, doing: string): LabError {
  if (e instanceof LabError) return e;
  // Keep the original for --debug.
  const labError = classify(e, doing);
  (labError as { cause?: unknown }).cause = e;
  return labError;
}

function classify(e: unknown, doing: string): LabError {
  const name = nameOf(e);
  const message = String((e as Error)?.message ?? e).split('\n')[0];
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new LabError(`No AWS credentials were found while ${doing}.`,
      'Sign in (aws configure, or aws sso login with AWS_PROFILE set), then run `lab doctor`.');
  }
  if (/ExpiredToken|TokenRefreshRequired|InvalidClientTokenId|UnrecognizedClient/.test(name)) {
    return new LabError(`AWS rejected your credentials while ${doing} (${name}).`, 'Sign in again (aws sso login or fresh keys), then retry.');
  }
  if (/AccessDenied|UnauthorizedOperation|AuthorizationError|Forbidden/.test(name) || /not authorized to perform/.test(message)) {
    return new LabError(`AWS denied access while ${doing}: ${message}`,
      'Use a role with the permissions listed under Prerequisites in docs/LAB.md, then retry.');
  }
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown/.test(name)) {
    return new LabError(`AWS throttled the requests while ${doing}.`, 'Wait a minute and run the same command again; nothing was left half-done.');
  }
  if (/ResourceLimitExceeded|ServiceQuotaExceeded|LimitExceeded/.test(name)) {
    return new LabError(`An AWS quota stopped ${doing}: ${message}`, 'Run `lab doctor` to see which quota, and request an increase in the Service Quotas console.');
  }
  if (name === 'ECONNREFUSED' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return new LabError(`Could not reach AWS while ${doing} (${message}).`, 'Check your network connection and region, then retry.');
  }
  return new LabError(`Something failed while ${doing}: ${message}`, 'Run the command again with --debug to see the details.');
}
