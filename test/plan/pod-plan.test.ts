import { ContainerRole, PhaseKind, PodPlan, ResourceAccounting } from '../../lib';
import { deployment, res, sidecarBeforeMigration } from './manifests';

describe('effective resources (KEP-753)', () => {
  test('a native sidecar started before a regular init container counts toward it, where the naive formula does not', () => {
    // GIVEN proxy (native sidecar) 200m/256Mi, then migrate 500m/512Mi, then the app 300m/128Mi
    const manifest = sidecarBeforeMigration();
    // WHEN
    const plan = PodPlan.fromManifest(manifest);
    // THEN migrate runs while proxy runs: 500m + 200m, 512Mi + 256Mi
    expect(plan.toJson().effectiveRequests).toEqual({ cpu: '700m', memory: '768Mi' });
    expect(plan.effectiveResources.cpuRequest.drivenBy).toBe('init container migrate');
    // the guide's formula, max(max(init), sum(app)), says 500m / 512Mi; with the sidecar in the app's sum, still
    // max(500m, 200m + 300m) = 500m and max(512Mi, 256Mi + 128Mi) = 512Mi
    const naiveCpu = Math.max(500, 300);
    const naiveWithSidecar = Math.max(500, 200 + 300);
    expect([naiveCpu, naiveWithSidecar]).not.toContain(plan.effectiveResources.cpuRequest.amount);
    // limits: migrate 1 CPU + 400m, 1Gi + 512Mi
    expect(plan.toJson().effectiveLimits).toEqual({ cpu: '1400m', memory: '1536Mi' });
    expect(plan.resourceStages).toEqual([
      {
        stage: 'native sidecar proxy',
        counted: ['proxy'],
        requests: { cpu: '200m', memory: '256Mi' },
        limits: { cpu: '400m', memory: '512Mi' },
      },
      {
        stage: 'init container migrate',
        counted: ['proxy', 'migrate'],
        requests: { cpu: '700m', memory: '768Mi' },
        limits: { cpu: '1400m', memory: '1536Mi' },
      },
      {
        stage: 'app containers and sidecars',
        counted: ['proxy', 'checkout'],
        requests: { cpu: '500m', memory: '384Mi' },
        limits: { cpu: '900m', memory: '768Mi' },
      },
    ]);
    // the same figures as ResourceAccounting, which the composer's effectiveResources() uses
    expect(plan.effectiveResources).toEqual(ResourceAccounting.ofPodSpec(manifest.spec.template.spec));
    expect(plan.toText()).toContain('CPU request 700m, driven by init container migrate (proxy 200m + migrate 500m)');
  });

  test('the same sidecar started after the init container does not count toward it', () => {
    // GIVEN migrate first, then the proxy
    const manifest = sidecarBeforeMigration();
    manifest.spec.template.spec.initContainers.reverse();
    // WHEN
    const plan = PodPlan.fromManifest(manifest);
    // THEN migrate alone (500m/512Mi) beats the running stage (500m/384Mi) on memory only; the app wins a tie
    expect(plan.toJson().effectiveRequests).toEqual({ cpu: '500m', memory: '512Mi' });
    expect(plan.effectiveResources.cpuRequest.drivenBy).toBe('app containers and sidecars');
    expect(plan.effectiveResources.memoryRequest.drivenBy).toBe('init container migrate');
  });

  test('pod overhead is added; a missing limit leaves the limit out of the JSON and says who sets none', () => {
    // GIVEN
    const plan = PodPlan.fromManifest(
      deployment('web', {
        overhead: { cpu: '250m', memory: '120Mi' },
        containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
      }),
    );
    // THEN
    expect(plan.toJson().effectiveRequests).toEqual({ cpu: '350m', memory: '184Mi' });
    expect(plan.toJson().effectiveLimits).toEqual({});
    expect(plan.notes).toContain("the pod's cpu limit is unbounded: web sets no cpu limit");
  });
});

