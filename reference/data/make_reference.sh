#!/bin/sh
# make_reference.sh — regenerate the stored Monte Carlo reference data of nlif (issue 3).
#   sh reference/data/make_reference.sh [TARGET...]     (from the source tree root; 2 threads)
# Targets: cases (the catalogue MFE/relaxation cases), bridge (the bridge-correction convergence
# study on relax_linear), richardson (relax_excitatory, bistable_low at two step sizes), all (default),
# or the name of one catalogue MFE case (its stored data only).
# Every run writes DIR/CASE.json + CSVs with provenance lines (command options, seed, N_p, R, dt,
# commit, date); this script appends the exact command of each run to reference/data/PROVENANCE.
set -eu
NLIF=${NLIF:-bin/nlif}
T=${THREADS:-2}
D=reference/data
MFE_CASES="single_mfe periodic_mfe_b3 kick_input periodic_mfe_b2 periodic_mfe_b25 sine_mfe"
log() { printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$*" >> $D/PROVENANCE; }
run() { log "$NLIF $*"; $NLIF "$@" > /dev/null; }

cases() {
    # the case files' [run] sections (particles, realisations, mc_dt), seed 1
    for c in $MFE_CASES; do
        one $c
    done
}

one() {
    run mc $1 --seed 1 --threads $T --out $D/$1
}

bridge() {
    # relax_linear started from its exact stationary law (no transient), rate averaged over [1, 5];
    # N_p = 1e5, R = 32 (SE of the rate < 0.1%); with and without the bridge correction.
    for dt in 4e-3 2e-3 1e-3 5e-4; do
        run mc $D/cases/relax_linear_stationary.ini --dt $dt --seed 11 --threads $T --opt rate_from=1 \
            --out $D/bridge/on_$dt
        run mc $D/cases/relax_linear_stationary.ini --dt $dt --seed 11 --threads $T --opt rate_from=1 --no-bridge \
            --out $D/bridge/off_$dt
    done
    sh $D/bridge_table.sh > $D/bridge/TABLE.md
}

richardson() {
    # stationary rate over [10, 20] at dt and 2 dt: Richardson extrapolation removes the O(dt) bias
    for c in relax_excitatory bistable_low; do
        for dt in 1e-3 2e-3; do
            run mc $c --particles 2e4 --realisations 16 --dt $dt --seed 21 --threads $T --opt rate_from=10 \
                --out $D/$c/dt_$dt
        done
    done
    sh $D/richardson_table.sh > $D/RICHARDSON.md
}

[ $# -eq 0 ] && set -- all
for t in "$@"; do
    case $t in
    all) bridge; richardson; cases ;;
    cases|bridge|richardson) $t ;;
    *)  case " $MFE_CASES " in
        *" $t "*) one $t ;;
        *) echo "unknown target $t" >&2; exit 2 ;;
        esac ;;
    esac
done
