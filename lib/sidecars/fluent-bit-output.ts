import * as kplus from 'cdk8s-plus-28';
import { checkAbsolutePath, checkHost, checkPort } from '../core/names';
import { TlsTrust } from '../core/tls-trust';
import { checkConfToken, MATCH, MATCH_WHAT, onOff, SecretEnv } from './fluent-bit-conf';

/** Options every Fluent Bit output shares. */
export interface FluentBitOutputOptions {
  /**
   * Which records this output receives: a pattern matched against the records' tags (`*` is a wildcard).
   * @default '*' (every record)
   */
  readonly match?: string;
}

/** Options of outputs that send records over the network. */
export interface FluentBitNetworkOutputOptions extends FluentBitOutputOptions {
  /** The destination's host name (such as 'elasticsearch-svc' or 'logs.example.com') or IPv4 address. */
  readonly host: string;

  /**
   * The destination's TCP port.
   * @default - the destination's usual port: 9200 for Elasticsearch, 3100 for Loki, 24224 for forward
   */
  readonly port?: number;

  /**
   * Connect with TLS.
   * @default false
   */
  readonly tls?: boolean;

  /**
   * Verify the server's certificate (only with `tls: true`).
   * @default true
   */
  readonly tlsVerify?: boolean;

  /**
   * The CA bundle that signed the server's certificate (`tls.ca_file`), for a server whose certificate no
   * public CA signed, such as Elasticsearch 8 with its own CA. Needs `tls: true`; verification stays on.
   * @default - the image's system trust store
   */
  readonly tlsTrust?: TlsTrust;
}

/** Options of outputs that speak HTTP and accept basic authentication. */
export interface FluentBitHttpOutputOptions extends FluentBitNetworkOutputOptions {
  /**
   * The HTTP basic authentication user name. Needs `httpPassword`.
   * @default - no basic authentication
   */
  readonly httpUser?: string;

  /**
   * The HTTP basic authentication password, from a Secret. It reaches Fluent Bit through an environment
   * variable and never appears in the ConfigMap. Needs `httpUser`.
   * @default - no basic authentication
   */
  readonly httpPassword?: kplus.SecretValue;
}

/** Options for `FluentBitOutput.elasticsearch()`. */
export interface FluentBitElasticsearchOptions extends FluentBitHttpOutputOptions {
  /**
   * The index to write to (lower case; letters, digits, '.', '_', '-').
   * @default 'fluent-bit'
   */
  readonly index?: string;

  /**
   * Write to daily indices `<prefix>-YYYY.MM.DD` (Logstash format) instead of one `index`.
   * @default - Logstash format off; records go to `index`
   */
  readonly logstashPrefix?: string;

  /**
   * Leave the mapping type out of requests, as Elasticsearch 8 requires.
   * @default true
   */
  readonly suppressTypeName?: boolean;

  /**
   * A path prefix when Elasticsearch is served behind a reverse proxy on a sub-path.
   * @default - none
   */
  readonly pathPrefix?: string;
}

/** How Loki receives each record. */
export enum FluentBitLokiLineFormat {
  /** The record as JSON. */
  JSON = 'json',
  /** The record's keys and values as `key=value` pairs separated by spaces. */
  KEY_VALUE = 'key_value',
}

/** Options for `FluentBitOutput.loki()`. */
export interface FluentBitLokiOptions extends FluentBitHttpOutputOptions {
  /**
   * Static stream labels, by label name. Values hold letters, digits, '.', '_', '-', '/', ':' and '@'.
   * @default { job: 'fluent-bit' }
   */
  readonly labels?: { [name: string]: string };

  /**
   * The tenant id sent as `X-Scope-OrgID` (multi-tenant Loki).
   * @default - single-tenant: no tenant header
   */
  readonly tenantId?: string;

  /**
   * How each record becomes a log line.
   * @default FluentBitLokiLineFormat.JSON
   */
  readonly lineFormat?: FluentBitLokiLineFormat;

