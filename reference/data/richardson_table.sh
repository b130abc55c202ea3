#!/bin/sh
# richardson_table.sh — stationary rates of relax_excitatory and bistable_low at dt and 2dt, the
# Richardson extrapolation 2 r(dt) - r(2dt) (removes the O(dt) bias) and its distance to the exact rate
# in standard errors (SE_ext = sqrt(4 SE(dt)^2 + SE(2dt)^2)).
python3 - <<'PY'
import json, math, os
exact = {"relax_excitatory": 0.134775, "bistable_low": 0.192364}
print("| case | exact | r(1e-3) ± SE | r(2e-3) ± SE | extrapolated ± SE | (ext - exact)/SE |\n|---|---|---|---|---|---|")
for c, e in exact.items():
    try:
        a = json.load(open(f"reference/data/{c}/dt_1e-3/{c}.json")); b = json.load(open(f"reference/data/{c}/dt_2e-3/{c}.json"))
    except OSError:
        continue
    r1, s1, r2, s2 = a["rate_final_mean"], a["rate_final_se"], b["rate_final_mean"], b["rate_final_se"]
    x = 2*r1 - r2; s = math.sqrt(4*s1*s1 + s2*s2)
    print(f"| {c} | {e} | {r1:.6f} ± {s1:.1e} | {r2:.6f} ± {s2:.1e} | {x:.6f} ± {s:.1e} | {(x-e)/s:+.2f} |")
PY
