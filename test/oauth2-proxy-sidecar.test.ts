import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppWorkload,
  CookieSameSite,
  KubernetesVersion,
  OAuth2Provider,
  OAuth2ProxySidecar,
  OAuth2ProxySidecarProps,
  SidecarMode,
  WorkloadKind,
} from '../lib';
import { containerNamed, only, onlyPodSpec, synthValid } from './util/manifest';

function appOf(options: { kind?: WorkloadKind; version?: KubernetesVersion; port?: number } = {}) {
  const chart = Testing.chart();
  if (options.version) KubernetesVersion.setTarget(chart, options.version);
  const app = new AppWorkload(chart, 'dashboard', {
    kind: options.kind,
    container: { name: 'grafana', image: 'grafana/grafana:10.4.0', portNumber: options.port ?? 3000 },
  });
  const secret = kplus.Secret.fromSecretName(chart, 'secret', 'oauth2-proxy-secret');
  return { chart, app, secret };
}

const required = (secret: kplus.ISecret) => ({
  provider: OAuth2Provider.google(),
  secret,
  redirectUrl: 'https://dashboard.internal.example.com/oauth2/callback',
  emailDomains: ['company.com'],
});

const names = (containers: any[] | undefined) => (containers ?? []).map((c: any) => c.name);

/** A cookie secret of the given length. */
const secretOf = (length: number) => 'k'.repeat(length);

