#!/usr/bin/env bash
# Simulates the book run with several seeds and evaluates the baseline models on each, to show how much of the
# difference to the handbook's published figures is the luck of one test week. Prints each run's table and,
# at the end, the mean and range per model and metric.
# Usage: bench/book-seeds.sh [FIRST_SEED] [LAST_SEED]   (default 0 7; about 15 s per seed on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:-0}
last=${2:-7}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for seed in $(seq "$first" "$last"); do
  ./riskloop simulate --seed "$seed" --out "$out/book-$seed.csv" > /dev/null
  ./riskloop evaluate --data "$out/book-$seed.csv" --seed "$seed" > "$out/table-$seed.txt"
  echo "== seed $seed"
  grep -E '^(logistic|decision|random|xgboost)' "$out/table-$seed.txt"
  rm "$out/book-$seed.csv"
done
echo "== mean [min, max] over seeds $first..$last (ROC AUC | average precision | Card Precision@100)"
cat "$out"/table-*.txt | grep -E '^(logistic|decision|random|xgboost)' | awk '
  { n[$1]++; for (k = 2; k <= 4; k++) { v = $k; s[$1,k] += v;
      if (n[$1] == 1 || v < lo[$1,k]) lo[$1,k] = v; if (n[$1] == 1 || v > hi[$1,k]) hi[$1,k] = v } }
  END { for (m in n) { printf "%-22s", m; for (k = 2; k <= 4; k++) printf "  %.3f [%.3f, %.3f]", s[m,k]/n[m], lo[m,k], hi[m,k]; printf "\n" } }' | sort
