#!/usr/bin/env bash
# tests/package/package_test.sh - the Debian packages end to end: `cpack -G DEB` in BUILD_DIR, their
# files, modes and control fields (dpkg-deb), an install into a throw-away root with dpkg (never
# into /), microcloudd started from that root as its unit's ExecStart says, then remove and purge.
#   package_test.sh BUILD_DIR          (root; exits 77 to skip without root, cpack or dpkg-deb)
source "$(dirname "$0")/../lib/testlib.sh"
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)

skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (dpkg chroots into the throw-away root to run maintainer scripts)"
for tool in cpack dpkg-deb dpkg ldd python3; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done

# --- build the packages ------------------------------------------------------------------------
debs=$TEST_TMP/debs
(cd "$build" && cpack -G DEB -B "$debs") >"$TEST_TMP/cpack.log" 2>&1 \
  || { cat "$TEST_TMP/cpack.log" >&2; fail "cpack -G DEB failed in $build"; }
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
arch=$(dpkg --print-architecture)
main_deb=$debs/microcloud_${version}_${arch}.deb
sdk_deb=$debs/microcloud-sdk-dev_${version}_all.deb
[ -f "$main_deb" ] && [ -f "$sdk_deb" ] || fail "expected $main_deb and $sdk_deb; cpack wrote: $(ls "$debs")"
pass "cpack -G DEB wrote $(basename "$main_deb") and $(basename "$sdk_deb")"

# --- what the packages hold --------------------------------------------------------------------
dpkg-deb -c "$main_deb" >"$TEST_TMP/microcloud.list"
dpkg-deb -c "$sdk_deb" >"$TEST_TMP/microcloud-sdk-dev.list"

# expect_entry PACKAGE PATH MODE: /PATH is in PACKAGE's file list with MODE ("-rwxr-xr-x"), root's.
expect_entry() {
  local got
  got=$(awk -v p="./$2" '$6 == p { print $1, $2 }' "$TEST_TMP/$1.list")
  [ "$got" = "$3 root/root" ] || fail "package $1: /$2 is '${got:-missing}', expected $3 root/root"
}

for f in usr/bin/microcloud usr/bin/microcloudd usr/lib/microcloud/microcloud-plugin-worker; do
  expect_entry microcloud "$f" -rwxr-xr-x
done
for p in lxd ovn ceph fan; do
  expect_entry microcloud "usr/lib/microcloud/plugins/$p/$p.so" -rw-r--r--
  expect_entry microcloud "usr/lib/microcloud/plugins/$p/manifest.json" -rw-r--r--
done
so_count=$(grep -c '\.so$' "$TEST_TMP/microcloud.list" || true)
[ "$so_count" -eq 4 ] || fail "microcloud holds $so_count .so files, expected the 4 built-in plugins"
expect_entry microcloud usr/lib/systemd/system/microcloudd.service -rw-r--r--
expect_entry microcloud usr/share/bash-completion/completions/microcloud -rw-r--r--
if grep -q '^HELP2MAN_EXECUTABLE:FILEPATH=/' "$build/CMakeCache.txt"; then
  expect_entry microcloud usr/share/man/man1/microcloud.1.gz -rw-r--r--
  expect_entry microcloud usr/share/man/man8/microcloudd.8.gz -rw-r--r--
  man_pages="and man pages"
else
  man_pages="(no man pages: the build found no help2man)"
fi
! grep -q ' \./usr/include/\| \./usr/lib/cmake/' "$TEST_TMP/microcloud.list" || fail "microcloud holds SDK files"
pass "microcloud: binaries 0755, the 4 plugins, unit and completion 0644 $man_pages"

while IFS= read -r header; do
  expect_entry microcloud-sdk-dev "usr/include/${header#./}" -rw-r--r--
done < <(cd "$src/sdk/include" && find . -type f)
for f in MicroCloudSDKConfig.cmake MicroCloudSDKConfigVersion.cmake MicroCloudSDKTargets.cmake \
         MicroCloudPlugin.cmake plugin-exports.map; do
  expect_entry microcloud-sdk-dev "usr/lib/cmake/MicroCloudSDK/$f" -rw-r--r--
done
for f in CMakeLists.txt hello.cpp manifest.json; do
  expect_entry microcloud-sdk-dev "usr/share/doc/microcloud-sdk-dev/examples/hello/$f" -rw-r--r--
done
! awk '$1 ~ /^-/ && $1 ~ /x/' "$TEST_TMP/microcloud-sdk-dev.list" | grep -q . || fail "microcloud-sdk-dev holds executables"
pass "microcloud-sdk-dev: headers, CMake package and the hello example, all 0644"

field() { dpkg-deb -f "$1" "$2"; }
[ "$(field "$main_deb" Package) $(field "$main_deb" Version) $(field "$main_deb" Architecture)" = \
  "microcloud $version $arch" ] || fail "microcloud control: $(dpkg-deb -f "$main_deb")"
