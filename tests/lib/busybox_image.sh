# tests/lib/busybox_image.sh - an LXD container image built here, from the static busybox of
# Debian's busybox-static: a rootfs of busybox and its applet links plus metadata.yaml, packed as
# one tarball that `lxc image import` takes. No network is needed.

# busybox_image DIR: writes DIR/busybox-image.tar.gz and prints its path.
busybox_image() {
    local dir=$1 root applet
    local busybox=/bin/busybox
    [ -x "$busybox" ] || { echo "busybox_image: $busybox is missing (Debian package busybox-static)" >&2; return 1; }
    root=$dir/busybox-image
    rm -rf "$root"
    mkdir -p "$root/rootfs/bin" "$root/rootfs/sbin" "$root/rootfs/etc/init.d" "$root/rootfs"/{dev,proc,sys,tmp,root,run}
    cp "$busybox" "$root/rootfs/bin/busybox"
    for applet in $("$busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/rootfs/bin/$applet"
    done
    ln -sf ../bin/busybox "$root/rootfs/sbin/init"
    # init runs rcS, then keeps one long sleep so the container stays RUNNING without a console.
    printf '::sysinit:/etc/init.d/rcS\n::respawn:/bin/sleep 3600\n' >"$root/rootfs/etc/inittab"
    printf '#!/bin/sh\nmount -t proc proc /proc 2>/dev/null\nhostname -F /etc/hostname 2>/dev/null\n' >"$root/rootfs/etc/init.d/rcS"
    chmod +x "$root/rootfs/etc/init.d/rcS"
    # busybox's udhcpc needs a script to apply a lease: `udhcpc -i eth0 -s /usr/share/udhcpc/default.script`.
    mkdir -p "$root/rootfs/usr/share/udhcpc"
    cat >"$root/rootfs/usr/share/udhcpc/default.script" <<'SCRIPT'
#!/bin/sh
case "$1" in
  deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface" ;;
esac
exit 0
SCRIPT
    chmod +x "$root/rootfs/usr/share/udhcpc/default.script"
    cat >"$root/metadata.yaml" <<META
architecture: $(uname -m)
creation_date: $(date +%s)
properties:
  os: busybox
  release: "$("$busybox" | head -1 | awk '{print $2}')"
  description: busybox built by the MicroCloud tests
templates: {}
META
    tar -C "$root" -czf "$dir/busybox-image.tar.gz" metadata.yaml rootfs
    rm -rf "$root"
    echo "$dir/busybox-image.tar.gz"
}
