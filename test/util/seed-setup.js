// Fails the seed run, before any test, when the guide's manifests are not where SEED_MANIFESTS_DIR says.
const fs = require('fs');
const { seedDir } = require('./seed-dir');

module.exports = async () => {
  const dir = seedDir();
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(
      `npm run test:seed: the guide's manifests folder ${dir} does not exist. Set SEED_MANIFESTS_DIR to the ` +
        'folder that holds 00-my-app.yaml ... 08-app-with-native-sidecar.yaml',
    );
  }
};
