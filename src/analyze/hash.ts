// SHA-256 in hex for ids. Node 20.12+ has a one-shot crypto.hash (not yet in these typings) that
// digests a string without building a Hash object: ids are made per article, quote and event, so the
// saving counts in batch mode. The digest is the same either way, so ids do not depend on the path.
import crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: string, outputEncoding: 'hex') => string;
const oneShot = (crypto as unknown as { hash?: OneShotHash }).hash;

export function sha256Hex(s: string): string {
  return oneShot ? oneShot('sha256', s, 'hex') : crypto.createHash('sha256').update(s).digest('hex');
}
