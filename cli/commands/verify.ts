// tinyforge verify update.tfu --pub KEY: checks a signed update as a device would (header, signature, hash).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { readPublicKey } from '../../api/ed25519-keys.ts';
import { NO_VECTORS_WARNING, selftestVectorCount } from '../../api/selftest-count.ts';
import { checkUpdate } from '../../api/signed-update.ts';
import { UPDATE_HEADER_BYTES } from '../../formats/update/update-format.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';

const HELP = `usage: tinyforge verify <update.tfu> --pub KEY [--json]
  Checks an update file: its header (magic, format version, sizes), the Ed25519 signature of the header with
  the public key (PEM from tinyforge keygen, or the raw 32 bytes), and the model's SHA-256 against the header.
  Exit 0 when valid; 4 with one line naming what is wrong (header, signature or hash). A valid update's line
  says how many self-test vectors its model carries (what a device runs on trial), with a warning when none.
  example: tinyforge verify update.tfu --pub keys/update-key.pub.pem`;

const Options = z.object({
  positionals: z.array(z.string()),
  pub: z.string({ error: 'required: the public key file (tinyforge keygen --out DIR)' }),
  json: z.boolean().default(false),
});

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('verify', args, { pub: { type: 'string' }, json: { type: 'boolean' } }, Options);
  if (opts.positionals.length !== 1) throw new CliError(`tinyforge verify: expected one update file (.tfu)\n${HELP}`, EXIT.usage);
  const path = opts.positionals[0]!;
  const key = readPublicKey(opts.pub);
  const bytes = new Uint8Array(readFileSync(path));
  const result = checkUpdate(bytes, key);
  const vectors = result.ok ? selftestVectorCount(bytes.subarray(UPDATE_HEADER_BYTES)) : undefined;
  if (opts.json) {
    const h = result.header;
    console.log(JSON.stringify({
      valid: result.ok,
      ...(result.ok ? {} : { problem: result.problem, message: result.message }),
      ...(h ? { modelVersion: h.modelVersion, payloadBytes: h.payloadBytes, payloadSha256: Buffer.from(h.payloadSha256).toString('hex') } : {}),
      ...(result.ok ? { selftestVectors: vectors ?? null } : {}),
    }));
  }
  if (!result.ok) {
    if (!opts.json) console.error(`tinyforge verify: ${path}: ${result.message}`);
    return EXIT.badUpdate;
  }
  if (!opts.json) {
    const h = result.header;
    const carried = vectors === undefined ? 'the payload is not a model blob' : `${vectors} self-test vector${vectors === 1 ? '' : 's'}`;
    console.log(`${path}: valid — model version ${h.modelVersion}, ${h.payloadBytes} B model, ${carried}, SHA-256 ${Buffer.from(h.payloadSha256).toString('hex')}`);
  }
  if (vectors === 0) console.error(`tinyforge verify: warning: ${path} ${NO_VECTORS_WARNING}`);
  return EXIT.ok;
}
