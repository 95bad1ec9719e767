import nx from '@nx/eslint-plugin';

// Module boundaries (enforced, not decorative):
// - apps never import apps (Nx forbids it outright);
// - production code (apps, util, domain libs) never imports local-stack code (stand-ins, spawners);
// - only tests, benchmarks and the local launcher may use type:local-stack libs.
const productionConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:util', 'type:domain'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:util', 'type:domain'] },
  { sourceTag: 'type:local-stack', onlyDependOnLibsWithTags: ['type:util', 'type:local-stack'] },
  // End-to-end tests start the built apps as processes; they never import them.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:util', 'type:local-stack'] },
  { sourceTag: 'scope:catalog', onlyDependOnLibsWithTags: ['scope:catalog', 'scope:shared'] },
  { sourceTag: 'scope:orders', onlyDependOnLibsWithTags: ['scope:orders', 'scope:shared'] },
  { sourceTag: 'scope:logistics', onlyDependOnLibsWithTags: ['scope:logistics', 'scope:shared'] },
  { sourceTag: 'scope:certification', onlyDependOnLibsWithTags: ['scope:certification', 'scope:shared'] },
];
const testConstraints = productionConstraints.map((c) =>
  c.sourceTag.startsWith('type:')
    ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:local-stack'] }
    : c,
);
const testFiles = ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts', '**/jest.*.ts'];

const boundaries = (depConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints,
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/.local'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: { '@nx/enforce-module-boundaries': boundaries(productionConstraints) },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(testConstraints) },
  },
];
