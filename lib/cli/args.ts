/** A usage mistake: the command prints it with the usage and exits 2. */
export class UsageError extends Error {}

/** What every command's command line holds besides its own options. */
export interface CommandArgs {
  /** Files, folders and '-'. */
  readonly inputs: string[];
  /** Whether -h or --help was given. */
  readonly help: boolean;
}

/**
 * Reads a command line: inputs (files, folders, '-', everything after '--'), -h/--help, and the options named
 * in `options` (`--name value` or `--name=value`), each handed to its function. Throws `UsageError` for an
 * unknown option or one without its value.
 */
export function readArgs(args: string[], options: { [name: string]: (value: string) => void }): CommandArgs {
  const inputs: string[] = [];
  let help = false;
  const rest = [...args];
  while (rest.length > 0) {
    const arg = rest.shift()!;
    if (arg === '--') {
      inputs.push(...rest.splice(0));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      inputs.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const handle = options[name];
    if (!handle) throw new UsageError(`unknown option ${name}`);
    const value = eq > 0 ? arg.slice(eq + 1) : rest.shift();
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    handle(value);
  }
  return { inputs, help };
}

/** The value of --max-bytes: a positive whole number. */
export function maxBytesOption(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--max-bytes must be a positive whole number, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** The outcome of reading a command line: the options, or the exit status to return at once. */
export type Parsed<T> = { readonly options: T & CommandArgs } | { readonly exit: number };

/**
 * Reads the command line of `command` with `parse`, and handles what every command does alike: a usage mistake
 * (printed with the usage, exit 2), --help (the usage, exit 0) and no input at all (exit 2).
 */
export function startCommand<T>(
  command: string,
  usage: string,
  io: { readonly stdout: (text: string) => void; readonly stderr: (text: string) => void },
  parse: () => T & CommandArgs,
): Parsed<T> {
  let options: T & CommandArgs;
  try {
    options = parse();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-pod-patterns ${command}: ${e.message}\n\n${usage}`);
    return { exit: 2 };
  }
  if (options.help) {
    io.stdout(usage);
    return { exit: 0 };
  }
  if (options.inputs.length === 0) {
    io.stderr(`cdk8s-pod-patterns ${command}: give at least one file, folder or '-'\n\n${usage}`);
    return { exit: 2 };
  }
  return { options };
}
