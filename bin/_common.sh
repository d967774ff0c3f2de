# Shared helpers for bin/run and bin/test. Sourced, not executed.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd -P)"
RUN_DIR="$ROOT/.run"
MODULE=xero_connector
ADDONS_LINK_DIR="$RUN_DIR/addons"

say()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die()  { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
now()  { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- Odoo ------
# find_odoo: sets ODOO_PY, ODOO_SRC, ODOO_BIN (array), ODOO_CORE_ADDONS, ODOO_VERSION.
# Returns 1 and sets ODOO_MISSING_WHY when no Odoo 18 is found. Never installs Odoo.
find_odoo() {
    local py="${ODOO_PYTHON:-/opt/odoo18/venv/bin/python}" out
    ODOO_MISSING_WHY=""
    if [ -n "${ODOO_PYTHON:-}" ] && ! command -v "$py" >/dev/null 2>&1; then
        ODOO_MISSING_WHY="ODOO_PYTHON=$ODOO_PYTHON is not an executable"; return 1
    fi
    if ! command -v "$py" >/dev/null 2>&1; then
        ODOO_MISSING_WHY="no ODOO_PYTHON set and $py does not exist"; return 1
    fi
    if ! out="$("$py" - <<'EOF' 2>&1
import os, odoo.release as r
print(r.version_info[0], r.version, os.path.dirname(os.path.dirname(os.path.abspath(r.__file__))))
EOF
)"; then
        ODOO_MISSING_WHY="$py cannot import odoo.release: $(printf '%s' "$out" | tail -n 1)"; return 1
    fi
    local major version src
    read -r major version src <<<"$(printf '%s' "$out" | tail -n 1)"
    if [ "$major" != 18 ]; then
        ODOO_MISSING_WHY="$py has Odoo $version, not Odoo 18"; return 1
    fi
    ODOO_PY="$py"; ODOO_SRC="$src"; ODOO_VERSION="$version"
    if [ -f "$src/odoo-bin" ]; then
        ODOO_BIN=("$py" "$src/odoo-bin")           # no run bit in a source tree: use the interpreter
    else
        ODOO_BIN=(env TZ=UTC "$py" -m odoo)        # odoo-bin sets TZ=UTC itself
    fi
    if [ -n "${ODOO_ADDONS_PATH:-}" ]; then
        ODOO_CORE_ADDONS="$ODOO_ADDONS_PATH"
    elif [ -d "$src/addons" ]; then
        ODOO_CORE_ADDONS="$src/addons,$src/odoo/addons"
    else
        ODOO_CORE_ADDONS="$src/odoo/addons"
    fi
    return 0
}

# Odoo finds a module by its folder name; the clone may be called anything.
make_addons_link() {
    mkdir -p "$ADDONS_LINK_DIR"
    ln -sfn "$ROOT" "$ADDONS_LINK_DIR/$MODULE"
    ADDON_DIR="$ADDONS_LINK_DIR/$MODULE"
}

# ensure_requirements PYTHON [--exclude NAME]... -- FILE...
# Installs with pip only when _reqcheck says something is missing or too old.
ensure_requirements() {
    local py="$1"; shift
    local opts=() files=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do opts+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    local f; for f in "$@"; do [ -f "$f" ] && files+=("$f"); done
    [ ${#files[@]} -eq 0 ] && return 0
    local filtered missing
    filtered="$(mktemp)"
    if missing="$("$py" "$ROOT/bin/_reqcheck.py" "${opts[@]}" --write-filtered "$filtered" "${files[@]}")"; then
        rm -f "$filtered"; return 0
    fi
    say "Installing missing Python requirements into $py:"
    printf '      %s\n' "$missing" >&2
    # In Odoo's Python, hold Odoo's own requirements at their installed versions.
    local constraints; constraints="$(mktemp)"
    if [ "$py" = "${ODOO_PY:-}" ] && [ -f "${ODOO_SRC:-}/requirements.txt" ]; then
        "$py" "$ROOT/bin/_reqcheck.py" --pin-installed-from "$ODOO_SRC/requirements.txt" \
            --write-constraints "$constraints" >/dev/null 2>&1 || : >"$constraints"
    fi
    local t0; t0="$(now)"
    if ! "$py" -m pip install --disable-pip-version-check -q -r "$filtered" -c "$constraints" >&2; then
        rm -f "$filtered" "$constraints"
        die "pip install failed for: ${files[*]} (Odoo's own packages are held at their installed versions)"
    fi
    rm -f "$filtered" "$constraints"
    "$py" "$ROOT/bin/_reqcheck.py" "${opts[@]}" "${files[@]}" >&2 \
        || die "requirements still unsatisfied after pip install"
    say "requirements installed in $(since "$t0") s"
}

# ---------------------------------------------------------- PostgreSQL -----
# find_pg: sets PG_BINDIR (initdb, pg_ctl, psql, createdb, dropdb). Installs the
# Debian server package when missing (root + apt-get only, unless XERO_NO_APT=1).
find_pg() {
    local d
    for d in "${PG_BIN:-}" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr) \
             "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")"; do
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            PG_BINDIR="$d"; return 0
        fi
    done
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "${XERO_NO_APT:-0}" != 1 ]; then
        say "PostgreSQL server binaries not found: installing Debian's postgresql package"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 \
            && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
            || { PG_MISSING_WHY="apt-get install postgresql failed"; return 1; }
        for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
            [ -x "$d/initdb" ] && { PG_BINDIR="$d"; return 0; }
        done
    fi
    PG_MISSING_WHY="no PostgreSQL server binaries (initdb, pg_ctl, postgres); set PG_BIN"
    return 1
}

