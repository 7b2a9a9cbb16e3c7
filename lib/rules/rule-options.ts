/** Options for `ManifestRules.check()`. */
export interface RuleOptions {
  /**
   * The Kubernetes version the manifests target, such as '1.28' or 'v1.30.2'. It decides whether native
   * sidecars exist (1.29+) and which env var names the API server accepts.
   * @default - the library's default target (`KubernetesVersion.DEFAULT`, 1.29)
   */
  readonly targetVersion?: string;
}
