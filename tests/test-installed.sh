#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the build into a temporary DESTDIR and runs the Python and GJS
# examples against what was installed only: the library, the typelib, the
# PyGObject override and the GJS override, none of the build or source
# tree.  Run under tests/moto-fixture.py.
# Usage: test-installed.sh BUILDDIR PYTHON PREFIX LIBDIR DATADIR PY_OVERRIDE_DIR
set -euo pipefail

build=$1 python=$2 prefix=$3 libdir=$4 datadir=$5 py_override_dir=$6
examples=$(cd "$(dirname "$0")/../examples" && pwd)

dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null

root=$dest$prefix
[[ $libdir = /* ]] || libdir=$prefix/$libdir
[[ $datadir = /* ]] || datadir=$prefix/$datadir
test -f "$dest$libdir/girepository-1.0/Boto-1.0.typelib"
test -f "$dest$py_override_dir/Boto.py"
test -f "$dest$datadir/gjs-1.0/overrides/Boto.js"

unset GJS_PATH
export GI_TYPELIB_PATH=$dest$libdir/girepository-1.0
export LD_LIBRARY_PATH=$dest$libdir
export PYTHONPATH=$(dirname "$(dirname "$dest$py_override_dir")")
export XDG_DATA_DIRS=$dest$datadir:/usr/share
export PYTHONDONTWRITEBYTECODE=1

# The override and typelib in use are the installed ones.
"$python" - "$dest" <<'PY'
import sys
import gi
gi.require_version("Boto", "1.0")
gi.require_version("GIRepository", "2.0")
from gi.repository import Boto, GIRepository
import gi.overrides.Boto as override
dest = sys.argv[1]
assert override.__file__.startswith(dest), override.__file__
typelib = GIRepository.Repository.get_default().get_typelib_path("Boto")
assert typelib.startswith(dest), typelib
print("installed override:", override.__file__[len(dest):])
PY
gjs -c "imports.gi.versions.Boto = '1.0'; const B = imports.gi.Boto;
if (typeof B.client !== 'function') throw new Error('GJS override not applied');
print('installed GJS override applied')"

for ex in list_buckets.py run_instance.py sqs_send_receive.py paginate_bucket.py upload_download.py; do
  echo "\$ python $ex"
  "$python" "$examples/$ex" installed-py-${ex%%_*}
done
for ex in list-buckets.js run-instance.js sqs-send-receive.js paginate-bucket.js upload-download.js; do
  echo "\$ gjs $ex"
  gjs -m "$examples/$ex" installed-js-${ex%%-*}
done
