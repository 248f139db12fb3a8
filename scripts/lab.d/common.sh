# scripts/lab.d/common.sh - shared by every lab command: messages and errors, the lab's paths and
# naming scheme, the record of created resources, and the lab's saved settings (lab.env).

LAB_ROOT=${MICROCLOUD_LAB_ROOT:-/tmp/microcloud-lab}
LAB_NAME=${MICROCLOUD_LAB:-mclab}

# Fixed test ranges; the third octet is the lab's index so that labs never share addresses.
LAB_CLUSTER_PREFIX=10.171
LAB_UPLINK_PREFIX=10.172
LAB_UNDERLAY_PREFIX=10.173
LAB_FIRST_HOST=11                 # m1 is .11, m2 .12, ...
LAB_MAX_MEMBERS=$((254 - LAB_FIRST_HOST + 1))
LAB_UPLINK_FREE_FIRST=100         # uplink addresses left for the cloud (e.g. OVN) to use
LAB_UPLINK_FREE_LAST=199
# The members' Ceph monitors all keep their data on this machine's one disk (shared with everything
# else): they warn below 5 % free space there instead of Ceph's 30 %.
LAB_CEPH_AVAIL_WARN=5

# Interface names inside a member.
LAB_CLUSTER_IF=eth0
LAB_UPLINK_IF=uplink0
LAB_UNDERLAY_IF=eth1
# With --components: the netdev (userspace) Open vSwitch bridges inside a member. br-underlay holds
# eth1 and the underlay address (userspace geneve routes tunnels only through such a bridge);
# br-uplink holds uplink0, has no address, and is what a preseed names as ovn_uplink_interface.
LAB_UNDERLAY_BRIDGE=br-underlay
LAB_UPLINK_BRIDGE=br-uplink

# Plugins every member's microcloudd leaves out (up --disable-plugin NAME); saved in lab.env.
LAB_DISABLE_PLUGINS=()

