/**
 * The generated texts a hand-written version pastes into its code as string constants. They are read from
 * one render of generator (a) at start-up (see reference.ts), outside any timing.
 */
export interface PastedStrings {
  /** Each helper container's image, by container name. */
  readonly images: { [container: string]: string };
  /** Each helper container's command (the generated script), by container name, when it has one. */
  readonly commands: { [container: string]: string[] };
  /** The data of the generated Fluent Bit ConfigMap. */
  readonly fluentBitConfig: { [file: string]: string };
  /** The pod template's annotations (the configuration hash). */
  readonly podAnnotations: { [key: string]: string };
}
