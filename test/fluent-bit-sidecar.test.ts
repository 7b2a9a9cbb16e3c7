import { Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  FluentBitConfig,
  FluentBitHealth,
  FluentBitLogLevel,
  FluentBitLokiLineFormat,
  FluentBitMultilineParser,
  FluentBitOutput,
  FluentBitParser,
  FluentBitSidecar,
  FluentBitSidecarProps,
  FluentBitStdoutFormat,
  KubernetesVersion,
  SharedVolume,
  SidecarMode,
  WorkloadKind,
} from '../lib';
import { chartWithApp, containerNamed, only, onlyPodSpec, synthValid } from './util/manifest';

// ---------------------------------------------------------------------------------------------------------------
// A small parser for Fluent Bit's classic configuration format, strict where Fluent Bit is: section headers at
// the start of a line, entries indented by four spaces as `Key value`, no empty sections, and no `@INCLUDE` /
// `@SET` commands (we never generate them, so any would be injected).
// ---------------------------------------------------------------------------------------------------------------

interface Section {
  readonly name: string;
  readonly entries: Array<[string, string]>;
}

function parseConf(text: string): Section[] {
  const sections: Array<{ name: string; entries: Array<[string, string]> }> = [];
  text.split('\n').forEach((line, i) => {
    const where = `line ${i + 1} ${JSON.stringify(line)}`;
    if (line.trim() === '') return;
    const header = /^\[([A-Z_]+)\]$/.exec(line);
    if (header) {
      sections.push({ name: header[1], entries: [] });
      return;
    }
    const entry = /^ {4}(\S+) +(\S.*)$/.exec(line);
    if (!entry) throw new Error(`not a section header nor an indented entry: ${where}`);
    if (entry[1].startsWith('@') || entry[1].startsWith('#')) throw new Error(`command or comment: ${where}`);
    if (entry[2] !== entry[2].trim()) throw new Error(`trailing space: ${where}`);
    if (sections.length === 0) throw new Error(`entry outside a section: ${where}`);
    sections[sections.length - 1].entries.push([entry[1], entry[2]]);
  });
  for (const s of sections) {
    if (s.entries.length === 0) throw new Error(`empty section [${s.name}]`);
  }
  return sections;
}

const KNOWN_KEYS: { [section: string]: string[] } = {
  SERVICE: [
    'Flush',
    'Grace',
    'Daemon',
    'Log_Level',
    'Parsers_File',
    'HTTP_Server',
    'HTTP_Listen',
    'HTTP_Port',
    'Health_Check',
    'HC_Errors_Count',
    'HC_Retry_Failure_Count',
    'HC_Period',
    'scheduler.base',
    'scheduler.cap',
    'storage.path',
    'storage.sync',
    'storage.backlog.mem_limit',
  ],
  'INPUT tail': [
    'Name',
    'Tag',
    'Path',
    'Exclude_Path',
    'DB',
    'DB.locking',
    'Read_from_Head',
    'Mem_Buf_Limit',
    'Skip_Long_Lines',
    'Refresh_Interval',
    'Path_Key',
    'Parser',
    'multiline.parser',
    'storage.type',
  ],
  'OUTPUT es': [
    'Name',
    'Match',
    'Host',
    'Port',
    'tls',
    'tls.verify',
    'Index',
    'Logstash_Format',
    'Logstash_Prefix',
    'Suppress_Type_Name',
    'Path',
    'HTTP_User',
    'HTTP_Passwd',
  ],
  'OUTPUT loki': [
    'Name',
    'Match',
    'Host',
    'Port',
    'tls',
    'tls.verify',
    'Uri',
    'Labels',
    'Line_Format',
    'Tenant_ID',
    'HTTP_User',
    'HTTP_Passwd',
    'Bearer_Token',
  ],
  'OUTPUT forward': [
    'Name',
    'Match',
    'Host',
    'Port',
    'tls',
    'tls.verify',
    'Shared_Key',
    'Self_Hostname',
    'Require_ack_response',
  ],
  'OUTPUT stdout': ['Name', 'Match', 'Format'],
  PARSER: ['Name', 'Format', 'Regex', 'Time_Key', 'Time_Format', 'Time_Keep'],
};
// every output buffers on the state volume, retries and may trust a CA bundle
for (const kind of Object.keys(KNOWN_KEYS).filter((k) => k.startsWith('OUTPUT '))) {
  KNOWN_KEYS[kind].push('Retry_Limit', 'storage.total_limit_size');
  if (kind !== 'OUTPUT stdout') KNOWN_KEYS[kind].push('tls.ca_file');
}

const REQUIRED_KEYS: { [section: string]: string[] } = {
  SERVICE: ['Flush', 'Grace', 'HTTP_Server', 'HTTP_Port', 'Health_Check'],
  'INPUT tail': ['Name', 'Tag', 'Path', 'DB'],
  'OUTPUT es': ['Name', 'Match', 'Host', 'Port'],
  'OUTPUT loki': ['Name', 'Match', 'Host', 'Port', 'Labels'],
  'OUTPUT forward': ['Name', 'Match', 'Host', 'Port'],
  'OUTPUT stdout': ['Name', 'Match'],
  PARSER: ['Name', 'Format'],
};

const get = (s: Section, key: string) => s.entries.find(([k]) => k === key)?.[1];

/**
 * Parses a generated configuration and checks every section and key against what Fluent Bit knows. The main
 * file has exactly one [SERVICE]; a parsers file has only [PARSER] sections.
 */
function checkedConf(text: string, file: 'main' | 'parsers' = 'main'): Section[] {
  const sections = parseConf(text);
  for (const s of sections) {
    const kind = s.name === 'INPUT' || s.name === 'OUTPUT' ? `${s.name} ${get(s, 'Name')}` : s.name;
    const known = KNOWN_KEYS[kind];
    if (!known) throw new Error(`unknown section ${kind}`);
    for (const [key] of s.entries) {
      if (!known.includes(key)) throw new Error(`unknown key ${key} in ${kind}`);
    }
    for (const key of REQUIRED_KEYS[kind]) {
      if (get(s, key) === undefined) throw new Error(`missing key ${key} in ${kind}`);
    }
    const keys = s.entries.map(([k]) => k);
    if (new Set(keys).size !== keys.length) throw new Error(`a key repeats in ${kind}`);
  }
  if (file === 'main' && sections.filter((s) => s.name === 'SERVICE').length !== 1) {
    throw new Error('expected one [SERVICE]');
  }
  if (file === 'parsers' && sections.some((s) => s.name !== 'PARSER')) throw new Error('expected [PARSER] only');
  if (file === 'main' && sections.some((s) => s.name === 'PARSER')) throw new Error('[PARSER] in the main file');
  return sections;
}

// ---------------------------------------------------------------------------------------------------------------