  /**
   * The push API path.
   * @default '/loki/api/v1/push'
   */
  readonly uri?: string;

  /**
   * A bearer token, from a Secret. Excludes `httpUser`.
   * @default - no bearer token
   */
  readonly bearerToken?: kplus.SecretValue;
}

/** Options for `FluentBitOutput.forward()`. */
export interface FluentBitForwardOptions extends FluentBitNetworkOutputOptions {
  /**
   * The shared key of Secure Forward, from a Secret. Needs `tls: true`.
   * @default - no shared key
   */
  readonly sharedKey?: kplus.SecretValue;

  /**
   * The host name this client presents in Secure Forward's handshake. Needs `tls: true`.
   * @default - Fluent Bit's default ('localhost')
   */
  readonly selfHostname?: string;

  /**
   * Wait for the receiver to acknowledge each chunk (at-least-once delivery; Fluentd 0.14+).
   * @default false
   */
  readonly requireAckResponse?: boolean;
}

/** How the stdout output prints records. */
export enum FluentBitStdoutFormat {
  /** Fluent Bit's human-readable dump of the msgpack record. */
  MSGPACK = 'msgpack',
  /** One JSON array per flush. */
  JSON = 'json',
  /** One JSON object per line, what a node-level log collector parses best. */
  JSON_LINES = 'json_lines',
}

/** Options for `FluentBitOutput.stdout()`. */
export interface FluentBitStdoutOptions extends FluentBitOutputOptions {
  /**
   * How records are printed.
   * @default FluentBitStdoutFormat.JSON_LINES
   */
  readonly format?: FluentBitStdoutFormat;
}

interface SecretField {
  readonly key: string;
  readonly suffix: string;
  readonly value: kplus.SecretValue;
}

const ES_INDEX = /^[a-z0-9][a-z0-9._-]*$/;
const ES_INDEX_WHAT =
  "an Elasticsearch index name (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit)";
const USER = /^[A-Za-z0-9._@+-]+$/;
const USER_WHAT = "a user name of letters, digits, '.', '_', '@', '+' and '-'";
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_VALUE = /^[A-Za-z0-9._\-/:@]+$/;
const TENANT = /^[A-Za-z0-9._-]+$/;

/**
 * Where a Fluent Bit sidecar sends records: Elasticsearch, Loki, another Fluent Bit or Fluentd (forward),
 * or its own standard output. Each factory validates its settings when it is called; credentials come from
 * Secrets through environment variables, referenced as `${VAR}` in the generated configuration, so that
 * they never appear in the ConfigMap.
 *
 * @example
 * FluentBitOutput.elasticsearch({
 *   host: 'elasticsearch-svc',
 *   index: 'api-logs',
 *   httpUser: 'shipper',
 *   httpPassword: { secret: esSecret, key: 'password' },
 * });
 */
export class FluentBitOutput {
  /**
   * Elasticsearch (the `es` plugin).
   * @see https://docs.fluentbit.io/manual/pipeline/outputs/elasticsearch
   */
  public static elasticsearch(options: FluentBitElasticsearchOptions): FluentBitOutput {
    const owner = 'FluentBitOutput.elasticsearch';
    const entries = network(owner, options, 9200);
    if (options.index !== undefined && options.logstashPrefix !== undefined) {
      throw new Error(
        `${owner}: 'index' and 'logstashPrefix' exclude each other (Logstash format writes to '<prefix>-YYYY.MM.DD'); ` +
          'give one of them',
      );
    }
    if (options.logstashPrefix !== undefined) {
      checkConfToken(owner, 'logstashPrefix', options.logstashPrefix, ES_INDEX, ES_INDEX_WHAT);
      entries.push(['Logstash_Format', 'On'], ['Logstash_Prefix', options.logstashPrefix]);
    } else {
      const index = options.index ?? 'fluent-bit';
      checkConfToken(owner, 'index', index, ES_INDEX, ES_INDEX_WHAT);
      entries.push(['Index', index]);
    }
    entries.push(['Suppress_Type_Name', onOff(options.suppressTypeName ?? true)]);
    if (options.pathPrefix !== undefined) {
      entries.push(['Path', checkAbsolutePath(owner, 'pathPrefix', options.pathPrefix)]);
    }
    const secrets = basicAuth(owner, options, entries);
    return new FluentBitOutput('es', match(owner, options), entries, secrets, options.tlsTrust);
  }

