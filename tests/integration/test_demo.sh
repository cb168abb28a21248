#!/bin/bash
# The README's demo: heat's regions counted exactly as heat says they are.
source "$(dirname "$0")/lib.sh"

OUT="$TMP/demo.h5" ./scripts/demo.sh 3 200