function setup(version?: KubernetesVersion, kind?: WorkloadKind) {
  const { chart, app } = chartWithApp(
    'api',
    { name: 'app', image: 'company/api:1.0.0', portNumber: 8080 },
    { kind, version },
  );
  const logs = SharedVolume.emptyDir(chart, 'app-logs');
  return { chart, app, logs };
}

const stdoutConfig = () => FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()] });

function sidecar(extra: Partial<FluentBitSidecarProps> = {}, version?: KubernetesVersion) {
  const { chart, app, logs } = setup(version);
  new FluentBitSidecar(chart, 'log-forwarder', {
    workload: app.workload,
    logVolume: logs,
    config: stdoutConfig(),
    ...extra,
  });
  return { chart, app, logs };
}

function confOf(manifests: any[], key = 'fluent-bit.conf'): string {
  return only(manifests, 'ConfigMap').data[key];
}

function sectionsOf(manifests: any[], name: string, plugin?: string): Section[] {
  return checkedConf(confOf(manifests)).filter((s) => s.name === name && (!plugin || get(s, 'Name') === plugin));
}

describe('FluentBitSidecar rendering', () => {
  test('renders a native sidecar with the seed image and resources, tailing the log volume read-only', () => {
    const { chart, app, logs } = setup();
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      appMountPath: '/var/log/app',
      config: FluentBitConfig.generate({ outputs: [FluentBitOutput.elasticsearch({ host: 'elasticsearch-svc' })] }),
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    const c = containerNamed(spec, 'log-forwarder');
    expect(spec.initContainers.map((x: any) => x.name)).toEqual(['log-forwarder']);
    expect(c).toMatchObject({
      image: 'fluent/fluent-bit:5.0.3',
      command: ['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf'],
      restartPolicy: 'Always',
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      securityContext: { runAsUser: 65534, runAsNonRoot: true, readOnlyRootFilesystem: true },
    });
    expect(c.volumeMounts).toEqual([
      { name: 'app-logs', mountPath: '/var/log/app', readOnly: true },
      { name: 'log-forwarder-config', mountPath: '/fluent-bit/etc', readOnly: true },
      { name: 'log-forwarder-state', mountPath: '/fluent-bit/state', readOnly: false },
    ]);
    expect(containerNamed(spec, 'app').volumeMounts).toEqual([
      { name: 'app-logs', mountPath: '/var/log/app', readOnly: false },
    ]);
  });

  test('probes /api/v1/uptime on the HTTP port (startup and liveness), never the health endpoint', () => {
    // GIVEN a generated configuration WHEN synthesized THEN the probes do not fail while an output errors
    const manifests = synthValid(sidecar().chart);
    const c = containerNamed(onlyPodSpec(manifests), 'log-forwarder');
    expect(c.startupProbe).toEqual({
      httpGet: { path: '/api/v1/uptime', port: 2020 },
      periodSeconds: 2,
      failureThreshold: 30,
      timeoutSeconds: 1,
    });
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/api/v1/uptime', port: 2020 },
      periodSeconds: 10,
      failureThreshold: 3,
      timeoutSeconds: 2,
    });
    expect(c.ports).toEqual([{ containerPort: 2020, protocol: 'TCP' }]);
  });

  test('renders a classic sidecar when the target is Kubernetes 1.28', () => {
    const manifests = synthValid(sidecar({}, KubernetesVersion.V1_28).chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.initContainers).toBeUndefined();
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-forwarder']);
    expect(containerNamed(spec, 'log-forwarder').restartPolicy).toBeUndefined();
  });

  test('mode CLASSIC renders beside the app even on 1.29', () => {
    const spec = onlyPodSpec(synthValid(sidecar({ mode: SidecarMode.CLASSIC }).chart));
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app', 'log-forwarder']);
    expect(spec.initContainers).toBeUndefined();
  });

  test('in a Job it is a native sidecar, so the Job completes', () => {
    const { chart, app, logs } = setup(undefined, WorkloadKind.job());
    new FluentBitSidecar(chart, 'log-forwarder', { workload: app.workload, logVolume: logs, config: stdoutConfig() });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const job = only(manifests, 'Job');
    const spec = job.spec.template.spec;
    expect(spec.initContainers).toEqual([expect.objectContaining({ name: 'log-forwarder', restartPolicy: 'Always' })]);
    expect(spec.containers.map((c: any) => c.name)).toEqual(['app']);
    expect(spec.restartPolicy).toBe('Never');
  });

  test('in a Job on Kubernetes 1.28 it is an error that says what to do', () => {
    const { chart, app, logs } = setup(KubernetesVersion.V1_28, WorkloadKind.job());
    new FluentBitSidecar(chart, 'log-forwarder', { workload: app.workload, logVolume: logs, config: stdoutConfig() });
    expect(() => Testing.synth(chart)).toThrow(
      "sidecar 'log-forwarder' would render as a classic sidecar in a Job (target Kubernetes 1.28): the pod would " +
        'never complete because the sidecar never exits. Target Kubernetes 1.29+ (KubernetesVersion.setTarget) so it ' +
        'renders as a native sidecar, or run it outside the Job',
    );
  });

  test('attaches to a plain cdk8s-plus Deployment', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    const logs = SharedVolume.emptyDir(chart, 'logs');
    new FluentBitSidecar(chart, 'fluent-bit', { workload: deployment, logVolume: logs, config: stdoutConfig() });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['fluent-bit']);
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['logs', 'fluent-bit-config', 'fluent-bit-state']);
  });

  test('starts after the parts named in `after`', () => {
    const { chart, app, logs } = setup();
    const wait = app.composer.addInitStep({ name: 'wait-for-db', image: 'busybox:1.36', command: ['true'] });
    app.composer.addInitStep({ name: 'migrate', image: 'busybox:1.36', command: ['true'] });
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: stdoutConfig(),
      after: [wait],
    });
    const spec = onlyPodSpec(synthValid(chart));
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-db', 'migrate', 'log-forwarder']);
  });

  test('containerName, image, resources, runAsUser, logMountPath and stateSizeLimitMiB change the container', () => {
    const manifests = synthValid(
      sidecar({
        containerName: 'shipper',
        image: 'fluent/fluent-bit:3.0.7',
        resources: { cpu: { request: kplus.Cpu.millis(20), limit: kplus.Cpu.millis(100) } },
        runAsUser: 1000,
        logMountPath: '/logs',
        stateSizeLimitMiB: 300,
      }).chart,
    );
    const spec = onlyPodSpec(manifests);
    const c = containerNamed(spec, 'shipper');
    expect(c.image).toBe('fluent/fluent-bit:3.0.7');
    expect(c.resources).toEqual({ limits: { cpu: '100m' }, requests: { cpu: '20m' } });
    expect(c.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
    expect(c.volumeMounts[0]).toEqual({ name: 'app-logs', mountPath: '/logs', readOnly: true });
    expect(spec.volumes.find((v: any) => v.name === 'shipper-state')).toEqual({
      name: 'shipper-state',
      emptyDir: { sizeLimit: '300Mi' },
    });
    expect(get(sectionsOf(manifests, 'INPUT')[0], 'Path')).toBe('/logs/*.log');
  });

  test('a long container name still gives DNS-1123 volume names', () => {
    const name = `log-forwarder-${'x'.repeat(49)}`; // 63 characters
    const spec = onlyPodSpec(synthValid(sidecar({ containerName: name }).chart));
    expect(spec.volumes.map((v: any) => v.name)).toEqual([
      'app-logs',
      `${name.slice(0, 56)}-config`,
      `${name.slice(0, 57)}-state`,
    ]);
  });

  test('env adds variables beside the generated ones', () => {
    const chart = sidecar({ env: { TZ: kplus.EnvValue.fromValue('UTC') } }).chart;
    const c = containerNamed(onlyPodSpec(synthValid(chart)), 'log-forwarder');
    expect(c.env).toEqual([{ name: 'TZ', value: 'UTC' }]);
  });

  test('a changed configuration changes the pod template (checksum annotation)', () => {
    const hashOf = (index: string) => {
      const { chart, app, logs } = setup();
      new FluentBitSidecar(chart, 'log-forwarder', {
        workload: app.workload,
        logVolume: logs,
        config: FluentBitConfig.generate({ outputs: [FluentBitOutput.elasticsearch({ host: 'es', index })] }),
      });
      return only(synthValid(chart), 'Deployment').spec.template.metadata.annotations[
        'checksum.cdk8s-pod-patterns/log-forwarder'
      ];
    };
    expect(hashOf('a')).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashOf('a')).toBe(hashOf('a'));
    expect(hashOf('a')).not.toBe(hashOf('b'));
  });
});