  /**
   * Grafana Loki (the built-in `loki` plugin).
   * @see https://docs.fluentbit.io/manual/pipeline/outputs/loki
   */
  public static loki(options: FluentBitLokiOptions): FluentBitOutput {
    const owner = 'FluentBitOutput.loki';
    const entries = network(owner, options, 3100);
    const uri = checkAbsolutePath(owner, 'uri', options.uri ?? '/loki/api/v1/push');
    entries.push(['Uri', uri]);
    const labels = options.labels ?? { job: 'fluent-bit' };
    const names = Object.keys(labels);
    if (names.length === 0) {
      throw new Error(`${owner}: 'labels' must hold at least one label (Loki needs one per stream), got {}`);
    }
    for (const name of names) {
      checkConfToken(owner, 'labels', name, LABEL_NAME, "label names of letters, digits and '_' (such as 'job')");
      checkConfToken(
        owner,
        `labels ${name}`,
        labels[name],
        LABEL_VALUE,
        "a label value of letters, digits, '.', '_', '-', '/', ':' and '@'",
      );
    }
    entries.push(['Labels', names.map((n) => `${n}=${labels[n]}`).join(', ')]);
    entries.push(['Line_Format', options.lineFormat ?? FluentBitLokiLineFormat.JSON]);
    if (options.tenantId !== undefined) {
      checkConfToken(owner, 'tenantId', options.tenantId, TENANT, "a tenant id of letters, digits, '.', '_' and '-'");
      entries.push(['Tenant_ID', options.tenantId]);
    }
    const secrets = basicAuth(owner, options, entries);
    if (options.bearerToken !== undefined) {
      if (options.httpUser !== undefined) {
        throw new Error(`${owner}: 'bearerToken' and 'httpUser' exclude each other; authenticate with one of them`);
      }
      secrets.push({ key: 'Bearer_Token', suffix: 'BEARER_TOKEN', value: options.bearerToken });
    }
    return new FluentBitOutput('loki', match(owner, options), entries, secrets, options.tlsTrust);
  }

  /**
   * The forward protocol, to Fluentd or another Fluent Bit (Secure Forward with `tls` and `sharedKey`).
   * @see https://docs.fluentbit.io/manual/pipeline/outputs/forward
   */
  public static forward(options: FluentBitForwardOptions): FluentBitOutput {
    const owner = 'FluentBitOutput.forward';
    const entries = network(owner, options, 24224);
    const tls = options.tls ?? false;
    const secrets: SecretField[] = [];
    if (options.sharedKey !== undefined) {
      if (!tls) {
        throw new Error(`${owner}: 'sharedKey' needs 'tls: true' (Secure Forward runs over TLS only)`);
      }
      secrets.push({ key: 'Shared_Key', suffix: 'SHARED_KEY', value: options.sharedKey });
    }
    if (options.selfHostname !== undefined) {
      if (!tls) {
        throw new Error(`${owner}: 'selfHostname' needs 'tls: true' (it is part of Secure Forward's handshake)`);
      }
      entries.push(['Self_Hostname', checkHost(owner, 'selfHostname', options.selfHostname)]);
    }
    if (options.requireAckResponse) entries.push(['Require_ack_response', 'True']);
    return new FluentBitOutput('forward', match(owner, options), entries, secrets, options.tlsTrust);
  }

