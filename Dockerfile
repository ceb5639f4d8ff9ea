# Image for the scaled deployment (docker-compose.yml): the API server, which also serves the built portal, and
# (same image, other command) the Temporal worker. See docs/deployment.md.
#
# Node 20 to match package.json "engines" and the development machine. 20.20.2 is the last Node 20 release; Node 20
# reached end of life on 2026-04-30, so moving to Node 22/24 is a separate, deliberate change.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---------------------------------------------------------------------------------------------------------------
# build: install every dependency (native modules compile here), build the portal, then drop the dev dependencies.
# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build

# python3, make and g++ for node-gyp: .npmrc says build-from-source=better-sqlite3, so better-sqlite3 is compiled
# rather than downloaded. (argon2 ships prebuilt binaries; esbuild picks its platform package.)
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that source changes do not invalidate this layer.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund

COPY . .
# The server is bundled here, after the prune (esbuild is a runtime dependency), so that the app starts from the
# bundle (scripts/start.mjs finds it up to date and writes nothing: the code is read-only for the app's user).
RUN npm run build:portal \
 && npm prune --omit=dev --no-audit --no-fund \
 && node scripts/build-server.mjs

# ---------------------------------------------------------------------------------------------------------------
# runtime: the pruned app, DejaVu fonts, a non-root user.
# ---------------------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# fonts-dejavu-core: the PDFs (report cards, transcripts) embed DejaVu TTF, which covers Vietnamese diacritics;
# the files land in /usr/share/fonts/truetype/dejavu/ (DejaVuSans.ttf, DejaVuSans-Bold.ttf, ...).
# tini: PID 1 that forwards SIGTERM to node (to npx/tsx in the worker) and reaps zombies, so `docker stop` shuts the
# app down cleanly.
# libxml2-utils: xmllint, which validates every transcript XML against schemas/hocba-v1.xsd (server/transcripts/xsd.ts).
# postgresql-client-16: pg_dump for the nightly backup (README "Backups"); it must be at least the database server's
# major version (postgres:16 in docker-compose.yml) and Debian bookworm ships 15, so it comes from the PostgreSQL
# project's apt repository, set up by Debian's own postgresql-common script.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core tini libxml2-utils ca-certificates postgresql-common \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-16 \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false

WORKDIR /app

# The code stays owned by root (read-only for the app); only ./data, where the app keeps its generated files
# (the SQLite database and session secret when those are not configured), belongs to the `node` user (uid 1000)
# that the official Node image already provides.
COPY --from=build /app /app
# .npmrc only matters to `npm ci` (build stage); left in place, every `npx` start would warn about its key.
RUN rm -f /app/.npmrc \
 && mkdir -p /app/data && chown node:node /app/data

USER node

EXPOSE 3000

# GET /api/health answers 200 {ok:true} once the app is up (migrations done). No curl in the slim image: use Node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--"]
# The bundled server, as `npm start` runs it, without its portal step (the portal was built above and vite pruned):
# 2.2 s to a healthy answer where `npx tsx server/main.ts` took 6.9 s (the build steps repeated outside Docker).
CMD ["node", "scripts/start.mjs", "--server-only"]
