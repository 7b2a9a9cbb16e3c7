import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HealthCheck } from '../core/health-check';
import { checkDataKey, checkHost, checkPort, checkUrl } from '../core/names';
import { reference } from '../core/references';
import { SidecarMode } from '../core/pod-parts';
import { PodPattern, SidecarPatternProps } from '../core/pod-pattern';
import { mib } from '../core/render';

/** The `SameSite` attribute of oauth2-proxy's session cookie (`--cookie-samesite`). */
export enum CookieSameSite {
  /** Sent on top-level navigations from other sites (the usual choice for a login flow). */
  LAX = 'lax',
  /** Never sent from other sites. */
  STRICT = 'strict',
  /** Always sent; browsers require `Secure` with it. */
  NONE = 'none',
}

/** Options for `OAuth2Provider.github()`. */
export interface OAuth2GitHubOptions {
  /**
   * Allow only members of this GitHub organization (`--github-org`).
   * @default - any GitHub user whose email domain is allowed
   */
  readonly org?: string;

  /**
   * Allow only members of this team (slug) of `org` (`--github-team`).
   * @default - any member of the organization
   */
  readonly team?: string;
}

const GITHUB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * An app that listens on 127.0.0.1 only, so that nothing in the cluster reaches it around the proxy (the
 * set-up oauth2-proxy's own documentation recommends). The kubelet probes the pod IP, so the TCP startup
 * probe cdk8s-plus gives the app's port would never pass: this replaces it. The app keeps its `portNumber`
 * (a StatefulSet needs it, and Services are retargeted to the proxy anyway).
 */
export class OAuth2LocalhostApp {
  /**
   * The app's startup probe asks the proxy's `/ready` on the proxy's port. It proves that the pod's front
   * door is up, not that the app itself answers; name a check of the app with `probeWith` when you can.
   */
  public static probeProxyReady(): OAuth2LocalhostApp {
    return new OAuth2LocalhostApp(undefined);
  }

  /**
   * The app's startup probe is `check`, for example `HealthCheck.exec(['wget', '-q', '--spider',
   * 'http://127.0.0.1:8080/health'])` run inside the app container.
   */
  public static probeWith(check: HealthCheck): OAuth2LocalhostApp {
    return new OAuth2LocalhostApp(check);
  }

  private constructor(
    /** The check, or undefined for the proxy's `/ready`. */
    public readonly check: HealthCheck | undefined,
  ) {}
}

/** The identity provider oauth2-proxy signs users in with (`--provider` and its settings). */
export class OAuth2Provider {
  /** Google (`--provider=google`). */
  public static google(): OAuth2Provider {
    return new OAuth2Provider('google', []);
  }

  /** GitHub (`--provider=github`), optionally limited to an organization and team. */
  public static github(options: OAuth2GitHubOptions = {}): OAuth2Provider {
    const args: string[] = [];
    for (const [prop, value] of [
      ['org', options.org],
      ['team', options.team],
    ] as const) {
      if (value !== undefined && !GITHUB_NAME.test(value)) {
        throw new Error(
          `OAuth2Provider.github: '${prop}' must be a GitHub name or slug (letters, digits, '.', '_', '-'), got ` +
            JSON.stringify(value),
        );
      }
    }
    if (options.team !== undefined && options.org === undefined) {
      throw new Error("OAuth2Provider.github: 'team' is a team of 'org'; give 'org' too");
    }
    if (options.org !== undefined) args.push(`--github-org=${options.org}`);
    if (options.team !== undefined) args.push(`--github-team=${options.team}`);
    return new OAuth2Provider('github', args);
  }

  /**
   * Any OpenID Connect provider (`--provider=oidc`), found through its issuer's discovery document.
   * @param issuerUrl the issuer, an https URL such as 'https://accounts.example.com'
   */
  public static oidc(issuerUrl: string): OAuth2Provider {
    checkUrl('OAuth2Provider.oidc', 'issuerUrl', issuerUrl, ['https']);
    return new OAuth2Provider('oidc', [`--oidc-issuer-url=${issuerUrl}`]);
  }

  /**
   * Keycloak through OpenID Connect (`--provider=keycloak-oidc`).
   * @param issuerUrl the realm's issuer, such as 'https://keycloak.example.com/realms/company'
   */
  public static keycloakOidc(issuerUrl: string): OAuth2Provider {
    checkUrl('OAuth2Provider.keycloakOidc', 'issuerUrl', issuerUrl, ['https']);
    return new OAuth2Provider('keycloak-oidc', [`--oidc-issuer-url=${issuerUrl}`]);
  }

  private constructor(
    /** The `--provider` value. */
    public readonly name: string,
    /** The provider's own arguments. */
    public readonly args: string[],
  ) {}
}

/** Props for `OAuth2ProxySidecar`. */
export interface OAuth2ProxySidecarProps extends SidecarPatternProps {
  /** The identity provider. */
  readonly provider: OAuth2Provider;

  /**
   * The Secret holding the client id, client secret and cookie secret. They reach oauth2-proxy as
   * `OAUTH2_PROXY_CLIENT_ID`, `OAUTH2_PROXY_CLIENT_SECRET` and `OAUTH2_PROXY_COOKIE_SECRET` through
   * `secretKeyRef`, never in the manifest or the arguments.
   */
  readonly secret: kplus.ISecret;

  /**
   * The Secret key of the OAuth client id.
   * @default 'client-id'
   */
  readonly clientIdKey?: string;

  /**
   * The Secret key of the OAuth client secret.
   * @default 'client-secret'
   */
  readonly clientSecretKey?: string;

  /**
   * The Secret key of the cookie secret (16, 24 or 32 bytes, or their URL-safe base64 form).
   * @default 'cookie-secret'
   */
  readonly cookieSecretKey?: string;

  /**
   * The OAuth callback URL users come back to: `https://<host>/oauth2/callback` (`--redirect-url`). It must
   * be registered with the provider.
   */
  readonly redirectUrl: string;

  /**
   * Email domains allowed to sign in (`--email-domain`, one each), such as 'company.com'; '*' allows any.
   */
  readonly emailDomains: string[];

  /**
   * The app's port on localhost that authenticated requests go to (`--upstream=http://localhost:<port>`).
   * @default - the app container's `portNumber`
   */
  readonly upstreamPort?: number;

  /**
   * The address oauth2-proxy listens on (the host part of `--http-address`). It must not be a loopback
   * address: the Service and the kubelet's probes reach the proxy on the pod IP.
   * @default '0.0.0.0'
   */
  readonly listenAddress?: string;

  /**
   * The port oauth2-proxy listens on (`--http-address`). Services made with `exposeViaService` target it.
   * @default 4180
   */
  readonly port?: number;

  /**
   * Send the session cookie over HTTPS only (`--cookie-secure`).
   * @default true
   */
  readonly cookieSecure?: boolean;

  /**
   * Hide the session cookie from JavaScript (`--cookie-httponly`).
   * @default true
   */
  readonly cookieHttpOnly?: boolean;

  /**
   * The session cookie's SameSite attribute (`--cookie-samesite`).
   * @default CookieSameSite.LAX
   */
  readonly cookieSameSite?: CookieSameSite;

  /**
   * Set the `X-Auth-Request-User`, `-Email`, `-Preferred-Username` and `-Groups` **response** headers
   * (`--set-xauthrequest`), for an nginx `auth_request` set-up. The app itself receives the user in
   * `X-Forwarded-User` / `X-Forwarded-Email`, which oauth2-proxy sets and strips from client requests.
   * @default false
   */
  readonly setXAuthRequest?: boolean;

  /**
   * The app listens on 127.0.0.1 only: its startup probe is replaced by one that works
   * (`OAuth2LocalhostApp.probeProxyReady()` or `.probeWith(check)`).
   * @default - the app listens on the pod IP, and the TCP startup probe cdk8s-plus gives its port works
   */
  readonly localhostApp?: OAuth2LocalhostApp;
}

/** Small explicit resources: oauth2-proxy is a small Go proxy. */
const OAUTH2_PROXY_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(25), limit: kplus.Cpu.millis(200) },
  memory: { request: mib(32), limit: mib(128) },
};

