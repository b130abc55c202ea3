#!/bin/sh
# make_reference.sh — regenerate the stored Monte Carlo reference data of nlif (MATHEMATICS.md §1.1).
#   sh reference/data/make_reference.sh [TARGET...]     (from the source tree root; 2 threads)
# Targets: cases (the catalogue MFE/relaxation cases), bridge (the bridge-correction convergence
# study on relax_linear), richardson (relax_excitatory, bistable_low at two step sizes), all (default),
# dtstudy (the time-step study of the MFE times, reference/data/dtstudy/TABLE.md), dtstudy_fine (its
# two finest steps alone), dtstudy_half (periodic_mfe_b2 and sine_mfe at half their stored step, about
# 35 minutes), delay_periodic_dt (delay_periodic again with five more seeds, and at half its step: the
# check of its SE and of its step, about 8 minutes; delay_periodic_seeds: seeds 4-7 alone), or the
# name of one
# catalogue MFE or calm case (its stored data only).
# Every run writes DIR/CASE.json + CSVs with provenance lines (command options, seed, N_p, R, dt,
# commit, date); this script appends the exact command of each run to reference/data/PROVENANCE.
set -eu
NLIF=${NLIF:-bin/nlif}
T=${THREADS:-2}
D=reference/data
MFE_CASES="single_mfe periodic_mfe_b3 kick_input periodic_mfe_b2 periodic_mfe_b25 sine_mfe"
# calm cases whose only reference for N(t) is Monte Carlo (a transient with no exact solution: a
# time-dependent input; refractory_excitatory's relaxation from R(0) = 0.2 through its refractory clocks)
# delay_periodic's oscillation about N_inf (a limit cycle with no closed form; the `oscillation` check)
CALM_CASES="sine_calm refractory_excitatory delay_periodic"
log() { printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" "$*" >> $D/PROVENANCE; }
run() { log "$NLIF $*"; $NLIF "$@" > /dev/null; }

cases() {
    # the case files' [run] sections (particles, realisations, mc_dt), seed 1
    for c in $MFE_CASES $CALM_CASES; do
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

# The runs of the time-step study (MATHEMATICS.md section 7, item 12). Each keeps its summary, MFE and
# rate files only (the snapshots are not used).
S=$D/dtstudy
keep() { for f in "$1"/*; do case $f in *_snap*.csv) rm -f "$f" ;; esac; done; }
# single_mfe at step $1, first MFE only (t_final 0.05), against the Fokker-Planck blow-up time (cvode)
single_at() {
    run mc single_mfe --dt $1 --set run.t_final=0.05 --set run.snapshots=0.05 --realisations 8 --threads $T \
        --seed 3 --out $S/single_mfe_dt$1
    keep $S/single_mfe_dt$1
}
# periodic_mfe_b3 at step $1, N_p = 1e4, R = 64: the period over MFE 2-22
b3_np1e4_at() {
    run mc periodic_mfe_b3 --particles 10000 --realisations 64 --seed 101 --threads $T --dt $1 \
        --out $S/b3_np1e4_dt$1
    keep $S/b3_np1e4_dt$1
}

dtstudy() {
    for dt in 4e-4 2e-4 1e-4 5e-5 2.5e-5 1.25e-5 6.25e-6; do single_at $dt; done
    # periodic_mfe_b3: the period over MFE 2-22 against the time step and N_p
    for dt in 2e-4 1e-4 5e-5 2.5e-5 1.25e-5; do b3_np1e4_at $dt; done
    run mc periodic_mfe_b3 --particles 1000 --realisations 256 --seed 101 --threads $T --dt 1e-4 --out $S/b3_np1e3_dt1e-4
    run mc periodic_mfe_b3 --particles 100000 --realisations 8 --seed 1 --threads $T --dt 1e-4 --out $S/b3_np1e5_dt1e-4
    keep $S/b3_np1e3_dt1e-4
    keep $S/b3_np1e5_dt1e-4
    # b = 3 from the reset state (Gaussian at V_R, sd 0.01): the first blow-up
    for dt in 1e-4 2.5e-5; do
        run mc periodic_mfe_b3 --dt $dt --set initial.mean=1 --set initial.sd=0.01 --set run.t_final=0.25 \
            --set run.snapshots=0.25 --realisations 32 --threads $T --seed 11 --out $S/b3_from_vr_dt$dt
        keep $S/b3_from_vr_dt$dt
    done
    # the Fokker-Planck blow-up times (cvode, dv 0.00125)
    run run single_mfe --scheme cvode --set run.dv=0.00125 --set run.t_final=0.05 --set run.snapshots=0.05 \
        --out $S/cvode --stem single_mfe
    run run periodic_mfe_b3 --scheme cvode --set run.dv=0.00125 --set initial.mean=1 --set initial.sd=0.01 \
        --set run.t_final=0.25 --set run.snapshots=0.25 --out $S/cvode --stem b3_from_vr
    rm -f $S/cvode/*.csv
    dtstudy_half
}

# periodic_mfe_b2 and sine_mfe at half their stored step (R 8, seed 7): whether their stored
# references (1.25e-5) have converged, measured rather than inferred from b = 2.5
dtstudy_half() {
    for c in periodic_mfe_b2:b2 sine_mfe:sine; do
        run mc ${c%%:*} --dt 6.25e-6 --realisations 8 --seed 7 --threads $T --out $S/${c#*:}_np1e5_dt6.25e-6
        keep $S/${c#*:}_np1e5_dt6.25e-6
    done
    sh $D/dtstudy_table.sh > $S/TABLE.md
}

dtstudy_fine() {
    # the two finest steps of the study alone (the runs added with the converged references)
    single_at 6.25e-6
    b3_np1e4_at 1.25e-5
    sh $D/dtstudy_table.sh > $S/TABLE.md
}

# delay_periodic again at the case's step (seeds 2, 4-7) and at half its step (seed 3): independent
# estimates of the period and amplitude the `oscillation` check reads, whose spread checks the SE it
# propagates from the bins, and the step's effect (reference/data/README.md). Summary, rate and MFE
# files only (the snapshots are not used).
delay_periodic_dt() {
    run mc delay_periodic --seed 2 --threads $T --out $D/delay_periodic/seed_2
    run mc delay_periodic --dt 5e-4 --seed 3 --threads $T --out $D/delay_periodic/dt_5e-4
    keep $D/delay_periodic/seed_2
    keep $D/delay_periodic/dt_5e-4
    delay_periodic_seeds
}
# the four further seeds alone (added after the first two runs)
delay_periodic_seeds() {
    for s in 4 5 6 7; do
        run mc delay_periodic --seed $s --threads $T --out $D/delay_periodic/seed_$s
        keep $D/delay_periodic/seed_$s
    done
}

[ $# -eq 0 ] && set -- all
for t in "$@"; do
    case $t in
    all) bridge; richardson; cases; dtstudy; delay_periodic_dt ;;
    cases|bridge|richardson|dtstudy|dtstudy_fine|dtstudy_half|delay_periodic_dt|delay_periodic_seeds) $t ;;
    *)  case " $MFE_CASES " in
        *" $t "*) one $t ;;
        *) case " $CALM_CASES " in *" $t "*) one $t ;; *) echo "unknown target $t" >&2; exit 2 ;; esac ;;
        esac ;;
    esac
done
