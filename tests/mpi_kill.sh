#!/bin/sh
# mpi_kill.sh NLIF_MPI OUTDIR [verify] — for tests/test_mpi.c: start `mc` on 3 MPI processes (or, with
# `verify`, a verification of three cases on 2 processes, run in OUTDIR), SIGKILL rank 1 once every
# process is running (and, for verify, once the ranks have started jobs), and measure how the job
# ends. Prints one line:
#   started=0|1 mpirun_rc=N seconds=S survivors=K files=F
# started: all processes were seen running before the kill; seconds: from the kill until no process
# of the job (ranks and their jobs) is left (capped at 20); files: result files under OUTDIR
# afterwards (for verify: verdict files).
set -u
bin=$1
out=$2
mode=${3:-mc}
root=$(pwd)
rm -rf "$out"
if [ "$mode" = verify ]; then
    np=2
    mkdir -p "$out"
    (cd "$out" && NLIF_ROOT=$root exec mpirun -np 2 --oversubscribe --bind-to none "$root/$bin" verify --cases 'si*' \
        --schemes spap,dilated >"$root/$out.log" 2>&1) &
else
    np=3
    mpirun -np 3 --oversubscribe --bind-to none "$bin" mc single_mfe --particles 50000 --realisations 3 \
        --set run.t_final=4 --out "$out" >"$out.log" 2>&1 &
fi
mp=$!
pids=""
i=0
while [ $i -lt 100 ]; do # up to 10 s for the processes to start
    pids=$(pgrep -P $mp -f "$bin" | tr '\n' ' ')
    [ "$(echo $pids | wc -w)" -eq $np ] && break
    sleep 0.1
    i=$((i + 1))
done
started=0
[ "$(echo $pids | wc -w)" -eq $np ] && started=1
if [ "$mode" = verify ]; then # until both ranks run jobs (up to 10 s)
    i=0
    while [ $i -lt 100 ]; do
        busy=0
        # a job's argv[0] is nlif; a rank's other children (git, for the commit) come and go
        for p in $pids; do [ -n "$(pgrep -P $p -f '^nlif ')" ] && busy=$((busy + 1)); done
        [ $busy -eq $np ] && break
        sleep 0.1
        i=$((i + 1))
    done
    [ $busy -eq $np ] || started=0
    for p in $pids; do pids="$pids $(pgrep -P $p | tr '\n' ' ')"; done # the jobs too
else
    sleep 1 # inside the run (it lasts several seconds)
fi
kill -0 $mp 2>/dev/null || started=0
victim=$(echo $pids | awk '{print $2}')
t0=$(date +%s.%N)
[ -n "$victim" ] && kill -9 "$victim"
wait $mp
rc=$?
alive=1
i=0
while [ $i -lt 200 ] && [ $alive -gt 0 ]; do # up to 20 s
    alive=0
    for p in $pids; do
        st=$(ps -o stat= -p "$p" 2>/dev/null)
        case "$st" in "" | Z*) ;; *) alive=$((alive + 1)) ;; esac
    done
    [ $alive -gt 0 ] && sleep 0.1
    i=$((i + 1))
done
t1=$(date +%s.%N)
if [ "$mode" = verify ]; then
    files=$(find "$out" -name 'verdicts.json' 2>/dev/null | wc -l)
else
    files=$(find "$out" -type f 2>/dev/null | wc -l)
fi
echo "started=$started mpirun_rc=$rc seconds=$(awk "BEGIN {print $t1 - $t0}") survivors=$alive files=$files"