note() { echo "lab: $*" >&2; }
die() {
    echo "lab: error: $*" >&2
    exit 1
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# check_lab_name NAME: lab names become namespace and directory names.
check_lab_name() {
    [[ $1 =~ ^[a-z][a-z0-9-]{0,19}$ ]] ||
        die "invalid lab name '$1': use 1-20 characters, a lowercase letter first, then lowercase letters, digits or '-'"
}

# set_lab_paths: derives every lab-wide path from LAB_ROOT and LAB_NAME.
set_lab_paths() {
    check_lab_name "$LAB_NAME"
    LAB_DIR=$LAB_ROOT/$LAB_NAME
    LAB_RECORD=$LAB_DIR/record
    LAB_ENV=$LAB_DIR/lab.env
    LAB_SWITCH_NS=$LAB_NAME-sw
    LAB_GATEWAY_NS=$LAB_NAME-gw
    LAB_TX_OFF_HOOK=$LAB_DIR/lxc-tx-off.sh
}

# lab_give VAR TEXT: sets VAR to TEXT (no subshell), or prints TEXT when VAR is empty. The member
# paths below take an optional VAR so that hot paths (`exec`) need no $(...).
lab_give() {
    if [ -n "$1" ]; then printf -v "$1" '%s' "$2"; else echo "$2"; fi
}

member_ns() { lab_give "${2:-}" "$LAB_NAME-$1"; }
member_dir() { echo "$LAB_DIR/$1"; }
member_state_dir() { echo "$LAB_DIR/$1/microcloud"; }
member_uts_file() { lab_give "${2:-}" "$LAB_DIR/$1/uts.ns"; }
member_mnt_file() { lab_give "${2:-}" "$LAB_DIR/ns/$1.mnt"; }
member_etc_dir() { echo "/etc/netns/$(member_ns "$1")"; }
member_address() { echo "$LAB_CLUSTER_PREFIX.$LAB_INDEX.$((LAB_FIRST_HOST + ${1#m} - 1))"; }
member_underlay_address() { echo "$LAB_UNDERLAY_PREFIX.$LAB_INDEX.$((LAB_FIRST_HOST + ${1#m} - 1))"; }
cluster_gateway() { echo "$LAB_CLUSTER_PREFIX.$LAB_INDEX.1"; }
uplink_gateway() { echo "$LAB_UPLINK_PREFIX.$LAB_INDEX.1"; }

# all_members: m1 .. mN of the lab that is loaded.
all_members() {
    local i
    for ((i = 1; i <= LAB_MEMBERS; i++)); do echo "m$i"; done
}

# record_add KIND ARGS...: appends one line to the record BEFORE the resource is created, so that
# `down` finds it even when `up` dies half-way.
record_add() {
    local IFS=' '
    echo "$*" >>"$LAB_RECORD"
}

# record_lines KIND: the arguments of every record line of that kind.
record_lines() {
    [ -f "$LAB_RECORD" ] || return 0
    awk -v kind="$1" '$1 == kind { $1 = ""; sub(/^ /, ""); print }' "$LAB_RECORD"
}

# save_lab_env: writes the lab's settings so later commands (status, exec, start, down) can load them.
save_lab_env() {
    {
        echo "# lab settings written by scripts/lab up; loaded by the other lab commands"
        # -g: load_lab sources this file inside a function.
        declare -p LAB_NAME LAB_INDEX LAB_MEMBERS LAB_DISKS LAB_DISK_SIZE LAB_COMPONENTS LAB_BIN_DIR \
            LAB_DAEMON_ARGS LAB_DISABLE_PLUGINS | sed -E 's/^declare -([-a-zA-Z]*) /declare -g\1 /; s/^declare -g- /declare -g /'
    } >"$LAB_ENV"
}

# load_lab: loads lab.env of LAB_NAME or fails saying how to create the lab.
load_lab() {
    set_lab_paths
    [ -f "$LAB_ENV" ] ||
        die "no lab named '$LAB_NAME' (no $LAB_ENV); create one with: scripts/lab up --members N --name $LAB_NAME"
    # shellcheck disable=SC1090
    source "$LAB_ENV"
}

# resolve_member_into VAR ARG: accepts m2, <lab>-m2 (the namespace name) or 2; sets VAR to m2 (no
# subshell: this is on the path of every `exec`).
resolve_member_into() {
    # Locals named apart from any caller's VAR, which the nameref would otherwise shadow.
    local -n _rm_into=$1
    local _rm_arg=$2 _rm_m
    _rm_m=${_rm_arg#"$LAB_NAME"-}
    [[ $_rm_m =~ ^[0-9]+$ ]] && _rm_m=m$_rm_m
    [[ $_rm_m =~ ^m[0-9]{1,4}$ ]] && _rm_m=m$((10#${_rm_m#m}))
    if [[ ! $_rm_m =~ ^m[0-9]+$ ]] || ((${_rm_m#m} < 1 || ${_rm_m#m} > LAB_MEMBERS)); then
        die "unknown member '$_rm_arg' in lab '$LAB_NAME': expected one of m1..m$LAB_MEMBERS (or $LAB_NAME-m1..)"
    fi
    _rm_into=$_rm_m
}

# pid_alive PID: true when the process exists and is not a zombie (bash builtins only: this runs
# in polling loops over many pids).
pid_alive() {
    local stat
    [ -n "$1" ] && read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [ "${stat:0:1}" != Z ] && [ "${stat:0:1}" != X ]
}

# pid_is_lab PID: true when the process belongs to this lab (its command line or environment
# names the lab directory), which guards against a recorded pid reused by something else.
pid_is_lab() {
    pid_alive "$1" || return 1
    { grep -qzF "$LAB_DIR/" "/proc/$1/cmdline" || grep -qzF "$LAB_DIR/" "/proc/$1/environ"; } 2>/dev/null
}

# wait_gone SECONDS PID...: waits until none of the pids is alive; false on timeout.
wait_gone() {
    local seconds=$1 i pid left
    shift
    for ((i = 0; i <= seconds * 10; i++)); do
        left=0
        for pid in "$@"; do pid_alive "$pid" && left=1; done
        ((left)) || return 0
        sleep 0.1
    done
    return 1
}