describe('phases and gating', () => {
  test('init containers run to completion, native sidecars gate on their startupProbe, the app runs together', () => {
    // WHEN
    const plan = PodPlan.fromManifest(sidecarBeforeMigration());
    // THEN
    expect(plan.startupOrder).toEqual(['proxy', 'migrate', 'checkout']);
    expect(plan.phases.map((p) => [p.kind, p.initStatus, p.gate])).toEqual([
      [PhaseKind.NATIVE_SIDECAR, 'Init:0/2', 'waits for startupProbe'],
      [PhaseKind.INIT_CONTAINER, 'Init:1/2', 'runs to completion'],
      [PhaseKind.CONTAINERS, undefined, 'run until the pod stops'],
    ]);
    expect(plan.phases[1].onFailure).toBe(
      'restarted with back-off until it exits 0 (restartPolicy Always): Init:Error, then Init:CrashLoopBackOff; ' +
        'nothing after it starts',
    );
    expect(plan.container('proxy').probes[0]).toEqual({
      probe: 'startupProbe',
      action: 'httpGet http :15021/ready',
      initialDelaySeconds: 0,
      periodSeconds: 2,
      timeoutSeconds: 1,
      failureThreshold: 15,
      allowanceSeconds: 30,
    });
  });

  test('a native sidecar without a startupProbe does not hold the next step: the plan says so', () => {
    // GIVEN
    const manifest = sidecarBeforeMigration();
    delete manifest.spec.template.spec.initContainers[0].startupProbe;
    // WHEN
    const plan = PodPlan.fromManifest(manifest);
    // THEN
    expect(plan.phases[0].gate).toBe('waits until started');
    expect(plan.notes).toContain(
      'native sidecar proxy has no startupProbe: migrate starts as soon as it is running, not when it is ready; ' +
        'give it a startupProbe if later steps use it',
    );
  });

  test('a Job pod with restartPolicy Never fails on an init failure, and its native sidecars stop when the app completes', () => {
    // GIVEN
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'report', namespace: 'batch' },
      spec: {
        template: {
          spec: {
            restartPolicy: 'Never',
            initContainers: [
              { name: 'fetch', image: 'busybox:1.36' },
              { name: 'logs', image: 'fluent/fluent-bit:3.0', restartPolicy: 'Always' },
            ],
            containers: [{ name: 'report', image: 'company/report:1.0.0' }],
          },
        },
      },
    };
    // WHEN
    const plan = PodPlan.fromManifest(job);
    // THEN
    expect(plan.phases[0].onFailure).toBe(
      'the pod fails (restartPolicy Never) and nothing after it starts; the Job starts a new pod, up to its ' +
        'backoffLimit (6 unless set)',
    );
    expect(plan.phases[2].gate).toBe('run to completion');
    expect(plan.shutdown.trigger).toBe('the app containers complete, or the pod is deleted');
    expect(plan.podCommands.listPods).toBe('kubectl get pods -n batch -l job-name=report');
    expect(plan.statuses.map((s) => s.status)).toContain('Completed');
  });
});

