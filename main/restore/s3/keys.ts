// Object keys as S3 orders and spells them: UTF-8 byte order (JavaScript compares UTF-16 code
// units, which disagrees for characters beyond U+FFFF), and URL-encoded listings decoded back.

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff;

/** Compare two keys in S3's listing order (UTF-8 bytes, which is code point order). */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate stands for a code point above U+FFFF: greater than any unit it differs from
    // outside the surrogates, even U+E000–U+FFFF, which UTF-16 order puts after it.
    const sx = isSurrogate(x);
    const sy = isSurrogate(y);
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** A key from a listing asked with EncodingType=url: S3 encodes it as a form value (space as "+"). */
export function decodeListedKey(key: string, encoded: boolean): string {
  return encoded ? decodeURIComponent(key.replace(/\+/g, '%20')) : key;
}

/** The CopySource header value: bucket/key?versionId=v, each part URL-encoded ("/" kept in the key). */
export function copySource(bucket: string, key: string, versionId: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${encodeURIComponent(bucket)}/${path}?versionId=${encodeURIComponent(versionId)}`;
}

/** A version id as people read it in a sentence: short, and "null" for objects from before versioning. */
export function versionWords(versionId: string | null): string {
  if (versionId === null) return 'no version';
  if (versionId === 'null') return 'version null (written before versioning was enabled)';
  return `version ${versionId.length > 40 ? `${versionId.slice(0, 39)}…` : versionId}`;
}

/** A key quoted for a sentence, clipped: JSON quoting shows spaces, "+" and "%" as they are. */
export function keyWords(key: string): string {
  const clipped = key.length > 200 ? `${key.slice(0, 199)}…` : key;
  return JSON.stringify(clipped);
}
