import { ApiObject, JsonPatch } from 'cdk8s';

/** Turns an object's rendered JSON into its final JSON (before the user's JSON patches). */
export interface IManifestTransform {
  /** Returns the transformed manifest (it may change `manifest` in place and return it). */
  transform(manifest: any): any;
}

/**
 * Makes `transform` part of how `api` renders, inside cdk8s's own pipeline: cdk8s resolves the object (Lazy
 * values, App resolvers) and cdk8s-plus maps it, then the transform adds what the library composes, then the
 * user's JSON patches (`ApiObject.addJsonPatch`) apply last, so they see and can change everything the library
 * added. Returns the render function (the object's `toJson` now calls it).
 */
export function renderThrough(api: ApiObject, transform: IManifestTransform): () => any {
  const base = api.toJson.bind(api);
  // cdk8s applies an object's JSON patches inside toJson, before cdk8s-plus's mapping and before anything
  // composed here exists; they are held back from that step and applied to the composed manifest instead.
  const patches: JsonPatch[] | undefined = (api as any).patches;
  if (!Array.isArray(patches)) {
    throw new Error(
      `cdk8s-pod-patterns: cannot compose '${api.node.path}': this cdk8s version keeps an ApiObject's JSON ` +
        'patches where the library cannot find them; use cdk8s 2.70 or a later 2.x',
    );
  }
  const render = () => {
    const { manifest, held } = withPatchesHeld(patches, base);
    let composed = transform.transform(manifest);
    for (const patch of held) {
      try {
        composed = JsonPatch.apply(composed, patch);
      } catch (e) {
        const op = (patch as any)._toJson?.() ?? {};
        throw new Error(
          `Failed serializing construct at path '${api.node.path}': the JSON patch '${op.op} ${op.path}' does ` +
            `not apply to the composed manifest (${(e as Error).message}); patches apply after the library's ` +
            "helpers are in place, so check the path against the output of 'cdk8s synth'",
          { cause: e },
        );
      }
    }
    return composed;
  };
  api.toJson = render;
  return render;
}

/**
 * Renders an object with `base` (its own `toJson`, as it was before the library composed it) while its JSON
 * patches are held back: the object as cdk8s resolves it and its class maps it, before anything the library
 * composes and before the user's patches. Returns the manifest and the patches held.
 */
function withPatchesHeld(patches: JsonPatch[], base: () => any): { manifest: any; held: JsonPatch[] } {
  const held = patches.splice(0, patches.length);
  let manifest: any;
  try {
    manifest = base();
  } finally {
    patches.push(...held);
  }
  return { manifest, held };
}

/**
 * A function that renders `api` as its class renders it, without the user's JSON patches and without what the
 * library composes: the facts the composer reads about a manifest's pod (its containers, volumes, labels)
 * come from it. Call before `renderThrough` wraps the object.
 */
export function baseRender(api: ApiObject): () => any {
  const base = api.toJson.bind(api);
  const patches: JsonPatch[] | undefined = (api as any).patches;
  if (!Array.isArray(patches)) return base;
  return () => withPatchesHeld(patches, base).manifest;
}