describe('namespaces', () => {
  const inProduction = () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'api', {
      kind: WorkloadKind.deployment({ metadata: { namespace: 'production' } }),
      container: { name: 'app', image: 'company/api:1.0.0', portNumber: 8080 },
    });
    return { chart, app, logs: SharedVolume.emptyDir(chart, 'app-logs') };
  };

  test("a generated ConfigMap is rendered in the workload's namespace, where the pod can mount it", () => {
    const { chart, app, logs } = inProduction();
    new FluentBitSidecar(chart, 'log-forwarder', { workload: app.workload, logVolume: logs, config: stdoutConfig() });
    const manifests = synthValid(chart);
    expect(only(manifests, 'Deployment').metadata.namespace).toBe('production');
    expect(only(manifests, 'ConfigMap').metadata.namespace).toBe('production');
  });

  test('throws for a ConfigMap of your own in another namespace', () => {
    const { chart, app, logs } = inProduction();
    const cm = new kplus.ConfigMap(chart, 'cm', { metadata: { name: 'fluent-bit', namespace: 'tools' } });
    expect(
      () =>
        new FluentBitSidecar(chart, 'log-forwarder', {
          workload: app.workload,
          logVolume: logs,
          config: FluentBitConfig.fromConfigMap(cm, { health: FluentBitHealth.httpServer() }),
        }),
    ).toThrow(
      "FluentBitSidecar 'log-forwarder': the ConfigMap 'fluent-bit' is in namespace \"tools\" but the workload is " +
        'in "production"; a pod mounts ConfigMaps of its own namespace only',
    );
  });

  test('throws for an output credential from a Secret of another namespace', () => {
    const { chart, app, logs } = inProduction();
    const creds = new kplus.Secret(chart, 'creds', { metadata: { name: 'es-creds' } });
    expect(
      () =>
        new FluentBitSidecar(chart, 'log-forwarder', {
          workload: app.workload,
          logVolume: logs,
          config: FluentBitConfig.generate({
            outputs: [
              FluentBitOutput.elasticsearch({ host: 'es', httpUser: 'u', httpPassword: { secret: creds, key: 'p' } }),
            ],
          }),
        }),
    ).toThrow(
      "FluentBitSidecar 'log-forwarder': the Secret 'es-creds' is in namespace \"default\" but the workload is in " +
        '"production"; a pod reads Secrets of its own namespace only',
    );
  });
});

