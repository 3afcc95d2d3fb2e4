#!/usr/bin/env bash
# Starts (or stops) a single-node Slurm cluster on localhost for tests: munge + slurmctld + slurmd,
# no cgroups, no systemd. Usage: local-slurm.sh start <state-dir> | stop <state-dir>
# Needs root and Debian's slurm-wlm + munge (installed by scripts/setup.sh).
set -euo pipefail
action=${1:?usage: local-slurm.sh start|stop <state-dir>}
dir=$(realpath -m "${2:?state dir}")
conf="$dir/slurm.conf"

stop() {
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  sleep 1
}

if [ "$action" = stop ]; then
  stop
  exit 0
fi

mkdir -p "$dir"/{spool,ctld,munge,log}
chown -R slurm:slurm "$dir"/spool "$dir"/ctld
chown munge:munge "$dir/munge"
chmod 700 "$dir/munge"
host=$(hostname -s)
cpus=$(nproc)
mem=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 ))

# munge: a fresh key and a private socket, so a test never touches a system munged.
[ -f /etc/munge/munge.key ] || { dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null; chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }
socket="$dir/munge/munge.socket"
runuser -u munge -- munged --socket="$socket" --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/seed" --force
cat >"$conf" <<CONF
ClusterName=metacomp-test
SlurmctldHost=$host
AuthType=auth/munge
AuthInfo=socket=$socket
CryptoType=crypto/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
ReturnToService=2
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
slurmctld -f "$conf" -i
slurmd -f "$conf"
for _ in $(seq 1 30); do
  if sinfo -h -o %T 2>/dev/null | grep -qE 'idle|mixed'; then
    echo "slurm ready: SLURM_CONF=$conf" >&2
    exit 0
  fi
  sleep 1
done
echo "slurm did not become ready; logs in $dir/log" >&2
tail -20 "$dir"/log/*.log >&2 || true
stop
exit 1
