#!/usr/bin/env node
// Validates the production packaging without a Docker engine or a cluster:
//   - docker/<app>.Dockerfile: an existing app, its port, files it copies, a
//     non-root user, a health check, and no drift between the four files;
//   - docker/docker-compose.yml: `docker-compose config -q` (Debian's 1.29.2)
//     when installed, plus structural checks that need no docker-compose;
//   - k8s/: every kustomization (base and overlays) rendered here (resources,
//     namespace, patches by simple merge, images, replicas), each document
//     validated with kubernetes-models, then cross-checked (selectors, ports,
//     probes, resources, config references, autoscaling ranges).
//
// Usage: node tools/validate-manifests.mjs [--strict]
//   --strict  also fail when docker-compose is not installed (use in CI).
// Exit code 0 when everything checked is valid, 1 otherwise.

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DOCKER_DIR = join(ROOT, 'docker');
const K8S_DIR = join(ROOT, 'k8s');
const COMPOSE_FILE = join(DOCKER_DIR, 'docker-compose.yml');

// Service name -> HTTP port: the defaults of each app's PORT variable, the one
// table the Dockerfiles, the compose file and the manifests are checked against.
const SERVICES = {
  catalog: 3001,
  orders: 3002,
  logistics: 3003,
  certification: 3004,
  // the HTTP edge: front end, sign-in, /api/<service> (no database or bus of its own)
  gateway: 8080,
};
const EDGE = 'gateway';
const MEMORY_LIMIT_MAX_MI = 256;

const strict = process.argv.includes('--strict');
const problems = [];
const passed = [];
const notRun = [];

const rel = (file) => relative(ROOT, file) || '.';
// While an overlay is rendered, problems name the overlay too; a problem
// already reported for the base is not repeated for every overlay.
let renderingContext = '';
const reported = new Set();
function fail(file, message) {
  const problem = `${rel(file)}: ${message}`;
  if (reported.has(problem)) return;
  reported.add(problem);
  problems.push(
    renderingContext
      ? `${problem} (as rendered by ${renderingContext})`
      : problem,
  );
}

// ---------------------------------------------------------------- YAML ----

function readYamlDocuments(file, { merge = false } = {}) {
  const text = readFileSync(file, 'utf8');
  const documents = [];
  for (const doc of parseAllDocuments(text, { merge })) {
    if (doc.errors.length > 0) {
      fail(file, `YAML error: ${doc.errors[0].message.split('\n')[0]}`);
      return [];
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) documents.push(value);
  }
  return documents;
}

const isObject = (value) =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// ---------------------------------------------------------- Dockerfiles ----

/** Logical instructions of a Dockerfile: continuation lines joined, comments dropped. */
function dockerInstructions(text) {
  const instructions = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (current !== '' && line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      current += line.slice(0, -1) + ' ';
      continue;
    }
    current += line;
    const match = /^(\w+)\s+([\s\S]*)$/.exec(current.trim());
    if (match)
      instructions.push({
        keyword: match[1].toUpperCase(),
        args: match[2].trim(),
      });
    current = '';
  }
  return instructions;
}

function appProjects() {
  const appsDir = join(ROOT, 'apps');
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir).filter((name) => {
    const projectFile = join(appsDir, name, 'project.json');
    if (!existsSync(projectFile)) return false;
    const project = JSON.parse(readFileSync(projectFile, 'utf8'));
    // The front end (apps/web) ships inside the gateway image, not as an image of its own.
    return (
      project.projectType === 'application' &&
      !(project.tags ?? []).includes('packaging:in-gateway')
    );
  });
}

/** True when the app's own source (or libs/common) mentions its port number. */
function sourceMentionsPort(app, port) {
  const pattern = new RegExp(`\\b${port}\\b`);
  const stack = [
    join(ROOT, 'apps', app, 'src'),
    join(ROOT, 'libs', 'common', 'src'),
  ];
  while (stack.length > 0) {
    const path = stack.pop();
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) stack.push(join(path, entry));
    } else if (
      /\.ts$/.test(path) &&
      !/\.spec\.ts$/.test(path) &&
      pattern.test(readFileSync(path, 'utf8'))
    ) {
      return true;
    }
  }
  return false;
}

/** Calls report(name, referenceName) for each entry whose text differs from the most common text. */
function reportOddOnesOut(textsByName, report) {
  const counts = new Map();
  for (const text of textsByName.values())
    counts.set(text, (counts.get(text) ?? 0) + 1);
  const reference = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const referenceName = [...textsByName].find(
    ([, text]) => text === reference,
  )?.[0];
  for (const [name, text] of textsByName)
    if (text !== reference) report(name, referenceName);
}

