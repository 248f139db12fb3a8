# scripts/lab.d/daemon.sh - each member's microcloudd: start (with the member's state dir and
# config file), wait until it answers, stop (SIGTERM or SIGKILL), and whether it runs.

daemon_pid_file() { echo "$(member_dir "$1")/microcloudd.pid"; }
daemon_log() { echo "$(member_dir "$1")/logs/microcloudd.log"; }

# daemon_pid M: the recorded pid of M's microcloudd if that process still runs as part of the lab.
daemon_pid() {
    local file pid
    file=$(daemon_pid_file "$1")
    [ -f "$file" ] || return 1
    pid=$(cat "$file")
    pid_is_lab "$pid" || return 1
    echo "$pid"
}

# start_daemon M: starts M's microcloudd (does not wait for it).
start_daemon() {
    local m=$1 pid
    [ -x "$LAB_BIN_DIR/microcloudd" ] || die "$LAB_BIN_DIR/microcloudd is missing or not executable"
    if pid=$(daemon_pid "$m"); then die "microcloudd of $m already runs (pid $pid); stop it first: scripts/lab stop $m"; fi
    echo "---- $(date -Is) microcloudd starts" >>"$(daemon_log "$m")"
    pid=$(start_in_member "$m" "$(daemon_log "$m")" "$LAB_BIN_DIR/microcloudd" \
        --state-dir "$(member_state_dir "$m")" --config "$(member_dir "$m")/microcloudd.yaml" \
        "${LAB_DAEMON_ARGS[@]}")
    record_add pid "$pid" microcloudd "$m"
    echo "$pid" >"$(daemon_pid_file "$m")"
}

# wait_daemon M [SECONDS]: waits until M's microcloudd answers on its control socket; fails at
# once if it exits.
wait_daemon() {
    local m=$1 seconds=${2:-60} pid deadline
    pid=$(cat "$(daemon_pid_file "$m")" 2>/dev/null) || true
    deadline=$(($(date +%s) + seconds))
    until in_member "$m" "$LAB_BIN_DIR/microcloud" --state-dir "$(member_state_dir "$m")" \
        waitready --timeout 1 >/dev/null 2>&1; do
        if ! pid_alive "$pid"; then
            tail -n 20 "$(daemon_log "$m")" >&2 || true
            die "microcloudd of $m (pid ${pid:-?}) exited before it answered; its log: $(daemon_log "$m")"
        fi
        if (($(date +%s) >= deadline)); then
            tail -n 20 "$(daemon_log "$m")" >&2 || true
            die "microcloudd of $m (pid $pid) did not answer within $seconds s; its log: $(daemon_log "$m")"
        fi
        sleep 0.2
    done
}

# stop_daemon M [--kill]: SIGTERM (or SIGKILL) to M's microcloudd and wait for it to end.
stop_daemon() {
    local m=$1 how=${2:-} pid
    if ! pid=$(daemon_pid "$m"); then
        note "microcloudd of $m is not running"
        return 0
    fi
    if [ "$how" = --kill ]; then
        kill -KILL "$pid"
        wait_gone 10 "$pid" || die "microcloudd of $m (pid $pid) is still there 10 s after SIGKILL"
        note "microcloudd of $m (pid $pid) killed"
    else
        kill -TERM "$pid"
        wait_gone 30 "$pid" ||
            die "microcloudd of $m (pid $pid) did not exit within 30 s of SIGTERM; use: scripts/lab stop $m --kill"
        note "microcloudd of $m (pid $pid) stopped"
    fi
}
