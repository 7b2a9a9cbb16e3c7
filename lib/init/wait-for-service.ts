import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkHost, checkInteger, checkPort, checkUrl } from '../core/names';
import { InitStep } from '../core/pod-parts';
import { PodPattern, PodPatternProps } from '../core/pod-pattern';
import { SHELL_STEP_RESOURCES } from '../core/render';
import { BUSYBOX_IMAGE, shellPreamble } from '../core/shell';

/** Options for `WaitTarget.fromService()`. */
export interface WaitTargetServiceOptions {
  /**
   * The Service port to wait for. It must be one of the Service's ports when the Service lists any.
   * @default - the Service's first port
   */
  readonly port?: number;

  /**
   * Append the Service's namespace to its name (`postgres-svc.data`), so that the name resolves from a pod
   * in any namespace. The Service (or its Chart) must then have a namespace.
   * @default false - the bare Service name, which resolves from pods in the Service's own namespace
   */
  readonly qualifyWithNamespace?: boolean;

  /**
   * Wait for an HTTP endpoint of the Service at this path (for example '/health') instead of a TCP
   * connection. Success is a 2xx answer, as for `WaitTarget.http()`.
   * @default - a TCP connection to the port
   */
  readonly httpPath?: string;
}

/**
 * Something a `WaitForService` step waits for: a TCP port or an HTTP(S) endpoint.
 *
 * - `WaitTarget.tcp(host, port)`: ready when a TCP connection to `host:port` opens (and the server closes
 *   it after the client's end-of-input, as database, cache and HTTP servers do).
 * - `WaitTarget.http(url)`: ready when a GET on `url` answers 2xx. Redirects do not count: point the URL at
 *   the health endpoint itself.
 * - `WaitTarget.fromService(service)`: the same, for a cdk8s-plus `Service` of the chart.
 */
export class WaitTarget {
  /**
   * Ready when a TCP connection to `host:port` succeeds.
   *
   * @param host a host name (DNS-1123, such as 'postgres-svc' or 'db.data.svc.cluster.local') or an IPv4 address
   * @param port the port, 1-65535
   */
  public static tcp(host: string, port: number): WaitTarget {
    checkHost('WaitTarget.tcp', 'host', host);
    checkPort('WaitTarget.tcp', 'port', port);
    return new WaitTarget(`tcp://${host}:${port}`);
  }

  /**
   * Ready when a GET on `url` answers with a 2xx status (the first answer: redirects are not followed to
   * success). A 3xx, 4xx or 5xx answer, a refused connection or no answer within the attempt timeout
   * mean "not ready yet".
   *
   * HTTPS: the default image's wget (busybox 1.37) speaks TLS with its built-in client, which does NOT
   * verify the server's certificate; the step then only learns that something answered 2xx over TLS. It
   * sends no credentials, so the worst case is a spoofed "ready". That client speaks TLS 1.2 with a few
   * cipher suites only: an endpoint that accepts only TLS 1.3 (or other ciphers) never answers, so an https
   * target without `deadlineSeconds` waits for ever (a warning at synth says so). For a verified check use a
   * `tcp` target, or an image whose wget verifies certificates and holds the CA bundle.
   *
   * @param url an http or https URL without credentials, such as 'http://api:8080/health'
   */
  public static http(url: string): WaitTarget {
    checkUrl('WaitTarget.http', 'url', url);
    // The URL parser forgives 'http:/api' and 'http:///api'; wget does not.
    if (!/^https?:\/\/[A-Za-z0-9]/.test(url)) {
      throw new Error(
        `WaitTarget.http: 'url' must start with 'http://' or 'https://' followed by the host, got ${JSON.stringify(url)}`,
      );
    }
    return new WaitTarget(url);
  }

  /**
   * A cdk8s-plus Service: its name (optionally namespace-qualified) and its first port (or `port`).
   */
  public static fromService(service: kplus.Service, options: WaitTargetServiceOptions = {}): WaitTarget {
    const owner = `WaitTarget.fromService(${service.name})`;
    const ports = service.ports.map((p) => p.port);
    let port: number;
    if (options.port !== undefined) {
      port = checkPort(owner, 'port', options.port);
      if (ports.length > 0 && !ports.includes(port)) {
        throw new Error(
          `${owner}: 'port' must be one of the Service's ports (${ports.join(', ')}), got ${port}; ` +
            'add the port to the Service or pick one of its ports',
        );
      }
    } else {
      if (ports.length === 0) {
        throw new Error(
          `${owner}: the Service has no ports yet, so there is nothing to wait for; pass 'port' or add ` +
            'the port to the Service before making the target',
        );
      }
      port = ports[0];
    }
    let host = service.name;
    if (options.qualifyWithNamespace) {
      const namespace = service.metadata.namespace;
      if (namespace === undefined) {
        throw new Error(
          `${owner}: 'qualifyWithNamespace' is true but the Service has no namespace; set metadata.namespace ` +
            "on the Service (or 'namespace' on its Chart), or leave 'qualifyWithNamespace' false",
        );
      }
      host = `${host}.${namespace}`;
    }
    checkHost(owner, 'host', host);
    if (options.httpPath !== undefined) {
      if (!options.httpPath.startsWith('/')) {
        throw new Error(`${owner}: 'httpPath' must start with '/', got ${JSON.stringify(options.httpPath)}`);
      }
      const url = `http://${host}:${port}${options.httpPath}`;
      checkUrl(owner, 'httpPath', url);
      return new WaitTarget(url);
    }
    return new WaitTarget(`tcp://${host}:${port}`);
  }

