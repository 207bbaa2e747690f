#!/bin/sh
# submit.sh N PARTS OUT FORMAT ARGS...: submit an N-task array of `abduce ARGS --shard K/N`
# and a merge job that starts when every task has succeeded; prints both job ids.
#   deploy/slurm/submit.sh 32 parts/mc mc.json json sweep monte-carlo border --samples 100000000 --seed 7
set -eu
if [ "$#" -lt 5 ]; then
  echo "usage: submit.sh N PARTS OUT FORMAT ARGS..." >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
n=$1 parts=$2 out=$3 format=$4
shift 4
mkdir -p logs "$parts"
export ABDUCE_SHARD="${ABDUCE_SHARD:-$here/../abduce-shard}"
export ABDUCE_MERGE="${ABDUCE_MERGE:-$here/../abduce-merge}"
array=$(sbatch --parsable --array="1-$n" "$here/shard.sbatch" "$n" "$parts" "$@" | cut -d';' -f1)
merge=$(sbatch --parsable --dependency="afterok:$array" "$here/merge.sbatch" "$n" "$parts" "$out" "$format" | cut -d';' -f1)
echo "$array $merge"
