#!/usr/bin/env python3
"""compare_mc.py — the Monte Carlo acceptance figures of Scheme 2 (issue 5): R realisations of the
multiscale solver (seeds 1..R) against an `nlif mc` result directory for the same case, N_p and Δt.

    python3 solvers/multiscale/compare_mc.py CASE MC_DIR [--R 16] [--opt name=value ...] [--set k=v ...]

Prints, per MFE index k present in both: the multiscale mean ± SE of time and size over its
realisations, the MC mean ± SE, and whether |difference| ≤ 1.96 sqrt(SE_ms² + SE_mc²) (the combined
95% interval). Then N(t) on the MC bins (width = the MC's bin width): the L1-in-time distance of each
multiscale realisation to the MC mean, their mean, the L1 distance of the multiscale mean to the MC
mean, and the MC spread = E_r L1(MC_r, MC mean) estimated per bin as sqrt(2/π)·SD_r (SD_r = SE·√R of
the MC) — the Gaussian mean absolute deviation of one realisation. Bin rates of the multiscale runs
come from the cumulative firing E(t) at the bin edges (linear between samples), so that MFE mass
lands in the bin of its step as in the MC.
"""
import csv, json, math, os, subprocess, sys, tempfile


def read_csv(path):
    with open(path) as f:
        rows = [l for l in f if not l.startswith('#')]
    return list(csv.DictReader(rows))


def main():
    args = sys.argv[1:]
    case, mcdir = args[0], args[1]
    R, extra = 16, []
    i = 2
    while i < len(args):
        if args[i] == '--R':
            R = int(args[i + 1]); i += 2
        else:
            extra += [args[i], args[i + 1]]; i += 2
    mcj = json.load(open(os.path.join(mcdir, case + '.json')))
    mc_rate = read_csv(os.path.join(mcdir, case + '_rate.csv'))
    mc_mfe = read_csv(os.path.join(mcdir, case + '_mfe_summary.csv'))
    Rmc = mcj.get('realisations', 16)
    width = float(mc_rate[1]['t']) - float(mc_rate[0]['t'])
    nb = len(mc_rate)
    out = tempfile.mkdtemp(prefix='ms_cmp_')
    runs, cpu = [], 0.0
    for s in range(1, R + 1):
        cmd = [os.environ.get('NLIF', 'bin/nlif'), 'run', case, '--scheme', 'multiscale', '--seed', str(s),
               '--out', out, '--stem', 'r%d' % s, '--json'] + extra
        j = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        cpu += j['cpu_seconds']
        ser = read_csv(os.path.join(out, 'r%d.series.csv' % s))
        t = [float(r['t']) for r in ser]
        E = [float(r['fired']) for r in ser]
        runs.append((j, t, E))
    print('case %s: %d multiscale realisations (%.2f s CPU each), MC: R = %s, N_p = %s, dt = %s'
          % (case, R, cpu / R, Rmc, mcj.get('particles'), mcj.get('dt')))
    # MFEs
    nk = max(len(j['mfe']) for j, _, _ in runs)
    ok_all = True
    print('MFE  count  ms t (mean±SE)        mc t (mean±SE)        |dt|/comb  ms size            mc size            |ds|/comb')
    for k in range(min(nk, len(mc_mfe))):
        ts = [j['mfe'][k]['t'] for j, _, _ in runs if len(j['mfe']) > k]
        ss = [j['mfe'][k]['size'] for j, _, _ in runs if len(j['mfe']) > k]
        if len(ts) < 2:
            continue
        def ms(x):
            m = sum(x) / len(x)
            sd = math.sqrt(sum((y - m) ** 2 for y in x) / (len(x) - 1))
            return m, sd / math.sqrt(len(x))
        tm, tse = ms(ts)
        sm, sse = ms(ss)
        row = mc_mfe[k]
        ctm, ctse = float(row['t_mean']), float(row['t_se'])
        csm, csse = float(row['size_mean']), float(row['size_se'])
        zt = abs(tm - ctm) / (1.96 * math.sqrt(tse ** 2 + ctse ** 2) or 1e-300)
        zs = abs(sm - csm) / (1.96 * math.sqrt(sse ** 2 + csse ** 2) or 1e-300)
        ok = zt <= 1 and zs <= 1
        ok_all &= ok
        print('%3d  %2d/%-3s %.5f±%.5f      %.5f±%.5f      %6.2f    %.5f±%.5f   %.5f±%.5f   %6.2f  %s'
              % (k + 1, len(ts), row['count'], tm, tse, ctm, ctse, zt, sm, sse, csm, csse, zs, 'ok' if ok else 'OUT'))
    print('MFE counts per realisation: ms', [len(j['mfe']) for j, _, _ in runs])
    # N(t) on the MC bins
    edges = [b * width for b in range(nb + 1)]
    def interp(t, E, x):
        # E at time x (t sorted), linear between samples
        lo, hi = 0, len(t) - 1
        if x <= t[0]:
            return E[0]
        if x >= t[-1]:
            return E[-1]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if t[mid] <= x:
                lo = mid
            else:
                hi = mid
        return E[lo] + (E[hi] - E[lo]) * (x - t[lo]) / (t[hi] - t[lo])
    mc_mean = [float(r['rate_mean']) for r in mc_rate]
    mc_se = [float(r['rate_se']) for r in mc_rate]
    tfin = runs[0][1][-1]
    rates = []
    for j, t, E in runs:
        Eb = [interp(t, E, min(x, tfin)) for x in edges]
        rates.append([(Eb[b + 1] - Eb[b]) / (min(edges[b + 1], tfin) - edges[b]) for b in range(nb)])
    w = [min(edges[b + 1], tfin) - edges[b] for b in range(nb)]
    l1 = [sum(abs(r[b] - mc_mean[b]) * w[b] for b in range(nb)) for r in rates]
    msmean = [sum(r[b] for r in rates) / len(rates) for b in range(nb)]
    l1_mean = sum(abs(msmean[b] - mc_mean[b]) * w[b] for b in range(nb))
    spread = sum(math.sqrt(2 / math.pi) * mc_se[b] * math.sqrt(Rmc) * w[b] for b in range(nb))
    inside = sum(1 for b in range(nb) if abs(msmean[b] - mc_mean[b]) <= 3 * math.sqrt(mc_se[b] ** 2 + (
        sum((r[b] - msmean[b]) ** 2 for r in rates) / max(len(rates) - 1, 1)) / len(rates)))
    print('N(t) L1 to the MC mean: per realisation mean %.4f (min %.4f, max %.4f); of the ms mean %.4f; '
          'MC spread (one realisation vs mean) %.4f -> %s; bins within 3 combined SE: %d/%d'
          % (sum(l1) / len(l1), min(l1), max(l1), l1_mean, spread,
             'ok' if sum(l1) / len(l1) <= spread else 'ABOVE', inside, nb))
    print('MFE agreement: %s' % ('all inside' if ok_all else 'some outside'))


if __name__ == '__main__':
    main()
