import { App } from 'cdk8s';
import { only, synthValid } from '../../test/util/manifest';
import {
  cdk8sPlusAppContainerDefaults,
  cdk8sPlusPodDefaults,
  compareWithSeed,
  helperContainerDefaults,
  loadSeed,
} from '../../test/util/seed-compare';
import { build } from './chart';

const INIT = 'spec.initContainers[vault-fetch-secrets]';
const APP = 'spec.containers[payment-service]';

describe('04-payment-service', () => {
  test('rebuilds the seed Pod, with only the listed differences', () => {
    const pod = only(synthValid(build(new App())), 'Pod', 'payment-service');
    const differences = compareWithSeed(loadSeed('04-payment-service.yaml'), pod, {
      changed: {
        // Vault 1.16 is out of support: an exact, maintained, multi-arch release
        [`${INIT}.image`]: 'hashicorp/vault:1.21.4, pinned (docs/images.md)',
        // The seed passes the JWT in argv (jwt=$(cat ...)) and splices paths into the script. Ours reads
        // jwt=@file, takes every value from env vars, writes each file to a temporary name with mode 0400
        // and moves them into place only when all were read, and revokes the Vault token at the end.
        [`${INIT}.command`]: 'safe script: no JWT or token in argv, values as env, atomic 0400 files',
        // The CA volume is named after the init step, so that two VaultSecrets in one pod cannot collide.
        // It is still the vault-ca-cert ConfigMap, mounted read-only at /vault-ca (see the added entries).
        [`${INIT}.volumeMounts[vault-ca]`]: 'renamed vault-fetch-secrets-ca',
        'spec.volumes[vault-ca]': 'renamed vault-fetch-secrets-ca',
      },
      added: {
        ...cdk8sPlusPodDefaults(''),
        // cdk8s-plus defaults to false; the Vault login needs the service account token.
        'spec.automountServiceAccountToken': 'the token the Vault login uses',
        // The app container: cdk8s-plus defaults, plus runAsUser 10001, which makes VaultSecrets write the
        // files for that user alone.
        ...cdk8sPlusAppContainerDefaults(APP),
        [`${APP}.securityContext`]: 'cdk8s-plus hardening, plus runAsUser 10001 (the files are its alone)',
        // The init step: every value reaches the script as an env var (VAULT_ADDR and VAULT_CACERT are
        // unchanged), HOME is a small writable emptyDir (the root file system is read-only), small
        // explicit resources, non-root as the app's user, and the secrets volume mounted read-write
        // explicitly.
        ...helperContainerDefaults(INIT),
        [`${INIT}.env`]: 'role, auth mount, token path, directory, file mode and each secret field as env',
        [`${INIT}.resources`]: 'small explicit resources',
        [`${INIT}.securityContext`]: 'non-root (uid 10001, the app user), read-only root, no capabilities',
        [`${INIT}.volumeMounts[secrets-vol].readOnly`]: 'the producer mounts read-write explicitly',
        [`${INIT}.volumeMounts[vault-fetch-secrets-home]`]: 'writable HOME for the vault CLI',
        [`${INIT}.volumeMounts[vault-fetch-secrets-ca]`]: 'the seed vault-ca mount, renamed',
        // Volumes: a size limit on the memory-backed secrets volume (it counts against the pod's memory),
        // the HOME emptyDir, and the renamed CA volume.
        'spec.volumes[secrets-vol].emptyDir.sizeLimit': 'bounded memory use',
        'spec.volumes[vault-fetch-secrets-home]': 'HOME for the vault CLI, in memory',
        'spec.volumes[vault-fetch-secrets-ca]': 'the seed vault-ca volume, renamed',
      },
    });
    expect(differences).toEqual([]);
  });
});
