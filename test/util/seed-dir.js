// Where the guide's manifests are: SEED_MANIFESTS_DIR, else ../shared/seed/manifests beside the repository.
const path = require('path');

const root = path.join(__dirname, '..', '..');

exports.seedDir = () => path.resolve(root, process.env.SEED_MANIFESTS_DIR || path.join('..', 'shared', 'seed', 'manifests'));
