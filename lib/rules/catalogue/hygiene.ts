import { memoByKey } from '../../core/memo';
import { formatCpu, formatMemory } from '../../plan/quantity';
import { accountResources } from '../../plan/resource-stages';
import { ContainerView } from '../manifest-index';
import { argvOf, imageRepository, imageTag, podRule, Rule } from '../rule';
import { Severity } from '../severity';

export const resourcesMissing: Rule = podRule(
  {
    id: 'resources-missing',
    severity: Severity.WARNING,
    summary: 'Every container sets CPU and memory requests and a memory limit',
    why:
      'Without requests the scheduler places the pod blind and the container is first to be evicted; without a ' +
      "memory limit one container can take the node's memory.",
    fix: "Set 'resources.requests.cpu', 'resources.requests.memory' and 'resources.limits.memory'.",
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const r = c.container.resources ?? {};
      const missing = [
        r.requests?.cpu === undefined && r.limits?.cpu === undefined ? 'requests.cpu' : undefined,
        r.requests?.memory === undefined && r.limits?.memory === undefined ? 'requests.memory' : undefined,
        r.limits?.memory === undefined ? 'limits.memory' : undefined,
      ].filter((x): x is string => x !== undefined);
      if (missing.length === 0) continue;
      problem({
        container: c.name,
        field: `${c.field}.resources`,
        message: `container '${c.name}' sets no ${missing.join(', ')}`,
      });
    }
  },
);

export const initDominatesRequests: Rule = podRule(
  {
    id: 'init-dominates-requests',
    severity: Severity.INFO,
    summary: "An init container that sets the pod's effective requests (KEP-753) is pointed out",
    why:
      'The scheduler reserves the larger of the biggest init-time use (an init container plus the native sidecars ' +
      'started before it) and the sum of the app containers and sidecars. An init step that asks for more than ' +
      'the running pod needs reserves capacity the pod never uses after start-up.',
    fix: "Lower the init container's requests to what it needs, or accept the reservation.",
  },
  (pod, problem) => {
    let requests;
    try {
      requests = accountResources('ResourceAccounting', pod.spec).effective.requests;
    } catch {
      return; // malformed quantities are reported by resource-quantities
    }
    for (const [label, figure, quantity] of [
      ['CPU', requests.cpu, formatCpu],
      ['memory', requests.memory, formatMemory],
    ] as const) {
      if (figure.stage?.kind !== 'init') continue;
      const name = figure.stage.container!;
      const c = pod.initContainers.find((x) => x.name === name);
      problem({
        container: name,
        field: c ? `${c.field}.resources.requests` : undefined,
        message: `init container '${name}' sets the pod's effective ${label} request (${quantity(figure.amount)}), above what the running pod asks for`,
      });
    }
  },
);

const LOOP = /\b(until|while)\b[\s\S]*\bsleep\b/;

