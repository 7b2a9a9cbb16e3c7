import { FRONT_DOOR_ANNOTATION } from '../annotations';
import { ContainerView, ManifestIndex, PodView } from '../manifest-index';
import { argvOf, imageRepository, podRule, Rule } from '../rule';
import { Severity } from '../severity';

/** The pod's front door: the container and port that must receive Service traffic. */
export function frontDoorOf(pod: PodView): { container: string; port: number; by: string } | undefined {
  const annotation = pod.annotations[FRONT_DOOR_ANNOTATION];
  if (typeof annotation === 'string') {
    const m = /^([a-z0-9-]+):(\d+)$/.exec(annotation);
    if (m) return { container: m[1], port: Number(m[2]), by: `annotation '${FRONT_DOOR_ANNOTATION}'` };
  }
  for (const c of [...pod.initContainers.filter((x) => x.native), ...pod.containers]) {
    if (!/(^|\/)oauth2-proxy$/.test(imageRepository(c.container.image))) continue;
    let port: number | undefined;
    for (const a of argvOf(c)) {
      const m = /^--http-address=(?:https?:\/\/)?[^:]*:(\d+)$/.exec(a.value);
      if (m) port = Number(m[1]);
    }
    const declared = c.container.ports?.[0]?.containerPort;
    port = port ?? (typeof declared === 'number' ? declared : 4180);
    return { container: c.name, port, by: `oauth2-proxy container '${c.name}'` };
  }
  return undefined;
}

/** Containers that listen for the pod's lifetime: native sidecars and app containers. */
function listeners(pod: PodView): ContainerView[] {
  return [...pod.initContainers.filter((x) => x.native), ...pod.containers];
}

/** The container port a Service port's targetPort names, resolved in a pod: a number, or undefined. */
function resolveTarget(pod: PodView, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const c of listeners(pod)) {
    for (const p of Array.isArray(c.container.ports) ? c.container.ports : []) {
      if (p?.name === target) return p.containerPort;
    }
  }
  return undefined;
}

/** Each port of each Service with the pods it selects. */
function forEachServicePort(
  app: ManifestIndex,
  visit: (service: any, port: any, index: number, pods: PodView[], target: number | string) => void,
): void {
  for (const service of app.services) {
    if (!Array.isArray(service.spec?.ports)) continue;
    const pods = app.podsSelectedBy(service);
    if (pods.length === 0) continue;
    service.spec.ports.forEach((p: any, i: number) => visit(service, p, i, pods, p?.targetPort ?? p?.port));
  }
}

export const frontDoorBypass: Rule = {
  info: {
    id: 'front-door-bypass',
    severity: Severity.ERROR,
    summary: "A Service that selects a pod with a front-door proxy sends its traffic to the proxy's port",
    why:
      'A proxy such as oauth2-proxy or an Envoy that receives the Service traffic only protects the app when every ' +
      "Service goes through it; a Service that targets the app's port skips authentication or the mesh.",
    fix: "Set the Service port's targetPort to the proxy's port (with this library, expose the workload through the composer).",
  },
  check: (app, report) =>
    forEachServicePort(app, (service, port, i, pods, target) => {
      for (const pod of pods) {
        const door = frontDoorOf(pod);
        if (!door) continue;
        const resolved = resolveTarget(pod, target);
        if (resolved === door.port) continue;
        report(service, {
          field: `spec.ports[${i}].targetPort`,
          message:
            `Service port ${port?.port} targets ${JSON.stringify(target)} of ${pod.kind} '${pod.name}', whose front ` +
            `door is port ${door.port} of '${door.container}' (${door.by}): this port bypasses the proxy`,
        });
      }
    }),
};

export const serviceTargetPort: Rule = {
  info: {
    id: 'service-target-port',
    severity: Severity.ERROR,
    summary: "A Service's named targetPort is a port name that a container of each selected pod declares",
    why: 'A Service resolves a named targetPort in each pod; when no container declares the name, the pod gets no endpoint and receives no traffic.',
    fix: "Name the container port as the Service's targetPort says, or target the port by number.",
  },
  check: (app, report) =>
    forEachServicePort(app, (service, port, i, pods, target) => {
      if (typeof target !== 'string' || /^\d+$/.test(target)) return;
      for (const pod of pods) {
        if (resolveTarget(pod, target) !== undefined) continue;
        report(service, {
          field: `spec.ports[${i}].targetPort`,
          message: `Service port ${port?.port} targets the port named '${target}', which no container of ${pod.kind} '${pod.name}' declares`,
        });
      }
    }),
};

export const serviceTargetPortUndeclared: Rule = {
  info: {
    id: 'service-target-port-undeclared',
    severity: Severity.WARNING,
    summary: "A Service's numeric targetPort is a port that a container of each selected pod declares",
    why: 'Traffic to a port that no container declares usually means a typo or a port that changed; the Service then sends traffic nowhere.',
    fix: "Declare the port on the container that listens on it, or correct the Service's targetPort.",
  },
  check: (app, report) =>
    forEachServicePort(app, (service, port, i, pods, target) => {
      if (typeof target === 'string' && !/^\d+$/.test(target)) return;
      const number = Number(target);
      for (const pod of pods) {
        const declared = listeners(pod).some((c) =>
          (Array.isArray(c.container.ports) ? c.container.ports : []).some((p: any) => p?.containerPort === number),
        );
        if (declared) continue;
        report(service, {
          field: `spec.ports[${i}].${port?.targetPort === undefined ? 'port' : 'targetPort'}`,
          message: `Service port ${port?.port} sends traffic to port ${number}, which no container of ${pod.kind} '${pod.name}' declares`,
        });
      }
    }),
};

