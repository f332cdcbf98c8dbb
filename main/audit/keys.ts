// Ed25519 keys through node:crypto: key ids, raw public keys and the Signer the writer uses.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import { sha256Hex } from './records';

// DER prefixes that wrap a raw Ed25519 key (RFC 8410); the openssl recipe uses the SPKI one too.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 key pair with its id. */
export type KeyPair = { privateKey: KeyObject; publicKey: KeyObject; keyId: string };

/** Signs payload bytes for the writer: an operator's key, an approver's key or a remote signer. */
export type Signer = {
  keyId: string;
  /** Who the key belongs to, for the record's `actor`. */
  name: string;
  sign: (bytes: Buffer) => Buffer | Promise<Buffer>;
  /** Set for signers that run elsewhere (a remote approver): the writer checks each signature. */
  publicKey?: KeyObject;
};

/** The raw 32-byte public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

/** A key id: SHA-256 hex of the raw 32-byte public key. */
export function keyIdOf(publicKey: KeyObject | Buffer): string {
  return sha256Hex(Buffer.isBuffer(publicKey) ? publicKey : rawPublicKey(publicKey));
}

/** A public key object from its raw 32 bytes. */
export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error('An Ed25519 public key is 32 bytes.');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The 32-byte private seed of a key (what the key file encrypts). */
export function privateSeed(privateKey: KeyObject): Buffer {
  return privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(PKCS8_PREFIX.length);
}

/** A key pair from its 32-byte private seed. */
export function keyPairFromSeed(seed: Buffer): KeyPair {
  if (seed.length !== 32) throw new Error('An Ed25519 private seed is 32 bytes.');
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A fresh random key pair. */
export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A Signer over a local private key. */
export function keySigner(pair: KeyPair, name: string): Signer {
  return { keyId: pair.keyId, name, sign: (bytes) => sign(null, bytes, pair.privateKey) };
}
