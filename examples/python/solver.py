#!/usr/bin/python3
"""solver.py — an external solver of the 1D NNLIF Fokker–Planck equation for nlif (protocol v1).

    ∂_t p + ∂_v[(−v + bN + I(t)) p] − a(N) ∂_vv p = N δ(v − V_R),   p(V_F) = 0,
    N(t) = −a(N) ∂_v p(V_F, t),   a(N) = a0 + a1 N                     (MATHEMATICS.md §1)

Usage: solver.py PROBLEM.json — reads the problem nlif wrote, writes a result set in the format of
RESULTS.md into problem["output"]["dir"] with stem problem["output"]["stem"], and exits 0 (status ok,
blowup or failed with a cause). Exit 2: the problem file itself is unusable (FILE: what is wrong).

The scheme — conservative finite volumes on the nodes v_i = V_min + iΔv, i = 0..n (v_n = V_F,
p_n = 0), the unknowns p_0..p_{n−1} being cell averages (mass Σ p_i Δv):

* Face flux J = h p − a ∂_v p with the drift h(v) = −v + bN + I, by Scharfetter–Gummel (exponential
  fitting, exact for a drift frozen on the face):  F_{i+1/2} = (a/Δv)[B(−x) p_i − B(x) p_{i+1}],
  x = h(v_{i+1/2}) Δv / a, B(x) = x / (eˣ − 1). No flux at V_min.
* Outflow at V_F (option `outflow`): `exponential` — the same flux with p_n = 0, N = (a/Δv) B(−x) p_{n−1};
  `one_sided` — N = a p_{n−1}/Δv (the drift's share dropped; still second order, README.md).
* Re-injection: the outflow N leaves cell n−1 and enters the cell of V_R at the same (new) time level.
* Time: backward Euler, linearly implicit: a and the drift use N from the previous step and I at the
  new time. The matrix is tridiagonal plus one entry (the re-injection), with column sums 1, an
  M-matrix: mass is exact up to round-off and p ≥ 0 for every Δt. It is solved as one banded solve
  with two right-hand sides and one scalar (Sherman–Morrison), then applied in flux form, see `step`.
* The run stops with status `blowup` when N exceeds the option `rate_cap` (a blow-up of N in finite
  time, which this scheme cannot pass), and `failed` (with the cause) on a non-finite value.

a1 > 0 is handled like the drift: a(N) with N of the previous step. Not supported (status failed,
with the cause): structured networks, kick input, point masses in the initial law. The initial density is used as given (nlif projected it; it is not re-projected).
"""
import json
import math
import os
import secrets
import sys
import time

import numpy as np
from scipy.linalg import solve_banded

SOLVER_TITLE = "Scharfetter-Gummel finite volumes, linearly implicit Euler (Python example)"
RECONSTRUCTS = "no paper: a textbook conservative scheme, the example of nlif's external-solver protocol"
VERSION = "1"


class ProblemError(Exception):
    """The problem file cannot be used: reported as FILE: what, exit 2."""


def member(obj, key, kind, where):
    """obj[key], which must be of `kind` (a type or tuple of types); `where` names obj in messages."""
    if not isinstance(obj, dict) or key not in obj:
        raise ProblemError(f"member {where}.{key} is missing")
    value = obj[key]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ProblemError(f"{where}.{key} must be a finite number, not {value!r}")
        return float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ProblemError(f"{where}.{key} has the wrong type ({type(value).__name__})")
    return value


def no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ProblemError(f"duplicate member {key!r}")
        seen[key] = value
    return seen


