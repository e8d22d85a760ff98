import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A signed tree head as published: the log had `treeSize` leaves with this root when the key signed it. */
export interface SignedTreeHead {
  readonly id: number;
  readonly treeSize: number;
  /** Hex SHA-256 root of the RFC 9162 tree of the first `treeSize` audit events. */
  readonly rootHash: string;
  readonly signedAt: string;
  /** Hex SHA-256 of the signing key's DER SubjectPublicKeyInfo. */
  readonly keyId: string;
  /** Base64 Ed25519 signature over `treeHeadMessage`. */
  readonly signature: string;
}

/**
 * The exact bytes a head's signature covers. Plain text, so anyone can rebuild it from the published fields
 * without this code; the version line keeps a future format from being mistaken for this one.
 */
export function treeHeadMessage(head: Pick<SignedTreeHead, 'treeSize' | 'rootHash' | 'signedAt'>): Buffer {
  return Buffer.from(
    `tre-transparency-head/v1\ntree_size=${head.treeSize}\nroot_hash=${head.rootHash}\nsigned_at=${head.signedAt}\n`,
    'utf8',
  );
}

export function publicKeyId(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** True when `publicKeyPem` signed this head. */
export function verifyTreeHead(head: SignedTreeHead, publicKeyPem: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    if (publicKeyId(key) !== head.keyId) return false;
    return verify(null, treeHeadMessage(head), key, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}