/** A shell loop that sleeps (the expression runs only on text that holds all of its words). */
function isLoop(text: string): boolean {
  return text.includes('sleep') && (text.includes('until') || text.includes('while')) && LOOP.test(text);
}
const BOUNDED = /\btimeout\s|deadline|\$\{?SECONDS\b|-gt\b|-ge\b|-lt\b|-le\b|attempt|tries|retries|max_wait|\bseq\b/i;

/** Whether a text loops and sleeps with nothing that bounds it, once per distinct text (an app repeats its scripts). */
function isUnboundedLoop(text: string): boolean {
  return text.includes('sleep') && unboundedLoops(text);
}

const unboundedLoops = memoByKey((text: string) => isLoop(text) && !BOUNDED.test(text));

export const waitWithoutDeadline: Rule = podRule(
  {
    id: 'wait-without-deadline',
    severity: Severity.WARNING,
    summary: 'An init container that loops waiting for something has a deadline',
    why:
      'A wait loop without a deadline keeps the pod in Init:0/N for ever when the dependency never comes: no ' +
      'error, no restart, nothing for an alert to catch.',
    fix:
      "Bound the loop (a counter, 'timeout', or $SECONDS) and exit non-zero with a message, or set the pod's " +
      'activeDeadlineSeconds.',
  },
  (pod, problem) => {
    const deadline = pod.spec.activeDeadlineSeconds ?? pod.object.spec?.activeDeadlineSeconds;
    if (deadline !== undefined) return;
    for (const c of pod.initContainers) {
      if (c.native) continue;
      const loop = argvOf(c).find((a) => isUnboundedLoop(a.value));
      if (!loop) continue;
      problem({
        container: c.name,
        field: loop.field,
        message: `init container '${c.name}' waits in a loop with no deadline`,
      });
    }
  },
);

const LOG_SHIPPERS = [
  /^fluent\/fluent-bit$/,
  /^fluent\/fluentd/,
  /^timberio\/vector$/,
  /^grafana\/promtail$/,
  /(^|\/)filebeat$/,
];

function isLogShipper(c: ContainerView): boolean {
  return isShipperRepository(imageRepository(c.container.image));
}

/** Whether an image repository is a log shipper's, once per repository (a handful per app). */
const isShipperRepository = memoByKey((repo: string) => LOG_SHIPPERS.some((re) => re.test(repo)));

export const logShipperOrphanVolume: Rule = podRule(
  {
    id: 'log-shipper-orphan-volume',
    severity: Severity.WARNING,
    summary: 'A log shipper reads (mounts read-only) only volumes that another container writes',
    why: 'A shipper that tails a volume no other container writes ships nothing; the logs you expect never arrive.',
    fix: 'Mount the volume writable into the app container at the path it logs to, or drop the mount from the shipper.',
  },
  (pod, problem) => {
    const shippers = pod.all.filter(isLogShipper);
    if (shippers.length === 0) return;
    const volumes: any[] = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
    const emptyDirs = new Set(volumes.filter((v) => v?.emptyDir).map((v) => v.name));
    for (const shipper of shippers) {
      (Array.isArray(shipper.container.volumeMounts) ? shipper.container.volumeMounts : []).forEach(
        (m: any, i: number) => {
          // a writable mount is the shipper's own state (positions, buffers); a read-only one is what it ships
          if (!emptyDirs.has(m?.name) || m.readOnly !== true) return;
          const written = pod.all.some(
            (c) =>
              c !== shipper &&
              !isLogShipper(c) &&
              (Array.isArray(c.container.volumeMounts) ? c.container.volumeMounts : []).some(
                (x: any) => x?.name === m.name && x.readOnly !== true,
              ),
          );
          if (written) return;
          problem({
            container: shipper.name,
            field: `${shipper.field}.volumeMounts[${i}]`,
            message: `log shipper '${shipper.name}' reads volume '${m.name}', which no other container writes`,
          });
        },
      );
    }
  },
);

export const unpinnedImage: Rule = podRule(
  {
    id: 'unpinned-image',
    severity: Severity.WARNING,
    summary: "No image without a tag or with ':latest' is pulled 'IfNotPresent'",
    why:
      "With 'IfNotPresent' each node keeps whatever ':latest' it pulled first, so pods of one workload run " +
      'different versions, and an update never arrives.',
    fix: "Pin the image to a version tag or a digest ('busybox:1.36', 'image@sha256:...').",
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const image = c.container.image;
      if (typeof image !== 'string' || c.container.imagePullPolicy !== 'IfNotPresent') continue;
      const tag = imageTag(image);
      if (tag !== undefined && tag !== 'latest') continue;
      problem({
        container: c.name,
        field: `${c.field}.image`,
        message: `container '${c.name}' pulls ${JSON.stringify(image)}, ${tag ? "tagged 'latest'" : 'without a tag'}, only when missing`,
      });
    }
  },
);

const FLAG_WITH_VALUE = /^--?[A-Za-z][\w.-]*\s+[^\s-]/;
const SHELLS = /(^|\/)(sh|bash|ash|dash|zsh)$/;

export const flagWithValue: Rule = podRule(
  {
    id: 'flag-with-value',
    severity: Severity.WARNING,
    summary: "No command-line argument holds a flag and its value separated by a space ('-c /etc/envoy.yaml')",
    why:
      'Kubernetes passes each list item as one argument, with no shell to split it: the program receives ' +
      "'-c /etc/envoy.yaml' as a single, unknown flag and exits or ignores it.",
    fix: "Split the item in two ('-c', '/etc/envoy.yaml'), or write '--flag=value'.",
  },
  (pod, problem) => {
    for (const c of pod.all) {
      const argv = argvOf(c);
      const shell = SHELLS.test(String(argv[0]?.value ?? ''));
      argv.forEach((a, i) => {
        if (shell && i > 0 && argv[i - 1].value === '-c') return;
        if (shell && i > 1) return;
        if (!FLAG_WITH_VALUE.test(a.value) || a.value.includes('\n')) return;
        problem({
          container: c.name,
          field: a.field,
          message: `container '${c.name}' passes ${JSON.stringify(a.value)} as one argument`,
        });
      });
    }
  },
);
