# syntax=docker/dockerfile:1
#
# Calendar Relay container image (docs/deployment.md).
# - Node.js 24 LTS, the product's runtime (scripts/install-node.sh pins 24.22.3 for CI; the line is
#   supported until 30 April 2028, https://github.com/nodejs/Release/blob/main/schedule.json).
#   The base image is pinned by tag and by digest; Docker pulls by the digest, so a rebuilt or
#   moved tag cannot change what is built. The digest of node:24.22.3-bookworm-slim could not be
#   read when this pin was set (no registry access), so the pin is the newest Node 24
#   bookworm-slim whose digest could be checked: node:24.21.0-bookworm-slim, its multi-platform
#   index digest as Docker's official-images tooling records it in docker-library/repo-info
#   (repos/node/remote/24.21.0-bookworm-slim.md, commit 5997ebe15f92777eea33e0f6b03f784b3aaf1184).
#   To pin another release, read its digest from the registry and write both here:
#     docker buildx imagetools inspect node:24.22.3-bookworm-slim     # the "Digest:" line
#   or for one build: --build-arg NODE_IMAGE=node:24.22.3-bookworm-slim@sha256:<that digest>
# - Three stages: `build` compiles with the dev dependencies, `prod-deps` installs the runtime
#   dependencies only, the final stage carries just those two results.
# - Runs as uid/gid 1000 (the image's `node` user) given numerically, so Kubernetes'
#   runAsNonRoot can verify it. The application files belong to root: the process cannot
#   change its own code.
# - Writes nothing outside /tmp, so it runs with a read-only root filesystem (mount a tmpfs or
#   emptyDir at /tmp).
ARG NODE_IMAGE=node:24.21.0-bookworm-slim@sha256:2fe369e969550cde8e867afc3fe370b260140cab4a23d467074295b42163d553

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /src
COPY package.json package-lock.json ./
# No runtime dependency has an install script (package-lock.json: no hasInstallScript).
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json ./
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
USER 1000:1000
EXPOSE 8080
# Slim images have no curl or wget: the probe is a line of node against the liveness route, on
# the listener the relay itself opens (PORT, HOST; HTTPS when TLS_CERT_FILE/TLS_KEY_FILE are set,
# without checking the certificate, which names the public host, not loopback). Orchestrators
# with their own probes (Kubernetes) ignore this. test/deploy runs this exact command.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "const e=process.env,tls=Boolean(e.TLS_CERT_FILE&&e.TLS_KEY_FILE),h=(e.HOST||'').trim();\
require(tls?'https':'http').get({host:!h||h==='0.0.0.0'?'127.0.0.1':h==='::'?'::1':h,port:Number(e.PORT||8080),\
path:'/health/live',timeout:4000,rejectUnauthorized:false},r=>process.exit(r.statusCode===200?0:1))\
.on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"]
# node itself is PID 1 so SIGTERM reaches the relay's shutdown hooks directly (no npm, no shell).
CMD ["node", "dist/apps/calendar-relay/apps/calendar-relay/src/main.js"]
