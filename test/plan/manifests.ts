/** Small hand-written manifests for the plan tests. */

/** Requests and limits. */
export function res(cpu: string, memory: string, cpuLimit?: string, memoryLimit?: string): any {
  return {
    requests: { cpu, memory },
    ...(cpuLimit && memoryLimit ? { limits: { cpu: cpuLimit, memory: memoryLimit } } : {}),
  };
}

/** A Deployment around a pod spec. */
export function deployment(name: string, spec: any, namespace: string | null = 'shop'): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec },
    },
  };
}

/**
 * A native sidecar (a mesh proxy) that starts before a regular init container (a migration): the migration runs
 * while the proxy runs, so the pod needs both at once.
 */
export function sidecarBeforeMigration(): any {
  return deployment('checkout', {
    initContainers: [
      {
        name: 'proxy',
        image: 'envoyproxy/envoy:v1.30-latest',
        restartPolicy: 'Always',
        resources: res('200m', '256Mi', '400m', '512Mi'),
        startupProbe: { httpGet: { path: '/ready', port: 15021 }, periodSeconds: 2, failureThreshold: 15 },
        ports: [{ containerPort: 15001 }],
      },
      {
        name: 'migrate',
        image: 'flyway/flyway:10.12-alpine',
        resources: res('500m', '512Mi', '1', '1Gi'),
      },
    ],
    containers: [
      { name: 'checkout', image: 'company/checkout:1.0.0', resources: res('300m', '128Mi', '500m', '256Mi') },
    ],
  });
}
