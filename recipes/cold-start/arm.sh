#!/usr/bin/env bash
# One arm of the cold-start experiment (docs/results.md): train, evaluate on the full BFCL categories,
# and keep the run's figures (not its weights) in docs/results/data/cold-start/<arm>/.
#
#   bash recipes/cold-start/arm.sh smollm2-strict            # GRPO arm: recipes/cold-start/smollm2-strict.yaml
#   bash recipes/cold-start/arm.sh gemma3-270m-sft sft gemma3-270m-gg   # SFT arm from the gg recipe's data
#   STAGES="eval keep" bash recipes/cold-start/arm.sh smollm2-strict    # skip training (weights already there)
#   CROSS=1 bash recipes/cold-start/arm.sh ...              # also the five Hammer cross-benchmarks
#   WORKERS=1 bash recipes/cold-start/arm.sh ...            # eval in one process (default: 2 processes, 1 thread each)
#
# Run folders and weights live in runs/ (not kept by git): train and evaluate an arm in one session.
set -euo pipefail
arm=${1:?usage: arm.sh ARM [grpo|sft] [RECIPE]}
method=${2:-grpo}
recipe=recipes/cold-start/${3:-$arm}.yaml
run=runs/cold-start/$arm
keep=docs/results/data/cold-start/$arm
stages=${STAGES:-train eval keep}
bin=${TOOLZERO:-toolzero}
E=(--official --bf16 --batch-size 16 --max-new-tokens 128 --workers "${WORKERS:-2}")
C=(simple_python multiple parallel parallel_multiple live_simple irrelevance)

for stage in $stages; do
  case $stage in
    train)
      extra=()
      [[ $method == sft ]] && extra=(run.output_dir="$run")
      "$bin" train "$method" --recipe "$recipe" "${extra[@]}" ;;
    eval)
      "$bin" eval bfcl --model "$run/final" --categories "${C[@]}" "${E[@]}" --out "$run/eval"
      if [[ -n ${CROSS:-} ]]; then
        "$bin" eval cross --model "$run/final" "${E[@]}" --out "$run/cross"
      fi ;;
    keep)
      mkdir -p "$keep/eval"
      for f in metrics.jsonl recipe.yaml curriculum.json signal.json prompt_style.json decontamination.json; do
        [[ -f $run/$f ]] && cp "$run/$f" "$keep/"
      done
      [[ -f $run/rollouts.jsonl ]] && gzip -c "$run/rollouts.jsonl" > "$keep/rollouts.jsonl.gz"
      for f in scores.json scores.md results.jsonl; do
        [[ -f $run/eval/$f ]] && cp "$run/eval/$f" "$keep/eval/"
      done
      if [[ -d $run/cross ]]; then
        mkdir -p "$keep/cross"
        for f in scores.json scores.md results.jsonl; do
          [[ -f $run/cross/$f ]] && cp "$run/cross/$f" "$keep/cross/"
        done
      fi
      echo "kept $run -> $keep" ;;
    *) echo "unknown stage: $stage" >&2; exit 2 ;;
  esac
done