function checkDockerfiles() {
  const dockerfiles = existsSync(DOCKER_DIR)
    ? readdirSync(DOCKER_DIR).filter((name) => name.endsWith('.Dockerfile'))
    : [];
  const before = problems.length;
  const normalised = new Map();
  const ignoreFiles = new Map();
  const portsFoundInSource = [];

  for (const app of appProjects()) {
    if (!dockerfiles.includes(`${app}.Dockerfile`))
      fail(
        DOCKER_DIR,
        `no Dockerfile for app "${app}" (expected docker/${app}.Dockerfile)`,
      );
  }

  for (const name of dockerfiles) {
    const file = join(DOCKER_DIR, name);
    const app = name.slice(0, -'.Dockerfile'.length);
    const port = SERVICES[app];
    const text = readFileSync(file, 'utf8');
    const instructions = dockerInstructions(text);
    const of = (keyword) => instructions.filter((i) => i.keyword === keyword);

    if (!existsSync(join(ROOT, 'apps', app, 'project.json'))) {
      fail(
        file,
        `refers to app "${app}" but apps/${app}/project.json does not exist`,
      );
      continue;
    }
    if (port === undefined) {
      fail(
        file,
        `app "${app}" has no port in the SERVICES table of tools/validate-manifests.mjs`,
      );
      continue;
    }
    if (sourceMentionsPort(app, port)) portsFoundInSource.push(app);

    for (const arg of of('ARG').filter((i) => /^APP=/.test(i.args))) {
      if (arg.args !== `APP=${app}`)
        fail(file, `"ARG ${arg.args}" should be "ARG APP=${app}"`);
    }
    if (of('ARG').filter((i) => /^APP=/.test(i.args)).length === 0)
      fail(file, `missing "ARG APP=${app}"`);
    if (
      !of('RUN').some((i) =>
        /\bnx (run \$\{APP\}:prune|build \$\{APP\})/.test(i.args),
      )
    ) {
      fail(
        file,
        'no RUN step builds the app with "nx build ${APP}" (or "nx run ${APP}:prune")',
      );
    }
    if (!of('EXPOSE').some((i) => i.args.split(/\s+/).includes(String(port))))
      fail(file, `does not EXPOSE ${port}`);
    if (
      !of('ENV').some((i) =>
        new RegExp(`(^|\\s)PORT=${port}(\\s|$)`).test(i.args),
      )
    )
      fail(file, `does not set ENV PORT=${port}`);

    // Files copied from the build context must exist in the repository.
    for (const copy of of('COPY').filter((i) => !/--from=/.test(i.args))) {
      const parts = copy.args
        .split(/\s+/)
        .filter((part) => !part.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        if (!existsSync(join(ROOT, source)))
          fail(
            file,
            `COPY source "${source}" does not exist in the repository`,
          );
      }
    }

    // The last stage is the runtime: a slim Node 20 image, non-root, with a health check.
    const argDefaults = Object.fromEntries(
      of('ARG')
        .map((i) => i.args.split('='))
        .filter((kv) => kv.length === 2),
    );
    const froms = of('FROM');
    const runtimeImage = (froms.at(-1)?.args.split(/\s+/)[0] ?? '').replace(
      /\$\{(\w+)\}/g,
      (_, v) => argDefaults[v] ?? '',
    );
    if (!/^node:20[\w.-]*-slim$/.test(runtimeImage))
      fail(
        file,
        `runtime stage image is "${runtimeImage}", expected a node:20 *-slim image`,
      );
    if (froms.length < 2)
      fail(file, 'is not multi-stage (build and runtime stages expected)');
    const user = of('USER').at(-1)?.args;
    if (!user || /^(root|0)(:|$)/.test(user))
      fail(
        file,
        `runtime user is "${user ?? 'root (no USER)'}", expected a non-root user`,
      );
    const healthcheck = of('HEALTHCHECK').at(-1)?.args ?? '';
    if (!healthcheck.includes('/health'))
      fail(file, 'HEALTHCHECK missing or not probing /health');
    if (!of('CMD').some((i) => i.args.includes('main.js')))
      fail(file, 'CMD does not start main.js');

    const ignoreFile = `${file}.dockerignore`;
    if (!existsSync(ignoreFile)) {
      fail(
        file,
        `missing ${rel(ignoreFile)} (BuildKit reads <Dockerfile>.dockerignore)`,
      );
    } else {
      const ignored = readFileSync(ignoreFile, 'utf8');
      if (!/node_modules/.test(ignored))
        fail(ignoreFile, 'does not exclude node_modules');
      ignoreFiles.set(name, ignored);
    }
    normalised.set(
      name,
      text.replaceAll(app, '<APP>').replaceAll(String(port), '<PORT>'),
    );
  }

  // The per-service files share one pattern; a fix made in one must reach all.
  // The shape most files have is the reference; the others are reported.
  reportOddOnesOut(normalised, (name, reference) =>
    fail(
      join(DOCKER_DIR, name),
      `differs from ${reference} beyond the app name and port; keep the Dockerfiles identical in shape`,
    ),
  );
  reportOddOnesOut(ignoreFiles, (name, reference) =>
    fail(
      join(DOCKER_DIR, `${name}.dockerignore`),
      `differs from ${reference}.dockerignore; keep them identical`,
    ),
  );

  if (dockerfiles.length === 0) fail(DOCKER_DIR, 'no *.Dockerfile found');
  if (problems.length === before) {
    const sourceNote =
      portsFoundInSource.length === dockerfiles.length
        ? "ports also found in each app's source"
        : `port number not found in the source of: ${dockerfiles
            .map((n) => n.replace('.Dockerfile', ''))
            .filter((a) => !portsFoundInSource.includes(a))
            .join(', ')} (checked against the table only)`;
    passed.push(
      `Dockerfiles: ${dockerfiles.length} valid (${dockerfiles.join(', ')}); ${sourceNote}`,
    );
  }
}

