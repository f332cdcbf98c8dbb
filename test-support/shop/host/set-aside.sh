#!/bin/sh
# Moves a folder's contents aside before a restore writes there, never deleting anything:
#   set-aside DIR INTO    DIR becomes INTO/<name>-<UTC time>, and DIR is made again, empty.
set -eu
dir=${1:?usage: set-aside DIR INTO}
into=${2:?usage: set-aside DIR INTO}
mkdir -p "$into"
if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  dest="$into/$(basename "$dir")-$(date -u +%Y%m%dT%H%M%S.%NZ)"
  mv "$dir" "$dest"
  echo "Set $dir aside as $dest ($(find "$dest" -type f | wc -l) files)."
else
  echo "$dir is empty or missing: nothing to set aside."
fi
mkdir -p "$dir"