depends=$(field "$main_deb" Depends)
for lib in libc6 libstdc++6 libdqlite0 libssl3; do expect_contains "$depends" "$lib" "microcloud Depends on $lib" >/dev/null; done
recommends=$(field "$main_deb" Recommends)
for component in lxd openvswitch-switch ovn-central ovn-host ceph-mon ceph-mgr ceph-osd ceph-mds; do
  expect_contains "$recommends" "$component" "microcloud recommends $component" >/dev/null
  case ", $depends," in *", $component"[\ ,]*) fail "microcloud Depends on $component: $depends" ;; esac
done
scripts=$(dpkg-deb --ctrl-tarfile "$main_deb" | tar -tvf -)
for script in postinst prerm postrm; do
  grep -q -- "-rwxr-xr-x root/root .* \./$script$" <<<"$scripts" || fail "no 0755 $script in microcloud: $scripts"
done
[ "$(field "$sdk_deb" Package) $(field "$sdk_deb" Architecture)" = "microcloud-sdk-dev all" ] \
  || fail "microcloud-sdk-dev control: $(dpkg-deb -f "$sdk_deb")"
expect_contains "$(field "$sdk_deb" Depends)" nlohmann-json3-dev "microcloud-sdk-dev Depends" >/dev/null
pass "control: Depends $depends; Recommends the components; postinst, prerm, postrm 0755"

# --- install into a throw-away root --------------------------------------------------------------
root=$TEST_TMP/root
state=$root/var/lib/microcloud
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
: >"$root/var/lib/dpkg/status"
: >"$root/var/lib/dpkg/available"

