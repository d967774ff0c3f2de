"""Tell whether the requirement files are satisfied by the running Python.

Usage: python bin/_reqcheck.py [--exclude NAME]... [--write-filtered PATH]
           [--pin-installed-from REQFILE --write-constraints PATH] FILE...

Prints each unsatisfied requirement and exits 1 if any; exits 0 when all are
installed at an accepted version. Nothing is installed or imported from the
project. With --write-filtered, the requirements (minus the excluded names)
are also written to PATH, ready for `pip install -r PATH`. With
--pin-installed-from (Odoo's own requirements.txt), a pip constraints file is
written that holds every one of those packages at its installed version, so
that installing the addon's requirements can never move one of Odoo's pins.
Uses only the standard library plus `packaging` (or the copy vendored in pip).
"""
import re
import sys
from importlib import metadata

try:
    from packaging.requirements import Requirement
except ImportError:  # pragma: no cover - depends on the interpreter
    from pip._vendor.packaging.requirements import Requirement


def canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lines(path):
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith(("-r ", "--requirement ")):
                yield from read_lines(line.split(None, 1)[1])
                continue
            if line.startswith("-"):
                continue  # pip options (-e, --index-url...) are not checked
            yield line


def main(argv):
    exclude, files, filtered = set(), [], None
    pin_from, constraints = None, None
    it = iter(argv)
    for arg in it:
        if arg == "--exclude":
            exclude.add(canon(next(it)))
        elif arg == "--write-filtered":
            filtered = next(it)
        elif arg == "--pin-installed-from":
            pin_from = next(it)
        elif arg == "--write-constraints":
            constraints = next(it)
        else:
            files.append(arg)
    missing, kept = [], []
    for path in files:
        for line in read_lines(path):
            req = Requirement(line)
            if canon(req.name) in exclude:
                continue
            kept.append(line)
            if req.marker is not None and not req.marker.evaluate():
                continue
            try:
                version = metadata.version(req.name)
            except metadata.PackageNotFoundError:
                missing.append("%s (not installed)" % line)
                continue
            if req.specifier and not req.specifier.contains(version, prereleases=True):
                missing.append("%s (found %s)" % (line, version))
    if filtered:
        with open(filtered, "w", encoding="utf-8") as fh:
            fh.write("\n".join(kept) + "\n")
    if constraints:
        pins = {}
        if pin_from:
            for line in read_lines(pin_from):
                try:
                    name = Requirement(line).name
                except Exception:
                    continue
                try:
                    pins[canon(name)] = "%s==%s" % (name, metadata.version(name))
                except metadata.PackageNotFoundError:
                    pass
        with open(constraints, "w", encoding="utf-8") as fh:
            fh.write("\n".join(sorted(pins.values())) + "\n")
    for item in missing:
        print(item)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