describe('containers', () => {
  test('image, mounts (read-only, memory-backed), ports, probes and resources of each container', () => {
    // GIVEN
    const plan = PodPlan.fromManifest({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'payments', namespace: 'prod' },
      spec: {
        volumes: [
          { name: 'secrets', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
          { name: 'ca', configMap: { name: 'vault-ca' } },
          { name: 'tls', secret: { secretName: 'payments-tls' } },
        ],
        initContainers: [
          {
            name: 'vault',
            image: 'hashicorp/vault:1.16',
            volumeMounts: [
              { name: 'secrets', mountPath: '/secrets' },
              { name: 'ca', mountPath: '/vault-ca', readOnly: true },
            ],
          },
        ],
        containers: [
          {
            name: 'payments',
            image: 'company/payments:4.2.0',
            ports: [{ containerPort: 9090, name: 'http' }],
            readinessProbe: { tcpSocket: { port: 9090 } },
            volumeMounts: [
              { name: 'secrets', mountPath: '/secrets', readOnly: true },
              { name: 'tls', mountPath: '/tls', readOnly: true, subPath: 'tls.crt' },
            ],
            resources: { limits: { cpu: '0.5', memory: '1G' } },
          },
        ],
      },
    });
    // THEN
    expect(plan.container('vault').role).toBe(ContainerRole.INIT_CONTAINER);
    expect(plan.container('vault').mounts).toEqual([
      {
        volume: 'secrets',
        mountPath: '/secrets',
        readOnly: false,
        memoryBacked: true,
        source: 'emptyDir (memory, 1Mi)',
      },
      { volume: 'ca', mountPath: '/vault-ca', readOnly: true, memoryBacked: false, source: 'configMap vault-ca' },
    ]);
    const app = plan.container('payments');
    expect(app.mounts[1]).toEqual({
      volume: 'tls',
      mountPath: '/tls',
      readOnly: true,
      memoryBacked: true,
      source: 'secret payments-tls',
      subPath: 'tls.crt',
    });
    expect(app.ports).toEqual([{ containerPort: 9090, protocol: 'TCP', name: 'http' }]);
    expect(app.probes.map((p) => `${p.probe} ${p.action}`)).toEqual(['readinessProbe tcpSocket :9090']);
    // a missing request defaults to the limit
    expect(app.requests).toEqual({ cpu: '500m', memory: '1000000000' });
    expect(plan.toJson().effectiveRequests).toEqual({ cpu: '500m', memory: '1000000000' });
  });
});

describe('shutdown', () => {
  test('the app first, native sidecars after it in reverse order, with who spends the grace period', () => {
    // GIVEN two native sidecars, an app with a preStop sleep, and Fluent Bit's Grace in a ConfigMap
    const manifests = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'fb', namespace: 'shop' },
        data: { 'fluent-bit.conf': '[SERVICE]\n    Grace 12\n' },
      },
      deployment('shop', {
        terminationGracePeriodSeconds: 20,
        volumes: [{ name: 'fb', configMap: { name: 'fb' } }],
        initContainers: [
          {
            name: 'logs',
            image: 'fluent/fluent-bit:3.0',
            restartPolicy: 'Always',
            volumeMounts: [{ name: 'fb', mountPath: '/fluent-bit/etc' }],
          },
          {
            name: 'proxy',
            image: 'envoyproxy/envoy:v1.30-latest',
            restartPolicy: 'Always',
            env: [{ name: 'DRAIN', value: '4' }],
            lifecycle: { preStop: { exec: { command: ['sh', '-c', 'sleep "${DRAIN}"'] } } },
          },
        ],
        containers: [{ name: 'shop', image: 'company/shop:1.0.0', lifecycle: { preStop: { sleep: { seconds: 3 } } } }],
      }),
    ];
    // WHEN
    const [plan] = PodPlan.fromManifests(manifests);
    // THEN
    expect(plan.shutdown.steps.map((s) => s.containers)).toEqual([['shop'], ['proxy'], ['logs']]);
    expect(plan.shutdown.steps.map((s) => s.spends.map((sp) => sp.what))).toEqual([
      ['preStop sleeps 3s'],
      ['preStop hook waits 4s (DRAIN)'],
      ['Fluent Bit flushes for up to its Grace (12s, ConfigMap fb)'],
    ]);
    expect(plan.shutdown.knownSpendSeconds).toBe(19);
    expect(plan.shutdown.withinGracePeriod).toBe(true);
    expect(plan.shutdown.steps[1].description).toBe(
      'native sidecar proxy runs its preStop hook and gets SIGTERM once the app containers have stopped',
    );
    expect(plan.shutdown.steps[2].description).toBe(
      'native sidecar logs runs its preStop hook and gets SIGTERM once proxy has stopped',
    );
  });

  test('shutdown work longer than the grace period is a note', () => {
    // GIVEN
    const plan = PodPlan.fromManifest(
      deployment('slow', {
        terminationGracePeriodSeconds: 5,
        containers: [
          { name: 'slow', image: 'company/slow:1', lifecycle: { preStop: { exec: { command: ['sleep', '10'] } } } },
        ],
      }),
    );
    // THEN
    expect(plan.shutdown.withinGracePeriod).toBe(false);
    expect(plan.notes).toContain(
      'the known shutdown work takes 10s, not less than the grace period (5s): Kubernetes kills what is still ' +
        'running at 5s; raise terminationGracePeriodSeconds or shorten the work',
    );
  });
});