# provide_programs PROGRAM...: each as ROOT/bin/PROGRAM with the libraries it loads, so that the
# maintainer scripts, which dpkg runs chrooted into the root, have a shell and their tools.
provide_programs() {
  local prog path lib
  mkdir -p "$root/bin"
  for prog in "$@"; do
    path=$(command -v "$prog")
    cp -L "$path" "$root/bin/$prog"
    for lib in $(ldd "$path" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
}
provide_programs sh mkdir rm
mkdir -p "$root/dev"
mknod -m 0666 "$root/dev/null" c 1 3 2>/dev/null || : >"$root/dev/null"  # a file does as a sink

dpkg_in_root() { dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-depends "$@"; }
status_in_root() { dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$1" 2>/dev/null || true; }

dpkg_in_root -i "$main_deb" "$sdk_deb" >"$TEST_TMP/dpkg-install.log" 2>&1 \
  || { cat "$TEST_TMP/dpkg-install.log" >&2; fail "dpkg --root -i failed"; }
! grep -E '(postinst|prerm|postrm): ' "$TEST_TMP/dpkg-install.log" || fail "a maintainer script complained (above)"
for pkg in microcloud microcloud-sdk-dev; do
  [ "$(status_in_root "$pkg")" = "install ok installed" ] || fail "$pkg is '$(status_in_root "$pkg")' in the root"
done

# expect_mode PATH MODE: the installed file exists with that octal mode.
expect_mode() {
  [ -f "$root/$1" ] || fail "/$1 not installed"
  [ "$(stat -c %a "$root/$1")" = "$2" ] || fail "/$1 has mode $(stat -c %a "$root/$1"), expected $2"
}
expect_mode usr/bin/microcloud 755
expect_mode usr/bin/microcloudd 755
expect_mode usr/lib/microcloud/microcloud-plugin-worker 755
expect_mode usr/lib/systemd/system/microcloudd.service 644
expect_mode usr/include/microcloud/sdk/plugin.h 644
[ -d "$state" ] || fail "postinst did not create /var/lib/microcloud"
[ "$(stat -c '%a %U' "$state")" = "700 root" ] || fail "/var/lib/microcloud is $(stat -c '%a %U' "$state"), expected 700 root"
pass "dpkg --root installed both packages; postinst made /var/lib/microcloud 0700"

# The installed completion, asked as bash would ask it, against the installed CLI.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _microcloud; echo "${COMPREPLY[*]}"' \
    _ "$root/usr/share/bash-completion/completions/microcloud" "$root/usr/bin/microcloud" "$@"
}
expect_contains "$(complete_words "")" "waitready" "completion offers commands" >/dev/null
[ "$(complete_words cluster boot)" = bootstrap ] || fail "completion of 'cluster boot': '$(complete_words cluster boot)'"
expect_contains "$(complete_words --state-dir /tmp waitready --t)" "--timeout" "completion offers waitready's --timeout" >/dev/null
pass "bash completion completes command words and options from microcloud --help"

# --- run the daemon as the unit says, from the root -----------------------------------------------
# kill_root_processes: every process whose program lies in the root (the daemon, plugin workers).
kill_root_processes() {
  local signal exe pid
  for signal in TERM KILL; do
    for exe in /proc/[0-9]*/exe; do
      pid=${exe#/proc/}; pid=${pid%/exe}
      case $(readlink "$exe" 2>/dev/null) in "$root"/*) kill -"$signal" "$pid" 2>/dev/null || true ;; esac
    done
    [ "$signal" = KILL ] || sleep 1
  done
}
on_exit kill_root_processes

exec_start=$(sed -n 's/^ExecStart=[-@:+!]*//p' "$root/usr/lib/systemd/system/microcloudd.service")
read -r -a argv <<<"$exec_start"
for i in "${!argv[@]}"; do
  case ${argv[$i]} in /*) argv[i]=$root${argv[$i]} ;; esac
done
[ "${argv[0]}" = "$root/usr/bin/microcloudd" ] || fail "unit's ExecStart runs ${argv[0]#"$root"}, not /usr/bin/microcloudd"
expect_contains " ${argv[*]} " " --state-dir $state " "ExecStart names --state-dir /var/lib/microcloud" >/dev/null
env -u MICROCLOUD_PLUGIN_PATH -u MICROCLOUD_PLUGIN_WORKER -u MICROCLOUD_STATE_DIR \
  "${argv[@]}" >"$TEST_TMP/microcloudd.log" 2>&1 &
daemon_pid=$!
TEST_PIDS+=("$daemon_pid")
"$root/usr/bin/microcloud" --state-dir "$state" waitready --timeout 30 \
  || { cat "$TEST_TMP/microcloudd.log" >&2; fail "the installed microcloudd did not become ready"; }
pass "microcloudd started as ExecStart says (${exec_start}), paths in the root"

list=$("$root/usr/bin/microcloud" --state-dir "$state" plugin list --format json)
[ "$(json_eval "$list" "sorted(p['name'] for p in d)")" = "['ceph', 'fan', 'lxd', 'ovn']" ] \
  || fail "plugin list is not the 4 built-in plugins: $list"
for p in lxd ovn ceph fan; do
  [ "$(json_eval "$list" "[x['state'] for x in d if x['name']=='$p'][0]")" = loaded ] || fail "plugin $p not loaded: $list"
  path=$(json_eval "$list" "[x['path'] for x in d if x['name']=='$p'][0]")
  case $path in "$root/usr/lib/microcloud/plugins/$p"*) ;; *) fail "plugin $p loaded from $path" ;; esac
done
workers=0
for pid in $(json_eval "$list" "' '.join(str(x['worker_pid']) for x in d if x.get('worker_pid'))"); do
  worker=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
  [ -n "$worker" ] || continue  # stopped meanwhile
  [ "$worker" = "$root/usr/lib/microcloud/microcloud-plugin-worker" ] || fail "plugin worker $pid runs $worker"
  workers=$((workers + 1))
done
pass "plugin list: lxd, ovn, ceph, fan loaded from /usr/lib/microcloud/plugins in the root ($workers workers run the installed microcloud-plugin-worker)"

stop_daemon "$daemon_pid"
[ ! -e "$state/control.socket" ] || fail "control socket left behind after SIGTERM"
[ "$(stat -c %a "$state")" = 700 ] || fail "the daemon changed /var/lib/microcloud to $(stat -c %a "$state")"
pass "microcloudd stopped on SIGTERM"

# --- remove keeps the state, purge deletes it ---------------------------------------------------
state_files=$(find "$state" -mindepth 1 | wc -l)
dpkg_in_root -r microcloud microcloud-sdk-dev >"$TEST_TMP/dpkg-remove.log" 2>&1 \
  || { cat "$TEST_TMP/dpkg-remove.log" >&2; fail "dpkg --root -r failed"; }
! grep -E '(postinst|prerm|postrm): ' "$TEST_TMP/dpkg-remove.log" || fail "a maintainer script complained (above)"
[ ! -e "$root/usr/bin/microcloudd" ] && [ ! -e "$root/usr/include/microcloud/sdk/plugin.h" ] \
  || fail "files left after dpkg -r"
[ "$(status_in_root microcloud)" = "deinstall ok config-files" ] || fail "microcloud is '$(status_in_root microcloud)' after -r"
[ -d "$state" ] && [ "$(find "$state" -mindepth 1 | wc -l)" -eq "$state_files" ] \
  || fail "dpkg -r did not keep /var/lib/microcloud as it was"
pass "dpkg -r removed the files and kept /var/lib/microcloud ($state_files entries)"

dpkg_in_root -P microcloud >"$TEST_TMP/dpkg-purge.log" 2>&1 \
  || { cat "$TEST_TMP/dpkg-purge.log" >&2; fail "dpkg --root -P failed"; }
! grep -E '(postinst|prerm|postrm): ' "$TEST_TMP/dpkg-purge.log" || fail "a maintainer script complained (above)"
[ ! -e "$state" ] || fail "dpkg -P left /var/lib/microcloud"
[ -z "$(status_in_root microcloud)" ] || [ "$(status_in_root microcloud)" = "unknown ok not-installed" ] \
  || fail "microcloud is '$(status_in_root microcloud)' after -P"
pass "dpkg -P deleted /var/lib/microcloud"