describe('generated configuration', () => {
  test('has a service section with the HTTP server and the health check on', () => {
    const manifests = synthValid(sidecar().chart);
    const sections = checkedConf(confOf(manifests));
    expect(sections.map((s) => s.name)).toEqual(['SERVICE', 'INPUT', 'OUTPUT']);
    expect(sections[0].entries).toEqual([
      ['Flush', '1'],
      ['Grace', '5'],
      ['Daemon', 'Off'],
      ['Log_Level', 'info'],
      ['HTTP_Server', 'On'],
      ['HTTP_Listen', '0.0.0.0'],
      ['HTTP_Port', '2020'],
      ['Health_Check', 'On'],
      ['HC_Errors_Count', '5'],
      ['HC_Retry_Failure_Count', '5'],
      ['HC_Period', '60'],
      ['scheduler.base', '5'],
      ['scheduler.cap', '60'],
      ['storage.path', '/fluent-bit/state/buffer'],
      ['storage.sync', 'normal'],
      ['storage.backlog.mem_limit', '5M'],
    ]);
  });

  test('tails <logMountPath>/*.log by default, keeping positions on the state volume', () => {
    const [input] = sectionsOf(synthValid(sidecar().chart), 'INPUT');
    expect(input.entries).toEqual([
      ['Name', 'tail'],
      ['Tag', 'app.*'],
      ['Path', '/var/log/app/*.log'],
      ['DB', '/fluent-bit/state/tail-1.db'],
      ['DB.locking', 'true'],
      ['Read_from_Head', 'On'],
      ['storage.type', 'filesystem'],
      ['Mem_Buf_Limit', '5MB'],
      ['Skip_Long_Lines', 'On'],
      ['Refresh_Interval', '10'],
    ]);
  });

  test('service options change the service section and the probes', () => {
    const manifests = synthValid(
      sidecar({
        config: FluentBitConfig.generate({
          outputs: [FluentBitOutput.stdout()],
          flushSeconds: 2,
          graceSeconds: 10,
          logLevel: FluentBitLogLevel.WARN,
          httpPort: 2021,
          healthErrorsCount: 10,
          healthRetryFailureCount: 3,
          healthPeriodSeconds: 30,
        }),
      }).chart,
    );
    const [service] = sectionsOf(manifests, 'SERVICE');
    expect(service.entries).toEqual(
      expect.arrayContaining([
        ['Flush', '2'],
        ['Grace', '10'],
        ['Log_Level', 'warn'],
        ['HTTP_Port', '2021'],
        ['HC_Errors_Count', '10'],
        ['HC_Retry_Failure_Count', '3'],
        ['HC_Period', '30'],
      ]),
    );
    const c = containerNamed(onlyPodSpec(manifests), 'log-forwarder');
    expect(c.startupProbe.httpGet.port).toBe(2021);
    expect(c.ports).toEqual([{ containerPort: 2021, protocol: 'TCP' }]);
  });

  test('inputs: several tail inputs with tags, excludes, path key, a multiline parser and buffer options', () => {
    const manifests = synthValid(
      sidecar({
        config: FluentBitConfig.generate({
          inputs: [
            {
              paths: ['/var/log/app/*.log', '/var/log/app/jobs/*.log'],
              excludePaths: ['/var/log/app/*.gz'],
              tag: 'app.main.*',
              multilineParsers: [FluentBitMultilineParser.JAVA, FluentBitMultilineParser.GO],
              pathKey: 'file',
              readFromHead: false,
              memBufLimitMiB: 10,
              skipLongLines: false,
              refreshIntervalSeconds: 5,
            },
            { paths: ['/var/log/app/audit/*.json'], tag: 'audit' },
          ],
          outputs: [FluentBitOutput.stdout({ match: 'app.*' }), FluentBitOutput.stdout({ match: 'audit' })],
        }),
      }).chart,
    );
    const inputs = sectionsOf(manifests, 'INPUT');
    expect(inputs[0].entries).toEqual([
      ['Name', 'tail'],
      ['Tag', 'app.main.*'],
      ['Path', '/var/log/app/*.log,/var/log/app/jobs/*.log'],
      ['Exclude_Path', '/var/log/app/*.gz'],
      ['DB', '/fluent-bit/state/tail-1.db'],
      ['DB.locking', 'true'],
      ['Read_from_Head', 'Off'],
      ['storage.type', 'filesystem'],
      ['Mem_Buf_Limit', '10MB'],
      ['Skip_Long_Lines', 'Off'],
      ['Refresh_Interval', '5'],
      ['Path_Key', 'file'],
      ['multiline.parser', 'java, go'],
    ]);
    expect(get(inputs[1], 'DB')).toBe('/fluent-bit/state/tail-2.db');
    expect(sectionsOf(manifests, 'OUTPUT').map((s) => get(s, 'Match'))).toEqual(['app.*', 'audit']);
  });

  test('parsers go to parsers.conf, which the service section loads', () => {
    const json = FluentBitParser.json('app-json', {
      timeKey: 'ts',
      timeFormat: '%Y-%m-%dT%H:%M:%S.%L%z',
      timeKeep: true,
    });
    const access = FluentBitParser.regex('access', '^(?<host>[^ ]*) (?<method>\\S+) (?<path>[^ ]*)$');
    const manifests = synthValid(
      sidecar({
        config: FluentBitConfig.generate({
          inputs: [
            { paths: ['/var/log/app/app.log'], parser: json, tag: 'app' },
            { paths: ['/var/log/app/access.log'], parser: access, tag: 'access' },
            { paths: ['/var/log/app/other.log'], parser: json, tag: 'other' },
          ],
          outputs: [FluentBitOutput.stdout()],
        }),
      }).chart,
    );
    expect(get(sectionsOf(manifests, 'SERVICE')[0], 'Parsers_File')).toBe('/fluent-bit/etc/parsers.conf');
    expect(sectionsOf(manifests, 'INPUT').map((s) => get(s, 'Parser'))).toEqual(['app-json', 'access', 'app-json']);
    const parsers = checkedConf(confOf(manifests, 'parsers.conf'), 'parsers');
    expect(parsers).toEqual([
      {
        name: 'PARSER',
        entries: [
          ['Name', 'app-json'],
          ['Format', 'json'],
          ['Time_Key', 'ts'],
          ['Time_Format', '%Y-%m-%dT%H:%M:%S.%L%z'],
          ['Time_Keep', 'On'],
        ],
      },
      {
        name: 'PARSER',
        entries: [
          ['Name', 'access'],
          ['Format', 'regex'],
          ['Regex', '^(?<host>[^ ]*) (?<method>\\S+) (?<path>[^ ]*)$'],
        ],
      },
    ]);
  });

  test('a logfmt parser', () => {
    const manifests = synthValid(
      sidecar({
        config: FluentBitConfig.generate({
          inputs: [{ paths: ['/var/log/app/*.log'], parser: FluentBitParser.logfmt('kv') }],
          outputs: [FluentBitOutput.stdout()],
        }),
      }).chart,
    );
    expect(checkedConf(confOf(manifests, 'parsers.conf'), 'parsers')[0].entries).toEqual([
      ['Name', 'kv'],
      ['Format', 'logfmt'],
    ]);
  });
});