describe('OAuth2ProxySidecar', () => {
  test('defaults: a native sidecar with the seed flags, secrets by reference, probes and small resources', () => {
    const { chart, app, secret } = appOf();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const spec = onlyPodSpec(manifests);
    expect(names(spec.initContainers)).toEqual(['oauth2-proxy']);
    const proxy = containerNamed(spec, 'oauth2-proxy');
    expect(proxy.restartPolicy).toBe('Always');
    expect(proxy.image).toBe('quay.io/oauth2-proxy/oauth2-proxy:v7.15.3');
    expect(proxy.args).toEqual([
      '--provider=google',
      '--upstream=http://localhost:3000',
      '--http-address=0.0.0.0:4180',
      '--redirect-url=https://dashboard.internal.example.com/oauth2/callback',
      '--email-domain=company.com',
      '--cookie-secure=true',
      '--cookie-httponly=true',
      '--cookie-samesite=lax',
      '--set-xauthrequest=false',
    ]);
    expect(proxy.env).toEqual(
      [
        ['OAUTH2_PROXY_CLIENT_ID', 'client-id'],
        ['OAUTH2_PROXY_CLIENT_SECRET', 'client-secret'],
        ['OAUTH2_PROXY_COOKIE_SECRET', 'cookie-secret'],
      ].map(([name, key]) => ({ name, valueFrom: { secretKeyRef: { name: 'oauth2-proxy-secret', key } } })),
    );
    expect(proxy.startupProbe.httpGet).toEqual({ path: '/ping', port: 4180 });
    expect(proxy.livenessProbe).toMatchObject({ httpGet: { path: '/ping', port: 4180 }, periodSeconds: 10 });
    expect(proxy.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 4180 }, periodSeconds: 5 });
    expect(proxy.resources).toEqual({
      requests: { cpu: '25m', memory: '32Mi' },
      limits: { cpu: '200m', memory: '128Mi' },
    });
  });

  test('classic when the target is Kubernetes 1.28', () => {
    const { chart, app, secret } = appOf({ version: KubernetesVersion.V1_28 });
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
    const spec = onlyPodSpec(synthValid(chart));
    expect(names(spec.containers)).toEqual(['grafana', 'oauth2-proxy']);
    expect(spec.initContainers).toBeUndefined();
    expect(containerNamed(spec, 'oauth2-proxy').restartPolicy).toBeUndefined();
  });

  test("'mode' CLASSIC forces a classic container on 1.29", () => {
    const { chart, app, secret } = appOf();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload: app.workload,
      ...required(secret),
      mode: SidecarMode.CLASSIC,
    });
    expect(names(onlyPodSpec(synthValid(chart)).containers)).toEqual(['grafana', 'oauth2-proxy']);
  });

  test('Services made before and after target the proxy port, not the app port', () => {
    const { chart, app, secret } = appOf();
    app.exposeViaService({ name: 'before', port: 80 });
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret), port: 4181 });
    app.composer.exposeViaService(chart, 'after', { name: 'after' });
    const manifests = synthValid(chart);
    expect(only(manifests, 'Service', 'before').spec.ports).toEqual([{ port: 80, targetPort: 4181 }]);
    expect(only(manifests, 'Service', 'after').spec.ports).toEqual([{ port: 3000, targetPort: 4181 }]);
    expect(app.composer.frontDoorOwner).toBe('oauth2-proxy');
  });

  test('a Job with a native oauth2-proxy sidecar', () => {
    const { chart, app, secret } = appOf({ kind: WorkloadKind.job() });
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(onlyPodSpec(manifests).initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([
      ['oauth2-proxy', 'Always'],
    ]);
  });

  test('attaches to a plain cdk8s-plus Deployment', () => {
    const chart = Testing.chart();
    const deployment = new kplus.Deployment(chart, 'd', { containers: [{ image: 'x:1', portNumber: 8080 }] });
    const secret = kplus.Secret.fromSecretName(chart, 'secret', 'oauth');
    new OAuth2ProxySidecar(chart, 'auth', { workload: deployment, ...required(secret) });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(containerNamed(onlyPodSpec(manifests), 'auth').args).toContain('--upstream=http://localhost:8080');
  });

  test.each([
    ['github', OAuth2Provider.github(), ['--provider=github']],
    [
      'github with org and team',
      OAuth2Provider.github({ org: 'company', team: 'platform' }),
      ['--provider=github', '--github-org=company', '--github-team=platform'],
    ],
    [
      'oidc',
      OAuth2Provider.oidc('https://accounts.example.com'),
      ['--provider=oidc', '--oidc-issuer-url=https://accounts.example.com'],
    ],
    [
      'keycloak-oidc',
      OAuth2Provider.keycloakOidc('https://keycloak.example.com/realms/company'),
      ['--provider=keycloak-oidc', '--oidc-issuer-url=https://keycloak.example.com/realms/company'],
    ],
  ])('provider %s', (_name, provider, expected) => {
    const { chart, app, secret } = appOf();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret), provider });
    const args: string[] = containerNamed(onlyPodSpec(synthValid(chart)), 'oauth2-proxy').args;
    expect(args.slice(0, expected.length)).toEqual(expected);
    expect(args[expected.length]).toBe('--upstream=http://localhost:3000');
  });

  test("'upstreamPort', 'listenAddress' and 'port'", () => {
    const { chart, app, secret } = appOf();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload: app.workload,
      ...required(secret),
      upstreamPort: 3001,
      listenAddress: '10.0.0.1',
      port: 8080,
    });
    const proxy = containerNamed(onlyPodSpec(synthValid(chart)), 'oauth2-proxy');
    expect(proxy.args).toContain('--upstream=http://localhost:3001');
    expect(proxy.args).toContain('--http-address=10.0.0.1:8080');
    expect(proxy.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
  });

  test('cookie flags, several email domains and --set-xauthrequest', () => {
    const { chart, app, secret } = appOf();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload: app.workload,
      ...required(secret),
      redirectUrl: 'http://dashboard.local:8080/oauth2/callback',
      emailDomains: ['company.com', 'corp.company.com'],
      cookieSecure: false,
      cookieHttpOnly: false,
      cookieSameSite: CookieSameSite.STRICT,
      setXAuthRequest: true,
    });
    const args = containerNamed(onlyPodSpec(synthValid(chart)), 'oauth2-proxy').args;
    expect(args.slice(3)).toEqual([
      '--redirect-url=http://dashboard.local:8080/oauth2/callback',
      '--email-domain=company.com',
      '--email-domain=corp.company.com',
      '--cookie-secure=false',
      '--cookie-httponly=false',
      '--cookie-samesite=strict',
      '--set-xauthrequest=true',
    ]);
  });

  test('custom Secret keys', () => {
    const { chart, app, secret } = appOf();
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
      workload: app.workload,
      ...required(secret),
      clientIdKey: 'id',
      clientSecretKey: 'secret',
      cookieSecretKey: 'cookie',
    });
    const env = containerNamed(onlyPodSpec(synthValid(chart)), 'oauth2-proxy').env;
    expect(env.map((e: any) => e.valueFrom.secretKeyRef.key)).toEqual(['id', 'secret', 'cookie']);
  });

  test('secrets never reach the manifest: no plain env value and no argument holds them', () => {
    const chart = Testing.chart();
    const app = new AppWorkload(chart, 'w', { container: { image: 'x:1', portNumber: 3000 } });
    const cookie = 'AAAAAAAAAAAAAAAAAAAAAA'; // 22 URL-safe base64 characters: 16 bytes
    const secret = new kplus.Secret(chart, 's', {
      stringData: { 'client-id': 'the-id', 'client-secret': 'the-client-secret', 'cookie-secret': cookie },
    });
    new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
    const manifests = synthValid(chart);
    const workload = JSON.stringify(only(manifests, 'Deployment'));
    for (const value of ['the-id', 'the-client-secret', cookie]) expect(workload).not.toContain(value);
    const proxy = containerNamed(onlyPodSpec(manifests), 'oauth2-proxy');
    expect(proxy.env.every((e: any) => e.value === undefined && e.valueFrom.secretKeyRef)).toBe(true);
  });

  describe('the cookie secret, when its value is known at synth', () => {
    const withCookie = (cookie: string) => {
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'w', { container: { image: 'x:1', portNumber: 3000 } });
      const secret = new kplus.Secret(chart, 's', {
        stringData: { 'client-id': 'id', 'client-secret': 'secret', 'cookie-secret': cookie },
      });
      new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
      return () => synthValid(chart);
    };

    test.each([
      ['16 raw bytes', secretOf(16)],
      ['24 raw bytes', secretOf(24)],
      ['32 raw bytes', secretOf(32)],
      ['URL-safe base64 of 32 bytes, unpadded', Buffer.alloc(32, 7).toString('base64url')],
      [
        'URL-safe base64 of 32 bytes, padded',
        Buffer.alloc(32, 250).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
      ],
      ['URL-safe base64 of 16 bytes', Buffer.alloc(16, 1).toString('base64url')],
    ])('accepts %s', (_what, cookie) => {
      expect(withCookie(cookie)).not.toThrow();
    });

    test.each([
      // `openssl rand -base64 32`: standard base64 with '+' or '/', which oauth2-proxy does not decode
      ['standard base64 of 32 bytes', Buffer.alloc(32, 251).toString('base64'), 44],
      ['10 raw bytes', secretOf(10), 10],
      ['URL-safe base64 of 20 bytes (27 characters)', Buffer.alloc(20, 3).toString('base64url'), 27],
    ])('rejects %s', (_what, cookie, bytes) => {
      expect(withCookie(cookie)).toThrow(
        `OAuth2ProxySidecar 'oauth2-proxy': the cookie secret in key 'cookie-secret' of Secret 'test-s-c82657af' is ` +
          `${bytes} bytes; oauth2-proxy needs 16, 24 or 32 bytes (or their URL-safe base64 form); generate one ` +
          "with `openssl rand -base64 32 | tr -- '+/' '-_'`",
      );
    });

    test('a missing key of a Secret defined in the app', () => {
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'w', { container: { image: 'x:1', portNumber: 3000 } });
      const secret = new kplus.Secret(chart, 's', { stringData: { 'client-id': 'id', 'cookie-secret': secretOf(32) } });
      new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
      expect(() => synthValid(chart)).toThrow(
        "[test/oauth2-proxy] OAuth2ProxySidecar 'oauth2-proxy': the Secret 'test-s-c82657af' has no key " +
          "'client-secret' ('clientSecretKey'); add it (secret.addStringData) or point 'clientSecretKey' at the key " +
          'that holds it',
      );
      secret.addStringData('client-secret', 'added later');
      expect(() => synthValid(chart)).not.toThrow();
    });
  });

  describe('validation', () => {
    const attach = (props: Partial<OAuth2ProxySidecarProps>, port?: number) => {
      const { chart, app, secret } = appOf({ port });
      return () =>
        new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret), ...props });
    };
    const O = "OAuth2ProxySidecar 'oauth2-proxy'";

    test('redirectUrl', () => {
      expect(attach({ redirectUrl: 'http://dashboard.example.com/oauth2/callback' })).toThrow(
        `${O}: 'redirectUrl' must be a https URL without credentials, quotes, spaces or shell characters (for ` +
          'example https://service:8080/path), got "http://dashboard.example.com/oauth2/callback"',
      );
      expect(attach({ redirectUrl: 'https://dashboard.example.com/callback' })).toThrow(
        `${O}: 'redirectUrl' must end in oauth2-proxy's callback path '/oauth2/callback' with no query, such as ` +
          '\'https://dashboard.example.com/oauth2/callback\', got "https://dashboard.example.com/callback"',
      );
      expect(attach({ redirectUrl: 'https://dashboard.example.com/oauth2/callback?x=1' })).toThrow(
        `${O}: 'redirectUrl' must end in oauth2-proxy's callback path`,
      );
    });

    test.each([
      "https://x.example.com/oauth2/callback';touch /tmp/p;'",
      'https://x.example.com/oauth2/callback"; rm -rf /',
      'https://x.example.com/$(id)/oauth2/callback',
      'https://x.example.com/oauth2/callback\n--upstream=http://evil',
      'https://user:pw@x.example.com/oauth2/callback',
    ])('a hostile redirectUrl %j is rejected', (value) => {
      expect(attach({ redirectUrl: value })).toThrow(
        `${O}: 'redirectUrl' must be a https URL without credentials, quotes, spaces or shell characters`,
      );
    });

    test('emailDomains', () => {
      expect(attach({ emailDomains: [] })).toThrow(
        `${O}: 'emailDomains' must list at least one domain (oauth2-proxy refuses to start without one); use ['*'] ` +
          'to allow any email address',
      );
      for (const bad of ['Company.com', 'company', '10.0.0.1', 'a.com; rm -rf /', '$(id).com', '@company.com']) {
        expect(attach({ emailDomains: [bad] })).toThrow(
          `${O}: 'emailDomains' entries must be '*' or a lower-case domain such as 'company.com', got ${JSON.stringify(bad)}`,
        );
      }
      expect(attach({ emailDomains: ['a.com', 'a.com'] })).toThrow(
        `${O}: 'emailDomains' lists "a.com" twice; list each domain once`,
      );
      expect(attach({ emailDomains: ['*', 'a.com'] })).toThrow(
        `${O}: 'emailDomains' has '*', which allows every domain; drop the other entries or the '*'`,
      );
      expect(attach({ emailDomains: ['*'] })).not.toThrow();
    });

    test('ports and addresses', () => {
      expect(attach({ port: 0 })).toThrow(`${O}: 'port' must be an integer 1-65535, got 0`);
      expect(attach({ upstreamPort: 65536 })).toThrow(`${O}: 'upstreamPort' must be an integer 1-65535, got 65536`);
      expect(attach({}, 4180)).toThrow(
        `${O}: 'port' 4180 is also the app's port; containers of a pod share one network, so move the proxy with 'port'`,
      );
      expect(attach({ listenAddress: '127.0.0.1' })).toThrow(
        `${O}: 'listenAddress' must not be a loopback address, got "127.0.0.1": the Service and the kubelet's ` +
          "probes reach the proxy on the pod IP; use '0.0.0.0'",
      );
      expect(attach({ listenAddress: '0.0.0.0; id' })).toThrow(`${O}: 'listenAddress' must be a host name`);
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'w', { container: { image: 'x:1' } });
      expect(
        () =>
          new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
            workload: app.workload,
            ...required(kplus.Secret.fromSecretName(chart, 's', 's')),
          }),
      ).toThrow(
        `${O}: the app container declares no port, so the proxy has no upstream; give the app container a ` +
          "'portNumber' or pass 'upstreamPort'",
      );
    });

    test('a Secret of another namespace', () => {
      const chart = Testing.chart();
      const app = new AppWorkload(chart, 'w', {
        kind: WorkloadKind.deployment({ metadata: { namespace: 'tools' } }),
        container: { image: 'x:1', portNumber: 3000 },
      });
      const secret = new kplus.Secret(chart, 's', { metadata: { name: 'oauth' } });
      expect(
        () => new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) }),
      ).toThrow(
        `${O}: the Secret 'oauth' is in namespace "default" but the workload is in "tools"; a pod reads Secrets of ` +
          'its own namespace only',
      );
    });

    test('cookie flags', () => {
      expect(attach({ cookieSameSite: CookieSameSite.NONE, cookieSecure: false })).toThrow(
        `${O}: 'cookieSameSite' NONE needs 'cookieSecure' true (browsers drop SameSite=None cookies that are not ` +
          "Secure); set 'cookieSecure' true or use CookieSameSite.LAX",
      );
    });

    test('Secret keys', () => {
      expect(attach({ cookieSecretKey: 'cookie secret' })).toThrow(
        `${O}: 'cookieSecretKey' must be a Secret key (letters, digits, '-', '_' and '.', at most 253 characters), ` +
          'got "cookie secret"',
      );
    });

    test('providers', () => {
      expect(() => OAuth2Provider.github({ team: 'platform' })).toThrow(
        "OAuth2Provider.github: 'team' is a team of 'org'; give 'org' too",
      );
      expect(() => OAuth2Provider.github({ org: 'company --github-user=me' })).toThrow(
        "OAuth2Provider.github: 'org' must be a GitHub name or slug (letters, digits, '.', '_', '-'), got " +
          '"company --github-user=me"',
      );
      expect(() => OAuth2Provider.oidc('http://accounts.example.com')).toThrow(
        "OAuth2Provider.oidc: 'issuerUrl' must be a https URL",
      );
    });

    test('a second front door is refused', () => {
      const { chart, app, secret } = appOf();
      new OAuth2ProxySidecar(chart, 'oauth2-proxy', { workload: app.workload, ...required(secret) });
      expect(
        () => new OAuth2ProxySidecar(chart, 'second', { workload: app.workload, ...required(secret), port: 4181 }),
      ).toThrow("'second' and 'oauth2-proxy' both want to be the pod's front door");
    });
  });
});
