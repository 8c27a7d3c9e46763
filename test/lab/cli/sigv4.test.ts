import * as crypto from 'crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { signV4 } from '../../../lib/lab/cli/sigv4';

// The SDK's own signer (a transitive dependency of the AWS SDK), used only here as the reference.
class Sha256 {
  private readonly h: crypto.Hash | crypto.Hmac;
  constructor(secret?: crypto.BinaryLike) { this.h = secret ? crypto.createHmac('sha256', secret) : crypto.createHash('sha256'); }
  update(d: string | Uint8Array) { this.h.update(d); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const NOW = new Date('2026-12-01T13:00:00Z');
const HOST = 'abc123.execute-api.us-east-1.amazonaws.com';

async function reference(path: string, body: string, creds: typeof CREDS & { sessionToken?: string }, extra: Record<string, string> = {}) {
  const signer = new SignatureV4({ credentials: creds, region: 'us-east-1', service: 'execute-api', sha256: Sha256 as never });
  const [p, q] = path.split('?');
  const query = Object.fromEntries(new URLSearchParams(q ?? ''));
  const signed = await signer.sign({ method: 'POST', protocol: 'https:', hostname: HOST, path: p, query, body,
    headers: { 'content-type': 'application/json', 'host': HOST, ...extra } } as never, { signingDate: NOW });
  return (signed as unknown as { headers: Record<string, string> }).headers.authorization;
}

test('the signature equals the AWS SDK signer\'s for the same POST (with and without a session token, with a query)', async () => {
  const body = '{"instances": [[1, 2, 3]]}';
  for (const [path, creds] of [['/prod/predictions', CREDS], ['/prod/predictions', { ...CREDS, sessionToken: 'token/with+chars=' }], ['/prod/predictions?b=2&a=x y', CREDS]] as const) {
    const mine = signV4({ method: 'POST', url: `https://${HOST}${path}`, body, headers: { 'Content-Type': 'application/json' } }, creds, 'us-east-1', 'execute-api', NOW);
    const theirs = await reference(path, body, creds, {
      'x-amz-content-sha256': mine['x-amz-content-sha256'], ...('sessionToken' in creds ? { 'x-amz-security-token': creds.sessionToken } : {}),
    });
    expect(mine.authorization).toBe(theirs);
    expect(mine.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20261201\/us-east-1\/execute-api\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date(;x-amz-security-token)?, Signature=[0-9a-f]{64}$/);
  }
});

test('a changed body, time or secret changes the signature', () => {
  const req = { method: 'POST', url: `https://${HOST}/prod/predictions`, body: '{}', headers: {} };
  const base = signV4(req, CREDS, 'us-east-1', 'execute-api', NOW).authorization;
  expect(signV4({ ...req, body: '{ }' }, CREDS, 'us-east-1', 'execute-api', NOW).authorization).not.toBe(base);
  expect(signV4(req, CREDS, 'us-east-1', 'execute-api', new Date(NOW.getTime() + 1000)).authorization).not.toBe(base);
  expect(signV4(req, { ...CREDS, secretAccessKey: 'x' }, 'us-east-1', 'execute-api', NOW).authorization).not.toBe(base);
});