describe('outputs', () => {
  const secret = (chart: any) => kplus.Secret.fromSecretName(chart, 'creds', 'log-shipper-creds');

  function outputOf(make: (chart: any) => FluentBitOutput) {
    const { chart, app, logs } = setup();
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.generate({ outputs: [make(chart)] }),
    });
    const manifests = synthValid(chart);
    const section = sectionsOf(manifests, 'OUTPUT')[0];
    // every output ends with the same retry and buffer keys (tested on their own below)
    expect(section.entries.slice(-2)).toEqual([
      ['Retry_Limit', 'no_limits'],
      ['storage.total_limit_size', '200M'],
    ]);
    return {
      manifests,
      output: { ...section, entries: section.entries.slice(0, -2) },
      env: containerNamed(onlyPodSpec(manifests), 'log-forwarder').env,
    };
  }

  test('elasticsearch defaults', () => {
    const { output, env } = outputOf(() => FluentBitOutput.elasticsearch({ host: 'elasticsearch-svc' }));
    expect(output.entries).toEqual([
      ['Name', 'es'],
      ['Match', '*'],
      ['Host', 'elasticsearch-svc'],
      ['Port', '9200'],
      ['tls', 'Off'],
      ['Index', 'fluent-bit'],
      ['Suppress_Type_Name', 'On'],
    ]);
    expect(env).toBeUndefined();
  });

  test('elasticsearch with TLS, Logstash format, a path prefix and basic auth from a Secret', () => {
    const { manifests, output, env } = outputOf((chart) =>
      FluentBitOutput.elasticsearch({
        host: 'es.example.com',
        port: 443,
        tls: true,
        tlsVerify: false,
        logstashPrefix: 'api',
        suppressTypeName: false,
        pathPrefix: '/es',
        httpUser: 'shipper',
        httpPassword: { secret: secret(chart), key: 'password' },
        match: 'app.*',
      }),
    );
    expect(manifests).toMatchSnapshot();
    expect(output.entries).toEqual([
      ['Name', 'es'],
      ['Match', 'app.*'],
      ['Host', 'es.example.com'],
      ['Port', '443'],
      ['tls', 'On'],
      ['tls.verify', 'Off'],
      ['Logstash_Format', 'On'],
      ['Logstash_Prefix', 'api'],
      ['Suppress_Type_Name', 'Off'],
      ['Path', '/es'],
      ['HTTP_User', 'shipper'],
      ['HTTP_Passwd', '${FLB_OUTPUT_1_HTTP_PASSWD}'],
    ]);
    // the password reaches Fluent Bit only through a secretKeyRef
    expect(env).toEqual([
      {
        name: 'FLB_OUTPUT_1_HTTP_PASSWD',
        valueFrom: { secretKeyRef: { name: 'log-shipper-creds', key: 'password' } },
      },
    ]);
  });

  test('loki defaults', () => {
    const { output } = outputOf(() => FluentBitOutput.loki({ host: 'loki.monitoring' }));
    expect(output.entries).toEqual([
      ['Name', 'loki'],
      ['Match', '*'],
      ['Host', 'loki.monitoring'],
      ['Port', '3100'],
      ['tls', 'Off'],
      ['Uri', '/loki/api/v1/push'],
      ['Labels', 'job=fluent-bit'],
      ['Line_Format', 'json'],
    ]);
  });

  test('loki with labels, a tenant, key_value lines and a bearer token from a Secret', () => {
    const { output, env } = outputOf((chart) =>
      FluentBitOutput.loki({
        host: 'logs.example.com',
        port: 443,
        tls: true,
        uri: '/api/prom/push',
        labels: { job: 'api', env: 'production' },
        tenantId: 'team-a',
        lineFormat: FluentBitLokiLineFormat.KEY_VALUE,
        bearerToken: { secret: secret(chart), key: 'token' },
      }),
    );
    expect(output.entries).toEqual([
      ['Name', 'loki'],
      ['Match', '*'],
      ['Host', 'logs.example.com'],
      ['Port', '443'],
      ['tls', 'On'],
      ['tls.verify', 'On'],
      ['Uri', '/api/prom/push'],
      ['Labels', 'job=api, env=production'],
      ['Line_Format', 'key_value'],
      ['Tenant_ID', 'team-a'],
      ['Bearer_Token', '${FLB_OUTPUT_1_BEARER_TOKEN}'],
    ]);
    expect(env[0].valueFrom.secretKeyRef).toEqual({ name: 'log-shipper-creds', key: 'token' });
  });

  test('loki with basic auth', () => {
    const { output } = outputOf((chart) =>
      FluentBitOutput.loki({ host: 'loki', httpUser: '12345', httpPassword: { secret: secret(chart), key: 'p' } }),
    );
    expect(get(output, 'HTTP_User')).toBe('12345');
    expect(get(output, 'HTTP_Passwd')).toBe('${FLB_OUTPUT_1_HTTP_PASSWD}');
  });

  test('forward defaults', () => {
    const { output } = outputOf(() => FluentBitOutput.forward({ host: 'fluentd-aggregator' }));
    expect(output.entries).toEqual([
      ['Name', 'forward'],
      ['Match', '*'],
      ['Host', 'fluentd-aggregator'],
      ['Port', '24224'],
      ['tls', 'Off'],
    ]);
  });

  test('forward in Secure Forward mode with a shared key from a Secret and acknowledgements', () => {
    const { output, env } = outputOf((chart) =>
      FluentBitOutput.forward({
        host: 'fluentd-aggregator',
        port: 24284,
        tls: true,
        sharedKey: { secret: secret(chart), key: 'shared-key' },
        selfHostname: 'api.production',
        requireAckResponse: true,
      }),
    );
    expect(output.entries).toEqual([
      ['Name', 'forward'],
      ['Match', '*'],
      ['Host', 'fluentd-aggregator'],
      ['Port', '24284'],
      ['tls', 'On'],
      ['tls.verify', 'On'],
      ['Self_Hostname', 'api.production'],
      ['Require_ack_response', 'True'],
      ['Shared_Key', '${FLB_OUTPUT_1_SHARED_KEY}'],
    ]);
    expect(env[0].name).toBe('FLB_OUTPUT_1_SHARED_KEY');
  });

  test('stdout formats', () => {
    expect(outputOf(() => FluentBitOutput.stdout()).output.entries).toEqual([
      ['Name', 'stdout'],
      ['Match', '*'],
      ['Format', 'json_lines'],
    ]);
    expect(
      get(outputOf(() => FluentBitOutput.stdout({ format: FluentBitStdoutFormat.MSGPACK })).output, 'Format'),
    ).toBe('msgpack');
  });

  test('several outputs get their own credential variables, and no secret value is in the ConfigMap', () => {
    const { chart, app, logs } = setup();
    const creds = secret(chart);
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.generate({
        outputs: [
          FluentBitOutput.elasticsearch({ host: 'es', httpUser: 'a', httpPassword: { secret: creds, key: 'es' } }),
          FluentBitOutput.loki({ host: 'loki', httpUser: 'b', httpPassword: { secret: creds, key: 'loki' } }),
        ],
      }),
    });
    const manifests = synthValid(chart);
    const c = containerNamed(onlyPodSpec(manifests), 'log-forwarder');
    expect(c.env.map((e: any) => [e.name, e.valueFrom.secretKeyRef.key, e.value])).toEqual([
      ['FLB_OUTPUT_1_HTTP_PASSWD', 'es', undefined],
      ['FLB_OUTPUT_2_HTTP_PASSWD', 'loki', undefined],
    ]);
    expect(sectionsOf(manifests, 'OUTPUT').map((s) => get(s, 'HTTP_Passwd'))).toEqual([
      '${FLB_OUTPUT_1_HTTP_PASSWD}',
      '${FLB_OUTPUT_2_HTTP_PASSWD}',
    ]);
    expect(JSON.stringify(only(manifests, 'ConfigMap'))).not.toMatch(/secretKeyRef|log-shipper-creds/);
  });
});

