// Fast synchronous string hash (cyrb53) for content hashes and stable ids; identical in every JS engine.

/** Width of every hash string: 2^53 - 1 in base 36 takes 11 digits. */
export const HASH_LENGTH = 11;

/**
 * 53-bit cyrb53 hash of `text` (over its UTF-16 code units) as an 11-character, zero-padded base-36 string.
 * Not cryptographic: use it to notice changes and to build ids, never to defend against an adversary.
 * @param seed any 32-bit integer; different seeds give independent hashes (default 0).
 */
export function hash(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return value.toString(36).padStart(HASH_LENGTH, '0');
}