class Problem:
    """The validated problem: everything the scheme reads, checked at the edge."""

    def __init__(self, path):
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f, object_pairs_hook=no_duplicates)
        except (OSError, ValueError) as e:
            raise ProblemError(str(e)) from None
        if member(doc, "format", str, "problem") != "nlif-problem":
            raise ProblemError("format must be 'nlif-problem'")
        if member(doc, "format_version", int, "problem") != 1:
            raise ProblemError(f"format_version {doc['format_version']}, this solver reads version 1")
        self.doc = doc
        self.case = member(doc, "case", str, "problem")
        model = member(doc, "model", dict, "problem")
        self.a0, self.a1, self.b = (member(model, k, float, "model") for k in ("a0", "a1", "b"))
        self.v_f, self.v_r = member(model, "v_f", float, "model"), member(model, "v_r", float, "model")
        inp = member(doc, "input", dict, "problem")
        self.input_type = member(inp, "type", str, "input")
        if self.input_type not in ("none", "constant", "sine", "pulse", "kick"):
            raise ProblemError(f"input.type {self.input_type!r}: allowed none, constant, sine, pulse, kick")
        self.i0, self.amplitude, self.omega, self.phase, self.t0, self.t1 = (
            member(inp, k, float, "input") for k in ("i0", "amplitude", "omega", "phase", "t0", "t1"))
        self.structured = doc.get("structure") is not None
        grid = member(doc, "grid", dict, "problem")
        self.dv = member(grid, "dv", float, "grid")
        self.nv = member(grid, "nv", int, "grid")
        self.i_r = member(grid, "i_r", int, "grid")
        self.nodes = np.array(member(grid, "nodes", list, "grid"), dtype=float)
        if not (self.dv > 0 and self.nv >= 3 and self.nodes.shape == (self.nv,)
                and np.all(np.isfinite(self.nodes)) and 0 <= self.i_r < self.nv - 1):
            raise ProblemError("grid: need dv > 0, nv >= 3, nv finite nodes and 0 <= i_r < nv - 1")
        self.dt = member(doc, "dt", float, "problem")
        self.t_final = member(doc, "t_final", float, "problem")
        if not (self.dt > 0 and self.t_final > 0):
            raise ProblemError("dt and t_final must be > 0")
        snaps = member(doc, "snapshots", list, "problem")
        self.snapshots = sorted({member({"t": s}, "t", float, "snapshots") for s in snaps})
        self.options = member(doc, "options", dict, "problem")
        self.outflow = self.options.get("outflow", "exponential")
        if self.outflow not in ("exponential", "one_sided"):
            raise ProblemError(f"options.outflow {self.outflow!r}: allowed exponential, one_sided")
        self.rate_cap = float(self.options.get("rate_cap", 1e4))
        initial = member(doc, "initial", dict, "problem")
        self.density = np.array(member(initial, "density", list, "initial"), dtype=float)
        if self.density.shape != (self.nv,) or not np.all(np.isfinite(self.density)):
            raise ProblemError(f"initial.density must hold nv = {self.nv} finite numbers")
        self.atoms = initial.get("atoms") or []
        out = member(doc, "output", dict, "problem")
        self.out_dir, self.stem = member(out, "dir", str, "output"), member(out, "stem", str, "output")
        if "/" in self.stem or not self.stem:
            raise ProblemError(f"output.stem {self.stem!r} must be a plain file name")
        # The solver's name as nlif knows it: the stem is CASE.NAME.
        prefix = self.case + "."
        self.scheme = self.stem[len(prefix):] if self.stem.startswith(prefix) else "pyfv"

    def current(self, t):
        """I(t) (MATHEMATICS.md §1, 'Input current')."""
        if self.input_type == "constant":
            return self.i0
        if self.input_type == "sine":
            return self.i0 + self.amplitude * math.sin(self.omega * t + self.phase)
        if self.input_type == "pulse":
            return self.i0 if self.t0 <= t <= self.t1 else 0.0
        return 0.0

    def unsupported(self):
        """Why this solver cannot run the problem, or None."""
        if self.structured:
            return "structured networks (p(v, w)) are not supported by this 1D solver"
        if self.input_type == "kick":
            return "kick input (an instantaneous shift of every voltage) is not supported"
        if self.atoms:
            return "point masses in the initial law are not supported"
        return None


