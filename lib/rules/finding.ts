import { Severity } from './severity';

/** What a rule is about: shown in the catalogue, in `doctor` output and in SARIF. */
export interface RuleInfo {
  /** The rule's id, such as 'secret-in-args'. */
  readonly id: string;

  /** The rule's severity. */
  readonly severity: Severity;

  /** What the rule checks, in one line. */
  readonly summary: string;

  /** Why it matters. */
  readonly why: string;

  /** How to fix what it finds. */
  readonly fix: string;
}

/** One problem a rule found in a manifest. */
export interface Finding {
  /** The id of the rule that found it. */
  readonly ruleId: string;

  /** The rule's severity. */
  readonly severity: Severity;

  /** The object's kind ('Deployment'). */
  readonly kind: string;

  /**
   * The object's namespace, as written in its metadata.
   * @default - none written (the default namespace, or a cluster-scoped object)
   */
  readonly namespace?: string;

  /** The object's name. */
  readonly name: string;

  /**
   * The container the finding is about.
   * @default - the finding is about the object or its pod as a whole
   */
  readonly container?: string;

  /**
   * The field the finding is about, as a path from the object's root
   * ('spec.template.spec.initContainers[0].args[2]').
   * @default - no single field
   */
  readonly field?: string;

  /** What is wrong, naming the values involved. */
  readonly message: string;

  /** How to fix it. */
  readonly fix: string;

  /**
   * Whether the object acknowledges this rule (annotation `pod-patterns.cdk8s.io/acknowledge`): an
   * acknowledged finding is listed but fails nothing.
   */
  readonly acknowledged: boolean;

  /**
   * The reason given when the rule was acknowledged.
   * @default - not acknowledged
   */
  readonly acknowledgedReason?: string;
}
