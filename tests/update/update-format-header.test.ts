// formats/update/tfu-format.h (what the firmware reads) and formats/update/update-format.ts (what the CLI writes)
// describe the same bytes: a host C program prints the C layout, compared with the TypeScript one field by field.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { UPDATE_FIELDS, UPDATE_FORMAT_VERSION, UPDATE_HEADER_BYTES, UPDATE_MAGIC, UPDATE_SIGNED_BYTES } from '../../formats/update/update-format.ts';
import { repoRoot } from '../cli/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'tinyforge-tfu-h-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const C_FIELDS: Record<keyof typeof UPDATE_FIELDS, string> = {
  magic: 'magic', formatVersion: 'format_version', headerBytes: 'header_bytes', modelVersion: 'model_version',
  payloadBytes: 'payload_bytes', payloadSha256: 'payload_sha256', reserved: 'reserved', signature: 'signature',
};

it('tfu-format.h lays out every field at the offset and size update-format.ts gives', () => {
  const printers = Object.entries(C_FIELDS).map(([ts, c]) => `  printf("%s %zu %zu\\n", "${ts}", offsetof(tf_update_header, ${c}), sizeof(((tf_update_header *)0)->${c}));`);
  const src = join(work, 'layout.c');
  writeFileSync(src, `#include <stdio.h>\n#include "tfu-format.h"\nint main(void) {\n${printers.join('\n')}\n  printf("header %zu %u %u %u %s\\n", sizeof(tf_update_header), TF_UPDATE_HEADER_BYTES, TF_UPDATE_SIGNED_BYTES, TF_UPDATE_FORMAT_VERSION, TF_UPDATE_MAGIC);\n  return 0;\n}\n`);
  const exe = join(work, 'layout');
  execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', `-I${join(repoRoot, 'formats', 'update')}`, src, '-o', exe]);
  const lines = execFileSync(exe, { encoding: 'utf8' }).trim().split('\n');
  const fields = Object.fromEntries(lines.slice(0, -1).map((l) => {
    const [name, offset, bytes] = l.split(' ');
    return [name, { offset: Number(offset), bytes: Number(bytes) }];
  }));
  expect(fields).toEqual(UPDATE_FIELDS);
  expect(lines.at(-1)).toBe(`header ${UPDATE_HEADER_BYTES} ${UPDATE_HEADER_BYTES} ${UPDATE_SIGNED_BYTES} ${UPDATE_FORMAT_VERSION} ${UPDATE_MAGIC}`);
});
