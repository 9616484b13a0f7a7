#!/usr/bin/env bash
# Netlify's build command (netlify.toml): build the site for the deploy's address, given as $1.
# The cargo-cache plugin (netlify/plugins/cargo-cache) has left target/netlify-groupdir/groupdir
# when a binary compiled from the same sources and toolchain was in Netlify's cache; otherwise this
# installs the pinned toolchain if it is missing and compiles groupdir. `--no-default-features`
# leaves out what building a site does not use (the `sync` and `serve` commands: the GitHub
# client, the preview server and its async stack), to keep the compile short.
set -euo pipefail
url="${1:?usage: netlify/build.sh BASE_URL}"
groupdir=target/netlify-groupdir/groupdir
if [ ! -x "$groupdir" ]; then
  if ! command -v rustup >/dev/null 2>&1; then
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
      | sh -s -- -y --profile minimal --default-toolchain none
    . "$HOME/.cargo/env"
  fi
  # Netlify's image keeps ~/.rustup between builds: install the toolchain only when it is not there.
  rustup toolchain list | grep -q "^$RUSTUP_TOOLCHAIN-" \
    || rustup toolchain install "$RUSTUP_TOOLCHAIN" --profile minimal
  cargo build --release --locked --no-default-features
  groupdir=target/release/groupdir
fi
"$groupdir" --version
"$groupdir" build --base-url "$url"
