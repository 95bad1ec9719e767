# syntax=docker/dockerfile:1
# Production image of the gateway service. The four service Dockerfiles
# (docker/<app>.Dockerfile) are identical apart from APP and PORT;
# tools/validate-manifests.mjs fails if they drift apart.
# Build from the repository root:
#   docker build -f docker/gateway.Dockerfile -t techan/gateway .

ARG NODE_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=node:20-bookworm-slim

# ---- build: whole workspace, dev dependencies, webpack bundle + pruned lockfile
FROM ${NODE_IMAGE} AS build
ARG APP=gateway
ENV NX_NO_CLOUD=true NX_USE_LOCAL=true NX_TUI=false NX_DAEMON=false CI=true
WORKDIR /workspace
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nx.json tsconfig.base.json eslint.config.mjs jest.config.ts jest.preset.js ./
COPY apps ./apps
COPY libs ./libs
# Webpack bundles the app and the workspace libs into dist/apps/<app>/main.js
# and (generatePackageJson) writes a package.json and package-lock.json that
# hold only the npm packages the bundle imports. (`nx run <app>:prune` is not
# used: it needs an apps/<app>/package.json, which the apps do not have.)
RUN npx nx build ${APP} --outputStyle=static \
 && test -f dist/apps/${APP}/package-lock.json

# ---- deps: production dependencies of this app only, installed with the full
# toolchain image (native add-ons build here), same Debian release as the runtime
FROM ${NODE_IMAGE} AS deps
ARG APP=gateway
WORKDIR /app
COPY --from=build /workspace/dist/apps/${APP}/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime: slim image, bundle + production node_modules, non-root
FROM ${RUNTIME_IMAGE} AS runtime
ARG APP=gateway
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
# Files stay owned by root: the app user can read but not modify its own code.
COPY --from=deps /app/ ./
# uid/gid 1000 is the `node` user of the official image; numeric so that
# Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080
# The slim image has no curl; Node 20's fetch does the probe. /health answers
# 200 only when MongoDB, Redis and the event bus are reachable.
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node runs as PID 1 and receives SIGTERM directly; the app shuts down gracefully.
CMD ["node", "main.js"]
