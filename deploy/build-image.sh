#!/usr/bin/env bash
# Builds riskloop's container image without a Docker daemon (Jib): the runnable jar on a JRE 21 base, as a tarball
# that `docker load`, `podman load` or `kind load image-archive` take, or pushed straight to a registry.
#
#   deploy/build-image.sh                          -> target/riskloop-image.tar (image riskloop:<version>)
#   deploy/build-image.sh --push ghcr.io/OWNER/riskloop:1.2.0
#
# Environment: IMAGE_BASE overrides the base image (default eclipse-temurin:21-jre; pin a digest in production, or
# use tar:///path/base.tar or docker://name for a base that is already on this machine); JIB_USERNAME and
# JIB_PASSWORD are the registry credentials for --push (else Docker's credential helpers).
# Pulling the base image needs access to its registry (Docker Hub for the default), even for the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."

push=""
while [ $# -gt 0 ]; do
    case "$1" in
        --push) push="${2:?--push needs an image reference, e.g. ghcr.io/OWNER/riskloop:1.2.0}"; shift 2 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-image.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
    esac
done

args=(-B -pl cli -am -DskipTests)
[ -n "${IMAGE_BASE:-}" ] && args+=("-Dimage.base=$IMAGE_BASE")
if [ -n "$push" ]; then
    args+=(-Pimage-push "-Dimage.name=$push")
    [ -n "${JIB_USERNAME:-}" ] && args+=("-Djib.to.auth.username=$JIB_USERNAME")
    [ -n "${JIB_PASSWORD:-}" ] && args+=("-Djib.to.auth.password=$JIB_PASSWORD")
else
    mkdir -p target
    args+=(-Pimage "-Dimage.tar=$PWD/target/riskloop-image.tar")
fi

if ! ./mvnw "${args[@]}" package; then
    echo "build-image.sh: the image build failed. If Jib could not reach the base image's registry" \
         "(${IMAGE_BASE:-eclipse-temurin:21-jre}), build where it is reachable, or set IMAGE_BASE to a local copy" \
         "(tar:///path/base.tar from 'docker save', or docker://name)." >&2
    exit 1
fi
if [ -n "$push" ]; then
    echo "build-image.sh: pushed $push"
else
    echo "build-image.sh: target/riskloop-image.tar ($(du -h target/riskloop-image.tar | cut -f1)); load it with" \
         "'docker load -i target/riskloop-image.tar' (or podman load)"
fi