// -------------------------------------------------------------- compose ----

function checkCompose() {
  if (!existsSync(COMPOSE_FILE)) {
    fail(COMPOSE_FILE, 'missing');
    return;
  }
  const before = problems.length;
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  const [compose] = readYamlDocuments(COMPOSE_FILE, { merge: true });
  if (!isObject(compose) || !isObject(compose.services)) {
    fail(COMPOSE_FILE, 'no services');
    return;
  }
  const services = compose.services;

  // Fields newer than Debian's docker-compose 1.29.2 (checked even without it).
  if ('include' in compose)
    fail(
      COMPOSE_FILE,
      'top-level "include" is not supported by docker-compose 1.29.2',
    );
  for (const [name, service] of Object.entries(services)) {
    if (
      isObject(service.healthcheck) &&
      'start_interval' in service.healthcheck
    ) {
      fail(
        COMPOSE_FILE,
        `service "${name}": healthcheck.start_interval is not supported by docker-compose 1.29.2`,
      );
    }
    for (const [dependency, condition] of Object.entries(
      isObject(service.depends_on) ? service.depends_on : {},
    )) {
      if (isObject(condition) && 'required' in condition)
        fail(
          COMPOSE_FILE,
          `service "${name}": depends_on.${dependency}.required is not supported by docker-compose 1.29.2`,
        );
    }
    const dependencies = Array.isArray(service.depends_on)
      ? service.depends_on
      : Object.keys(service.depends_on ?? {});
    for (const dependency of dependencies) {
      if (!(dependency in services))
        fail(
          COMPOSE_FILE,
          `service "${name}" depends on unknown service "${dependency}"`,
        );
      const condition = isObject(service.depends_on)
        ? service.depends_on[dependency]?.condition
        : undefined;
      if (
        condition === 'service_healthy' &&
        !services[dependency]?.healthcheck
      ) {
        fail(
          COMPOSE_FILE,
          `service "${name}" waits for "${dependency}" to be healthy, but "${dependency}" has no healthcheck`,
        );
      }
    }
  }

  for (const infrastructure of ['kafka', 'redis', 'mongo-init']) {
    if (!(infrastructure in services))
      fail(COMPOSE_FILE, `missing service "${infrastructure}"`);
  }
  for (const [app, port] of Object.entries(SERVICES)) {
    const service = services[app];
    if (!service) {
      fail(COMPOSE_FILE, `missing service "${app}"`);
      continue;
    }
    const dockerfile = service.build?.dockerfile;
    const context = resolve(DOCKER_DIR, service.build?.context ?? '.');
    if (
      dockerfile !== `docker/${app}.Dockerfile` ||
      !existsSync(join(context, dockerfile))
    ) {
      fail(
        COMPOSE_FILE,
        `service "${app}": build.dockerfile should be docker/${app}.Dockerfile relative to the repository root (got "${dockerfile}")`,
      );
    }
    const env = service.environment ?? {};
    if (!isObject(env))
      fail(COMPOSE_FILE, `service "${app}": environment should be a map`);
    if (String(env.PORT) !== String(port))
      fail(
        COMPOSE_FILE,
        `service "${app}": PORT is "${env.PORT}", expected ${port}`,
      );
    const required =
      app === EDGE
        ? ['JWT_SECRET', 'SESSION_SECRET', 'PUBLIC_URL', 'CATALOG_URL', 'ORDERS_URL', 'LOGISTICS_URL', 'CERTIFICATION_URL']
        : [
            'MONGO_URL',
            'REDIS_URL',
            'KAFKA_BROKERS',
            'JWT_SECRET',
            ...(app === 'orders'
              ? ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']
              : []),
          ];
    for (const key of required)
      if (!(key in env))
        fail(COMPOSE_FILE, `service "${app}": environment lacks ${key}`);
    const targets = (service.ports ?? []).map((p) =>
      isObject(p) ? p.target : Number(String(p).split(':').at(-1)),
    );
    if (!targets.includes(port))
      fail(
        COMPOSE_FILE,
        `service "${app}": no port mapping to container port ${port}`,
      );
    if (!service.healthcheck?.test)
      fail(COMPOSE_FILE, `service "${app}": no healthcheck`);
    for (const dependency of app === EDGE
      ? ['catalog', 'orders', 'logistics', 'certification']
      : ['mongo-init', 'redis', 'kafka']) {
      if (!service.depends_on?.[dependency]?.condition)
        fail(
          COMPOSE_FILE,
          `service "${app}": should depend on "${dependency}" with a condition`,
        );
    }
  }
  if (problems.length === before)
    passed.push(
      `docker-compose.yml structure: ${Object.keys(services).length} services, four apps wired to Kafka, MongoDB, Redis`,
    );

  // Offline validation by docker-compose itself. Variables the file requires
  // (${VAR:?message}) get placeholders unless already set.
  const probe = spawnSync('docker-compose', ['version', '--short'], {
    encoding: 'utf8',
  });
  if (probe.error) {
    const message =
      'docker-compose config: NOT RUN — docker-compose is not installed (apt-get install -y docker-compose)';
    if (strict) fail(COMPOSE_FILE, message);
    else notRun.push(message);
    return;
  }
  const env = { ...process.env };
  for (const [, variable] of text.matchAll(/\$\{(\w+):\?/g))
    env[variable] ??=
      `placeholder-for-${variable.toLowerCase()}-validation-only`;
  const result = spawnSync(
    'docker-compose',
    ['-f', COMPOSE_FILE, 'config', '-q'],
    { encoding: 'utf8', env, cwd: ROOT },
  );
  if (result.status !== 0) {
    fail(
      COMPOSE_FILE,
      `docker-compose ${probe.stdout.trim()} config -q failed:\n    ${(result.stderr || result.stdout).trim().replaceAll('\n', '\n    ')}`,
    );
  } else {
    passed.push(`docker-compose ${probe.stdout.trim()} config -q: valid`);
  }
}

// ----------------------------------------------------------- kustomize ----

const SUPPORTED_KUSTOMIZATION_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'namespace',
  'patches',
  'images',
  'replicas',
]);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
]);