# Run a command as the OS user that owns the clusters: `postgres` when we are
# root (PostgreSQL refuses to run as root), else the current user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_own() {  # give a directory to the cluster owner
    [ "$(id -u)" = 0 ] && chown -R postgres: "$@"
    return 0
}

# A unix socket path is limited to 107 bytes: use DIR if short enough, else a
# private folder under /tmp derived from DIR.
socket_dir_for() {
    local want="$1" port="$2"
    if [ $(( ${#want} + 14 + ${#port} )) -lt 100 ]; then
        printf '%s' "$want"
    else
        printf '/tmp/xero-pg-%s' "$(printf '%s' "$want" | md5sum | cut -c1-12)"
    fi
}

# pg_init DATADIR SUPERUSER: initdb, trust auth (socket only, no TCP: see pg_start).
pg_init() {
    local data="$1" user="$2"
    mkdir -p "$data"; pg_own "$data"; chmod 700 "$data"
    as_pg "$PG_BINDIR/initdb" -D "$data" -A trust -U "$user" -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null \
        || as_pg "$PG_BINDIR/initdb" -D "$data" -A trust -U "$user" -E UTF8 --locale=C --no-sync >/dev/null
}

# pg_start DATADIR SOCKDIR PORT LOGFILE [extra postgres -c options]
# setsid: a Ctrl-C in the terminal must not reach the postmaster (a fast shutdown
# under Odoo's feet); our traps stop it in order instead.
pg_start() {
    local data="$1" sock="$2" port="$3" logf="$4"; shift 4
    mkdir -p "$sock"; pg_own "$sock"
    touch "$logf"; pg_own "$logf"
    as_pg setsid "$PG_BINDIR/pg_ctl" -D "$data" -l "$logf" -w -t 60 \
        -o "-p $port -k $sock -c listen_addresses='' $*" start >/dev/null
}

pg_stop() {
    local data="$1"
    [ -f "$data/postmaster.pid" ] || return 0
    as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 \
        || as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
}

pg_running() { as_pg "$PG_BINDIR/pg_ctl" -D "$1" status >/dev/null 2>&1; }

# psql_q SOCK PORT USER DB SQL: one value, tuples only
psql_q() {
    "$PG_BINDIR/psql" -X -q -h "$1" -p "$2" -U "$3" -d "$4" -tAc "$5"
}

# ------------------------------------------------------------ config -------
# write_odoo_conf FILE DB SOCK PORT USER DATA_DIR HTTP_PORT [key=value]...
write_odoo_conf() {
    local file="$1" db="$2" sock="$3" port="$4" user="$5" data="$6" http="$7"; shift 7
    {
        echo "; written by bin/$(basename "$0"); rewritten on each run"
        echo "[options]"
        echo "addons_path = $ADDONS_LINK_DIR,$ODOO_CORE_ADDONS"
        echo "data_dir = $data"
        echo "db_host = $sock"
        echo "db_port = $port"
        echo "db_user = $user"
        echo "db_name = $db"
        echo "dbfilter = ^$db\$"
        echo "list_db = False"
        echo "http_port = $http"
        local kv; for kv in "$@"; do echo "${kv%%=*} = ${kv#*=}"; done
    } >"$file"
}

# Lines of an Odoo log that make an install/uninstall fail.
odoo_log_problems() {  # FILE PATTERN
    grep -E "$2" "$1" || true
}
