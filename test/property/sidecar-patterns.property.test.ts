/**
 * Property: every sidecar pattern and its factories (FluentBitSidecar/FluentBitConfig/FluentBitOutput,
 * FluentdSidecar, EnvoySidecar/EnvoyConfig, IstioInjection, OAuth2ProxySidecar/OAuth2Provider) with valid,
 * edge and hostile props either throw a clear Error or produce output a cluster accepts.
 */
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  EnvoyConfig,
  EnvoyProtocol,
  EnvoySidecar,
  FluentBitConfig,
  FluentBitOutput,
  FluentBitSidecar,
  FluentdSidecar,
  IstioInjection,
  OAuth2Provider,
  OAuth2ProxySidecar,
  SharedVolume,
  SidecarMode,
} from '../../lib';
import { constructId, dnsLabel, hostName, image, maybe, num, port, text } from './arbitraries';
import { base } from './base';
import { buildOrThrowNaming, property, reportCases } from './fuzz';

reportCases('sidecar-patterns.property');

const common = {
  id: constructId,
  containerName: maybe(text(dnsLabel)),
  image: maybe(image),
  mode: maybe(fc.constantFrom(...Object.values(SidecarMode))),
  job: fc.boolean(),
};
const absPath = text(fc.stringMatching(/^(\/[a-z][a-z0-9_-]{0,8}){1,3}$/));
const logPath = text(fc.stringMatching(/^\/var\/log\/app\/[a-z*]{1,6}\.log$/));

const output = fc.oneof(
  fc.record({
    es: text(hostName),
    port: maybe(port),
    index: maybe(text(dnsLabel)),
    tls: fc.boolean(),
    auth: fc.boolean(),
  }),
  fc.record({ loki: text(hostName), labels: maybe(fc.dictionary(text(dnsLabel), text(dnsLabel), { maxKeys: 2 })) }),
  fc.record({ forward: text(hostName), port: maybe(port) }),
  fc.constant({ stdout: true }),
);

property(
  'FluentBitSidecar with a generated configuration',
  fc.record({
    ...common,
    inputs: fc.array(
      fc.record({
        paths: fc.array(logPath, { minLength: 0, maxLength: 2 }),
        tag: maybe(text(fc.constantFrom('app.*'))),
      }),
      { maxLength: 2 },
    ),
    outputs: fc.array(output, { minLength: 0, maxLength: 2 }),
    appMountPath: maybe(absPath),
    flushSeconds: maybe(num(fc.integer({ min: 1, max: 30 }))),
    httpPort: maybe(port),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app, secret } = base(p.job ? 'job' : 'deployment');
      const outputs = p.outputs.map((o) =>
        'es' in o
          ? FluentBitOutput.elasticsearch({
              host: o.es,
              port: o.port,
              index: o.index,
              tls: o.tls,
              httpUser: o.auth ? 'shipper' : undefined,
              httpPassword: o.auth ? { secret, key: 'password' } : undefined,
            })
          : 'loki' in o
            ? FluentBitOutput.loki({ host: o.loki, labels: o.labels })
            : 'forward' in o
              ? FluentBitOutput.forward({ host: o.forward, port: o.port })
              : FluentBitOutput.stdout(),
      );
      new FluentBitSidecar(app, p.id, {
        workload: app.workload,
        containerName: p.containerName,
        image: p.image,
        mode: p.mode,
        logVolume: SharedVolume.emptyDir(chart, 'logs'),
        appMountPath: p.appMountPath,
        config: FluentBitConfig.generate({
          inputs: p.inputs,
          outputs,
          flushSeconds: p.flushSeconds,
          httpPort: p.httpPort,
        }),
      });
      return chart;
    }, [
      'containerName',
      'image',
      'mode',
      'SidecarMode',
      'inputs',
      'paths',
      'tag',
      'outputs',
      'host',
      'port',
      'index',
      'labels',
      'appMountPath',
      'flushSeconds',
      'httpPort',
      'sidecar',
    ]).outcome,
  1200,
);

property(
  'FluentdSidecar with any Elasticsearch settings and paths',
  fc.record({
    ...common,
    configMapName: text(dnsLabel),
    configFile: maybe(text(fc.constantFrom('fluent.conf'))),
    appMountPath: maybe(absPath),
    elasticsearchHost: maybe(text(hostName)),
    elasticsearchPort: maybe(port),
    elasticsearchUser: maybe(text(fc.constantFrom('shipper'))),
    withPassword: fc.boolean(),
    stateSizeLimitMiB: maybe(num(fc.integer({ min: 1, max: 64 }))),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app, secret } = base(p.job ? 'job' : 'deployment');
      new FluentdSidecar(app, p.id, {
        workload: app.workload,
        ...p,
        logVolume: SharedVolume.emptyDir(chart, 'logs'),
        configMap: kplus.ConfigMap.fromConfigMapName(chart, 'fluentd-config', p.configMapName),
        elasticsearchPassword: p.withPassword ? { secret, key: 'password' } : undefined,
      });
      return chart;
    }, [
      'containerName',
      'image',
      'mode',
      'SidecarMode',
      'configFile',
      'appMountPath',
      'elasticsearch',
      'stateSizeLimitMiB',
      'name',
      'sidecar',
    ]).outcome,
  1000,
);