const keyOf = (doc) => `${doc.kind}/${doc.metadata?.name}`;

/** Deep merge for patches: maps merge, lists and scalars replace, null deletes. */
function mergePatch(target, patch) {
  const result = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (isObject(value) && isObject(result[key]))
      result[key] = mergePatch(result[key], value);
    else result[key] = value;
  }
  return result;
}

function podSpecOf(doc) {
  if (
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(
      doc.kind,
    )
  )
    return doc.spec?.template?.spec;
  if (doc.kind === 'CronJob')
    return doc.spec?.jobTemplate?.spec?.template?.spec;
  if (doc.kind === 'Pod') return doc.spec;
  return undefined;
}

function splitImage(image) {
  const digestAt = image.indexOf('@');
  if (digestAt >= 0)
    return {
      name: image.slice(0, digestAt),
      tag: undefined,
      digest: image.slice(digestAt + 1),
    };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  return colon >= 0
    ? { name: image.slice(0, colon), tag: image.slice(colon + 1) }
    : { name: image, tag: undefined };
}

/** Renders a kustomization directory into a list of { doc, file }. */
function renderKustomization(dir, seen = new Set()) {
  const file = join(dir, 'kustomization.yaml');
  if (seen.has(dir)) {
    fail(file, 'kustomization cycle');
    return [];
  }
  seen.add(dir);
  const [kustomization] = readYamlDocuments(file);
  if (!isObject(kustomization)) {
    fail(file, 'empty kustomization');
    return [];
  }
  for (const field of Object.keys(kustomization)) {
    if (!SUPPORTED_KUSTOMIZATION_FIELDS.has(field))
      fail(
        file,
        `field "${field}" is not understood by tools/validate-manifests.mjs; extend the validator before using it`,
      );
  }

  let rendered = [];
  for (const resource of kustomization.resources ?? []) {
    const path = resolve(dir, resource);
    if (!existsSync(path)) {
      fail(file, `resource "${resource}" does not exist`);
    } else if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, 'kustomization.yaml')))
        fail(
          file,
          `resource "${resource}" is a directory without kustomization.yaml`,
        );
      else rendered.push(...renderKustomization(path, seen));
    } else {
      for (const doc of readYamlDocuments(path))
        rendered.push({ doc, file: path });
    }
  }

  const byKey = new Map();
  for (const item of rendered) {
    if (byKey.has(keyOf(item.doc)))
      fail(
        item.file,
        `${keyOf(item.doc)} is defined twice (also in ${rel(byKey.get(keyOf(item.doc)).file)})`,
      );
    byKey.set(keyOf(item.doc), item);
  }

  for (const patch of kustomization.patches ?? []) {
    if (!isObject(patch) || !patch.path || patch.target || patch.patch) {
      fail(
        file,
        'only `patches: - path: <file>` (strategic-merge style, target taken from kind and name) is supported',
      );
      continue;
    }
    const patchFile = resolve(dir, patch.path);
    if (!existsSync(patchFile)) {
      fail(file, `patch "${patch.path}" does not exist`);
      continue;
    }
    const docs = readYamlDocuments(patchFile);
    if (docs.length !== 1) {
      fail(
        patchFile,
        `holds ${docs.length} documents; kustomize's \`patches\` takes exactly one per file`,
      );
      continue;
    }
    const target = byKey.get(keyOf(docs[0]));
    if (!target) {
      fail(patchFile, `patches ${keyOf(docs[0])}, which no resource defines`);
      continue;
    }
    if (docs[0].apiVersion !== target.doc.apiVersion)
      fail(
        patchFile,
        `apiVersion ${docs[0].apiVersion} differs from the target's ${target.doc.apiVersion}`,
      );
    target.doc = mergePatch(target.doc, docs[0]);
  }

  for (const image of kustomization.images ?? []) {
    let used = false;
    for (const { doc } of rendered) {
      const podSpec = podSpecOf(doc);
      for (const container of [
        ...(podSpec?.containers ?? []),
        ...(podSpec?.initContainers ?? []),
      ]) {
        const current = splitImage(container.image ?? '');
        if (current.name !== image.name) continue;
        used = true;
        const name = image.newName ?? current.name;
        if (image.digest) container.image = `${name}@${image.digest}`;
        else if (image.newTag !== undefined)
          container.image = `${name}:${image.newTag}`;
        else container.image = current.tag ? `${name}:${current.tag}` : name;
      }
    }
    if (!used)
      fail(file, `images entry "${image.name}" matches no container image`);
  }

  for (const replica of kustomization.replicas ?? []) {
    const targets = rendered.filter(
      ({ doc }) =>
        ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(doc.kind) &&
        doc.metadata?.name === replica.name,
    );
    if (targets.length === 0)
      fail(file, `replicas entry "${replica.name}" matches no workload`);
    for (const target of targets)
      target.doc = {
        ...target.doc,
        spec: { ...target.doc.spec, replicas: replica.count },
      };
  }

  if (kustomization.namespace) {
    rendered = rendered.map((item) =>
      CLUSTER_SCOPED.has(item.doc.kind)
        ? item
        : {
            ...item,
            doc: {
              ...item.doc,
              metadata: {
                ...item.doc.metadata,
                namespace: kustomization.namespace,
              },
            },
          },
    );
  }
  return rendered;
}