  private constructor(
    /**
     * The target as the step's script receives it: `tcp://HOST:PORT`, or the URL.
     */
    public readonly address: string,
  ) {}
}

/** Props for `WaitForService`. */
export interface WaitForServiceProps extends PodPatternProps {
  /**
   * What to wait for. The step waits for each target in turn, in this order, and ends when all are ready.
   */
  readonly targets: WaitTarget[];

  /**
   * Seconds between attempts on a target that is not ready.
   * @default 2 (the first seed manifest's `sleep 2`)
   */
  readonly intervalSeconds?: number;

  /**
   * Seconds one attempt may take (the connection, or the HTTP answer) before it counts as failed.
   * @default 2 (the seed's `nc -w 2`)
   */
  readonly attemptTimeoutSeconds?: number;

  /**
   * Seconds after the step starts when it gives up: it exits non-zero with a message that names the target
   * not yet ready. The pod's restart policy then decides what happens (a Deployment's pod retries the step
   * with a back-off; a Job's pod with `restartPolicy: Never` fails).
   * @default - no deadline: the step waits for ever, as in the seed
   */
  readonly deadlineSeconds?: number;
}

/**
 * The step's script. Every setting arrives in environment variables: WAIT_TARGETS (one target per line:
 * tcp://HOST:PORT or an http(s) URL), WAIT_INTERVAL_SECONDS, WAIT_ATTEMPT_TIMEOUT_SECONDS and
 * WAIT_DEADLINE_SECONDS (0 or unset: none). It relies only on busybox applets (nc, wget, timeout, sed,
 * sleep) and never uses `nc -z`, which Debian's busybox lacks.
 */
const WAIT_FOR_SERVICE_SCRIPT = `${shellPreamble('wait-for-service')}interval=\${WAIT_INTERVAL_SECONDS:-2}
limit=\${WAIT_ATTEMPT_TIMEOUT_SECONDS:-2}
deadline=\${WAIT_DEADLINE_SECONDS:-0}
for value in "$interval" "$limit" "$deadline"; do
  case $value in '' | *[!0-9]*) die 2 "timings must be whole seconds, got '$value'" ;; esac
done
if [ "$interval" -lt 1 ] || [ "$limit" -lt 1 ]; then die 2 'the interval and the attempt timeout must be 1s or more'; fi
# The clock is /proc/uptime in centiseconds: monotonic, and finer than date's whole seconds.
clock() { read -r up _ </proc/uptime; frac=\${up#*.}; now=$((\${up%.*} * 100 + \${frac#0})); }
clock
start=$now
elapsed() { clock; echo $(((now - start) / 100)); }
# Returns 1 unless $1 is tcp://HOST:PORT or an http(s) URL.
well_formed() {
  case $1 in
    tcp://*)
      hostport=\${1#tcp://}
      case \${hostport%:*} in '' | -* | *[!A-Za-z0-9.-]*) return 1 ;; esac
      case \${hostport##*:} in '' | *[!0-9]*) return 1 ;; esac ;;
    http://?* | https://?*) ;;
    *) return 1 ;;
  esac
}
# One attempt at $1 bounded to $2 seconds; sets reason when it fails. The braces also catch the shell's
# own "Terminated" when timeout ends the attempt.
probe() {
  status=''
  case $1 in
    tcp://*)
      hostport=\${1#tcp://}
      out=$({ timeout "$2" nc -w "$2" "\${hostport%:*}" "\${hostport##*:}" </dev/null 2>&1 >/dev/null; } 2>&1)
      rc=$? ;;
    *)
      out=$({ timeout "$2" wget -q -S --spider "$1" </dev/null; } 2>&1)
      rc=$?
      status=$(printf '%s\\n' "$out" | sed -n 's/^ *HTTP\\/[0-9.]* \\([0-9][0-9][0-9]\\).*/\\1/p' | sed -n 1p) ;;
  esac
  case $rc:$status in 0: | 0:2??) return 0 ;; esac
  if [ -n "$status" ]; then reason="HTTP $status"
  elif [ "$rc" -eq 143 ] || [ "$rc" -eq 124 ]; then reason="no answer within \${2}s"
  else reason=$(printf '%s\\n' "$out" | sed -n '$p'); fi
  [ -n "$reason" ] || reason="exit code $rc"
  return 1
}
# Sets capped to $1, or to the seconds left before the deadline when fewer; exits when none are left.
cap() {
  capped=$1
  [ "$deadline" -gt 0 ] || return 0
  clock
  left=$((deadline * 100 - (now - start)))
  if [ "$left" -le 0 ]; then
    die 1 "gave up on $target: not ready within the \${deadline}s deadline ($attempt attempt(s); last: $reason)"
  fi
  left=$(((left + 99) / 100))
  if [ "$left" -lt "$capped" ]; then capped=$left; fi
}
wait_for() {
  target=$1 attempt=0 reason='not tried'
  log "waiting for $target"
  while :; do
    cap "$limit"
    attempt=$((attempt + 1))
    if probe "$target" "$capped"; then
      log "$target is ready (attempt $attempt, $(elapsed)s elapsed)"
      return 0
    fi
    cap "$interval"
    log "$target not ready (attempt $attempt, $(elapsed)s elapsed): $reason; next try in \${capped}s"
    sleep "$capped"
  done
}
count=0
while IFS= read -r target; do
  [ -n "$target" ] || continue
  well_formed "$target" || die 2 "bad target '$target': expected tcp://HOST:PORT or an http(s) URL"
  count=$((count + 1))
done <<EOF
\${WAIT_TARGETS:-}
EOF
[ "$count" -gt 0 ] || die 2 'WAIT_TARGETS names no target'
while IFS= read -r target; do
  [ -n "$target" ] || continue
  wait_for "$target" </dev/null
done <<EOF
\${WAIT_TARGETS:-}
EOF
log "all $count target(s) ready after $(elapsed)s"
`;

