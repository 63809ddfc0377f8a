// tinyforge keygen --out DIR: an Ed25519 key pair for signing model updates.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { generateKeys } from '../../api/ed25519-keys.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { parseOptions } from '../parse-options.ts';

export const PRIVATE_KEY_FILE = 'update-key.pem';
export const PUBLIC_KEY_FILE = 'update-key.pub.pem';

const HELP = `usage: tinyforge keygen --out DIR [--force]
  Makes an Ed25519 key pair (node:crypto) for signing model updates:
    DIR/${PRIVATE_KEY_FILE}      private key, PKCS#8 PEM, file mode 0600: keep it off the devices
    DIR/${PUBLIC_KEY_FILE}  public key, SPKI PEM: for tinyforge verify --pub and build --pub
  An existing key is never overwritten unless --force.
  example: tinyforge keygen --out keys && tinyforge sign out/model.tfb --key keys/${PRIVATE_KEY_FILE} --out update.tfu`;

const Options = z.object({ positionals: z.array(z.string()).length(0), out: z.string({ error: 'required: the directory for the key files' }), force: z.boolean().default(false) });

/** A fresh key pair in `dir` (private key mode 0600); returns the two paths. */
export function writeKeyPair(dir: string): { privatePath: string; publicPath: string } {
  const privatePath = join(dir, PRIVATE_KEY_FILE);
  const publicPath = join(dir, PUBLIC_KEY_FILE);
  const keys = generateKeys();
  mkdirSync(dir, { recursive: true });
  // Created 0600 (and chmod'ed, in case the file existed with wider rights): the private key never is readable by others.
  writeFileSync(privatePath, keys.privateKeyPem, { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  writeFileSync(publicPath, keys.publicKeyPem, { mode: 0o644 });
  return { privatePath, publicPath };
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return EXIT.ok;
  }
  const opts = parseOptions('keygen', args, { out: { type: 'string' }, force: { type: 'boolean' } }, Options);
  const privatePath = join(opts.out, PRIVATE_KEY_FILE);
  const publicPath = join(opts.out, PUBLIC_KEY_FILE);
  if (!opts.force && (existsSync(privatePath) || existsSync(publicPath))) {
    throw new CliError(`tinyforge keygen: ${existsSync(privatePath) ? privatePath : publicPath} exists; updates signed with it would no longer verify on devices that have its public key (pass --force to replace it)`, EXIT.failure);
  }
  writeKeyPair(opts.out);
  console.log(`wrote ${privatePath} (private, mode 0600) and ${publicPath} (public)`);
  return EXIT.ok;
}
