import {
  ApiObject,
  App,
  ImplicitTokenResolver,
  IResolver,
  JsonPatch,
  LazyResolver,
  NumberStringUnionResolver,
} from 'cdk8s';

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
  const base = unmemoized(api);
  // cdk8s applies an object's JSON patches inside toJson, before cdk8s-plus's mapping and before anything
  // composed here exists; they are held back from that step and applied to the composed manifest instead.
  const patches: JsonPatch[] | undefined = (api as any).patches;
  if (!Array.isArray(patches)) {
    throw new Error(
      `cdk8s-pod-patterns: cannot compose '${api.node.path}': this cdk8s version keeps an ApiObject's JSON ` +
        'patches where the library cannot find them; use cdk8s 2.70 or a later 2.x',
    );
  }
  const compose = () => {
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
  api.toJson = compose;
  return renderOncePerSynthCall(api);
}

const MEMO_OF = Symbol('render of the object before it was memoized');

/** The object's render without the per-call memo `renderOncePerSynthCall` may have put around it. */
function unmemoized(api: ApiObject): () => any {
  const current: any = api.toJson;
  return current[MEMO_OF] ?? current.bind(api);
}

/**
 * Within one `app.synth()` / `app.synthYaml()` call cdk8s validates the app more than once, and the rules at
 * synth read every object: the object renders once per call and that result serves every reader (outside
 * such calls it renders each time). Idempotent; returns the object's `toJson`.
 */
export function renderOncePerSynthCall(api: ApiObject): () => any {
  const current: any = api.toJson;
  if (current[MEMO_OF]) return current;
  const render = current.bind(api);
  const memo: any = oncePerSynthCall(App.of(api), render);
  memo[MEMO_OF] = render;
  api.toJson = memo;
  return memo;
}

/**
 * `compute`, run once per `app.synth()` / `app.synthYaml()` call: within a call, every later call returns the
 * first one's result (cdk8s validates the app more than once in one call, and nothing but cdk8s runs between
 * the passes); outside such calls it runs each time.
 */
export function oncePerSynthCall<T>(app: App, compute: () => T): () => T {
  synthCallOf(app);
  let computedIn: object | undefined;
  let result: T;
  return () => {
    const call = synthCallOf(app);
    if (call !== undefined && computedIn === call) return result;
    const value = compute();
    computedIn = call;
    result = value;
    return value;
  };
}

/**
 * Whether an App's resolvers are only cdk8s's built-in ones (Lazy values, implicit tokens, number-or-string
 * unions), which leave plain JSON as it is. A resolver of the user's may change any value.
 */
export function resolvesPlainJsonAsIs(resolvers: IResolver[]): boolean {
  return resolvers.every(
    (r) =>
      r.constructor === LazyResolver ||
      r.constructor === ImplicitTokenResolver ||
      r.constructor === NumberStringUnionResolver,
  );
}

/** Which `synth()` / `synthYaml()` call an App is in. */
interface SynthCalls {
  current?: object;
}

const SYNTH_CALLS = new WeakMap<object, SynthCalls>();

/**
 * The `app.synth()` or `app.synthYaml()` call `app` is in: an object of its own for each call while it runs,
 * undefined outside them. The first call of this function for an App makes the App's two methods record
 * their calls (on the App instance; the methods themselves run unchanged).
 *
 * cdk8s validates the whole app twice in one synth (before writing, and again for each chart as it renders
 * it); within one call nothing but cdk8s runs between the two passes, so what a validation computed in the
 * first pass still holds in the second.
 */
export function synthCallOf(app: App): object | undefined {
  let calls = SYNTH_CALLS.get(app);
  if (!calls) {
    calls = {};
    SYNTH_CALLS.set(app, calls);
    recordCalls(app, 'synth', calls);
    recordCalls(app, 'synthYaml', calls);
  }
  return calls.current;
}

function recordCalls(app: App, method: 'synth' | 'synthYaml', calls: SynthCalls): void {
  const original = (app as any)[method];
  if (typeof original !== 'function') return;
  (app as any)[method] = function (this: App, ...args: unknown[]) {
    const outermost = calls.current === undefined;
    if (outermost) calls.current = {};
    try {
      return original.apply(this, args);
    } finally {
      if (outermost) calls.current = undefined;
    }
  };
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
  const base = unmemoized(api);
  const patches: JsonPatch[] | undefined = (api as any).patches;
  if (!Array.isArray(patches)) return base;
  return () => withPatchesHeld(patches, base).manifest;
}