async function validateModel({ doc, file }) {
  if (typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    fail(
      file,
      `a document lacks apiVersion or kind (${JSON.stringify(doc).slice(0, 60)}…)`,
    );
    return;
  }
  let Model;
  try {
    Model = (await import(`kubernetes-models/${doc.apiVersion}/${doc.kind}`))[
      doc.kind
    ];
  } catch {
    fail(
      file,
      `${keyOf(doc)}: unknown apiVersion/kind "${doc.apiVersion}" ${doc.kind} (not a built-in Kubernetes kind)`,
    );
    return;
  }
  try {
    new Model(doc).validate();
  } catch (error) {
    const details = Array.isArray(error.errors)
      ? error.errors
          .map((e) => `${e.instancePath || '/'} ${e.message}`)
          .join('; ')
      : error.message;
    fail(
      file,
      `${keyOf(doc)} is not a valid ${doc.apiVersion} ${doc.kind}: ${details}`,
    );
  }
}

const labelsMatch = (selector, labels) =>
  isObject(selector) &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels?.[key] === value);

function mebibytes(quantity) {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(quantity));
  if (!match) return NaN;
  const factor =
    {
      Ki: 1 / 1024,
      Mi: 1,
      Gi: 1024,
      K: 1e3 / 2 ** 20,
      M: 1e6 / 2 ** 20,
      G: 1e9 / 2 ** 20,
    }[match[2]] ?? 1 / 2 ** 20;
  return Number(match[1]) * factor;
}

