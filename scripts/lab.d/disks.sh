# scripts/lab.d/disks.sh - a member's disks: sparse files under its dir attached as loop devices,
# listed (device and backing file) in <member>/disks.list.

# check_disk_size SIZE: what truncate(1) accepts, kept simple: a number with an optional K/M/G/T.
check_disk_size() {
    [[ $1 =~ ^[1-9][0-9]*[KMGT]?$ ]] ||
        die "invalid --disk-size '$1': expected a number with an optional unit K, M, G or T (e.g. 4G)"
}

# make_member_disks M: LAB_DISKS loop devices of LAB_DISK_SIZE for member M.
make_member_disks() {
    local m=$1 dir k file dev
    dir=$(member_dir "$m")
    : >"$dir/disks.list"
    for ((k = 1; k <= LAB_DISKS; k++)); do
        file=$dir/disks/disk$k.img
        record_add loopfile "$file"
        truncate -s "$LAB_DISK_SIZE" "$file" || die "could not create disk file $file of size $LAB_DISK_SIZE"
        dev=$(losetup -f --show "$file") || die "could not attach $file to a loop device (losetup -f --show)"
        record_add loop "$dev" "$file"
        echo "$dev $file" >>"$dir/disks.list"
    done
}

# member_disks M: M's loop devices, one a line.
member_disks() {
    local list
    list=$(member_dir "$1")/disks.list
    [ -f "$list" ] && awk '{ print $1 }' "$list"
    return 0
}

# detach_loops_of FILE: detaches every loop device backed by FILE (whatever the record says).
detach_loops_of() {
    local dev
    for dev in $(losetup -j "$1" 2>/dev/null | cut -d: -f1); do
        losetup -d "$dev" 2>/dev/null || note "warning: could not detach $dev (backed by $1)"
    done
}
