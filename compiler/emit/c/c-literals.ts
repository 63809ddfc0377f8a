// C source spelling of constant data: integer literals (INT32_MIN needs care) and wrapped array bodies.

export function cInt(v: number): string {
  return v === -2147483648 ? '(-2147483647 - 1)' : String(v);
}

/** Array body lines, `perLine` values each, indented by two spaces. */
export function cArrayBody(values: ArrayLike<number>, perLine: number): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const row: string[] = [];
    for (let k = i; k < Math.min(values.length, i + perLine); k++) row.push(cInt(values[k]));
    lines.push(`  ${row.join(', ')},`);
  }
  return lines.join('\n');
}

/** A C identifier from a model name: lower case, [a-z0-9_], not starting with a digit. */
export function cIdentifier(name: string): string {
  let id = name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!id) id = 'model';
  if (/^[0-9]/.test(id)) id = `m_${id}`;
  return id;
}

/** Text safe inside a C block comment. */
export function cCommentText(s: string): string {
  return s.replace(/\*\//g, '* /');
}

export function cStringLiteral(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}""`)}"`;
}