/** Cross-resource checks the schemas cannot express. Returns the Secrets referenced from outside. */
function crossCheck(rendered, { isOverlay }) {
  const find = (kind, name) =>
    rendered.find(
      ({ doc }) => doc.kind === kind && doc.metadata?.name === name,
    );
  const configMaps = new Map(
    rendered
      .filter(({ doc }) => doc.kind === 'ConfigMap')
      .map(({ doc }) => [doc.metadata.name, doc.data ?? {}]),
  );
  const secretsInManifests = new Set(
    rendered
      .filter(({ doc }) => doc.kind === 'Secret')
      .map(({ doc }) => doc.metadata.name),
  );
  const externalSecrets = new Map();
  const deployments = rendered.filter(({ doc }) => doc.kind === 'Deployment');

  for (const [app, port] of Object.entries(SERVICES)) {
    for (const kind of [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ]) {
      if (!find(kind, app))
        fail(K8S_DIR, `no ${kind} "${app}" in the rendered manifests`);
    }
    const deployment = find('Deployment', app);
    if (!deployment) continue;
    const { doc, file } = deployment;
    const container = doc.spec?.template?.spec?.containers?.find(
      (c) => c.name === app,
    );
    if (!container) {
      fail(file, `Deployment ${app} has no container named "${app}"`);
      continue;
    }
    const ports = container.ports ?? [];
    if (!ports.some((p) => p.containerPort === port))
      fail(file, `Deployment ${app}: container port ${port} not declared`);
    const portEnv = container.env?.find((e) => e.name === 'PORT');
    if (portEnv?.value !== String(port))
      fail(
        file,
        `Deployment ${app}: env PORT is "${portEnv?.value}", expected "${port}"`,
      );
    if (!splitImage(container.image ?? '').name.endsWith(`/${app}`))
      fail(
        file,
        `Deployment ${app}: image "${container.image}" is not the ${app} image`,
      );
    if (isOverlay) {
      const { tag, digest } = splitImage(container.image ?? '');
      if (!digest && (!tag || tag === 'latest'))
        fail(
          file,
          `Deployment ${app}: image "${container.image}" needs a fixed tag or digest in an overlay`,
        );
    }

    const { requests = {}, limits = {} } = container.resources ?? {};
    if (!requests.cpu || !requests.memory)
      fail(file, `Deployment ${app}: resources.requests needs cpu and memory`);
    if (!limits.memory)
      fail(file, `Deployment ${app}: resources.limits.memory is missing`);
    else if (!(mebibytes(limits.memory) <= MEMORY_LIMIT_MAX_MI))
      fail(
        file,
        `Deployment ${app}: memory limit ${limits.memory} exceeds ${MEMORY_LIMIT_MAX_MI}Mi`,
      );
    if (
      requests.memory &&
      limits.memory &&
      mebibytes(requests.memory) > mebibytes(limits.memory)
    )
      fail(file, `Deployment ${app}: memory request above limit`);

    for (const probeName of ['readinessProbe', 'livenessProbe']) {
      const probe = container[probeName];
      if (probe?.httpGet?.path !== '/health') {
        fail(
          file,
          `Deployment ${app}: ${probeName} must be an httpGet on /health`,
        );
        continue;
      }
      const probePort = probe.httpGet.port;
      if (
        !ports.some(
          (p) => p.name === probePort || p.containerPort === probePort,
        )
      )
        fail(
          file,
          `Deployment ${app}: ${probeName} port "${probePort}" is not a container port`,
        );
    }
    const readinessFailures = container.readinessProbe?.failureThreshold ?? 3;
    const livenessFailures = container.livenessProbe?.failureThreshold ?? 3;
    if (
      livenessFailures * (container.livenessProbe?.periodSeconds ?? 10) <=
      readinessFailures * (container.readinessProbe?.periodSeconds ?? 10)
    ) {
      fail(
        file,
        `Deployment ${app}: liveness should tolerate a dependency outage longer than readiness does`,
      );
    }
    if (doc.spec.template.spec.securityContext?.runAsNonRoot !== true)
      fail(
        file,
        `Deployment ${app}: pod securityContext.runAsNonRoot should be true`,
      );

    if (
      !labelsMatch(
        doc.spec.selector?.matchLabels,
        doc.spec.template.metadata?.labels,
      )
    )
      fail(file, `Deployment ${app}: selector does not match its pod labels`);
  }

  for (const { doc, file } of deployments) {
    for (const container of doc.spec?.template?.spec?.containers ?? []) {
      for (const source of container.envFrom ?? []) {
        if (
          source.configMapRef &&
          !configMaps.has(source.configMapRef.name) &&
          !source.configMapRef.optional
        )
          fail(
            file,
            `${keyOf(doc)}: envFrom ConfigMap "${source.configMapRef.name}" is not defined`,
          );
        if (source.secretRef && !secretsInManifests.has(source.secretRef.name))
          externalSecrets.set(
            source.secretRef.name,
            externalSecrets.get(source.secretRef.name) ??
              new Set(['(all keys)']),
          );
      }
      for (const variable of container.env ?? []) {
        const configRef = variable.valueFrom?.configMapKeyRef;
        if (
          configRef &&
          !configRef.optional &&
          !(
            configMaps.get(configRef.name) &&
            configRef.key in configMaps.get(configRef.name)
          )
        ) {
          fail(
            file,
            `${keyOf(doc)}: env ${variable.name} refers to ConfigMap ${configRef.name} key ${configRef.key}, which is not defined`,
          );
        }
        const secretRef = variable.valueFrom?.secretKeyRef;
        if (secretRef && !secretsInManifests.has(secretRef.name)) {
          if (!externalSecrets.has(secretRef.name))
            externalSecrets.set(secretRef.name, new Set());
          externalSecrets.get(secretRef.name).add(secretRef.key);
        }
      }
    }
  }

  for (const { doc, file } of rendered.filter(
    ({ doc: d }) => d.kind === 'Service',
  )) {
    const target = deployments.find(({ doc: d }) =>
      labelsMatch(doc.spec?.selector, d.spec?.template?.metadata?.labels),
    );
    if (!target) {
      fail(
        file,
        `Service ${doc.metadata.name}: selector matches no Deployment's pods`,
      );
      continue;
    }
    const containerPorts = target.doc.spec.template.spec.containers.flatMap(
      (c) => c.ports ?? [],
    );
    for (const servicePort of doc.spec.ports ?? []) {
      const targetPort = servicePort.targetPort ?? servicePort.port;
      if (
        !containerPorts.some(
          (p) => p.name === targetPort || p.containerPort === targetPort,
        )
      )
        fail(
          file,
          `Service ${doc.metadata.name}: targetPort "${targetPort}" is not a port of Deployment ${target.doc.metadata.name}`,
        );
    }
  }

  for (const { doc, file } of rendered.filter(
    ({ doc: d }) => d.kind === 'HorizontalPodAutoscaler',
  )) {
    const ref = doc.spec?.scaleTargetRef ?? {};
    const target = find(ref.kind, ref.name);
    if (!target) {
      fail(
        file,
        `HorizontalPodAutoscaler ${doc.metadata.name}: scale target ${ref.kind}/${ref.name} does not exist`,
      );
      continue;
    }
    const min = doc.spec.minReplicas ?? 1;
    if (min > doc.spec.maxReplicas)
      fail(
        file,
        `HorizontalPodAutoscaler ${doc.metadata.name}: minReplicas ${min} > maxReplicas ${doc.spec.maxReplicas}`,
      );
    const replicas = target.doc.spec?.replicas ?? 1;
    if (replicas < min || replicas > doc.spec.maxReplicas)
      fail(
        target.file,
        `${keyOf(target.doc)}: replicas ${replicas} outside its autoscaler's range ${min}..${doc.spec.maxReplicas}`,
      );
    const usesCpu = (doc.spec.metrics ?? []).some(
      (m) =>
        m.resource?.name === 'cpu' &&
        m.resource?.target?.type === 'Utilization',
    );
    const hasCpuRequests = (
      target.doc.spec?.template?.spec?.containers ?? []
    ).every((c) => c.resources?.requests?.cpu);
    if (usesCpu && !hasCpuRequests)
      fail(
        target.file,
        `${keyOf(target.doc)}: CPU utilisation autoscaling needs cpu requests on every container`,
      );
  }

  // Kafka gives each partition to one consumer of a group: pods beyond the
  // partition count would sit idle.
  const partitions = Number(configMaps.get('techan-config')?.KAFKA_PARTITIONS);
  for (const { doc, file } of rendered.filter(
    ({ doc: d }) => d.kind === 'HorizontalPodAutoscaler',
  )) {
    if (partitions && doc.spec?.maxReplicas > partitions) {
      fail(
        file,
        `HorizontalPodAutoscaler ${doc.metadata.name}: maxReplicas ${doc.spec.maxReplicas} exceeds KAFKA_PARTITIONS ${partitions}; extra consumers would be idle`,
      );
    }
  }

  for (const { doc, file } of rendered.filter(
    ({ doc: d }) => d.kind === 'PodDisruptionBudget',
  )) {
    const target = deployments.find(({ doc: d }) =>
      labelsMatch(
        doc.spec?.selector?.matchLabels,
        d.spec?.template?.metadata?.labels,
      ),
    );
    if (!target) {
      fail(
        file,
        `PodDisruptionBudget ${doc.metadata.name}: selector matches no Deployment's pods`,
      );
      continue;
    }
    const minAvailable = doc.spec.minAvailable;
    if (
      typeof minAvailable === 'number' &&
      minAvailable >= (target.doc.spec.replicas ?? 1)
    ) {
      fail(
        file,
        `PodDisruptionBudget ${doc.metadata.name}: minAvailable ${minAvailable} would block every voluntary eviction of ${target.doc.spec.replicas ?? 1} replicas`,
      );
    }
  }

  if (isOverlay) {
    for (const { doc, file } of rendered) {
      if (!CLUSTER_SCOPED.has(doc.kind) && !doc.metadata?.namespace)
        fail(file, `${keyOf(doc)} has no namespace in the overlay`);
    }
  }
  return externalSecrets;
}