const CALLBACK_PATH = '/oauth2/callback';
const AES_KEY_BYTES = [16, 24, 32];

/**
 * An oauth2-proxy in front of the app: users sign in with the provider before any request reaches the app.
 * The proxy becomes the pod's front door, so every Service made with `exposeViaService` (before or after)
 * targets the proxy's port, not the app's. The app should listen on localhost only, so that nothing in the
 * cluster reaches it around the proxy: say so with `localhostApp`, which gives the app a startup probe that
 * works (the kubelet probes the pod IP).
 *
 * Native by default (Kubernetes 1.29+), classic before. Probes call `/ping` (startup, liveness) and
 * `/ready` (readiness).
 *
 * @example
 * const app = new AppWorkload(chart, 'dashboard', {
 *   container: { name: 'grafana', image: 'grafana/grafana:10.4.0', portNumber: 3000 },
 * });
 * new OAuth2ProxySidecar(chart, 'oauth2-proxy', {
 *   workload: app.workload,
 *   provider: OAuth2Provider.google(),
 *   secret: kplus.Secret.fromSecretName(chart, 'oauth', 'oauth2-proxy-secret'),
 *   redirectUrl: 'https://dashboard.internal.example.com/oauth2/callback',
 *   emailDomains: ['company.com'],
 * });
 * app.exposeViaService({ port: 80 });
 */
