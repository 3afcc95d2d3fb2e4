#!/usr/bin/env bash
# Runs experiments/ci.json as a 2-task Slurm array job on a throwaway single-node cluster, merges the shards,
# and checks that the merged summary equals a single uninterrupted run. Needs root, slurm-wlm, munge, and a build.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
spec=${1:-experiments/ci.json}
state=$(mktemp -d /tmp/metacomp-slurm.XXXXXX)
chmod 755 "$state"
trap 'bash scripts/slurm/local-slurm.sh stop "$state"' EXIT
bash scripts/slurm/local-slurm.sh start "$state"
export SLURM_CONF="$state/slurm.conf"

start=$(date +%s)
sbatch --wait --array=0-1 --cpus-per-task=1 -o "$state/shard-%a.log" --wrap \
  "cd '$repo' && node dist/cli/main.js run '$spec' --shard \$SLURM_ARRAY_TASK_ID/2 --db '$state'/shard-\$SLURM_ARRAY_TASK_ID.duckdb --report none >/dev/null" \
  || { tail -30 "$state"/shard-*.log; exit 1; }
echo "slurm: array job of 2 shards finished in $(($(date +%s) - start))s" >&2
node dist/cli/main.js merge "$state/shard-0.duckdb" "$state/shard-1.duckdb" --into "$state/merged.duckdb" --json >"$state/merged.json"
node dist/cli/main.js run "$spec" --db "$state/single.duckdb" --report none --json >"$state/single.json" 2>/dev/null
node -e '
const [merged, single] = process.argv.slice(1).map((p) => JSON.parse(require("fs").readFileSync(p, "utf8")));
const canonical = (o) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
const a = canonical(merged.headline), b = canonical(single.headline);
if (a !== b) { console.error("slurm: merged shards differ from the single run\n" + a + "\n" + b); process.exit(1); }
console.log(`slurm: 2-task array job + merge == single run (${Object.keys(merged.headline).length} headline metrics, seeds ${merged.seeds})`);
' "$state/merged.json" "$state/single.json"
