# tests/lib/labtest.sh - shared set-up of the lab-based integration tests (sourced after
# testlib.sh): skip unless root with the tools at hand, one lab per test run that is always taken
# down, and helpers to run commands in its members.
#   lab_test_setup PREFIX BUILD_DIR [TOOL...]
# defines: lab ARGS (scripts/lab on this test's lab), mc N ARGS (microcloud in member mN),
# addr N (mN's cluster address, after lab_status), now_ms.

lab_test_setup() {
  local prefix=$1 tool
  LAB_TEST_BUILD=$2
  shift 2
  LAB_TEST_TOOL=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/lab
  LAB_TEST_NAME=$prefix$$
  export MICROCLOUD_LAB_ROOT=$TEST_TMP/labs
  [ "$(id -u)" = 0 ] || { echo "SKIP: the lab needs root" >&2; exit 77; }
  for tool in ip losetup nsenter unshare jq "$@"; do
    command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed" >&2; exit 77; }
  done
  [ -x "$LAB_TEST_BUILD/bin/microcloudd" ] || fail "$LAB_TEST_BUILD/bin/microcloudd is missing: build the microcloudd target"
  on_exit lab_test_down
}

lab() { "$LAB_TEST_TOOL" --name "$LAB_TEST_NAME" "$@"; }
lab_test_down() { lab down >/dev/null 2>&1 || true; }
mc() { local m=$1; shift; lab exec "m$m" -- microcloud "$@"; }
now_ms() { date +%s%3N; }
# Reads the lab's status once (after `lab up`) for addr and lab_subnet.
lab_status() { LAB_TEST_STATUS=$(lab status --format json); }
addr() { jq -r ".members[$(($1 - 1))].address" <<<"$LAB_TEST_STATUS"; }
lab_subnet() { jq -r .subnet <<<"$LAB_TEST_STATUS"; }
# wait_online M N: true once member mM lists N members, all ONLINE (up to 10 s; trust reaches
# the members within an upkeep round).
wait_online() {
  local i
  for i in $(seq 50); do
    mc "$1" cluster list --format json 2>/dev/null | jq -e "length == $2 and all(.status == \"ONLINE\")" >/dev/null && return 0
    sleep 0.2
  done
  return 1
}
