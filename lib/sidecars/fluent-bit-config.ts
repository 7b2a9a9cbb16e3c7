import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { TlsTrust } from '../core/tls-trust';
import { Construct } from 'constructs';
import { userConfigVolumeName } from '../core/config-volume';
import { checkDnsLabel, checkInteger, checkPort, checkRelativePath, derivedName } from '../core/names';
import {
  checkConfText,
  checkConfToken,
  checkGlob,
  ConfSection,
  onOff,
  PARSER_NAME,
  PARSER_NAME_WHAT,
  renderConf,
  BoundFluentBitConfig,
  FluentBitConfigContext,
  SecretEnv,
  TAG,
  TAG_WHAT,
} from './fluent-bit-conf';
import { FluentBitHealth } from './fluent-bit-health';
import { FluentBitOutput } from './fluent-bit-output';
import { checkObjectName } from '../core/workload-checks';

/** Fluent Bit's own log verbosity. */
export enum FluentBitLogLevel {
  /** Nothing. */
  OFF = 'off',
  /** Errors only. */
  ERROR = 'error',
  /** Errors and warnings. */
  WARN = 'warn',
  /** Errors, warnings and start-up information. */
  INFO = 'info',
  /** Everything but tracing. */
  DEBUG = 'debug',
  /** Everything (only in builds with tracing). */
  TRACE = 'trace',
}

/**
 * Multiline parsers built into Fluent Bit, which join the lines of one event (a stack trace, a
 * container-runtime split line) into one record.
 *
 * @see https://docs.fluentbit.io/manual/administration/configuring-fluent-bit/multiline-parsing
 */
export enum FluentBitMultilineParser {
  /** Docker's JSON log lines, split at 16 KiB. */
  DOCKER = 'docker',
  /** CRI (containerd, CRI-O) log lines, split at 16 KiB. */
  CRI = 'cri',
  /** Go panics and stack traces. */
  GO = 'go',
  /** Python tracebacks. */
  PYTHON = 'python',
  /** Java exceptions and stack traces. */
  JAVA = 'java',
  /** Ruby exceptions and backtraces. */
  RUBY = 'ruby',
}

/** Options of a parser's time handling. */
export interface FluentBitParserOptions {
  /**
   * The record key that holds the event's time.
   * @default - the time the line was read
   */
  readonly timeKey?: string;

  /**
   * The strptime format of `timeKey` (such as '%Y-%m-%dT%H:%M:%S.%L%z'). Needs `timeKey`.
   * @default - none
   */
  readonly timeFormat?: string;

  /**
   * Keep `timeKey` in the record after it is parsed.
   * @default false
   */
  readonly timeKeep?: boolean;
}

/**
 * A parser that turns a log line into a structured record. Parsers used by inputs are written to a
 * `parsers.conf` beside the generated configuration.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/parsers/configuring-parser
 */
export class FluentBitParser {
  /** Lines that are JSON objects. */
  public static json(name: string, options: FluentBitParserOptions = {}): FluentBitParser {
    return new FluentBitParser('FluentBitParser.json', name, [['Format', 'json']], options);
  }