  /**
   * The sidecar's standard output, for debugging or for a node-level collector.
   * @see https://docs.fluentbit.io/manual/pipeline/outputs/standard-output
   */
  public static stdout(options: FluentBitStdoutOptions = {}): FluentBitOutput {
    const owner = 'FluentBitOutput.stdout';
    const entries: Array<[string, string]> = [['Format', options.format ?? FluentBitStdoutFormat.JSON_LINES]];
    return new FluentBitOutput('stdout', match(owner, options), entries, []);
  }

  private constructor(
    /** The Fluent Bit plugin name: 'es', 'loki', 'forward' or 'stdout'. */
    public readonly plugin: string,
    /** The tag pattern of the records this output receives. */
    public readonly match: string,
    private readonly entries: Array<[string, string]>,
    private readonly secrets: SecretField[],
    /** The CA bundle this output verifies its server with, if any. */
    public readonly tlsTrust?: TlsTrust,
  ) {}

  /**
   * The `[OUTPUT]` entries, with each credential as `${VAR}` and the env var that carries it.
   * @param envPrefix prefix of the env var names, unique per output (such as 'FLB_OUTPUT_1_')
   * @param caFile where the sidecar mounts `tlsTrust`'s bundle
   * @internal
   */
  public _render(envPrefix: string, caFile?: string): { entries: Array<[string, string]>; env: SecretEnv[] } {
    const env: SecretEnv[] = [];
    const entries: Array<[string, string]> = [['Name', this.plugin], ['Match', this.match], ...this.entries];
    if (caFile !== undefined) entries.push(['tls.ca_file', caFile]);
    for (const secret of this.secrets) {
      const name = `${envPrefix}${secret.suffix}`;
      env.push({ name, value: kplus.EnvValue.fromSecretValue(secret.value), secret: secret.value.secret });
      entries.push([secret.key, `\${${name}}`]);
    }
    return { entries, env };
  }
}

function match(owner: string, options: FluentBitOutputOptions): string {
  return checkConfToken(owner, 'match', options.match ?? '*', MATCH, MATCH_WHAT);
}

function network(owner: string, options: FluentBitNetworkOutputOptions, defaultPort: number): Array<[string, string]> {
  checkHost(owner, 'host', options.host);
  const port = checkPort(owner, 'port', options.port ?? defaultPort);
  const entries: Array<[string, string]> = [
    ['Host', options.host],
    ['Port', String(port)],
  ];
  const tls = options.tls ?? false;
  for (const prop of ['tlsVerify', 'tlsTrust'] as const) {
    if (options[prop] !== undefined && !tls) {
      throw new Error(`${owner}: '${prop}' needs 'tls: true'; without TLS there is no certificate to verify`);
    }
  }
  if (options.tlsTrust !== undefined && options.tlsVerify === false) {
    throw new Error(`${owner}: 'tlsTrust' is a CA to verify the server with, but 'tlsVerify' is false; drop one`);
  }
  entries.push(['tls', onOff(tls)]);
  if (tls) entries.push(['tls.verify', onOff(options.tlsVerify ?? true)]);
  return entries;
}

/** The HTTP_User entry, and the HTTP_Passwd credential. */
function basicAuth(
  owner: string,
  options: FluentBitHttpOutputOptions,
  entries: Array<[string, string]>,
): SecretField[] {
  const { httpUser: user, httpPassword: password } = options;
  if ((user === undefined) !== (password === undefined)) {
    throw new Error(`${owner}: 'httpUser' and 'httpPassword' go together; give both or neither`);
  }
  if (user === undefined || password === undefined) return [];
  checkConfToken(owner, 'httpUser', user, USER, USER_WHAT);
  entries.push(['HTTP_User', user]);
  return [{ key: 'HTTP_Passwd', suffix: 'HTTP_PASSWD', value: password }];
}
