// SHA-1 (FIPS 180-4), synchronous: a script's hash must be known when a run
// is issued, before any await (`crypto.subtle.digest` is asynchronous). Used
// only to name Lua scripts the way the server does (EVALSHA), never for
// security.

const utf8 = new TextEncoder();
/** The message schedule, reused: SHA-1 runs to completion without yielding. */
const schedule = new Int32Array(80);

/** `x` rotated left by `n` bits, as a 32-bit integer. */
function rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n));
}

/**
 * The SHA-1 digest of `data` as 40 lower-case hex digits, the form Redis
 * gives script hashes in (`SCRIPT LOAD`, `EVALSHA`).
 *
 * @param data Bytes, or text (hashed as its UTF-8 encoding, as it is sent).
 * @returns The digest in hex.
 */
export function sha1Hex(data: string | Uint8Array): string {
  const bytes = typeof data === "string" ? utf8.encode(data) : data;
  const length = bytes.length;
  // The message, a 1 bit, zeros, and the bit length in the last 8 bytes of
  // the last 64-byte block.
  const blocks = Math.ceil((length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  // The bit length is length * 8 as a 64-bit big-endian integer.
  view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
  view.setUint32(padded.length - 4, (length << 3) >>> 0);

  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  const w = schedule;
  for (let block = 0; block < blocks; block++) {
    const base = block * 64;
    for (let t = 0; t < 16; t++) w[t] = view.getInt32(base + t * 4);
    for (let t = 16; t < 80; t++) {
      w[t] = rotl(w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!, 1);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc | 0;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6 | 0;
      }
      const next = (rotl(a, 5) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = next;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  return hex(h0) + hex(h1) + hex(h2) + hex(h3) + hex(h4);
}

/** A 32-bit word as 8 hex digits. */
function hex(word: number): string {
  return (word >>> 0).toString(16).padStart(8, "0");
}