def bernoulli(x):
    """B(x) = x / (eˣ − 1), B(0) = 1, accurate near 0 and for large |x|."""
    small = np.abs(x) < 1e-8
    safe = np.where(small, 1.0, x)
    with np.errstate(over="ignore"):          # eˣ = inf for x > 709: B = 0, the right limit
        return np.where(small, 1.0 - 0.5 * x, safe / np.expm1(safe))


class Scheme:
    """The state of one run: p on the unknowns 0..n−1 and the rate of the last step."""

    def __init__(self, pb):
        self.pb = pb
        self.n = pb.nv - 1                      # unknowns p_0..p_{n-1}; p_n = 0 at V_F
        self.dv = pb.dv
        self.faces = pb.nodes[:-1] + 0.5 * pb.dv  # v_{i+1/2}, i = 0..n-1 (the last one is the outflow face)
        self.p = pb.density[:-1].copy()
        self.rhs = np.zeros((self.n, 2))
        self.rhs[pb.i_r, 1] = 1.0
        self.band = np.zeros((3, self.n))
        self.flux = np.zeros(self.n + 1)        # F_{i-1/2}, i = 0..n: no flux at V_min, the outflow last
        self.rate = self.initial_rate()

    def outflow_coefficient(self, rate, t):
        """c with N = c p_{n−1}, for the coefficients frozen at `rate` and I(t)."""
        a = self.pb.a0 + self.pb.a1 * rate
        if self.pb.outflow == "one_sided":
            return a / self.dv
        x = (-self.faces[-1] + self.pb.b * rate + self.pb.current(t)) * self.dv / a
        return a / self.dv * float(bernoulli(np.array(-x)))

    def initial_rate(self):
        """N(0) = c(N) p_{n−1}: a fixed point (c depends on N through a and the drift); a few iterations."""
        rate = (self.pb.a0 / self.dv) * self.p[-1]
        for _ in range(50):
            new = self.outflow_coefficient(rate, 0.0) * self.p[-1]
            if not math.isfinite(new) or abs(new - rate) <= 1e-15 * max(1.0, abs(new)):
                return new
            rate = new
        return rate

    def step(self, h, t_new):
        """One backward-Euler step of length h to t_new; returns the new rate N.

        With T = I − hA (A: the SG divergence with the outflow, without the re-injection), the step
        solves T p' = p + hγ p'_{n−1} e_r, γ = c/Δv. With y = T⁻¹p and z = T⁻¹e_r (one banded solve
        with two right-hand sides), p'_{n−1} = y_{n−1} / (1 − hγ z_{n−1}) and p' = y + hγ p'_{n−1} z.
        T is an M-matrix, so y, z ≥ 0 and the denominator is positive: p' ≥ 0 (the flux-form
        update below adds round-off only)."""
        pb, dv = self.pb, self.dv
        a = pb.a0 + pb.a1 * self.rate
        x = (-self.faces[:-1] + pb.b * self.rate + pb.current(t_new)) * dv / a
        right = (a / dv**2) * bernoulli(-x)     # face i+1/2 carries right[i] p_i to cell i+1 ...
        left = (a / dv**2) * bernoulli(x)       # ... and left[i] p_{i+1} to cell i
        # Node 0 is on the wall V_min: its unknown is the mass of the half cell [V_min, V_min + dv/2]
        # over dv (the projection's convention), so the density there, which the face 1/2 sees, is
        # twice it; a full cell would put the wall dv/2 below V_min, a first-order error in p.
        right[0] *= 2.0
        gamma = self.outflow_coefficient(self.rate, t_new) / dv
        band = self.band
        band[0, 1:] = -h * left                 # upper diagonal: T[i, i+1]
        band[2, :-1] = -h * right               # lower diagonal: T[i+1, i]
        band[1, :] = 1.0
        band[1, :-1] += h * right
        band[1, 1:] += h * left
        band[1, -1] += h * gamma
        self.rhs[:, 0] = self.p
        yz = solve_banded((1, 1), band, self.rhs, overwrite_ab=False, check_finite=False)
        y, z = yz[:, 0], yz[:, 1]
        last = y[-1] / (1.0 - h * gamma * z[-1])
        solved = y + (h * gamma * last) * z
        # The update in flux form, with the fluxes of the solved state: the same p' in exact
        # arithmetic, but the mass moves only between neighbours (and from V_F to V_R), so it stays
        # conserved to round-off; taking p' from the solve directly drifts by the solver's round-off
        # (3e-17 per step, one-signed: 6e-13 after 20000 steps of relax_linear).
        self.rate = gamma * dv * last
        flux = self.flux
        flux[1:-1] = dv * (right * solved[:-1] - left * solved[1:])
        flux[-1] = self.rate
        self.p += (h / dv) * (flux[:-1] - flux[1:])
        self.p[pb.i_r] += (h / dv) * self.rate
        return self.rate

    def mass(self):
        return self.dv * math.fsum(self.p)

    def density(self):
        """The density on every node: twice the half-cell value at V_min, p_n = 0 at V_F."""
        d = np.append(self.p, 0.0)
        d[0] *= 2.0
        return d


