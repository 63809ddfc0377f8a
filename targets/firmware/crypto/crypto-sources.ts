// The firmware's portable C crypto (SHA-256, SHA-512, Ed25519 verification): where it lives and which files a
// build compiles. The same files build for the host (tests, the power-cut harness) and for every board.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CRYPTO_DIR = dirname(fileURLToPath(import.meta.url));

export const CRYPTO_SOURCES: readonly string[] = ['sha256.c', 'sha512.c', 'field25519.c', 'ed25519-point.c', 'scalar25519.c', 'ed25519-verify.c'].map(
  (f) => join(CRYPTO_DIR, f),
);
