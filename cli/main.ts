// tinyforge's command line: `tinyforge <verb> [options]`, one file per verb in cli/commands/.
import { packageVersion } from '../lib/package-root.ts';
import { reportError } from './report-error.ts';

interface Command {
  run(args: string[]): Promise<number>;
}

/** Every verb, loaded only when called (so `tinyforge boards` does not load the compiler). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  boards: () => import('./commands/boards.ts'),
  build: () => import('./commands/build.ts'),
  compile: () => import('./commands/compile.ts'),
  export: () => import('./commands/export.ts'),
  flash: () => import('./commands/flash.ts'),
  inspect: () => import('./commands/inspect.ts'),
  keygen: () => import('./commands/keygen.ts'),
  monitor: () => import('./commands/monitor.ts'),
  ports: () => import('./commands/ports.ts'),
  run: () => import('./commands/run.ts'),
  sign: () => import('./commands/sign.ts'),
  simulate: () => import('./commands/simulate.ts'),
  validate: () => import('./commands/validate.ts'),
  update: () => import('./commands/update.ts'),
  verify: () => import('./commands/verify.ts'),
};

export function verbs(): string[] {
  return Object.keys(COMMANDS).sort();
}

function usage(): string {
  return `usage: tinyforge <command> [options]\ncommands: ${verbs().join(', ')}\nRun 'tinyforge <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === '--version' || verb === '-V') {
    console.log(packageVersion());
    return 0;
  }
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    console.log(usage());
    return verb ? 0 : 1;
  }
  const load = Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : undefined;
  if (!load) {
    console.error(`tinyforge: unknown command '${verb}'\n${usage()}`);
    return 1;
  }
  const command = await load();
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(verb, err);
  }
}