class ResultSet:
    """The three files of RESULTS.md, written under temporary names and renamed into place (summary last)."""

    def __init__(self, pb):
        self.pb = pb
        self.run_id = "%s-%d-%s" % (time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()), os.getpid(),
                                    secrets.token_hex(8))
        self.series = []        # (t, rate, fired, mass, min_density)
        self.snaps = []         # (t, density on the nodes)
        self.temps = []

    def header(self):
        pb = self.pb
        return ("# format: nlif-results 1\n# run_id: %s\n# case: %s\n# scheme: %s\n# reconstructs: %s\n"
                "# options: %s\n# resolution: {\"dv\":%r,\"dt\":%r,\"dw\":null}\n# provenance: %s\n"
                % (self.run_id, pb.case, pb.scheme, RECONSTRUCTS, json.dumps(pb.options, sort_keys=True),
                   pb.dv, pb.dt, json.dumps(self.provenance())))

    def provenance(self):
        return {"program": "examples/python/solver.py", "version": VERSION,
                "python": sys.version.split()[0], "numpy": np.__version__,
                "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}

    def put(self, name, text):
        final = os.path.join(self.pb.out_dir, name)
        temp = "%s.tmp-%d-%d" % (final, os.getpid(), len(self.temps))
        self.temps.append(temp)
        with open(temp, "w", encoding="utf-8") as f:
            f.write(text)
        return temp, final

    def write(self, summary):
        stem = self.pb.stem
        lines = [self.header(), "t,rate,fired,mass,min_density\n"]
        lines += ["%r,%r,%r,%r,%r\n" % row for row in self.series]
        series = self.put(stem + ".series.csv", "".join(lines))
        lines = [self.header(), "kind,t,x,density\n"]
        for t, p in self.snaps:
            lines += ["v,%r,%r,%r\n" % (t, x, d) for x, d in zip(self.pb.nodes.tolist(), p.tolist())]
        snapshots = self.put(stem + ".snapshots.csv", "".join(lines))
        summary.update({"format": "nlif-results", "format_version": 1, "run_id": self.run_id})
        json_file = self.put(stem + ".json", json.dumps(summary, indent=2, allow_nan=False) + "\n")
        for temp, final in (series, snapshots, json_file):   # the summary last
            os.replace(temp, final)
        self.temps.clear()

    def remove_temps(self):
        for temp in self.temps:
            try:
                os.remove(temp)
            except OSError:
                pass


def final_rate(series):
    """Mean of N over the last tenth of the run (trapezoid on the samples), as nlif computes it."""
    t_end = series[-1][0]
    t_start = 0.9 * t_end
    area = span = 0.0
    for (ta, na, *_), (tb, nb, *_) in zip(series, series[1:]):
        if tb <= t_start or tb <= ta:
            continue
        ta2 = max(ta, t_start)
        area += 0.5 * (na + nb) * (tb - ta2)
        span += tb - ta2
    return area / span if span > 0 else series[-1][1]


def run(pb, out):
    """March to t_final, landing on every snapshot time; fill `out` and return the summary members."""
    cpu0 = time.process_time()
    status, cause, stop = "ok", pb.unsupported(), None
    scheme = Scheme(pb)
    mass0 = scheme.mass()
    fired, mass_drift, min_density = 0.0, 0.0, float(scheme.p.min())
    out.series.append((0.0, scheme.rate, 0.0, mass0, min_density))
    t, steps = 0.0, 0
    targets = [s for s in pb.snapshots if s < pb.t_final] + [pb.t_final]
    if cause:
        status, stop = "failed", 0.0
        targets = []
    for target in targets:
        if target <= 0:
            out.snaps.append((0.0, scheme.density()))
            continue
        start, k = t, 0
        while t < target and status == "ok":
            k += 1
            t_new = start + k * pb.dt
            if t_new > target * (1 - 1e-12):    # land exactly on the target (last step shortened)
                t_new = target
            rate = scheme.step(t_new - t, t_new)
            steps += 1
            if not (math.isfinite(rate) and np.all(np.isfinite(scheme.p))):
                status, cause, stop = "failed", "a non-finite density or rate at t = %r" % t_new, t
                break
            fired += (t_new - t) * rate          # the mass moved from V_F to V_R in this step
            t = t_new
            mass = scheme.mass()
            mass_drift = max(mass_drift, abs(mass - mass0))
            low = float(scheme.p.min())
            min_density = min(min_density, low)
            out.series.append((t, rate, fired, mass, low))
            if rate > pb.rate_cap:
                status, cause, stop = "blowup", "N = %g exceeds rate_cap = %g" % (rate, pb.rate_cap), t
        if status != "ok":
            break
        out.snaps.append((t, scheme.density()))
    if status != "ok" and (not out.snaps or out.snaps[-1][0] < t) and np.all(np.isfinite(scheme.p)):
        out.snaps.append((t, scheme.density()))   # the state where the run stopped
    if not out.snaps:                            # nothing finite to show: the initial state
        out.snaps.append((0.0, pb.density.copy()))
    summary = {
        "case": pb.case, "scheme": pb.scheme, "scheme_title": SOLVER_TITLE, "reconstructs": RECONSTRUCTS,
        "status": status, "t_final": pb.t_final, "t_end": t,
        "grid": {"nv": pb.nv, "nw": 0},
        "mass_drift": mass_drift, "min_density": min([min_density] + [float(p.min()) for _, p in out.snaps]),
        "max_density": max(float(p.max()) for _, p in out.snaps),
        "final_rate": final_rate(out.series),
        "steps": steps, "cpu_seconds": time.process_time() - cpu0,
        "options": {"outflow": pb.outflow, "rate_cap": pb.rate_cap},
        "resolution": {"dv": pb.dv, "dt": pb.dt, "dw": None}, "seed": None,
        "provenance": out.provenance(), "mfe": [],
    }
    if status != "ok":
        summary["stop_time"] = stop
        summary["cause"] = cause
    if status == "blowup":
        summary["blowup_time"] = stop
    return summary


def main(argv):
    if len(argv) != 2 or argv[1] in ("-h", "--help"):
        print("usage: solver.py PROBLEM.json  (nlif external-solver protocol v1; see README.md)",
              file=sys.stderr)
        return 0 if len(argv) == 2 else 2
    try:
        pb = Problem(argv[1])
    except ProblemError as e:
        print("%s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    out = ResultSet(pb)
    try:
        os.makedirs(pb.out_dir, exist_ok=True)
        out.write(run(pb, out))
    except BaseException:
        out.remove_temps()
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
