#!/bin/sh
# dtstudy_table.sh — the time-step study of the Monte Carlo MFE times (make_reference.sh dtstudy):
# single_mfe's first MFE and the b = 3 first blow-up from the reset state against the Fokker-Planck
# blow-up time (cvode, dv 0.00125), and the periodic_mfe_b3 period (MFE 2-22: least-squares slope of
# each realisation's MFE times against their index, mean ± SE over realisations) against dt and N_p.
python3 - <<'PY'
import json, statistics as st
D = "reference/data"
def mfe_times(path):
    runs = {}
    for line in open(path):
        if line[0].isdigit():
            r, i, t, s = line.strip().split(",")
            runs.setdefault(int(r), []).append(float(t))
    return list(runs.values())
def slope(t):
    n = len(t); xm = (n - 1) / 2; tm = sum(t) / n
    return sum((x - xm) * (y - tm) for x, y in zip(range(n), t)) / sum((x - xm) ** 2 for x in range(n))
def first(d):
    s = json.load(open(f"{d}.json"))["mfe"][0]
    return s["t_mean"], s["t_se"]
def cvode(stem):
    return json.load(open(f"{D}/dtstudy/cvode/{stem}.json"))["blowup_time"]

print("## First MFE against the time step (Monte Carlo N_p = 1e5, bridge on)\n")
print("| case | dt | R | first MFE, mean ± SE | minus the Fokker-Planck blow-up | in SE |\n|---|---|---|---|---|---|")
for case, stem, dts, tag in (("single_mfe", "single_mfe", ["4e-4", "2e-4", "1e-4", "5e-5", "2.5e-5", "1.25e-5"], "single_mfe_dt"),
                             ("b3 from V_R", "b3_from_vr", ["1e-4", "2.5e-5"], "b3_from_vr_dt")):
    ref = cvode(stem)
    for dt in dts:
        name = "single_mfe" if case == "single_mfe" else "periodic_mfe_b3"
        d = f"{D}/dtstudy/{tag}{dt}/{name}"
        m, se = first(d)
        R = json.load(open(f"{d}.json"))["realisations"]
        print(f"| {case} | {dt} | {R} | {m:.6f} ± {se:.6f} | {m - ref:+.6f} | {(m - ref) / se:+.1f} |")
    print(f"| {case} | Fokker-Planck (cvode, dv 0.00125) | | {ref:.6f} | | |")

print("\n## periodic_mfe_b3: period over MFE 2-22 against dt and N_p\n")
print("| N_p | R | dt | seed | period, mean ± SE | per-realisation sd |\n|---|---|---|---|---|---|")
rows = [("1e3", "b3_np1e3_dt1e-4"), ("1e4", "b3_np1e4_dt2e-4"), ("1e4", "b3_np1e4_dt1e-4"), ("1e4", "b3_np1e4_dt5e-5"),
        ("1e4", "b3_np1e4_dt2.5e-5"), ("1e5", "b3_np1e5_dt1e-4"), ("1e5", "../periodic_mfe_b3")]
for npart, sub in rows:
    base = f"{D}/dtstudy/{sub}/periodic_mfe_b3"
    js = json.load(open(base + ".json"))
    P = [slope(t[1:22]) for t in mfe_times(base + "_mfe.csv") if len(t) >= 22]
    where = " (the stored reference)" if sub.startswith("..") else ""
    print(f"| {npart} | {len(P)} of {js['realisations']} | {js['dt']:g}{where} | {js['seed']} | {st.mean(P):.5f} ± {st.stdev(P) / len(P) ** 0.5:.5f} | {st.stdev(P):.5f} |")

# How often does the mfe_mc criterion (every one of 22 MFE times inside the combined 95% interval of
# the two means, plus the case allowance 5e-4) fail between two sets of 8 realisations of the same
# particle system? The R = 64 runs split into 8 sets: 28 pairs.
import itertools
print("\n## mfe_mc between two Monte Carlo sets of R = 8 (N_p = 1e4, periodic_mfe_b3, 22 MFE times)\n")
from statistics import NormalDist
zb = NormalDist().inv_cdf(1 - 0.025 / 22)
print(f"| dt | pairs | pairs with an MFE time outside | MFE times outside per pair | pairs with max z above {zb:.2f} (family-wise 95%, Bonferroni) |\n|---|---|---|---|---|")
for dt in ["2e-4", "1e-4", "5e-5", "2.5e-5"]:
    runs = [t for t in mfe_times(f"{D}/dtstudy/b3_np1e4_dt{dt}/periodic_mfe_b3_mfe.csv") if len(t) >= 22]
    sets = [runs[i * 8:(i + 1) * 8] for i in range(len(runs) // 8)]
    pairs = list(itertools.combinations(sets, 2))
    outs = []
    fw = 0
    for A, B in pairs:
        n = 0
        zmax = 0
        for k in range(22):
            a = [t[k] for t in A]; b = [t[k] for t in B]
            se = (st.variance(a) / len(a) + st.variance(b) / len(b)) ** 0.5
            n += abs(st.mean(a) - st.mean(b)) > 1.96 * se + 5e-4
            zmax = max(zmax, (abs(st.mean(a) - st.mean(b)) - 5e-4) / se)
        outs.append(n)
        fw += zmax > zb
    print(f"| {dt} | {len(pairs)} | {sum(o > 0 for o in outs)} | {sum(outs) / len(pairs):.2f} | {fw} |")
PY