property(
  'EnvoySidecar with a generated bootstrap or a ConfigMap',
  fc.record({
    ...common,
    bootstrap: fc.boolean(),
    listenerPort: maybe(port),
    upstreamPort: maybe(port),
    healthPort: maybe(port),
    protocol: maybe(fc.constantFrom(...Object.values(EnvoyProtocol))),
    listenerPorts: maybe(fc.array(port, { maxLength: 2 })),
    adminPort: maybe(port),
    serviceCluster: maybe(text(dnsLabel)),
    drainSeconds: maybe(num(fc.integer({ min: 1, max: 25 }))),
    receiveServiceTraffic: fc.boolean(),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app } = base(p.job ? 'job' : 'deployment');
      const config = p.bootstrap
        ? EnvoyConfig.bootstrap({
            listenerPort: p.listenerPort,
            upstreamPort: p.upstreamPort,
            healthPort: p.healthPort,
            protocol: p.protocol,
          })
        : EnvoyConfig.fromConfigMap(kplus.ConfigMap.fromConfigMapName(chart, 'envoy', 'envoy-config'), {
            listenerPorts: p.listenerPorts,
          });
      new EnvoySidecar(app, p.id, {
        workload: app.workload,
        containerName: p.containerName,
        image: p.image,
        mode: p.mode,
        config,
        adminPort: p.adminPort,
        serviceCluster: p.serviceCluster,
        drainSeconds: p.drainSeconds,
        receiveServiceTraffic: p.receiveServiceTraffic,
      });
      if (p.receiveServiceTraffic) app.exposeViaService({ port: 80 });
      return chart;
    }, [
      'containerName',
      'image',
      'mode',
      'SidecarMode',
      'Port',
      'port',
      'serviceCluster',
      'drainSeconds',
      'receiveServiceTraffic',
      'listener',
      'sidecar',
      'front door',
    ]).outcome,
  1000,
);

property(
  'IstioInjection with any revision and proxy resources',
  fc.record({
    inject: maybe(fc.boolean()),
    revision: maybe(text(dnsLabel)),
    nativeSidecar: maybe(fc.boolean()),
    holdApplicationUntilProxyStarts: maybe(fc.boolean()),
    cpuMillis: maybe(num(fc.integer({ min: 1, max: 2000 }))),
    job: fc.boolean(),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app } = base(p.job ? 'job' : 'deployment');
      new IstioInjection(app, 'mesh', {
        workload: app.workload,
        ...p,
        proxyResources: p.cpuMillis === undefined ? undefined : { cpu: { request: kplus.Cpu.millis(p.cpuMillis) } },
      });
      return chart;
    }, ['inject', 'revision', 'nativeSidecar', 'holdApplicationUntilProxyStarts', 'proxyResources', 'cpu']).outcome,
  800,
);

property(
  'OAuth2ProxySidecar with any provider, URLs, domains and ports',
  fc.record({
    ...common,
    provider: fc.oneof(
      fc.constant(() => OAuth2Provider.google()),
      fc.record({ org: maybe(text(dnsLabel)), team: maybe(text(dnsLabel)) }).map((o) => () => OAuth2Provider.github(o)),
      text(fc.constantFrom('https://login.example.com/realms/app')).map((u) => () => OAuth2Provider.oidc(u)),
    ),
    redirectUrl: text(fc.constantFrom('https://dash.example.com/oauth2/callback')),
    emailDomains: fc.array(text(fc.constantFrom('company.com', '*')), { minLength: 0, maxLength: 2 }),
    clientIdKey: maybe(text(fc.constantFrom('client-id'))),
    port: maybe(port),
    upstreamPort: maybe(port),
  }),
  (p) =>
    buildOrThrowNaming(() => {
      const { chart, app, secret } = base(p.job ? 'job' : 'deployment');
      new OAuth2ProxySidecar(app, p.id, {
        workload: app.workload,
        ...p,
        provider: p.provider(),
        secret,
      });
      app.exposeViaService({ port: 80 });
      return chart;
    }, [
      'containerName',
      'image',
      'mode',
      'SidecarMode',
      'org',
      'team',
      'issuerUrl',
      'redirectUrl',
      'emailDomains',
      'clientIdKey',
      'port',
      'upstreamPort',
      'sidecar',
      'front door',
    ]).outcome,
  1000,
);