  /** Lines matched by a regular expression (Onigmo syntax) whose named groups become the record's keys. */
  public static regex(name: string, regex: string, options: FluentBitParserOptions = {}): FluentBitParser {
    const owner = 'FluentBitParser.regex';
    checkConfText(owner, 'regex', regex);
    if (!/\(\?<[A-Za-z_][A-Za-z0-9_]*>/.test(regex)) {
      throw new Error(
        `${owner}: 'regex' must capture at least one named group such as (?<message>.*), got ${JSON.stringify(regex)}`,
      );
    }
    return new FluentBitParser(
      owner,
      name,
      [
        ['Format', 'regex'],
        ['Regex', regex],
      ],
      options,
    );
  }

  /** Lines of `key=value` pairs (logfmt). */
  public static logfmt(name: string, options: FluentBitParserOptions = {}): FluentBitParser {
    return new FluentBitParser('FluentBitParser.logfmt', name, [['Format', 'logfmt']], options);
  }

  private readonly entries: Array<[string, string]>;

  private constructor(
    owner: string,
    /** The parser's name, as inputs refer to it. */
    public readonly name: string,
    entries: Array<[string, string]>,
    options: FluentBitParserOptions,
  ) {
    checkConfToken(owner, 'name', name, PARSER_NAME, PARSER_NAME_WHAT);
    this.entries = [['Name', name], ...entries];
    if (options.timeKey !== undefined) {
      checkConfToken(
        owner,
        'timeKey',
        options.timeKey,
        /^[A-Za-z0-9_@.-]+$/,
        "a record key of letters, digits, '_', '@', '.' and '-'",
      );
      this.entries.push(['Time_Key', options.timeKey]);
    }
    if (options.timeFormat !== undefined) {
      if (options.timeKey === undefined) {
        throw new Error(`${owner}: 'timeFormat' needs 'timeKey' (the key whose value it parses)`);
      }
      this.entries.push(['Time_Format', checkConfText(owner, 'timeFormat', options.timeFormat)]);
    }
    if (options.timeKeep !== undefined) this.entries.push(['Time_Keep', onOff(options.timeKeep)]);
  }

  /** @internal */
  public _section(): ConfSection {
    return { name: 'PARSER', entries: [...this.entries] };
  }
}

/**
 * A tail input: the log files Fluent Bit follows. Its position in each file is kept in a database file on
 * the sidecar's own writable volume, so that a restarted sidecar neither loses nor repeats lines.
 *
 * @see https://docs.fluentbit.io/manual/pipeline/inputs/tail
 */
export interface FluentBitTailInput {
  /** Path globs of the files to follow, under the sidecar's log mount path (such as '/var/log/app/*.log'). */
  readonly paths: string[];

  /**
   * The tag of the records read. A trailing `.*` is expanded to the file's path.
   * @default 'app.*'
   */
  readonly tag?: string;

  /**
   * Globs of files to leave out (such as '/var/log/app/*.gz').
   * @default - none
   */
  readonly excludePaths?: string[];

  /**
   * A parser for each line. Excludes `multilineParsers`.
   * @default - no parser: the line is the record's `log` key
   */
  readonly parser?: FluentBitParser;

  /**
   * Built-in multiline parsers, tried in order. Excludes `parser`.
   * @default - none
   */
  readonly multilineParsers?: FluentBitMultilineParser[];

  /**
   * Read files found at start from their beginning, not their end. The log volume lives only as long as the
   * pod, so everything in it belongs to this pod; the position database stops a restart from reading twice.
   * @default true
   */
  readonly readFromHead?: boolean;

  /**
   * The memory this input may buffer before it pauses reading, in MiB.
   * @default 5
   */
  readonly memBufLimitMiB?: number;

  /**
   * Skip lines longer than the buffer instead of giving up on the file.
   * @default true
   */
  readonly skipLongLines?: boolean;

  /**
   * Seconds between scans for new files matching `paths`.
   * @default 10
   */
  readonly refreshIntervalSeconds?: number;

  /**
   * A record key that receives the path of the file each line came from.
   * @default - the path is not recorded
   */
  readonly pathKey?: string;
}

/** Options of Fluent Bit's `[SERVICE]` section. */
export interface FluentBitServiceOptions {
  /**
   * Seconds between flushes to the outputs.
   * @default 1
   */
  readonly flushSeconds?: number;

  /**
   * Seconds Fluent Bit keeps flushing after SIGTERM. It must be shorter than the pod's
   * `terminationGracePeriodSeconds` (checked at synth).
   * @default 5
   */
  readonly graceSeconds?: number;

  /**
   * Fluent Bit's log verbosity.
   * @default FluentBitLogLevel.INFO
   */
  readonly logLevel?: FluentBitLogLevel;

