# Nimbus operators: ONE image, the operator is chosen by the command.
#   docker run IMAGE                                            -> main operator (the default CMD)
#   docker run IMAGE node --max-semi-space-size=2 --heap-growing-percent=30 dist/couchdb/main.js -> CouchDB operator (also nats, openwhisk)
# One image means one build, one scan and one tag to promote for all four operators, which share all their
# dependencies anyway; each bundle only contains its own operator's code.
#
# Stages: deps (production node_modules only) -> build (all deps, esbuild bundles) -> runtime (bundles + prod deps).

FROM node:24.11-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; no lifecycle scripts are needed at run time.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:24.11-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY shared/ shared/
COPY operators/ operators/
# Writes dist/<operator>/main.js and copies each operator's templates to dist/<operator>/templates/.
RUN npm run build

FROM node:24.11-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules/ node_modules/
COPY --from=build /src/dist/ dist/
# A numeric non-root user, so runAsNonRoot can be verified by the kubelet without an /etc/passwd lookup.
USER 65532:65532
# /healthz, /readyz and /metrics (HTTP_PORT).
EXPOSE 8080
# Exec form: node is PID 1 and receives SIGTERM itself, so the operator shuts down gracefully.
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=30", "dist/main/main.js"]
