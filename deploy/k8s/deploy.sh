#!/bin/sh
# Apply xianfeng to a cluster in the order it must start:
#   settings → migrations (wait until all three Jobs complete) → services → scheduler.
# PostgreSQL and Redis are expected to exist already (XIANFENG_*_DATABASE_URL, XIANFENG_BROKER_URL).
# Usage: deploy/k8s/deploy.sh [IMAGE]   (default xianfeng:0.1.0)
set -eu
here=$(dirname "$0")
image=${1:-xianfeng:0.1.0}
ns=xianfeng

apply() {  # a manifest with the image of this release
  sed "s|image: xianfeng:0.1.0|image: $image|" "$here/$1" | kubectl apply -f -
}

kubectl apply -f "$here/config.yaml"
kubectl -n "$ns" delete job -l app.kubernetes.io/component=migrate --ignore-not-found
apply migrate-jobs.yaml
kubectl -n "$ns" wait --for=condition=complete --timeout=600s job -l app.kubernetes.io/component=migrate
for service in pledge survey notify; do
  apply "$service.yaml"
done
apply beat.yaml
for deployment in pledge-web pledge-worker survey-web survey-worker notify-web notify-worker beat; do
  kubectl -n "$ns" rollout status "deployment/$deployment" --timeout=300s
done