  /**
   * The port of the HTTP server that serves metrics, `/api/v1/uptime` (which the probes call) and the health
   * endpoint `/api/v1/health` (for monitoring: the probes do not call it).
   * @default 2020
   */
  readonly httpPort?: number;

  /**
   * How much of the sidecar's state volume the outputs may fill with records they could not deliver yet, in
   * MiB, shared evenly by the outputs (`storage.total_limit_size`). Records are buffered on that volume
   * (`storage.type filesystem`), so a restart of Fluent Bit does not lose them; when an output's share is
   * full, its oldest records are dropped. Must leave 16 MiB of the state volume free
   * (`FluentBitSidecar.stateSizeLimitMiB`, default 256).
   * @default 200
   */
  readonly bufferSizeLimitMiB?: number;

  /**
   * How many times a chunk that failed is retried before it is dropped (`Retry_Limit`). Retries back off up
   * to a minute apart (`scheduler.cap 60`).
   * @default - no limit (`no_limits`): records wait on the state volume for the backend to come back
   */
  readonly retryLimit?: number;

  /**
   * Output errors within `healthPeriodSeconds` above which the health endpoint reports failure.
   * @default 5
   */
  readonly healthErrorsCount?: number;

  /**
   * Failed retries within `healthPeriodSeconds` above which the health endpoint reports failure.
   * @default 5
   */
  readonly healthRetryFailureCount?: number;

  /**
   * The window, in seconds, in which errors and failed retries are counted.
   * @default 60
   */
  readonly healthPeriodSeconds?: number;
}

/** Options for `FluentBitConfig.generate()`. */
export interface FluentBitGeneratedConfigOptions extends FluentBitServiceOptions {
  /** Where records go: at least one output. */
  readonly outputs: FluentBitOutput[];

  /**
   * The files to follow.
   * @default - one input on `<logMountPath>/*.log` tagged 'app.*'
   */
  readonly inputs?: FluentBitTailInput[];
}

/** Options for `FluentBitConfig.fromConfigMap()`. */
export interface FluentBitConfigMapOptions {
  /**
   * What your configuration serves for the probes: `FluentBitHealth.httpServer(port)` when it sets
   * `HTTP_Server On` (and `HTTP_Listen 0.0.0.0`), else `FluentBitHealth.none()`. There is no default: the
   * image's own configuration has the HTTP server off, and probes on a server that is not there would keep
   * the pod from starting.
   */
  readonly health: FluentBitHealth;

  /**
   * The key of the main configuration file in the ConfigMap.
   * @default 'fluent-bit.conf' (the image's default)
   */
  readonly configFile?: string;

  /**
   * The `Grace` your configuration sets, checked against the pod's `terminationGracePeriodSeconds`.
   * @default 5 (Fluent Bit's default)
   */
  readonly graceSeconds?: number;

