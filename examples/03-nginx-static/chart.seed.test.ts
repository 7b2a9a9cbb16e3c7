import { Testing } from 'cdk8s';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusDeploymentDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  helperContainerDefaults,
  loadSeed,
} from '../../test/util/seed-compare';
import { build } from './chart';

const CLONE = 'spec.template.spec.initContainers[git-clone]';
const NGINX = 'spec.template.spec.containers[nginx]';
const POD = 'spec.template.spec';

test('03-nginx-static rebuilds the seed with GitCloneContent, with only the listed differences', () => {
  const manifests = synthValid(build(Testing.app()));
  const ours = JSON.parse(JSON.stringify(only(manifests, 'Deployment')));
  const differences = compareWithSeed(loadSeed('03-nginx-static.yaml'), ours, {
    changed: {
      // an exact, current, multi-arch release of the same image
      [`${CLONE}.image`]: 'alpine/git:2.49.1, pinned (docs/images.md)',
      // The seed puts the token into the clone URL: kubelet expands $(GIT_TOKEN) into argv, and git stores the
      // URL in .git/config inside the directory nginx serves. Ours fetches into a separate git directory that is
      // deleted afterwards, and hands the token to git through a credential helper read from the environment.
      [`${CLONE}.command`]:
        'a script that keeps the token out of argv and out of the content, and logs the full commit',
      [`${CLONE}.env[GIT_TOKEN]`]: 'the token arrives as CLONE_TOKEN, read only by the credential helper',
    },
    added: {
      [`${CLONE}.env[HOME]`]: 'HOME on the writable scratch emptyDir (the root file system is read-only)',
      [`${CLONE}.env[GIT_TERMINAL_PROMPT]`]: 'fail instead of waiting for a password prompt',
      [`${CLONE}.env[CLONE_REPOSITORY]`]: 'every value reaches the script through the environment, never its text',
      [`${CLONE}.env[CLONE_REF]`]: 'the ref to fetch: the default branch, as in the seed',
      [`${CLONE}.env[CLONE_DEPTH]`]: 'depth 1, as in the seed',
      [`${CLONE}.env[CLONE_TARGET]`]: 'the content directory, /data/html as in the seed',
      [`${CLONE}.env[CLONE_SCRATCH]`]: 'where the git metadata lives while cloning, outside the content volume',
      [`${CLONE}.env[CLONE_USERNAME]`]: 'the user name sent with the token',
      [`${CLONE}.env[CLONE_TOKEN]`]: 'the token, from the same Secret key as the seed (github-token/token)',
      [`${CLONE}.env[GIT_CONFIG_COUNT]`]: 'the credential helper, set through the environment rather than argv',
      [`${CLONE}.env[GIT_CONFIG_KEY_0]`]: 'the credential helper, set through the environment rather than argv',
      [`${CLONE}.env[GIT_CONFIG_VALUE_0]`]: 'the credential helper, which names $CLONE_TOKEN but never holds it',
      ...helperContainerDefaults(CLONE),
      [`${CLONE}.resources`]: 'explicit small requests and limits for the helper',
      [`${CLONE}.volumeMounts[web-content].readOnly`]: 'the producer mounts the content volume read-write, explicitly',
      [`${CLONE}.volumeMounts[git-clone-scratch]`]: 'scratch space (HOME, git metadata) outside the served volume',
      [`${POD}.volumes[git-clone-scratch]`]: 'the scratch emptyDir',
      [`${NGINX}.volumeMounts[web-content].readOnly`]: 'the app mounts the content read-only',
      ...cdk8sPlusAppContainerDefaults(NGINX),
      [`${NGINX}.securityContext`]:
        'cdk8s-plus defaults, relaxed for the root nginx image (no escalation, not privileged)',
      // the baseline profile is accepted on purpose, with its reason, for the rules and the plan
      'metadata.annotations.pod-patterns.cdk8s.io/acknowledge': 'pod-security-restricted acknowledged with a reason',
      ...cdk8sPlusDeploymentDefaults(),
      ...cdk8sPlusPodDefaults('spec.template'),
      [`${POD}.securityContext`]: 'cdk8s-plus pod security context (runAsNonRoot relaxed for nginx)',
    },
  });
  expect(differences).toEqual([]);
});
