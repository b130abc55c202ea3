#!/bin/sh
# bridge_table.sh — the bridge-correction convergence table from reference/data/bridge/*/relax_linear_stationary.json
# (exact rate 0.119976, MATHEMATICS.md §2: the unbounded problem's, as the particles have no wall at V_min;
# the grid schemes' wall value 0.119980 is 3.4e-5 away, below the SE): error, relative error, SE, fitted order.
D=reference/data/bridge
python3 - "$D" <<'PY'
import json, math, sys, glob, os
d = sys.argv[1]; exact = 0.119976
print("| bridge | dt | rate | SE | rel. error | rel. SE |\n|---|---|---|---|---|---|")
for mode in ("off", "on"):
    xs, ys = [], []
    for dt in ("4e-3", "2e-3", "1e-3", "5e-4"):
        p = os.path.join(d, f"{mode}_{dt}", "relax_linear_stationary.json")
        if not os.path.exists(p): continue
        j = json.load(open(p)); r, se = j["rate_final_mean"], j["rate_final_se"]
        print(f"| {mode} | {dt} | {r:.6f} | {se:.2e} | {(r-exact)/exact:+.3%} | {se/exact:.3%} |")
        xs.append(math.log(float(dt))); ys.append(math.log(abs(r - exact)))
    if len(xs) >= 2:
        n = len(xs); mx = sum(xs)/n; my = sum(ys)/n
        slope = sum((x-mx)*(y-my) for x, y in zip(xs, ys)) / sum((x-mx)**2 for x in xs)
        print(f"\nfitted order, bridge {mode}: {slope:.2f}\n")
PY
