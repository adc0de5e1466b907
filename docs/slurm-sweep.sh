#!/bin/bash
# A partnersim parameter sweep on a SLURM cluster: a job array runs one shard per
# task, and a merge job that depends on every task succeeding combines them into
# the results a single machine would write (see docs/sweeps.md).
#
# Submit from the folder where partnersim is installed (npm ci && npm run build):
#
#   bash docs/slurm-sweep.sh SPEC OUT [SHARDS]
#
# This submits this same file as a job array of SHARDS tasks (default 8). Task k runs
#
#   npx partnersim sweep SPEC --out OUT/shard-k --resume --threads $SLURM_CPUS_PER_TASK
#
# and partnersim reads its shard from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT
# (task k of N is shard k+1/N). --resume lets a requeued or preempted task carry on
# from the runs its database already holds. Then, after every task has succeeded
# (afterok), a merge job runs
#
#   npx partnersim merge OUT/shard-* --out OUT/merged
#
# and OUT/merged holds results.csv, results.parquet, manifest.json, report-data.json.
#
# Or submit the array by hand and merge yourself:
#   SPEC=my-sweep.yaml OUT=results/my-sweep sbatch --array=0-7 docs/slurm-sweep.sh
#
# Environment: PARTNERSIM (command to run, default `npx --no-install partnersim`),
# SBATCH_OPTS (extra sbatch options for both jobs, e.g. "--partition=long
# --account=proj"), SWEEP_WAIT=1 (block until the merge job ends; exit with its status).
# Edit the #SBATCH lines below for your site: time, CPUs and memory per shard.
#
#SBATCH --job-name=partnersim-sweep
#SBATCH --array=0-7
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=8
#SBATCH --mem-per-cpu=1G
#SBATCH --time=08:00:00
#SBATCH --requeue
set -euo pipefail

PARTNERSIM=${PARTNERSIM:-npx --no-install partnersim}

if [[ -n "${SLURM_ARRAY_TASK_ID:-}" ]]; then
  # Inside the job array: run this task's shard.
  : "${SPEC:?SPEC (the sweep file) is not set in the job environment}"
  : "${OUT:?OUT (the results folder) is not set in the job environment}"
  # $PARTNERSIM is split into words on purpose (e.g. "npx --no-install partnersim").
  # shellcheck disable=SC2086
  exec $PARTNERSIM sweep "$SPEC" --out "$OUT/shard-$SLURM_ARRAY_TASK_ID" --resume --threads "${SLURM_CPUS_PER_TASK:-1}"
fi

# Submitting: the array, then the merge that waits for all of it.
if [[ $# -lt 2 ]]; then
  echo "usage: bash $0 SPEC OUT [SHARDS]" >&2
  exit 2
fi
SPEC=$1
OUT=$2
SHARDS=${3:-8}
if ! [[ "$SHARDS" =~ ^[1-9][0-9]*$ ]]; then
  echo "$0: SHARDS must be a whole number of at least 1, got '$SHARDS'" >&2
  exit 2
fi
if [[ ! -f "$SPEC" ]]; then
  echo "$0: sweep file not found: $SPEC" >&2
  exit 2
fi
export SPEC OUT PARTNERSIM
mkdir -p "$OUT"

# shellcheck disable=SC2086
array=$(sbatch --parsable ${SBATCH_OPTS:-} --array="0-$((SHARDS - 1))" --output="$OUT/slurm-%A_%a.out" --export=ALL "$0")
array=${array%%;*} # --parsable prints JOBID[;CLUSTER]
echo "submitted job array $array: $SHARDS shards of $SPEC into $OUT/shard-*"

# The merge runs only if every array task succeeds; --kill-on-invalid-dep cancels it
# (instead of leaving it pending forever) when one fails: resubmit with the same
# command, and --resume lets the finished shards skip what they have done.
merge_cmd="$PARTNERSIM merge $(printf '%q' "$OUT")/shard-* --out $(printf '%q' "$OUT/merged")"
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_OPTS:-} ${SWEEP_WAIT:+--wait} --job-name=partnersim-merge --ntasks=1 --cpus-per-task=1 \
  --dependency="afterok:$array" --kill-on-invalid-dep=yes --output="$OUT/slurm-merge-%j.out" --export=ALL --wrap="$merge_cmd")
echo "submitted merge job ${merge%%;*} (after $array): $OUT/merged"
