#!/usr/bin/env bash
# tests/sdk/installed_example_test.sh - installs the project into a temporary prefix, builds
# sdk/examples/hello as a separate CMake project that sees only that prefix, installs it there,
# and checks that the installed microcloudd lists it (and the four shipped plugins) as loaded.
source "$(dirname "$0")/../lib/testlib.sh"
build=$1 src=$2
prefix=$TEST_TMP/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
[ -f "$prefix/lib/cmake/MicroCloudSDK/MicroCloudSDKConfig.cmake" ] || fail "SDK CMake package not installed"
[ -f "$prefix/include/microcloud/sdk/plugin.h" ] || fail "SDK header not installed"
pass "project installed into $prefix"

# A copy of the example, so nothing in the source tree is reachable from it.
cp -r "$src/sdk/examples/hello" "$TEST_TMP/hello-src"
cmake -S "$TEST_TMP/hello-src" -B "$TEST_TMP/hello-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_BUILD_TYPE=Release >"$TEST_TMP/hello-configure.log" 2>&1 \
  || { cat "$TEST_TMP/hello-configure.log"; fail "hello example does not configure against the installed SDK"; }
cmake --build "$TEST_TMP/hello-build" >"$TEST_TMP/hello-build.log" 2>&1 \
  || { cat "$TEST_TMP/hello-build.log"; fail "hello example does not build against the installed SDK"; }
if grep -q -- "$src/sdk" "$TEST_TMP/hello-build/compile_commands.json" 2>/dev/null; then
  fail "hello example build reached into the source tree"
fi
cmake --install "$TEST_TMP/hello-build" >/dev/null
[ -f "$prefix/lib/microcloud/plugins/hello/hello.so" ] || fail "hello plugin not installed beside the others"
pass "hello example built and installed against the installed SDK alone"

exports=$(nm -D --defined-only "$prefix/lib/microcloud/plugins/hello/hello.so" | awk '{print $3}' | sort -u | tr '\n' ' ')
[ "$exports" = "microcloud_plugin_entry " ] || fail "hello.so exports more than the entry symbol: $exports"
pass "hello.so exports only microcloud_plugin_entry"

state=$TEST_TMP/state
start_daemon "$prefix/bin" "$state"
list=$("$prefix/bin/microcloud" --state-dir "$state" plugin list --format json)
for name in hello lxd ovn ceph fan; do
  state_of=$(json_eval "$list" "[p['state'] for p in d if p['name']=='$name']")
  [ "$state_of" = "['loaded']" ] || fail "plugin $name is $state_of, expected loaded: $list"
  abi=$(json_eval "$list" "[p['abi'] for p in d if p['name']=='$name'][0]")
  [ "$abi" = "1.0" ] || fail "plugin $name has abi $abi"
done
pass "installed microcloudd lists hello, lxd, ovn, ceph, fan as loaded with ABI 1.0"

status=$("$prefix/bin/microcloud" --state-dir "$state" status --format json)
for name in hello lxd ovn ceph fan; do
  has=$(json_eval "$status" "'discovery' in d['members'][0]['plugins']['$name']")
  [ "$has" = "True" ] || fail "status has no discovery for $name: $status"
done
kernel=$(json_eval "$status" "d['members'][0]['plugins']['hello']['discovery']['kernel']")
[ "$kernel" = "$(uname -r)" ] || fail "hello discovery ran no command: kernel '$kernel'"
pass "status --format json carries each plugin's discovery"

for fmt in table yaml csv; do
  "$prefix/bin/microcloud" --state-dir "$state" plugin list --format "$fmt" | grep -q hello || fail "plugin list --format $fmt"
done
pass "plugin list prints table, yaml and csv"

stop_daemon "$DAEMON_PID"
[ ! -e "$state/control.socket" ] || fail "control socket left behind after SIGTERM"
pass "SIGTERM stops the daemon and removes its socket"
