// Byte arrays end to end in one new array (a model's outputs as one buffer, as the device sends them): Buffer.concat
// without Node, for code that also runs in the page.
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