describe('runbook', () => {
  test('a Pod is named in every command, with its namespace', () => {
    // GIVEN
    const plan = PodPlan.fromManifest({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'my-app', namespace: 'production' },
      spec: {
        initContainers: [{ name: 'wait-db', image: 'busybox:1.36' }],
        containers: [{ name: 'app', image: 'my-app:2' }],
      },
    });
    // THEN
    expect(plan.runbook[0].status).toBe('Init:0/1');
    expect(plan.commandsFor('wait-db')).toEqual({
      state:
        'kubectl get pod my-app -n production -o jsonpath=\'{.status.initContainerStatuses[?(@.name=="wait-db")].state}\'',
      logs: 'kubectl logs my-app -n production -c wait-db',
      follow: 'kubectl logs my-app -n production -c wait-db -f',
      previousLogs: 'kubectl logs my-app -n production -c wait-db --previous',
      exec: 'kubectl exec -it my-app -n production -c wait-db -- sh',
      debug: 'kubectl debug -it my-app -n production --image=busybox:1.36 --target=wait-db',
    });
    expect(plan.podCommands.events).toBe(
      'kubectl get events -n production --field-selector involvedObject.name=my-app --sort-by=.lastTimestamp',
    );
    expect(plan.commandsFor('app').state).toContain('.status.containerStatuses[?(@.name=="app")]');
  });

  test('a controller’s pods are found by its selector; without a namespace the commands use the context’s', () => {
    // GIVEN
    const plan = PodPlan.fromManifest(deployment('web', { containers: [{ name: 'web', image: 'nginx:1.27' }] }, null));
    // THEN
    expect(plan.podCommands.listPods).toBe('kubectl get pods -l app=web');
    expect(plan.commandsFor('web').logs).toBe('kubectl logs <pod> -c web');
    expect(plan.notes).toContain("the manifest sets no namespace: the commands use your kubectl context's namespace");
    expect(plan.toJson().namespace).toBeNull();
  });
});

describe('acknowledged rules', () => {
  test('the workload annotation lists rules with their reasons', () => {
    // GIVEN
    const manifest = deployment('web', { containers: [{ name: 'web', image: 'nginx:1.27' }] });
    manifest.metadata.annotations = {
      'pod-patterns.cdk8s.io/acknowledge': JSON.stringify({ 'no-resource-limits': 'limits come from the LimitRange' }),
    };
    // WHEN
    const plan = PodPlan.fromManifest(manifest);
    // THEN
    expect(plan.acknowledgedRules).toEqual([
      { ruleId: 'no-resource-limits', reason: 'limits come from the LimitRange' },
    ]);
    expect(plan.toMarkdown()).toContain('- `no-resource-limits`: limits come from the LimitRange');
  });

  test('an annotation that is not a JSON object is ignored, with a note', () => {
    const manifest = deployment('web', { containers: [{ name: 'web', image: 'nginx:1.27' }] });
    manifest.metadata.annotations = { 'pod-patterns.cdk8s.io/acknowledge': 'no-resource-limits' };
    const plan = PodPlan.fromManifest(manifest);
    expect(plan.acknowledgedRules).toEqual([]);
    expect(plan.notes).toContain(
      'the pod-patterns.cdk8s.io/acknowledge annotation is not a JSON object of rule id to reason; it is ignored',
    );
  });
});

