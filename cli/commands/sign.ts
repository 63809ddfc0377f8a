// tinyforge sign model.tfb --key KEY --out update.tfu [--version N]: a signed model update.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { readPrivateKey } from '../../api/ed25519-keys.ts';
import { NO_VECTORS_WARNING, selftestVectorCount } from '../../api/selftest-count.ts';
import { signUpdate } from '../../api/signed-update.ts';
import { UPDATE_HEADER_BYTES } from '../../formats/update/update-format.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';
import { writeFileAtomically } from '../write-file-atomically.ts';

const HELP = `usage: tinyforge sign <model.tfb> --key KEY.pem --out update.tfu [--version N]
  Wraps a model blob (from tinyforge compile) in a signed update: a ${UPDATE_HEADER_BYTES}-byte header (magic TFUP,
  format version, model version, length, SHA-256 of the model, Ed25519 signature of the header), then the blob.
  Says how many self-test vectors the blob carries (what a device runs on trial before it confirms the update),
  and warns when it carries none.
  --version N   the model version, 0..4294967295 (default 1). A device takes only updates with a version
                above the one it runs, so give each release a higher number.
  example: tinyforge sign out/model.tfb --key keys/update-key.pem --out update.tfu --version 2`;

const Options = z.object({
  positionals: z.array(z.string()),
  key: z.string({ error: 'required: the private key file (tinyforge keygen --out DIR)' }),
  out: z.string({ error: 'required: the update file to write' }),
  version: z.coerce.number().int().min(0).max(0xffffffff).default(1),
});

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('sign', args, { key: { type: 'string' }, out: { type: 'string' }, version: { type: 'string' } }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`tinyforge sign: expected one model blob (.tfb)\n${HELP}`, EXIT.usage);
  const blob = new Uint8Array(readFileSync(opts.positionals[0]!));
  const update = signUpdate(blob, readPrivateKey(opts.key), opts.version);
  writeFileAtomically(opts.out, update);
  const vectors = selftestVectorCount(blob) ?? 0;
  console.log(`wrote ${opts.out}: model version ${opts.version}, ${blob.length} B model + ${UPDATE_HEADER_BYTES} B signed header, ${vectors} self-test vector${vectors === 1 ? '' : 's'}`);
  if (vectors === 0) console.error(`tinyforge sign: warning: ${opts.positionals[0]} ${NO_VECTORS_WARNING}`);
  return EXIT.ok;
}