describe('a ConfigMap of your own', () => {
  test('is mounted at /fluent-bit/etc under its own name, with no generated ConfigMap', () => {
    const { chart, app, logs } = setup();
    const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fluent-bit-config');
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.fromConfigMap(cm, { health: FluentBitHealth.httpServer() }),
    });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    const spec = onlyPodSpec(manifests);
    expect(spec.volumes).toContainEqual({ name: 'fluent-bit-config', configMap: { name: 'fluent-bit-config' } });
    const c = containerNamed(spec, 'log-forwarder');
    expect(c.volumeMounts[1]).toEqual({ name: 'fluent-bit-config', mountPath: '/fluent-bit/etc', readOnly: true });
    expect(c.command).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/fluent-bit.conf']);
    expect(c.startupProbe.httpGet).toEqual({ path: '/api/v1/uptime', port: 2020 });
    expect(only(manifests, 'Deployment').spec.template.metadata.annotations).toBeUndefined();
  });

  test('FluentBitHealth.none() drops the probes and the port; configFile and volumeName are used', () => {
    const { chart, app, logs } = setup();
    const cm = kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fluent-bit-config');
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.fromConfigMap(cm, {
        health: FluentBitHealth.none(),
        configFile: 'main.conf',
        volumeName: 'fb-conf',
      }),
    });
    const c = containerNamed(onlyPodSpec(synthValid(chart)), 'log-forwarder');
    expect(c.startupProbe).toBeUndefined();
    expect(c.livenessProbe).toBeUndefined();
    expect(c.ports).toBeUndefined();
    expect(c.command).toEqual(['/fluent-bit/bin/fluent-bit', '-c', '/fluent-bit/etc/main.conf']);
    expect(c.volumeMounts[1].name).toBe('fb-conf');
  });

  test('FluentBitHealth.httpServer(port) probes that port', () => {
    const { chart, app, logs } = setup();
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fb'), {
        health: FluentBitHealth.httpServer(2021),
      }),
    });
    const c = containerNamed(onlyPodSpec(synthValid(chart)), 'log-forwarder');
    expect(c.ports).toEqual([{ containerPort: 2021, protocol: 'TCP' }]);
    expect(c.livenessProbe.httpGet).toEqual({ path: '/api/v1/uptime', port: 2021 });
  });

  test('throws when the configuration does not say what it serves for the probes', () => {
    const cm = kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'cm', 'fb');
    expect(() => FluentBitConfig.fromConfigMap(cm, {} as any)).toThrow(
      "FluentBitConfig.fromConfigMap: 'health' must say what your configuration serves for the probes: " +
        'FluentBitHealth.httpServer(port) when it sets HTTP_Server On, else FluentBitHealth.none()',
    );
  });
  test('a ConfigMap name that cannot name a volume gives a volume name derived from the container', () => {
    const { chart, app, logs } = setup();
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fluent-bit.v2'), {
        health: FluentBitHealth.httpServer(),
      }),
    });
    const spec = onlyPodSpec(synthValid(chart));
    expect(spec.volumes).toContainEqual({ name: 'log-forwarder-config', configMap: { name: 'fluent-bit.v2' } });
  });

  test('throws for a volumeName that is not a DNS label', () => {
    const cm = kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'cm', 'fb');
    expect(() => FluentBitConfig.fromConfigMap(cm, { health: FluentBitHealth.none(), volumeName: 'FB' })).toThrow(
      "FluentBitConfig.fromConfigMap: 'volumeName' must be a DNS-1123 label (lower-case letters, digits and '-', " +
        'starting and ending with a letter or digit, at most 63 characters), got "FB"',
    );
  });
});

describe('grace period', () => {
  test("Grace must be shorter than the pod's terminationGracePeriodSeconds", () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'api', {
      kind: WorkloadKind.deployment({ terminationGracePeriod: Duration.seconds(5) }),
      container: { image: 'company/api:1.0.0' },
    });
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: SharedVolume.emptyDir(chart, 'logs'),
      config: stdoutConfig(),
    });
    expect(() => Testing.synth(chart)).toThrow(
      "FluentBitSidecar 'log-forwarder': Fluent Bit's Grace (5 s) must be shorter than the pod's " +
        "terminationGracePeriodSeconds (5 s), or the kubelet kills it before it has flushed; lower 'graceSeconds' " +
        "or raise the workload's 'terminationGracePeriod'",
    );
  });

  test('checks against the default of 30 s, and the Grace declared for a ConfigMap of your own', () => {
    const { chart, app, logs } = setup();
    new FluentBitSidecar(chart, 'log-forwarder', {
      workload: app.workload,
      logVolume: logs,
      config: FluentBitConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'fb'), {
        health: FluentBitHealth.httpServer(),
        graceSeconds: 30,
      }),
    });
    expect(() => Testing.synth(chart)).toThrow("Fluent Bit's Grace (30 s) must be shorter than the pod's");
  });

  test('a Grace that fits passes', () => {
    const { chart } = sidecar({
      config: FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()], graceSeconds: 25 }),
    });
    expect(() => synthValid(chart)).not.toThrow();
  });
});

