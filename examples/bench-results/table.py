#!/usr/bin/env python3
"""Side-by-side JSONL (side_by_side.sh) -> README table. Per (workload, config, dtype, peer): the
minimum over rounds of the per-round median (a round's median is one measurement under that round's
load; the min picks the quietest round per runner). usage: table.py OUT.jsonl [threads]"""
import json, sys, re
from collections import defaultdict
path = sys.argv[1]; threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
med = defaultdict(list); loads = defaultdict(list); unit = {}
for line in open(path):
    if not line.startswith('{'): continue
    r = json.loads(line)
    if r['threads'] != threads: continue
    cfg = r['config']; peer = r['peer']
    if peer == 'nabla' and cfg.endswith('-compiled'):
        peer, cfg = 'compiled', cfg[:-len('-compiled')]
    if re.search(r'-(w\d|spark\d)$', cfg): continue
    k = (r['workload'], cfg, r['dtype'])
    med[k + (peer,)].append(r['median_ms']); unit[k] = (r['unit'], r['unit_count'])
    if 'loadavg1' in r: loads[k].append(r['loadavg1'])
def fmt(k, p):
    v = med.get(k + (p,))
    if not v: return None, '–'
    m = min(v); u, n = unit[k]
    if u == 'op': return m, f'{m * 1e3 / n:.3g} µs/op'
    if u == 'flop': return m, f'{n / m / 1e6:.0f} GFLOP/s'
    return m, f'{m:.3g} ms'
def ratio(a, b):
    return f'{a / b:.2f}' if a is not None and b is not None else ''
def natural(c): return [int(p) if p.isdigit() else p for p in re.split(r'(\d+)', c)]
keys = sorted({k[:3] for k in med}, key=lambda k: (k[0], k[2] != 'float32', natural(k[1])))
print('| workload | dtype | Nabla eager | Nabla compiled | PyTorch eager | JAX jit (1 core) | eager/PyTorch | eager/JAX | compiled/JAX | load |')
print('|---|---|---|---|---|---|---|---|---|---|')
for k in keys:
    e, es = fmt(k, 'nabla'); c, cs = fmt(k, 'compiled'); t, ts = fmt(k, 'torch'); j, js = fmt(k, 'jax')
    l = loads.get(k, []); ld = f'{min(l):.2f}–{max(l):.2f}' if l else ''
    print(f'| {k[0]} {k[1]} | {k[2]} | {es} | {cs} | {ts} | {js} | {ratio(e, t)} | {ratio(e, j)} | {ratio(c, j)} | {ld} |')