function kustomizationDirs() {
  const dirs = [];
  const stack = [K8S_DIR];
  while (stack.length > 0) {
    const dir = stack.pop();
    if (!existsSync(dir)) continue;
    if (existsSync(join(dir, 'kustomization.yaml'))) dirs.push(dir);
    for (const entry of readdirSync(dir)) {
      if (statSync(join(dir, entry)).isDirectory())
        stack.push(join(dir, entry));
    }
  }
  return dirs.sort();
}

async function checkKubernetes() {
  const dirs = kustomizationDirs();
  if (dirs.length === 0) {
    fail(K8S_DIR, 'no kustomization.yaml found');
    return;
  }
  if (!dirs.includes(join(K8S_DIR, 'base')))
    fail(K8S_DIR, 'k8s/base/kustomization.yaml is missing');

  // Every YAML file under k8s/ must be used by some kustomization, or it is dead.
  const used = new Set();
  for (const dir of dirs) {
    used.add(join(dir, 'kustomization.yaml'));
    const [kustomization] = readYamlDocuments(join(dir, 'kustomization.yaml'));
    for (const entry of [
      ...(kustomization?.resources ?? []),
      ...(kustomization?.patches ?? []).map((p) => p?.path),
    ]) {
      if (entry) used.add(resolve(dir, entry));
    }
  }
  const stack = [K8S_DIR];
  while (stack.length > 0) {
    const path = stack.pop();
    if (statSync(path).isDirectory())
      readdirSync(path).forEach((entry) => stack.push(join(path, entry)));
    else if (/\.ya?ml$/.test(path) && !used.has(path))
      fail(path, 'is not listed in any kustomization (resources or patches)');
  }

  for (const dir of dirs) {
    const before = problems.length;
    renderingContext = dir === join(K8S_DIR, 'base') ? '' : rel(dir);
    const rendered = renderKustomization(dir);
    for (const item of rendered) await validateModel(item);
    const externalSecrets = crossCheck(rendered, {
      isOverlay: dir !== join(K8S_DIR, 'base'),
    });
    if (problems.length === before) {
      const counts = {};
      for (const { doc } of rendered)
        counts[doc.kind] = (counts[doc.kind] ?? 0) + 1;
      const summary = Object.entries(counts)
        .map(([kind, n]) => `${kind}×${n}`)
        .join(', ');
      const secrets = [...externalSecrets]
        .map(([name, keys]) => `${name} (${[...keys].sort().join(', ')})`)
        .join('; ');
      passed.push(
        `${rel(dir)}: ${rendered.length} resources valid (${summary}); expects Secret ${secrets || 'none'} created outside the manifests`,
      );
    }
  }
  renderingContext = '';
}

// ----------------------------------------------------------------- main ----

checkDockerfiles();
checkCompose();
await checkKubernetes();

for (const line of passed) console.log(`ok       ${line}`);
for (const line of notRun) console.log(`NOT RUN  ${line}`);
for (const line of problems) console.error(`FAIL     ${line}`);
if (problems.length > 0) {
  console.error(`\nvalidate-manifests: ${problems.length} problem(s) found`);
  process.exit(1);
}
console.log(
  `\nvalidate-manifests: all checks passed${notRun.length ? ` (${notRun.length} not run, see above)` : ''}`,
);
