// Command-line options: parsed by node:util's parseArgs, checked by a zod schema at the edge.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { CliError, EXIT } from './cli-error.ts';

export function parseOptions<S extends z.ZodType>(
  command: string,
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  schema: S,
): z.infer<S> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`tinyforge ${command}: ${(err as Error).message}`, EXIT.usage);
  }
  const result = schema.safeParse({ ...parsed.values, positionals: parsed.positionals });
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `${i.path.length ? `--${i.path.join('.')}` : 'arguments'}: ${i.message}`)
      .join('; ');
    throw new CliError(`tinyforge ${command}: ${issues}`, EXIT.usage);
  }
  return result.data;
}
