#!/bin/sh
exec ipcbox run --leak-report="$TEST_UNDECLARED_OUTPUTS_DIR/" -- "$@"
