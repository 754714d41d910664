# Sourced by ./mvnw, ./riskloop and .ci/run: sets JAVA_HOME to a JDK of version 21 or newer.
# Order: JAVA_HOME, then the java on PATH, then /usr/lib/jvm/* (newest first).
# POSIX sh, so that the Maven wrapper (#!/bin/sh) can source it too.

riskloop_java_major() {
  # Prints the feature version of the given java executable, e.g. 21 or 25.
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

riskloop_find_jdk() {
  _min=21
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    _v=$(riskloop_java_major "$JAVA_HOME/bin/java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ]; then return 0; fi
  fi
  _java=$(command -v java 2>/dev/null || true)
  if [ -n "$_java" ]; then
    _home=$(dirname "$(dirname "$(readlink -f "$_java")")")
    _v=$(riskloop_java_major "$_java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ] && [ -x "$_home/bin/javac" ]; then
      JAVA_HOME=$_home; export JAVA_HOME; return 0
    fi
  fi
  _best=""; _bestv=0
  # The Maven wrapper runs with 'set -f'; globbing is needed here.
  case $- in *f*) _restore_noglob=1; set +f ;; *) _restore_noglob=0 ;; esac
  for _d in /usr/lib/jvm/*; do
    [ -x "$_d/bin/javac" ] || continue
    _v=$(riskloop_java_major "$_d/bin/java")
    if [ -n "$_v" ] && [ "$_v" -ge "$_min" ] && [ "$_v" -gt "$_bestv" ]; then _best=$_d; _bestv=$_v; fi
  done
  [ "$_restore_noglob" = 1 ] && set -f
  if [ -n "$_best" ]; then JAVA_HOME=$_best; export JAVA_HOME; return 0; fi
  echo "riskloop needs a JDK $_min or newer: none found in JAVA_HOME (${JAVA_HOME:-unset}), on PATH or under /usr/lib/jvm." >&2
  echo "Install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME to it." >&2
  return 1
}
