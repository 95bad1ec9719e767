// Proves the module boundaries are enforced, not decorative: lints two probe files that break them
// (production code importing a local-stack lib; an app importing another app) and fails unless
// ESLint rejects both with @nx/enforce-module-boundaries.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

const probes = {
  'apps/orders/src/boundary-probe-local-stack.ts': "import { startMongoStandin } from '@techan/mongo-standin';\nexport const probe = startMongoStandin;\n",
  'apps/orders/src/boundary-probe-app.ts': "import { CATALOG_SERVICE } from '../../catalog/src/service';\nexport const probe = CATALOG_SERVICE;\n",
};
let output = '';
try {
  for (const [file, text] of Object.entries(probes)) writeFileSync(file, text);
  try {
    execFileSync('npx', ['eslint', '--no-warn-ignored', '--format', 'json', ...Object.keys(probes)], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    output = String(error.stdout ?? '') + String(error.stderr ?? '');
  }
} finally {
  for (const file of Object.keys(probes)) rmSync(file, { force: true });
}
const start = output.indexOf('[');
const results = start >= 0 ? JSON.parse(output.slice(start, output.lastIndexOf(']') + 1)) : [];
const failures = Object.keys(probes).filter(
  (file) => !results.some((r) => r.filePath.endsWith(file) && r.messages.some((m) => m.ruleId === '@nx/enforce-module-boundaries')),
);
if (failures.length) {
  console.error(`module boundaries NOT enforced for: ${failures.join(', ')}\n${output}`);
  process.exit(1);
}
console.log('module boundaries enforced: production code cannot import local-stack libs; apps cannot import apps');