/**
 * An init step that blocks the app until its dependencies are reachable: TCP ports (databases, caches,
 * brokers) and HTTP(S) health endpoints.
 *
 * It renders one init container (default image `busybox:1.37.0`) that runs a POSIX sh loop: for each target
 * in order, one attempt every `intervalSeconds` (default 2), each bounded to `attemptTimeoutSeconds`
 * (default 2), with a log line per attempt. TCP targets use `nc -w N HOST PORT </dev/null` (no `-z`, which
 * some busybox builds lack) and HTTP targets `wget -q -S --spider` (success on a 2xx status). With
 * `deadlineSeconds` the step exits non-zero, naming the target, once the deadline passes; without it, it
 * waits for ever, as the seed does.
 *
 * Targets and timings reach the script through environment variables, never inside its text.
 *
 * @example
 * const app = new AppWorkload(chart, 'order-service', {
 *   container: { image: 'company/order-service:3.4.1', portNumber: 8080 },
 * });
 * new WaitForService(chart, 'wait-for-db', {
 *   workload: app.workload,
 *   targets: [WaitTarget.tcp('postgres-svc', 5432), WaitTarget.http('http://auth:8080/healthz')],
 *   deadlineSeconds: 300,
 * });
 */
export class WaitForService extends PodPattern {
  /** The init step this pattern added. */
  public readonly step: InitStep;

  /** The targets, in the order they are waited for. */
  public readonly targets: WaitTarget[];

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: WaitForServiceProps) {
    super(scope, id, props);
    if (props.targets.length === 0) {
      throw new Error(
        `${this.owner}: 'targets' must hold at least one target (WaitTarget.tcp(), WaitTarget.http() or ` +
          'WaitTarget.fromService()), got []',
      );
    }
    const seen = new Set<string>();
    for (const target of props.targets) {
      if (seen.has(target.address)) {
        throw new Error(`${this.owner}: 'targets' lists ${target.address} twice; list each target once`);
      }
      seen.add(target.address);
    }
    const interval = checkInteger(this.owner, 'intervalSeconds', props.intervalSeconds ?? 2, 1, 3600);
    const attempt = checkInteger(this.owner, 'attemptTimeoutSeconds', props.attemptTimeoutSeconds ?? 2, 1, 300);
    const env: { [name: string]: kplus.EnvValue } = {
      WAIT_TARGETS: kplus.EnvValue.fromValue(props.targets.map((t) => t.address).join('\n')),
      WAIT_INTERVAL_SECONDS: kplus.EnvValue.fromValue(String(interval)),
      WAIT_ATTEMPT_TIMEOUT_SECONDS: kplus.EnvValue.fromValue(String(attempt)),
    };
    if (props.deadlineSeconds !== undefined) {
      const deadline = checkInteger(this.owner, 'deadlineSeconds', props.deadlineSeconds, 1, 7 * 24 * 3600);
      env.WAIT_DEADLINE_SECONDS = kplus.EnvValue.fromValue(String(deadline));
    }
    this.targets = [...props.targets];
    const https = this.targets.filter((t) => t.address.startsWith('https://'));
    if (https.length > 0 && props.deadlineSeconds === undefined) {
      this.composer.addWarning(
        `${this.owner}: ${https.map((t) => t.address).join(', ')} is waited for over HTTPS with no deadline. ` +
          "busybox's wget speaks TLS 1.2 with a few ciphers only, so an endpoint that accepts TLS 1.3 only never " +
          "answers and the pod waits for ever; set 'deadlineSeconds', or wait for the port with WaitTarget.tcp()",
      );
    }
    this.step = this.composer.addInitStep(
      {
        name: this.containerName,
        image: props.image ?? BUSYBOX_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        command: ['sh', '-c', WAIT_FOR_SERVICE_SCRIPT],
        env,
        resources: props.resources ?? SHELL_STEP_RESOURCES,
        usesNetwork: true,
      },
      { after: props.after },
    );
  }
}
