// tinyforge's command line: `tinyforge <verb> [options]`, one file per verb in cli/commands/.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportError } from './report-error.ts';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

function verbs(): string[] {
  return readdirSync(commandsDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

function usage(): string {
  return `usage: tinyforge <command> [options]\ncommands: ${verbs().join(', ')}\nRun 'tinyforge <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(usage());
    return verb ? 0 : 1;
  }
  const file = join(commandsDir, `${verb}.ts`);
  if (!/^[a-z][a-z0-9-]*$/.test(verb) || !existsSync(file)) {
    console.error(`tinyforge: unknown command '${verb}'\n${usage()}`);
    return 1;
  }
  const command = (await import(file)) as { run(args: string[]): Promise<number> };
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(verb, err);
  }
}