describe('every workload kind', () => {
  const spec = { containers: [{ name: 'app', image: 'app:1' }] };
  test.each([
    ['Pod', { spec }, 'spec'],
    ['Deployment', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['StatefulSet', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['DaemonSet', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['ReplicaSet', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['Job', { spec: { template: { spec } } }, 'spec.template.spec'],
    ['CronJob', { spec: { jobTemplate: { spec: { template: { spec } } } } }, 'spec.jobTemplate.spec.template.spec'],
  ])('%s: the pod spec at its path', (kind, body, path) => {
    const plan = PodPlan.fromManifest({ kind, metadata: { name: 'x' }, ...body });
    expect(plan.podSpecPath).toBe(path);
    expect(plan.startupOrder).toEqual(['app']);
  });

  test('fromManifests keeps workloads in order, skips other objects and empty documents, and reads Lists', () => {
    const plans = PodPlan.fromManifests([
      { kind: 'Service', metadata: { name: 'svc' } },
      null,
      { kind: 'List', items: [{ kind: 'Pod', metadata: { name: 'b' }, spec }] },
      { kind: 'Pod', metadata: { name: 'a' }, spec },
    ]);
    expect(plans.map((p) => p.name)).toEqual(['b', 'a']);
  });
});

describe('bad input', () => {
  test.each([
    [null, "PodPlan: expected a Kubernetes object (a JSON object with 'kind' and 'metadata'), got null"],
    [
      'kind: Pod',
      "PodPlan: expected a Kubernetes object (a JSON object with 'kind' and 'metadata'), got \"kind: Pod\"",
    ],
    [
      { metadata: { name: 'x' } },
      "PodPlan: the object has no 'kind' (keys: metadata); give a Kubernetes object such as a Deployment or a Pod",
    ],
    [
      { kind: 'ConfigMap', metadata: { name: 'cfg' } },
      "PodPlan: ConfigMap 'cfg' is not a workload; a plan is made for a Pod, Deployment, StatefulSet, DaemonSet, " +
        'ReplicaSet, Job or CronJob (PodPlan.fromManifests skips other objects)',
    ],
    [{ kind: 'Pod', metadata: {} }, 'PodPlan: the Pod has no metadata.name; give it a name'],
    [
      { kind: 'Deployment', metadata: { name: 'web' }, spec: {} },
      "PodPlan: Deployment 'web' has no pod spec at spec.template.spec; render the manifest in full",
    ],
    [
      { kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [] } },
      "PodPlan: Pod 'web' has no containers at spec.containers; a pod needs at least one container",
    ],
    [
      { kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ image: 'nginx' }] } },
      "PodPlan: Pod 'web': spec.containers[0] has no name; every container needs one",
    ],
    [
      {
        kind: 'Pod',
        metadata: { name: 'web' },
        spec: { containers: [{ name: 'web', resources: res('12 apples', '1Mi') }] },
      },
      "PodPlan: Pod 'web' container 'web': resources.requests.cpu \"12 apples\" is not a Kubernetes quantity (e.g. '250m', '64Mi')",
    ],
  ])('%j', (manifest, message) => {
    expect(() => PodPlan.fromManifest(manifest)).toThrow(message);
  });

  test('fromManifests names the item that is not an object', () => {
    expect(() =>
      PodPlan.fromManifests([{ kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'a' }] } }, 42]),
    ).toThrow("PodPlan.fromManifests: item 2 is not a Kubernetes object (a JSON object with 'kind'), got 42");
  });
});

describe('formats', () => {
  test('text, Markdown, Mermaid and JSON of one plan', () => {
    // GIVEN
    const plan = PodPlan.fromManifest(sidecarBeforeMigration());
    // WHEN
    const json = plan.toJson();
    const mermaid = plan.toMermaid();
    // THEN
    expect(plan.toText()).toMatchSnapshot();
    expect(plan.toMarkdown()).toMatchSnapshot();
    expect(mermaid).toMatchSnapshot();
    expect(Object.keys(json).slice(0, 10)).toEqual([
      'kind',
      'namespace',
      'name',
      'startupOrder',
      'effectiveRequests',
      'effectiveLimits',
      'drivenBy',
      'phases',
      'shutdown',
      'runbook',
    ]);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(mermaid).toContain('c0 -->|waits for startupProbe| c1');
    expect(mermaid).toContain('c1 -->|runs to completion| running');
    expect(mermaid).toContain('c0 -.-|keeps running| c0_run');
    expect(mermaid).toContain('c0_run -.- stop2');
    expect(plan.toMarkdown()).toContain('```mermaid\nflowchart LR');
  });
});
