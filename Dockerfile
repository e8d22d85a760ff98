# syntax=docker/dockerfile:1
#
# One image for the three apps of the TRE orchestration service:
#   API     node dist/apps/api/src/main.js      (default; port 3000)
#   worker  node dist/apps/worker/src/main.js   (health and metrics on port 3001)
#   CLI     node dist/apps/cli/src/main.js <command>, e.g. `migrate`
#
# The build stage compiles with the dev toolchain and then prunes it away, so the runtime stage receives only
# the compiled JavaScript and the production dependencies.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Dependencies first: this layer is reused as long as the manifest and lock file do not change.
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# The user below has no passwd entry, so HOME would be `/`; point libraries that look for a home at /tmp.
ENV NODE_ENV=production \
    HOME=/tmp

WORKDIR /app

# Owned by root and only readable by the service user: the process cannot rewrite its own code.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist

# The tool kit that the init container of every workspace's tool copies into the tool's pod, so a researcher can
# run `tre sdc` there whatever the tool's image (libs/workspaces/src/manifests/tool-kit.ts): the `tre` wrapper,
# the single-file bundle of `tre sdc` (`npm run build` writes dist/tre-sdc.js) and this image's node binary.
# That binary needs glibc (2.28 or newer) and libstdc++, as Debian- and Ubuntu-based tool images have.
COPY --from=build --chmod=0755 /app/apps/cli/tool-kit/tre /opt/tre-kit/bin/tre
COPY --from=build /app/dist/tre-sdc.js /opt/tre-kit/lib/tre-sdc.js
RUN cp /usr/local/bin/node /opt/tre-kit/lib/node

# State directory for development mode (the dev signing key in docker-compose). Docker copies this directory's
# ownership into a fresh named volume mounted here, so the non-root user can write to it.
RUN mkdir -p /var/lib/tre && chown 10001:10001 /var/lib/tre

# Numeric user and group so Kubernetes' runAsNonRoot can verify them without reading /etc/passwd.
USER 10001:10001

# 3000: API (HTTP, /health, /ready, /docs). 3003: API /metrics (cluster only). 3001: worker health and metrics.
EXPOSE 3000 3001 3003

# No HEALTHCHECK here: the same image runs the API, the worker and one-shot CLI commands, which answer on
# different ports or not at all. docker-compose.yml and the Kubernetes probes check each app where it listens.
CMD ["node", "dist/apps/api/src/main.js"]