describe('validation', () => {
  const props = () => {
    const { chart, app, logs } = setup();
    return { chart, base: { workload: app.workload, logVolume: logs, config: stdoutConfig() } };
  };

  test.each([
    [
      { logMountPath: 'var/log' },
      "FluentBitSidecar 'x': 'logMountPath' must be absolute (start with /), got \"var/log\"",
    ],
    [
      { logMountPath: '/fluent-bit/logs' },
      "FluentBitSidecar 'x': 'logMountPath' must not be '/' nor lie in '/fluent-bit' (the image's own files), got \"/fluent-bit/logs\"",
    ],
    [
      { appMountPath: '/var/log/../app' },
      "FluentBitSidecar 'x': 'appMountPath' must not contain '..', '.' or empty segments, got \"/var/log/../app\"",
    ],
    [{ runAsUser: -1 }, "FluentBitSidecar 'x': 'runAsUser' must be a whole number from 0 to 2147483647, got -1"],
    [
      { stateSizeLimitMiB: 0 },
      "FluentBitSidecar 'x': 'stateSizeLimitMiB' must be a whole number from 1 to 1048576, got 0",
    ],
    [
      { containerName: 'Log_Forwarder' },
      "FluentBitSidecar 'x': 'containerName' must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters), got \"Log_Forwarder\"",
    ],
    [
      { env: { 'BAD-NAME': kplus.EnvValue.fromValue('x') } },
      "FluentBitSidecar 'x': 'env' must be an environment variable name (letters, digits and '_', not starting with a digit), got \"BAD-NAME\"",
    ],
  ])('throws for %j', (extra, message) => {
    const { chart, base } = props();
    expect(() => new FluentBitSidecar(chart, 'x', { ...base, ...(extra as any) })).toThrow(message);
  });

  test('throws if env would replace a credential variable', () => {
    const { chart, base } = props();
    const creds = kplus.Secret.fromSecretName(chart, 's', 'creds');
    expect(
      () =>
        new FluentBitSidecar(chart, 'x', {
          ...base,
          config: FluentBitConfig.generate({
            outputs: [FluentBitOutput.loki({ host: 'l', httpUser: 'u', httpPassword: { secret: creds, key: 'k' } })],
          }),
          env: { FLB_OUTPUT_1_HTTP_PASSWD: kplus.EnvValue.fromValue('oops') },
        }),
    ).toThrow(
      "FluentBitSidecar 'x': 'env' must not set FLB_OUTPUT_1_HTTP_PASSWD, which carries an output's credential; choose another name",
    );
  });

  test('throws if an input path lies outside the log mount', () => {
    const { chart, base } = props();
    expect(
      () =>
        new FluentBitSidecar(chart, 'x', {
          ...base,
          config: FluentBitConfig.generate({
            inputs: [{ paths: ['/etc/*.conf'] }],
            outputs: [FluentBitOutput.stdout()],
          }),
        }),
    ).toThrow(
      "FluentBitSidecar 'x': 'inputs[0].paths' must lie under the log mount path '/var/log/app' (the only log files the sidecar can see), got \"/etc/*.conf\"",
    );
  });

  const stdout = [FluentBitOutput.stdout()];
  test.each([
    [
      () => FluentBitConfig.generate({ outputs: [] }),
      "FluentBitConfig.generate: 'outputs' must hold at least one output (such as FluentBitOutput.stdout()), got none",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, flushSeconds: 0 }),
      "FluentBitConfig.generate: 'flushSeconds' must be a whole number from 1 to 3600, got 0",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, graceSeconds: 1.5 }),
      "FluentBitConfig.generate: 'graceSeconds' must be a whole number from 1 to 3600, got 1.5",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, httpPort: 70000 }),
      "FluentBitConfig.generate: 'httpPort' must be an integer 1-65535, got 70000",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, healthPeriodSeconds: 0 }),
      "FluentBitConfig.generate: 'healthPeriodSeconds' must be a whole number from 1 to 86400, got 0",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, inputs: [{ paths: [] }] }),
      "FluentBitConfig.generate: 'inputs[0].paths' must hold at least one path glob (such as '/var/log/app/*.log'), got none",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, inputs: [{ paths: ['/var/log/app/*.log'], tag: 'app*x' }] }),
      "FluentBitConfig.generate: 'inputs[0].tag' must be a tag of letters, digits, '_', '-' and '.', optionally ending in '.*' (such as 'app.*'), got \"app*x\"",
    ],
    [
      () =>
        FluentBitConfig.generate({ outputs: stdout, inputs: [{ paths: ['/var/log/app/*.log'], memBufLimitMiB: 0 }] }),
      "FluentBitConfig.generate: 'inputs[0].memBufLimitMiB' must be a whole number from 1 to 1024, got 0",
    ],
    [
      () =>
        FluentBitConfig.generate({
          outputs: stdout,
          inputs: [{ paths: ['/var/log/app/*.log'], refreshIntervalSeconds: 0 }],
        }),
      "FluentBitConfig.generate: 'inputs[0].refreshIntervalSeconds' must be a whole number from 1 to 3600, got 0",
    ],
    [
      () => FluentBitConfig.generate({ outputs: stdout, inputs: [{ paths: ['/var/log/app/*.log'], pathKey: 'a b' }] }),
      "FluentBitConfig.generate: 'inputs[0].pathKey' must be a record key of letters, digits and '_', got \"a b\"",
    ],
    [
      () =>
        FluentBitConfig.generate({
          outputs: stdout,
          inputs: [
            {
              paths: ['/var/log/app/*.log'],
              parser: FluentBitParser.json('j'),
              multilineParsers: [FluentBitMultilineParser.JAVA],
            },
          ],
        }),
      "FluentBitConfig.generate: 'inputs[0].parser' and 'inputs[0].multilineParsers' exclude each other (Fluent Bit ignores one of them); give one",
    ],
    [
      () =>
        FluentBitConfig.generate({
          outputs: stdout,
          inputs: [
            { paths: ['/var/log/app/a.log'], parser: FluentBitParser.json('p') },
            { paths: ['/var/log/app/b.log'], parser: FluentBitParser.logfmt('p') },
          ],
        }),
      "FluentBitConfig.generate: two different parsers are named 'p'; share one FluentBitParser or rename one of them",
    ],
    [
      () =>
        FluentBitConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'c', 'c'), {
          health: FluentBitHealth.none(),
          configFile: '../x.conf',
        }),
      "FluentBitConfig.fromConfigMap: 'configFile' must be a relative path of plain segments (letters, digits, '.', '_', '-'; no '..', no leading '/'), got \"../x.conf\"",
    ],
    [
      () =>
        FluentBitConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(Testing.chart(), 'c', 'c'), {
          health: FluentBitHealth.none(),
          graceSeconds: 0,
        }),
      "FluentBitConfig.fromConfigMap: 'graceSeconds' must be a whole number from 1 to 3600, got 0",
    ],
    [
      () => FluentBitParser.json('bad name'),
      "FluentBitParser.json: 'name' must be a parser name of letters, digits, '_', '-' and '.' (such as 'app-json'), got \"bad name\"",
    ],
    [
      () => FluentBitParser.regex('r', '^(.*)$'),
      'FluentBitParser.regex: \'regex\' must capture at least one named group such as (?<message>.*), got "^(.*)$"',
    ],
    [
      () => FluentBitParser.json('j', { timeFormat: '%s' }),
      "FluentBitParser.json: 'timeFormat' needs 'timeKey' (the key whose value it parses)",
    ],
    [
      () => FluentBitParser.json('j', { timeKey: 'ts', timeFormat: ' %s' }),
      'FluentBitParser.json: \'timeFormat\' must be one line of 1-1024 printable characters without leading or trailing spaces, got " %s"',
    ],
    [
      () => FluentBitOutput.elasticsearch({ host: 'es', port: 0 }),
      "FluentBitOutput.elasticsearch: 'port' must be an integer 1-65535, got 0",
    ],
    [
      () => FluentBitOutput.elasticsearch({ host: 'es', index: 'Logs' }),
      "FluentBitOutput.elasticsearch: 'index' must be an Elasticsearch index name (lower-case letters, digits, '.', '_' and '-', starting with a letter or digit), got \"Logs\"",
    ],
    [
      () => FluentBitOutput.elasticsearch({ host: 'es', index: 'a', logstashPrefix: 'b' }),
      "FluentBitOutput.elasticsearch: 'index' and 'logstashPrefix' exclude each other (Logstash format writes to '<prefix>-YYYY.MM.DD'); give one of them",
    ],
    [
      () => FluentBitOutput.elasticsearch({ host: 'es', tlsVerify: false }),
      "FluentBitOutput.elasticsearch: 'tlsVerify' needs 'tls: true'; without TLS there is no certificate to verify",
    ],
    [
      () => FluentBitOutput.elasticsearch({ host: 'es', httpUser: 'u' }),
      "FluentBitOutput.elasticsearch: 'httpUser' and 'httpPassword' go together; give both or neither",
    ],
    [
      () => FluentBitOutput.elasticsearch({ host: 'es', pathPrefix: 'es' }),
      'FluentBitOutput.elasticsearch: \'pathPrefix\' must be absolute (start with /), got "es"',
    ],
    [
      () => FluentBitOutput.loki({ host: 'loki', labels: {} }),
      "FluentBitOutput.loki: 'labels' must hold at least one label (Loki needs one per stream), got {}",
    ],
    [
      () => FluentBitOutput.loki({ host: 'loki', labels: { 'app-name': 'x' } }),
      "FluentBitOutput.loki: 'labels' must be label names of letters, digits and '_' (such as 'job'), got \"app-name\"",
    ],
    [
      () => FluentBitOutput.loki({ host: 'loki', tenantId: 'a b' }),
      "FluentBitOutput.loki: 'tenantId' must be a tenant id of letters, digits, '.', '_' and '-', got \"a b\"",
    ],
    [
      () => FluentBitOutput.loki({ host: 'loki', uri: 'push' }),
      'FluentBitOutput.loki: \'uri\' must be absolute (start with /), got "push"',
    ],
    [
      () => FluentBitOutput.forward({ host: 'fwd', selfHostname: 'me' }),
      "FluentBitOutput.forward: 'selfHostname' needs 'tls: true' (it is part of Secure Forward's handshake)",
    ],
    [
      () => FluentBitOutput.stdout({ match: 'a b' }),
      "FluentBitOutput.stdout: 'match' must be a match pattern of letters, digits, '_', '-', '.' and '*' (such as '*' or 'app.*'), got \"a b\"",
    ],
  ])('%#: throws a clear error', (make, message) => {
    expect(make).toThrow(message);
  });

  test('credential options that exclude each other or need TLS', () => {
    const creds = kplus.Secret.fromSecretName(Testing.chart(), 's', 'creds');
    expect(() =>
      FluentBitOutput.loki({
        host: 'l',
        httpUser: 'u',
        httpPassword: { secret: creds, key: 'p' },
        bearerToken: { secret: creds, key: 't' },
      }),
    ).toThrow("FluentBitOutput.loki: 'bearerToken' and 'httpUser' exclude each other; authenticate with one of them");
    expect(() => FluentBitOutput.forward({ host: 'f', sharedKey: { secret: creds, key: 'k' } })).toThrow(
      "FluentBitOutput.forward: 'sharedKey' needs 'tls: true' (Secure Forward runs over TLS only)",
    );
  });
});

