#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { CommandIo, doctor } from './doctor';
import { plan } from './plan-command';

/** A subcommand: takes its arguments, returns the exit status. */
export type Command = (args: string[], io: CommandIo) => number;

/** The subcommands, by name. */
export const COMMANDS: { [name: string]: { run: Command; summary: string } } = {
  doctor: { run: doctor, summary: 'check Kubernetes YAML against the pod-patterns rules' },
  plan: { run: plan, summary: 'print the start-up plan of every workload in Kubernetes YAML' },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: cdk8s-pod-patterns <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'cdk8s-pod-patterns <command> --help' for a command's options.\n`;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    return String(pkg.version);
  } catch {
    return '0.0.0';
  }
}

/** Runs the command line; returns the exit status. Never throws for bad input. */
export function main(argv: string[], io: CommandIo): number {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout(`${io.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`cdk8s-pod-patterns: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  try {
    return command.run(args, io);
  } catch (e) {
    io.stderr(`cdk8s-pod-patterns ${name}: ${(e as Error).message}\n`);
    return 2;
  }
}

/** The process's own streams. */
export function processIo(): CommandIo {
  return {
    stdout: (text) => fs.writeSync(1, text),
    stderr: (text) => fs.writeSync(2, text),
    stdin: () => fs.readFileSync(0),
    isTty: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    version: packageVersion(),
  };
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), processIo());
}