export class OAuth2ProxySidecar extends PodPattern {
  /**
   * The default image: an exact oauth2-proxy release, built for amd64, arm64, arm/v7, ppc64le and s390x (see
   * docs/images.md).
   */
  public static readonly DEFAULT_IMAGE = 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.3';

  /** The port oauth2-proxy listens on (the pod's front door). */
  public readonly port: number;

  /** The app's port that authenticated requests go to. */
  public readonly upstreamPort: number;

  /**
   * @param scope the construct to add to (any construct of the chart)
   * @param id the construct id; it also names the helper container unless `containerName` is given
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: OAuth2ProxySidecarProps) {
    super(scope, id, props);
    const owner = this.owner;
    this.port = checkPort(owner, 'port', props.port ?? 4180);
    const listenAddress = checkListenAddress(owner, props.listenAddress ?? '0.0.0.0');
    const upstreamPort = props.upstreamPort ?? this.composer.appPortNumber();
    if (upstreamPort === undefined) {
      throw new Error(
        `${owner}: the app container declares no port, so the proxy has no upstream; give the app container a ` +
          "'portNumber' or pass 'upstreamPort'",
      );
    }
    this.upstreamPort = checkPort(owner, 'upstreamPort', upstreamPort);
    if (this.upstreamPort === this.port) {
      throw new Error(
        `${owner}: 'port' ${this.port} is also the app's port; containers of a pod share one network, so move ` +
          "the proxy with 'port'",
      );
    }

    const cookieSecure = props.cookieSecure ?? true;
    const sameSite = props.cookieSameSite ?? CookieSameSite.LAX;
    if (sameSite === CookieSameSite.NONE && !cookieSecure) {
      throw new Error(
        `${owner}: 'cookieSameSite' NONE needs 'cookieSecure' true (browsers drop SameSite=None cookies that are ` +
          "not Secure); set 'cookieSecure' true or use CookieSameSite.LAX",
      );
    }
    checkRedirectUrl(owner, props.redirectUrl, cookieSecure);
    const emailDomains = checkEmailDomains(owner, props.emailDomains);

    const keys = {
      clientIdKey: props.clientIdKey ?? 'client-id',
      clientSecretKey: props.clientSecretKey ?? 'client-secret',
      cookieSecretKey: props.cookieSecretKey ?? 'cookie-secret',
    };
    for (const [prop, key] of Object.entries(keys)) checkDataKey(owner, prop, 'Secret', key);
    reference(owner, this.composer, props.secret);
    // Checked at synth: a Secret of this app may get its data after this construct is made.
    this.node.addValidation({ validate: () => secretProblemsOf(owner, props.secret, keys) });

    const fromSecret = (key: string) => kplus.EnvValue.fromSecretValue({ secret: props.secret, key });
    const args = [
      `--provider=${props.provider.name}`,
      ...props.provider.args,
      `--upstream=http://localhost:${this.upstreamPort}`,
      `--http-address=${listenAddress}:${this.port}`,
      `--redirect-url=${props.redirectUrl}`,
      ...emailDomains.map((d) => `--email-domain=${d}`),
      `--cookie-secure=${cookieSecure}`,
      `--cookie-httponly=${props.cookieHttpOnly ?? true}`,
      `--cookie-samesite=${sameSite}`,
      `--set-xauthrequest=${props.setXAuthRequest ?? false}`,
    ];

    this.composer.claimFrontDoor(this.port, this.containerName);
    this.composer.addSidecar(
      {
        name: this.containerName,
        image: props.image ?? OAuth2ProxySidecar.DEFAULT_IMAGE,
        imagePullPolicy: props.imagePullPolicy,
        args,
        env: {
          OAUTH2_PROXY_CLIENT_ID: fromSecret(keys.clientIdKey),
          OAUTH2_PROXY_CLIENT_SECRET: fromSecret(keys.clientSecretKey),
          OAUTH2_PROXY_COOKIE_SECRET: fromSecret(keys.cookieSecretKey),
        },
        ports: [{ number: this.port }],
        resources: props.resources ?? OAUTH2_PROXY_RESOURCES,
        startupProbe: HealthCheck.httpGet('/ping', this.port),
        livenessProbe: HealthCheck.httpGet('/ping', this.port, { periodSeconds: 10, failureThreshold: 3 }),
        readinessProbe: HealthCheck.httpGet('/ready', this.port, { periodSeconds: 5, failureThreshold: 3 }),
      },
      { mode: props.mode ?? SidecarMode.AUTO, after: props.after },
    );

    if (props.localhostApp !== undefined) {
      const check = props.localhostApp.check ?? HealthCheck.httpGet('/ready', this.port);
      this.composer.replaceAppStartupProbe(check);
    }
  }
}

function checkListenAddress(owner: string, value: string): string {
  checkHost(owner, 'listenAddress', value);
  if (value === 'localhost' || value.startsWith('127.')) {
    throw new Error(
      `${owner}: 'listenAddress' must not be a loopback address, got ${JSON.stringify(value)}: the Service and the ` +
        "kubelet's probes reach the proxy on the pod IP; use '0.0.0.0'",
    );
  }
  return value;
}

function checkRedirectUrl(owner: string, value: string, cookieSecure: boolean): void {
  const url = checkUrl(owner, 'redirectUrl', value, cookieSecure ? ['https'] : ['https', 'http']);
  if (url.pathname !== CALLBACK_PATH || url.search !== '' || url.hash !== '') {
    throw new Error(
      `${owner}: 'redirectUrl' must end in oauth2-proxy's callback path '${CALLBACK_PATH}' with no query, such as ` +
        `'https://${url.host}${CALLBACK_PATH}', got ${JSON.stringify(value)}`,
    );
  }
}

function checkEmailDomains(owner: string, domains: string[]): string[] {
  if (domains.length === 0) {
    throw new Error(
      `${owner}: 'emailDomains' must list at least one domain (oauth2-proxy refuses to start without one); use ` +
        "['*'] to allow any email address",
    );
  }
  for (const domain of domains) {
    const valid =
      domain === '*' ||
      (domain.includes('.') &&
        !/^[\d.]+$/.test(domain) &&
        domain.length <= 253 &&
        domain.split('.').every((l) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(l)));
    if (!valid) {
      throw new Error(
        `${owner}: 'emailDomains' entries must be '*' or a lower-case domain such as 'company.com', got ` +
          JSON.stringify(domain),
      );
    }
  }
  const duplicate = domains.find((d, i) => domains.indexOf(d) !== i);
  if (duplicate !== undefined) {
    throw new Error(`${owner}: 'emailDomains' lists ${JSON.stringify(duplicate)} twice; list each domain once`);
  }
  if (domains.includes('*') && domains.length > 1) {
    throw new Error(`${owner}: 'emailDomains' has '*', which allows every domain; drop the other entries or the '*'`);
  }
  return domains;
}

/**
 * What oauth2-proxy would refuse at start-up, when the Secret is defined in this app and so its values are
 * known: a missing key, or a cookie secret that is not 16, 24 or 32 bytes (raw, or URL-safe base64 of them).
 */
function secretProblemsOf(
  owner: string,
  secret: kplus.ISecret,
  keys: { clientIdKey: string; clientSecretKey: string; cookieSecretKey: string },
): string[] {
  if (!(secret instanceof kplus.Secret)) return [];
  const problems: string[] = [];
  for (const [prop, key] of Object.entries(keys)) {
    if (secret.getStringData(key) === undefined) {
      problems.push(
        `${owner}: the Secret '${secret.name}' has no key '${key}' ('${prop}'); add it (secret.addStringData) or ` +
          `point '${prop}' at the key that holds it`,
      );
    }
  }
  const cookie = secret.getStringData(keys.cookieSecretKey);
  if (cookie !== undefined) {
    const bytes = cookieSecretBytes(cookie);
    if (!AES_KEY_BYTES.includes(bytes)) {
      problems.push(
        `${owner}: the cookie secret in key '${keys.cookieSecretKey}' of Secret '${secret.name}' is ${bytes} bytes; ` +
          'oauth2-proxy needs 16, 24 or 32 bytes (or their URL-safe base64 form); generate one with ' +
          "`openssl rand -base64 32 | tr -- '+/' '-_'`",
      );
    }
  }
  return problems;
}

/**
 * The length oauth2-proxy sees: a value in the URL-safe base64 alphabet that decodes to 16, 24 or 32 bytes is
 * used decoded; any other value is used as its raw bytes.
 */
function cookieSecretBytes(value: string): number {
  const trimmed = value.replace(/=+$/, '');
  if (/^[A-Za-z0-9_-]*$/.test(trimmed) && trimmed.length % 4 !== 1) {
    const decoded = Math.floor((trimmed.length * 6) / 8);
    if (AES_KEY_BYTES.includes(decoded)) return decoded;
  }
  return Buffer.byteLength(value, 'utf8');
}