  /**
   * The volume name in the pod spec.
   * @default - the ConfigMap's name when it is a DNS-1123 label, else `<containerName>-config`
   */
  readonly volumeName?: string;
}

const OWNER = 'FluentBitConfig.generate';

/**
 * The configuration of a `FluentBitSidecar`: generated from typed inputs and outputs into a ConfigMap
 * (`generate`), or a ConfigMap of your own (`fromConfigMap`).
 *
 * @example
 * FluentBitConfig.generate({
 *   inputs: [{ paths: ['/var/log/app/*.log'], multilineParsers: [FluentBitMultilineParser.JAVA] }],
 *   outputs: [FluentBitOutput.loki({ host: 'loki.monitoring', labels: { app: 'api' } })],
 * });
 */
export class FluentBitConfig {
  /** Generates `fluent-bit.conf` (and `parsers.conf` when an input uses a parser) into a new ConfigMap. */
  public static generate(options: FluentBitGeneratedConfigOptions): FluentBitConfig {
    if (options.outputs.length === 0) {
      throw new Error(`${OWNER}: 'outputs' must hold at least one output (such as FluentBitOutput.stdout()), got none`);
    }
    const flush = checkInteger(OWNER, 'flushSeconds', options.flushSeconds ?? 1, 1, 3600);
    const grace = checkInteger(OWNER, 'graceSeconds', options.graceSeconds ?? 5, 1, 3600);
    const port = checkPort(OWNER, 'httpPort', options.httpPort ?? 2020);
    const errors = checkInteger(OWNER, 'healthErrorsCount', options.healthErrorsCount ?? 5, 1, 100000);
    const retries = checkInteger(OWNER, 'healthRetryFailureCount', options.healthRetryFailureCount ?? 5, 1, 100000);
    const period = checkInteger(OWNER, 'healthPeriodSeconds', options.healthPeriodSeconds ?? 60, 1, 86400);
    const bufferSize = checkInteger(OWNER, 'bufferSizeLimitMiB', options.bufferSizeLimitMiB ?? 200, 1, 1024 * 1024);
    if (bufferSize < options.outputs.length) {
      throw new Error(
        `${OWNER}: 'bufferSizeLimitMiB' (${bufferSize}) must give each of the ${options.outputs.length} outputs at ` +
          'least 1 MiB; raise it',
      );
    }
    const retryLimit =
      options.retryLimit === undefined
        ? 'no_limits'
        : String(checkInteger(OWNER, 'retryLimit', options.retryLimit, 1, 1000000));
    (options.inputs ?? []).forEach((input, i) => checkInput(input, i));
    const parsers = parsersOf(options.inputs ?? []);
    const service: Array<[string, string]> = [
      ['Flush', String(flush)],
      ['Grace', String(grace)],
      ['Daemon', 'Off'],
      ['Log_Level', options.logLevel ?? FluentBitLogLevel.INFO],
      ['HTTP_Server', 'On'],
      ['HTTP_Listen', '0.0.0.0'],
      ['HTTP_Port', String(port)],
      ['Health_Check', 'On'],
      ['HC_Errors_Count', String(errors)],
      ['HC_Retry_Failure_Count', String(retries)],
      ['HC_Period', String(period)],
      // retries back off exponentially from 5 s to at most a minute, so delivery resumes soon after an outage
      ['scheduler.base', '5'],
      ['scheduler.cap', '60'],
    ];
    return new FluentBitConfig(FluentBitHealth.httpServer(port), grace, 'fluent-bit.conf', undefined, {
      service,
      bufferSizeLimitMiB: bufferSize,
      retryLimit,
      inputs: options.inputs,
      outputs: [...options.outputs],
      parsers,
    });
  }

  /**
   * Uses a ConfigMap of your own, mounted where the image reads its configuration (`/fluent-bit/etc`).
   * Declare what it sets that the sidecar relies on (what it serves for the probes, its grace) in `options`.
   */
  public static fromConfigMap(configMap: kplus.IConfigMap, options: FluentBitConfigMapOptions): FluentBitConfig {
    const owner = 'FluentBitConfig.fromConfigMap';
    if (!(options?.health instanceof FluentBitHealth)) {
      throw new Error(
        `${owner}: 'health' must say what your configuration serves for the probes: ` +
          'FluentBitHealth.httpServer(port) when it sets HTTP_Server On, else FluentBitHealth.none()',
      );
    }
    const grace = checkInteger(owner, 'graceSeconds', options.graceSeconds ?? 5, 1, 3600);
    const file = checkRelativePath(owner, 'configFile', options.configFile ?? 'fluent-bit.conf');
    if (options.volumeName !== undefined) checkDnsLabel(owner, 'volumeName', options.volumeName);
    return new FluentBitConfig(options.health, grace, file, {
      configMap,
      volumeName: options.volumeName,
    });
  }