const ISTIO_CONTAINERS = new Set(['istio-proxy', 'istio-init', 'istio-validation']);

/** Whether Istio injects its proxy into the pod (pod label or annotation, namespace label, or an injected proxy). */
export function istioInjected(pod: PodView, app: ManifestIndex): boolean {
  const flag = pod.labels['sidecar.istio.io/inject'] ?? pod.annotations['sidecar.istio.io/inject'];
  if (flag === 'false') return false;
  if (flag === 'true' || pod.labels['istio.io/rev'] !== undefined) return true;
  if (pod.all.some((c) => c.name === 'istio-proxy')) return true;
  const ns = app.namespaces.get(pod.namespace)?.metadata?.labels ?? {};
  return (
    ns['istio-injection'] === 'enabled' || (ns['istio.io/rev'] !== undefined && ns['istio-injection'] !== 'disabled')
  );
}

export const istioReservedPorts: Rule = podRule(
  {
    id: 'istio-reserved-ports',
    severity: Severity.ERROR,
    summary: 'No container of an Istio-injected pod declares a port in 15000-15090',
    why: 'The injected istio-proxy binds ports 15000-15090 (admin, inbound and outbound capture, health, telemetry); a container on one of them clashes with it.',
    fix: 'Move the container to a port outside 15000-15090.',
  },
  (pod, problem, app) => {
    if (!istioInjected(pod, app)) return;
    for (const c of pod.all) {
      if (ISTIO_CONTAINERS.has(c.name)) continue;
      (Array.isArray(c.container.ports) ? c.container.ports : []).forEach((p: any, i: number) => {
        if (typeof p?.containerPort === 'number' && p.containerPort >= 15000 && p.containerPort <= 15090) {
          problem({
            container: c.name,
            field: `${c.field}.ports[${i}].containerPort`,
            message: `container '${c.name}' declares port ${p.containerPort}, which istio-proxy owns in an Istio-injected pod`,
          });
        }
      });
    }
  },
);

const NETWORK_COMMAND =
  /(^|[\s;|&(])(nc|ncat|netcat|wget|curl|git|flyway|vault|psql|mysql|redis-cli|nslookup|dig|kubectl)(\s|$)|[a-z][a-z0-9+.-]*:\/\/|jdbc:/;
const NETWORK_IMAGE = /(flyway|vault|git|curl|wget|kubectl|postgres|mysql|redis)/;

/** Whether an init container looks like it uses the network (by its image, argv or env URLs). */
export function usesNetwork(c: ContainerView): boolean {
  if (NETWORK_IMAGE.test(imageRepository(c.container.image))) return true;
  if (argvOf(c).some((a) => NETWORK_COMMAND.test(a.value))) return true;
  const env: any[] = Array.isArray(c.container.env) ? c.container.env : [];
  return env.some((e) => typeof e?.value === 'string' && /^[a-z][a-z0-9+.-]*:\/\/|^jdbc:/.test(e.value));
}

export const istioClassicInitNetwork: Rule = podRule(
  {
    id: 'istio-classic-init-network',
    severity: Severity.WARNING,
    summary: "In a pod with Istio's classic proxy, no init container needs the network",
    why:
      "A classic istio-proxy starts after every init container, but Istio's iptables redirect is already in place, " +
      'so init containers that connect out (wait loops, migrations, git, Vault) fail or hang.',
    fix:
      "Use Istio's native sidecar (annotation 'sidecar.istio.io/nativeSidecar: \"true\"', Kubernetes 1.29+), run " +
      "the step as uid 1337, or exclude its ports with 'traffic.sidecar.istio.io/excludeOutboundPorts'.",
  },
  (pod, problem, app) => {
    if (!istioInjected(pod, app)) return;
    const native = pod.annotations['sidecar.istio.io/nativeSidecar'];
    if (!(app.minor < 29 || native === 'false')) return;
    if (pod.annotations['traffic.sidecar.istio.io/excludeOutboundPorts'] !== undefined) return;
    if (pod.annotations['traffic.sidecar.istio.io/excludeOutboundIPRanges'] !== undefined) return;
    for (const c of pod.initContainers) {
      if (c.native || ISTIO_CONTAINERS.has(c.name) || c.container.securityContext?.runAsUser === 1337) continue;
      if (!usesNetwork(c)) continue;
      problem({
        container: c.name,
        field: c.field,
        message: `init container '${c.name}' uses the network, but Istio's proxy here is classic (${
          app.minor < 29 ? `target 1.${app.minor}` : '\'sidecar.istio.io/nativeSidecar\' is "false"'
        }) and starts only after it, while its traffic is already redirected`,
      });
    }
  },
);
