#!/usr/bin/env bash
# side_by_side.sh's protocol (rounds interleaved, runner order rotating) restricted to the configs of
# issue 18's table (eager and compiled; no data-parallel/Spark configs, which are measured apart).
#   usage: PY=<torch venv python> PY_JAX=<jax venv python> examples/bench-results/side_by_side_table.sh OUT.jsonl ROUNDS "W2 W3 W4 W5" "float32 float64"
#   then:  python3 examples/bench-results/table.py OUT.jsonl > table.md   (the README table)
set -uo pipefail
OUT=$(realpath -m "$1"); ROUNDS=$2; WORKLOADS=$3; DTYPES=$4
HERE=$(cd "$(dirname "$0")/../.." && pwd)
PEERS=${PEERS:-$HERE/../shared/peers}; PY=${PY:?torch venv python}; PY_JAX=${PY_JAX:?jax venv python}
cd "$HERE"
./nabla list >/dev/null 2>&1
cfgs() { case $1 in
  W1) echo "fwd+bwd fwd fwd-nograd";; W2) echo "b1 b100 b1000 b1-compiled b100-compiled b1000-compiled";;
  W3) echo "b128 b128-compiled";; W4) echo "b64 b64-compiled";; W5) echo "b1 b32 b1-compiled b32-compiled";;
  W6) echo "n256 n512 n1024";; esac; }
RUNNERS=("nabla" "$PY $PEERS/torch_bench.py" "taskset -c 0 $PY_JAX $PEERS/jax_bench.py")
for r in $(seq "$ROUNDS"); do
  for w in $WORKLOADS; do
    for d in $DTYPES; do
      n=${#RUNNERS[@]}
      for k in $(seq 0 $((n - 1))); do
        i=$(( (k + r) % n )); run=${RUNNERS[$i]}
        echo "$(date +%T) round $r $w $d: ${run##*/} load $(cut -d' ' -f1 /proc/loadavg)" >&2
        if [ "$run" = nabla ]; then
          for c in $(cfgs $w); do timeout 600 ./nabla bench --workload "$w" --config "$c" --dtype "$d" --threads 1 2>/dev/null; done
        else
          [ "$w" = W1 ] && [[ "$run" == *jax* ]] && continue
          timeout 900 $run --workload "$w" --dtype "$d" --reps 7 --threads 1 2>/dev/null
        fi | grep '^{' | sed "s/^{/{\"round\": $r, /" >> "$OUT"
      done
    done
  done
done