  private constructor(
    /** What the configuration serves for the probes. */
    public readonly health: FluentBitHealth,
    /** Seconds Fluent Bit keeps flushing after SIGTERM. */
    public readonly graceSeconds: number,
    /** The main configuration file's key in the ConfigMap. */
    public readonly configFile: string,
    private readonly user?: { configMap: kplus.IConfigMap; volumeName?: string },
    private readonly generated?: {
      service: Array<[string, string]>;
      bufferSizeLimitMiB: number;
      retryLimit: string;
      inputs?: FluentBitTailInput[];
      outputs: FluentBitOutput[];
      parsers: FluentBitParser[];
    },
  ) {}

  /**
   * Creates the ConfigMap (for a generated configuration) under `scope` and returns what the sidecar needs.
   * @internal
   */
  public _bind(scope: Construct, context: FluentBitConfigContext): BoundFluentBitConfig {
    if (this.user) {
      return {
        configMap: this.user.configMap,
        env: [],
        trusts: [],
        volumeName: this.user.volumeName ?? userConfigVolumeName(this.user.configMap, context.containerName),
      };
    }
    const generated = this.generated!;
    if (generated.bufferSizeLimitMiB + 16 > context.stateSizeLimitMiB) {
      throw new Error(
        `${context.owner}: the outputs may buffer ${generated.bufferSizeLimitMiB} MiB ('bufferSizeLimitMiB') but ` +
          `the state volume holds ${context.stateSizeLimitMiB} MiB ('stateSizeLimitMiB'), which must be at least ` +
          `16 MiB more (a full emptyDir evicts the pod); raise 'stateSizeLimitMiB' to ` +
          `${generated.bufferSizeLimitMiB + 16} or lower 'bufferSizeLimitMiB'`,
      );
    }
    const inputs = generated.inputs ?? [{ paths: [`${context.logMountPath}/*.log`] }];
    inputs.forEach((input, i) => checkInputPaths(context, input, i));
    const sections: ConfSection[] = [
      {
        name: 'SERVICE',
        entries: [
          ...generated.service,
          // records wait on the state volume, not in memory only, so a restart of Fluent Bit does not lose them
          ['storage.path', `${context.stateMountPath}/buffer`],
          ['storage.sync', 'normal'],
          ['storage.backlog.mem_limit', '5M'],
          ...(generated.parsers.length > 0
            ? [['Parsers_File', `${context.configMountPath}/parsers.conf`] as [string, string]]
            : []),
        ],
      },
    ];
    inputs.forEach((input, i) => sections.push(renderInput(input, i, context)));
    const env: SecretEnv[] = [];
    const trusts: TlsTrust[] = [];
    const share = Math.floor(generated.bufferSizeLimitMiB / generated.outputs.length);
    generated.outputs.forEach((output, i) => {
      let caFile: string | undefined;
      if (output.tlsTrust) {
        caFile = `${context.tlsMountPath}/${trusts.length + 1}/${output.tlsTrust.key}`;
        trusts.push(output.tlsTrust);
      }
      const rendered = output._render(`FLB_OUTPUT_${i + 1}_`, caFile);
      sections.push({
        name: 'OUTPUT',
        entries: [
          ...rendered.entries,
          ['Retry_Limit', generated.retryLimit],
          ['storage.total_limit_size', `${share}M`],
        ],
      });
      env.push(...rendered.env);
    });
    const data: { [key: string]: string } = { 'fluent-bit.conf': renderConf(sections) };
    if (generated.parsers.length > 0) {
      data['parsers.conf'] = renderConf(generated.parsers.map((p) => p._section()));
    }
    const configMap = new kplus.ConfigMap(scope, 'Config', { metadata: { namespace: context.namespace }, data });
    checkObjectName(context.owner, ApiObject.of(configMap));
    return { configMap, env, trusts, volumeName: derivedName(context.containerName, 'config') };
  }
}

function checkInput(input: FluentBitTailInput, i: number): void {
  const prop = `inputs[${i}]`;
  if (input.paths.length === 0) {
    throw new Error(
      `${OWNER}: '${prop}.paths' must hold at least one path glob (such as '/var/log/app/*.log'), got none`,
    );
  }
  input.paths.forEach((p) => checkGlob(OWNER, `${prop}.paths`, p));
  (input.excludePaths ?? []).forEach((p) => checkGlob(OWNER, `${prop}.excludePaths`, p));
  checkConfToken(OWNER, `${prop}.tag`, input.tag ?? 'app.*', TAG, TAG_WHAT);
  if (input.parser && input.multilineParsers && input.multilineParsers.length > 0) {
    throw new Error(
      `${OWNER}: '${prop}.parser' and '${prop}.multilineParsers' exclude each other (Fluent Bit ignores one of ` +
        'them); give one',
    );
  }
  if (input.memBufLimitMiB !== undefined) checkInteger(OWNER, `${prop}.memBufLimitMiB`, input.memBufLimitMiB, 1, 1024);
  if (input.refreshIntervalSeconds !== undefined) {
    checkInteger(OWNER, `${prop}.refreshIntervalSeconds`, input.refreshIntervalSeconds, 1, 3600);
  }
  if (input.pathKey !== undefined) {
    checkConfToken(
      OWNER,
      `${prop}.pathKey`,
      input.pathKey,
      /^[A-Za-z_][A-Za-z0-9_]*$/,
      "a record key of letters, digits and '_'",
    );
  }
}

/** Paths must lie under the log mount: nothing else of the pod is visible to the sidecar. */
function checkInputPaths(context: FluentBitConfigContext, input: FluentBitTailInput, i: number): void {
  for (const [prop, paths] of [
    ['paths', input.paths],
    ['excludePaths', input.excludePaths ?? []],
  ] as Array<[string, string[]]>) {
    for (const p of paths) {
      if (!p.startsWith(`${context.logMountPath}/`)) {
        throw new Error(
          `${context.owner}: 'inputs[${i}].${prop}' must lie under the log mount path '${context.logMountPath}' (the ` +
            `only log files the sidecar can see), got ${JSON.stringify(p)}`,
        );
      }
    }
  }
}

function parsersOf(inputs: FluentBitTailInput[]): FluentBitParser[] {
  const byName = new Map<string, FluentBitParser>();
  for (const input of inputs) {
    const parser = input.parser;
    if (!parser) continue;
    const existing = byName.get(parser.name);
    if (existing && existing !== parser) {
      throw new Error(
        `${OWNER}: two different parsers are named '${parser.name}'; share one FluentBitParser or rename one of them`,
      );
    }
    byName.set(parser.name, parser);
  }
  return [...byName.values()];
}

function renderInput(input: FluentBitTailInput, i: number, context: FluentBitConfigContext): ConfSection {
  const entries: Array<[string, string]> = [
    ['Name', 'tail'],
    ['Tag', input.tag ?? 'app.*'],
    ['Path', input.paths.join(',')],
  ];
  if (input.excludePaths && input.excludePaths.length > 0) entries.push(['Exclude_Path', input.excludePaths.join(',')]);
  entries.push(
    ['DB', `${context.stateMountPath}/tail-${i + 1}.db`],
    ['DB.locking', 'true'],
    ['Read_from_Head', onOff(input.readFromHead ?? true)],
    ['storage.type', 'filesystem'],
    ['Mem_Buf_Limit', `${input.memBufLimitMiB ?? 5}MB`],
    ['Skip_Long_Lines', onOff(input.skipLongLines ?? true)],
    ['Refresh_Interval', String(input.refreshIntervalSeconds ?? 10)],
  );
  if (input.pathKey !== undefined) entries.push(['Path_Key', input.pathKey]);
  if (input.parser) entries.push(['Parser', input.parser.name]);
  if (input.multilineParsers && input.multilineParsers.length > 0) {
    entries.push(['multiline.parser', input.multilineParsers.join(', ')]);
  }
  return { name: 'INPUT', entries };
}
