# Concurrency set, but the trigger is created without any new permission: it is refused.
. "$(dirname "$0")/common.sh"
concurrency
if trigger 2> refused.txt; then echo "the trigger should have been refused"; exit 1; fi
grep -q InvalidParameterValueException refused.txt
rm -f refused.txt
