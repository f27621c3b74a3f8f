#!/usr/bin/env bash
# A throw-away single-node SLURM cluster on 127.0.0.1, for testing the SLURM profile for real.
#
# Usage: bash tools/slurm_single_node.sh start [STATE_DIR]   # configure, start, wait until the node is idle
#        (partition: $SLURM_TEST_PARTITION, default 'arithgen'; STATE_DIR default /tmp/arithgen-slurm)
#        bash tools/slurm_single_node.sh stop  [STATE_DIR]   # cancel jobs, stop what `start` started
#
# Installs nothing: needs Debian's `slurmctld slurmd slurm-client munge` and root. Runs without
# systemd or cgroups (proctrack/linuxproc, task/none), no slurmdbd (so the executor plugin must
# poll with squeue, and MinJobAge keeps finished jobs visible to squeue for long enough).
# `start` writes /etc/slurm/slurm.conf (the plugin's job step drops SLURM_CONF, so the config
# must be at the default path) and records the PID of every daemon it starts in STATE_DIR/pids;
# `stop` ends exactly those PIDs. Exit status 2: this machine cannot host the cluster (the
# message says why); anything else non-zero: the cluster failed to come up.
set -euo pipefail

export PATH="$PATH:/usr/sbin:/sbin"   # the daemons live in sbin, not on every root PATH
action=${1:-}
state=${2:-/tmp/arithgen-slurm}
conf=/etc/slurm/slurm.conf
marker="# written by arithgen tools/slurm_single_node.sh"
# Not the default partition: a job reaches it only if the profile's slurm_partition gets to sbatch.
partition=${SLURM_TEST_PARTITION:-arithgen}
# Finished jobs stay visible to squeue this long (s): >= 3x the plugin's initial status-check
# delay (40 s by default), and long enough to list every job of a test run afterwards.
min_job_age=3600

cannot() { echo "slurm_single_node: $*" >&2; exit 2; }
fail() { echo "slurm_single_node: $*" >&2; exit 1; }

start() {
    [ "$(id -u)" = 0 ] || cannot "needs root (writes $conf, starts munged/slurmctld/slurmd)"
    local tool
    for tool in munged munge unmunge slurmctld slurmd sinfo sbatch squeue scontrol; do
        command -v "$tool" >/dev/null ||
            cannot "'$tool' not found (Debian: apt-get install slurmctld slurmd slurm-client munge)"
    done
    if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then
        cannot "$conf exists and was not written by this script; not touching a real cluster's config"
    fi
    if [ -s "$state/pids" ]; then
        cannot "$state/pids exists: a cluster from this script may still run (stop it first: $0 stop $state)"
    fi
    mkdir -p "$state/ctld" "$state/spool"
    : > "$state/pids"
    echo "$partition" > "$state/partition"

    # munge: reuse a running daemon (e.g. a system one), else start ours as user munge.
    if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
        if [ ! -s /etc/munge/munge.key ]; then
            mkdir -p /etc/munge
            dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
            chown munge:munge /etc/munge/munge.key
            chmod 400 /etc/munge/munge.key
        fi
        mkdir -p /run/munge /var/log/munge /var/lib/munge
        chown munge:munge /run/munge /var/log/munge /var/lib/munge
        chmod 755 /run/munge
        rm -f /run/munge/munged.pid
        runuser -u munge -- munged --force || fail "munged did not start (see /var/log/munge/munged.log)"
        wait_for_file /run/munge/munged.pid
        echo "munged $(cat /run/munge/munged.pid)" >> "$state/pids"
        munge -n | unmunge >/dev/null || fail "munge credentials do not round-trip"
    fi

    if scontrol ping 2>/dev/null | grep -q "UP"; then
        cannot "a slurmctld already answers (left over? bash $0 stop <its STATE_DIR>); not starting another"
    fi

    # Node line from the hardware as slurmd sees it, reachable on the loopback address.
    local node host
    node=$(slurmd -C | head -n 1)
    host=$(hostname -s)
    mkdir -p /etc/slurm
    cat > "$conf" <<EOF
$marker ($(date -u +%FT%TZ))
# Single-node test cluster: no systemd, no cgroups, no slurmdbd. State in $state.
ClusterName=arithgen
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=$min_job_age
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=$partition Nodes=ALL Default=NO MaxTime=INFINITE State=UP
EOF

    slurmctld -c || fail "slurmctld did not start (see $state/slurmctld.log)"
    wait_for_file "$state/slurmctld.pid"
    echo "slurmctld $(cat "$state/slurmctld.pid")" >> "$state/pids"
    slurmd || fail "slurmd did not start (see $state/slurmd.log)"
    wait_for_file "$state/slurmd.pid"
    echo "slurmd $(cat "$state/slurmd.pid")" >> "$state/pids"

    local i
    for i in $(seq 60); do
        if [ "$(sinfo -h -N -p "$partition" -o %T 2>/dev/null)" = idle ]; then
            echo "slurm_single_node: node $host idle in partition '$partition' (state: $state)"
            return 0
        fi
        sleep 1
    done
    sinfo -N -l >&2 || true
    fail "node did not become idle within 60 s (see $state/slurmctld.log, $state/slurmd.log)"
}

wait_for_file() {
    local i
    for i in $(seq 50); do
        [ -s "$1" ] && return 0
        sleep 0.2
    done
    fail "$1 did not appear"
}

stop() {
    [ -f "$state/pids" ] || { echo "slurm_single_node: nothing recorded in $state/pids"; return 0; }
    # Jobs left over from a failed run would outlive the daemons; this cluster is ours to clear.
    if grep -q '^slurmctld ' "$state/pids"; then
        timeout 10 scancel --partition "$(cat "$state/partition")" 2>/dev/null || true
    fi
    local name pid i
    # Stop in reverse start order: slurmd, slurmctld, munged.
    tac "$state/pids" | while read -r name pid; do
        kill -TERM "$pid" 2>/dev/null || continue
        for i in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        echo "slurm_single_node: stopped $name ($pid)"
    done
    rm -f "$state/pids"
    # Only the config that this STATE_DIR's `start` wrote (another cluster's stays).
    if [ -f "$conf" ] && grep -qF "$marker" "$conf" && grep -qxF "StateSaveLocation=$state/ctld" "$conf"; then
        rm -f "$conf"
    fi
}

case "$action" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop [STATE_DIR]" >&2; exit 64 ;;
esac
