#!/bin/sh
# mpi_kill.sh NLIF_MPI OUTDIR — for tests/test_mpi.c: start `mc` on 3 MPI processes, SIGKILL rank 1
# once every process is running, and measure how the job ends. Prints one line:
#   started=0|1 mpirun_rc=N seconds=S survivors=K files=F
# started: all 3 processes were seen running before the kill; seconds: from the kill until no
# process of the job is left (capped at 20); files: result files under OUTDIR afterwards.
set -u
bin=$1
out=$2
rm -rf "$out"
mpirun -np 3 --oversubscribe --bind-to none "$bin" mc single_mfe --particles 50000 --realisations 3 \
    --set run.t_final=4 --out "$out" >"$out.log" 2>&1 &
mp=$!
pids=""
i=0
while [ $i -lt 100 ]; do # up to 10 s for the 3 processes to start
    pids=$(pgrep -P $mp -f "$bin" | tr '\n' ' ')
    [ "$(echo $pids | wc -w)" -eq 3 ] && break
    sleep 0.1
    i=$((i + 1))
done
started=0
[ "$(echo $pids | wc -w)" -eq 3 ] && started=1
sleep 1 # inside the run (it lasts several seconds)
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
files=$(find "$out" -type f 2>/dev/null | wc -l)
echo "started=$started mpirun_rc=$rc seconds=$(awk "BEGIN {print $t1 - $t0}") survivors=$alive files=$files"