describe('hostile values cannot inject configuration', () => {
  // Each would add a section, a command or a variable read if it reached the file unchecked.
  const HOSTILE = [
    'es\n[OUTPUT]\n    Name stdout',
    'es]\n@INCLUDE /etc/passwd',
    '@INCLUDE /etc/passwd',
    'x ${FLB_OUTPUT_1_HTTP_PASSWD}',
    "es'; rm -rf /; '",
    'es$(id)',
    'es\r\n[INPUT]',
  ];

  test.each(HOSTILE)('host %j is rejected', (value) => {
    expect(() => FluentBitOutput.elasticsearch({ host: value })).toThrow(
      "FluentBitOutput.elasticsearch: 'host' must be a host name",
    );
    expect(() => FluentBitOutput.loki({ host: value })).toThrow("FluentBitOutput.loki: 'host' must be a host name");
    expect(() => FluentBitOutput.forward({ host: value })).toThrow(
      "FluentBitOutput.forward: 'host' must be a host name",
    );
  });

  test.each(HOSTILE)('path glob, tag, index, label, match and user %j are rejected', (value) => {
    const inputs = (input: any) => () =>
      FluentBitConfig.generate({ outputs: [FluentBitOutput.stdout()], inputs: [input] });
    expect(inputs({ paths: [`/var/log/app/${value}`] })).toThrow(
      "FluentBitConfig.generate: 'inputs[0].paths' must be an absolute path glob",
    );
    expect(inputs({ paths: ['/var/log/app/*.log'], excludePaths: [`/var/log/app/${value}`] })).toThrow(
      "FluentBitConfig.generate: 'inputs[0].excludePaths' must be an absolute path glob",
    );
    expect(inputs({ paths: ['/var/log/app/*.log'], tag: value })).toThrow(
      "FluentBitConfig.generate: 'inputs[0].tag' must be a tag",
    );
    expect(() => FluentBitOutput.elasticsearch({ host: 'es', index: value })).toThrow(
      "'index' must be an Elasticsearch index name",
    );
    expect(() => FluentBitOutput.elasticsearch({ host: 'es', logstashPrefix: value })).toThrow(
      "'logstashPrefix' must be an Elasticsearch index name",
    );
    expect(() => FluentBitOutput.loki({ host: 'l', labels: { job: value } })).toThrow(
      "FluentBitOutput.loki: 'labels job' must be a label value",
    );
    expect(() => FluentBitOutput.loki({ host: 'l', tenantId: value })).toThrow(
      "FluentBitOutput.loki: 'tenantId' must be a tenant id",
    );
    expect(() => FluentBitOutput.stdout({ match: value })).toThrow(
      "FluentBitOutput.stdout: 'match' must be a match pattern",
    );
    const creds = kplus.Secret.fromSecretName(Testing.chart(), 's', 'creds');
    expect(() =>
      FluentBitOutput.loki({ host: 'l', httpUser: value, httpPassword: { secret: creds, key: 'p' } }),
    ).toThrow("FluentBitOutput.loki: 'httpUser' must be a user name");
  });

  test('a glob with a comma would add a second path, and is rejected', () => {
    expect(() =>
      FluentBitConfig.generate({
        outputs: [FluentBitOutput.stdout()],
        inputs: [{ paths: ['/var/log/app/a.log,/etc/shadow'] }],
      }),
    ).toThrow(
      "FluentBitConfig.generate: 'inputs[0].paths' must be an absolute path glob of letters, digits, '.', '_', '-', '/' and the wildcards '*' and '?' (no '..', commas or spaces), such as '/var/log/app/*.log', got \"/var/log/app/a.log,/etc/shadow\"",
    );
  });

  test('a Loki label value with a comma would add a label, and is rejected', () => {
    expect(() => FluentBitOutput.loki({ host: 'l', labels: { job: 'a, $secret' } })).toThrow(
      "FluentBitOutput.loki: 'labels job' must be a label value of letters, digits, '.', '_', '-', '/', ':' and '@', got \"a, $secret\"",
    );
  });

  test('a regex or time format with a line break or ${ is rejected', () => {
    expect(() => FluentBitParser.regex('r', '(?<a>.*)\n[OUTPUT]')).toThrow(
      'FluentBitParser.regex: \'regex\' must be one line of 1-1024 printable characters without leading or trailing spaces, got "(?<a>.*)\\n[OUTPUT]"',
    );
    expect(() => FluentBitParser.regex('r', '(?<a>${FLB_OUTPUT_1_HTTP_PASSWD})')).toThrow(
      "FluentBitParser.regex: 'regex' must not contain '${' (Fluent Bit would expand it as an environment variable), got \"(?<a>${FLB_OUTPUT_1_HTTP_PASSWD})\"",
    );
    expect(() => FluentBitParser.json('j', { timeKey: 'ts', timeFormat: '%s\n@INCLUDE x' })).toThrow(
      "FluentBitParser.json: 'timeFormat' must be one line",
    );
  });

  test('brackets and @ inside a regex stay data: the parsed file has only the expected sections', () => {
    const parser = FluentBitParser.regex('odd', '^(?<msg>[OUTPUT] @INCLUDE .*)$');
    const manifests = synthValid(
      sidecar({
        config: FluentBitConfig.generate({
          inputs: [{ paths: ['/var/log/app/*.log'], parser }],
          outputs: [FluentBitOutput.stdout()],
        }),
      }).chart,
    );
    expect(checkedConf(confOf(manifests)).map((s) => s.name)).toEqual(['SERVICE', 'INPUT', 'OUTPUT']);
    const parsers = checkedConf(confOf(manifests, 'parsers.conf'), 'parsers');
    expect(parsers.map((s) => s.name)).toEqual(['PARSER']);
    expect(get(parsers[0], 'Regex')).toBe('^(?<msg>[OUTPUT] @INCLUDE .*)$');
  });
});
