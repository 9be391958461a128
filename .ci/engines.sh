# shellcheck shell=bash
# .ci/engines.sh — start throwaway PostgreSQL, MariaDB and Redis servers for
# the integration tests and export the URLs pkg/testenv reads.
#
# Source it (do not execute it):
#
#     . .ci/engines.sh || exit 1     # installs if needed, starts, exports
#     trap engines_stop EXIT         # stop (and delete) them when done
#
# It exports
#
#     DATABRIDGE_TEST_POSTGRES_URL  postgres://databridge:...@127.0.0.1:55432/databridge_test?sslmode=disable
#     DATABRIDGE_TEST_MYSQL_URL     databridge:...@tcp(127.0.0.1:53306)/databridge_test
#     DATABRIDGE_TEST_REDIS_URL     redis://127.0.0.1:56379/0
#
# Every server listens on 127.0.0.1 only, on a non-default port, with its
# data under $DATABRIDGE_ENGINES_DIR (default /tmp/databridge-engines).
# Sourcing twice reuses servers that are already up. Missing Debian packages
# (postgresql, mariadb-server, redis-server) are installed with apt-get.
#
# Knobs (environment, all optional):
#     DATABRIDGE_ENGINES_DIR       where data, sockets and logs live
#     DATABRIDGE_ENGINES_PG_PORT   default 55432
#     DATABRIDGE_ENGINES_MYSQL_PORT default 53306
#     DATABRIDGE_ENGINES_REDIS_PORT default 56379
#     DATABRIDGE_ENGINES_PASSWORD  password of the test users
#     DATABRIDGE_ENGINES_WAIT      seconds to wait for each server (default 60)
#     DATABRIDGE_ENGINES_KEEP_DATA=1  engines_stop keeps the data directory
#     DATABRIDGE_ENGINES_NOSTART=1    only define engines_start/engines_stop
#
# The script never changes the caller's shell options (set -e/-u are fine in
# the caller) and never calls exit; failures return non-zero with a message
# on stderr prefixed "engines:".

_engines_dir=${DATABRIDGE_ENGINES_DIR:-${TMPDIR:-/tmp}/databridge-engines}
_engines_pg_port=${DATABRIDGE_ENGINES_PG_PORT:-55432}
_engines_my_port=${DATABRIDGE_ENGINES_MYSQL_PORT:-53306}
_engines_rd_port=${DATABRIDGE_ENGINES_REDIS_PORT:-56379}
_engines_user=databridge
_engines_db=databridge_test
_engines_pw=${DATABRIDGE_ENGINES_PASSWORD:-databridge-test-pw}
_engines_wait=${DATABRIDGE_ENGINES_WAIT:-60}

_engines_log() { printf 'engines: %s\n' "$*" >&2; }

_engines_is_root() { [ "$(id -u)" = 0 ]; }

# _engines_as USER CMD... runs CMD as USER when we are root, else as ourselves.
_engines_as() {
	local who=$1
	shift
	if _engines_is_root && [ "$who" != root ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$who" -- "$@"
		else
			su -s /bin/sh "$who" -c "$(printf '%q ' "$@")"
		fi
	else
		"$@"
	fi
}

# PostgreSQL binaries live in a versioned directory on Debian.
_engines_pg_bindir() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1) || true
	if [ -n "$d" ] && [ -x "$d/initdb" ]; then
		printf '%s\n' "$d"
		return 0
	fi
	if command -v initdb >/dev/null 2>&1; then
		dirname "$(command -v initdb)"
		return 0
	fi
	return 1
}

_engines_mariadbd() {
	local b
	for b in mariadbd mysqld /usr/sbin/mariadbd /usr/sbin/mysqld; do
		if command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return 0
		fi
	done
	return 1
}

_engines_first_cmd() {
	local b
	for b in "$@"; do
		if command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return 0
		fi
	done
	return 1
}

_engines_install() {
	local pkgs=()
	_engines_pg_bindir >/dev/null || pkgs+=(postgresql)
	{ _engines_mariadbd >/dev/null && _engines_first_cmd mariadb-install-db mysql_install_db >/dev/null; } || pkgs+=(mariadb-server mariadb-client)
	command -v redis-server >/dev/null 2>&1 || pkgs+=(redis-server)
	[ ${#pkgs[@]} -eq 0 ] && return 0

	local sudo=()
	if ! _engines_is_root; then
		if command -v sudo >/dev/null 2>&1; then
			sudo=(sudo -n)
		else
			_engines_log "missing packages (${pkgs[*]}) and not root: install them or run as root"
			return 1
		fi
	fi
	_engines_log "installing ${pkgs[*]} with apt-get"
	# Keep the packages' own services from starting on their default ports.
	local policy=/usr/sbin/policy-rc.d added_policy=
	if [ ! -e "$policy" ]; then
		printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod 755 "$policy" && added_policy=1
	fi
	local rc=0
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || rc=$?
	if [ $rc -eq 0 ]; then
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null || rc=$?
	fi
	[ -n "$added_policy" ] && "${sudo[@]}" rm -f "$policy"
	if [ $rc -ne 0 ]; then
		_engines_log "apt-get install ${pkgs[*]} failed (exit $rc)"
		return 1
	fi
	# The packages may have started servers on the default ports anyway
	# (systemd-less containers without policy-rc.d); they do not disturb ours.
	return 0
}

# _engines_wait_for WHAT CMD... retries CMD once a second, up to the limit.
_engines_wait_for() {
	local what=$1 i=0
	shift
	while [ "$i" -lt "$_engines_wait" ]; do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 1
		i=$((i + 1))
	done
	_engines_log "$what did not accept connections within ${_engines_wait}s"
	return 1
}

# --- PostgreSQL -------------------------------------------------------------

_engines_pg_ready() {
	"$_engines_pgbin/pg_isready" -q -h 127.0.0.1 -p "$_engines_pg_port"
}

_engines_pg_psql() {
	_engines_as postgres "$_engines_pgbin/psql" -X -q -v ON_ERROR_STOP=1 \
		-h "$_engines_dir/pg" -p "$_engines_pg_port" -U postgres -d postgres "$@"
}

_engines_pg_start() {
	_engines_pgbin=$(_engines_pg_bindir) || {
		_engines_log "PostgreSQL binaries not found"
		return 1
	}
	local dir=$_engines_dir/pg
	if ! _engines_pg_ready; then
		mkdir -p "$dir" || return 1
		if _engines_is_root; then
			chown postgres:postgres "$dir" || return 1
		fi
		chmod 700 "$dir"
		if ! _engines_as postgres test -w "$dir"; then
			_engines_log "the postgres user cannot write $dir (set DATABRIDGE_ENGINES_DIR to a directory it can reach)"
			return 1
		fi
		if [ ! -s "$dir/data/PG_VERSION" ]; then
			_engines_log "initialising PostgreSQL in $dir/data"
			if ! _engines_as postgres "$_engines_pgbin/initdb" -D "$dir/data" -U postgres \
				--auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
				_engines_log "initdb failed; see $dir/initdb.log:"
				tail -n 20 "$dir/initdb.log" >&2
				return 1
			fi
		fi
		_engines_log "starting PostgreSQL on 127.0.0.1:$_engines_pg_port"
		if ! _engines_as postgres "$_engines_pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
			-w -t "$_engines_wait" \
			-o "-c listen_addresses=127.0.0.1 -p $_engines_pg_port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			start >/dev/null; then
			_engines_log "PostgreSQL did not start; last lines of $dir/server.log:"
			tail -n 20 "$dir/server.log" >&2
			return 1
		fi
	else
		_engines_log "reusing PostgreSQL on 127.0.0.1:$_engines_pg_port"
	fi
	_engines_wait_for "PostgreSQL on 127.0.0.1:$_engines_pg_port" _engines_pg_ready || return 1
	if [ ! -S "$dir/.s.PGSQL.$_engines_pg_port" ]; then
		_engines_log "a server on port $_engines_pg_port is not ours (no socket in $dir); free the port or set DATABRIDGE_ENGINES_PG_PORT"
		return 1
	fi
	# Role and database, idempotently. The password is passed as a psql
	# variable so it is quoted by psql, never spliced into SQL by hand.
	_engines_pg_psql -v "u=$_engines_user" -v "pw=$_engines_pw" -v "db=$_engines_db" <<'SQL' || {
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') AS need_role \gset
\if :need_role
CREATE ROLE :"u" LOGIN;
\endif
ALTER ROLE :"u" WITH LOGIN PASSWORD :'pw';
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') AS need_db \gset
\if :need_db
CREATE DATABASE :"db" OWNER :"u";
\endif
SQL
		_engines_log "could not create the PostgreSQL test role/database"
		return 1
	}
	export DATABRIDGE_TEST_POSTGRES_URL="postgres://$_engines_user:$(_engines_urlenc "$_engines_pw")@127.0.0.1:$_engines_pg_port/$_engines_db?sslmode=disable"
}

_engines_pg_stop() {
	local dir=$_engines_dir/pg bin
	bin=$(_engines_pg_bindir) || return 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		_engines_as postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
			_engines_log "pg_ctl stop failed (see $dir/server.log)"
	fi
}

# --- MariaDB ----------------------------------------------------------------

_engines_my_sock() { printf '%s\n' "$_engines_dir/mysql/mysqld.sock"; }

_engines_my_admin() {
	local admin
	admin=$(_engines_first_cmd mariadb-admin mysqladmin) || return 1
	"$admin" --no-defaults --protocol=socket --socket="$(_engines_my_sock)" -uroot "$@"
}

_engines_my_client() {
	local cli
	cli=$(_engines_first_cmd mariadb mysql) || return 1
	"$cli" --no-defaults --protocol=socket --socket="$(_engines_my_sock)" -uroot "$@"
}

_engines_my_ready() { _engines_my_admin --connect-timeout=2 ping >/dev/null 2>&1; }

_engines_my_start() {
	local dir=$_engines_dir/mysql mysqld installdb runas=()
	mysqld=$(_engines_mariadbd) || {
		_engines_log "mariadbd not found"
		return 1
	}
	installdb=$(_engines_first_cmd mariadb-install-db mysql_install_db) || {
		_engines_log "mariadb-install-db not found"
		return 1
	}
	if _engines_is_root; then
		runas=(--user=mysql)
	fi
	if ! _engines_my_ready; then
		mkdir -p "$dir" || return 1
		if _engines_is_root; then
			chown mysql:mysql "$dir" || return 1
		fi
		if [ ! -d "$dir/data/mysql" ]; then
			_engines_log "initialising MariaDB in $dir/data"
			rm -rf "$dir/data"
			if ! "$installdb" --no-defaults "${runas[@]}" --datadir="$dir/data" \
				--auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
				>"$dir/install.log" 2>&1; then
				_engines_log "mariadb-install-db failed; see $dir/install.log:"
				tail -n 20 "$dir/install.log" >&2
				return 1
			fi
		fi
		_engines_log "starting MariaDB on 127.0.0.1:$_engines_my_port"
		# setsid + nohup: the server outlives this shell's job control.
		setsid nohup "$mysqld" --no-defaults "${runas[@]}" --datadir="$dir/data" \
			--skip-networking=0 --bind-address=127.0.0.1 --port="$_engines_my_port" \
			--socket="$(_engines_my_sock)" --pid-file="$dir/mysqld.pid" \
			--log-error="$dir/server.log" --skip-name-resolve \
			--innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
			--innodb-flush-log-at-trx-commit=0 --character-set-server=utf8mb4 \
			--collation-server=utf8mb4_general_ci \
			>/dev/null 2>&1 </dev/null &
		local pid=$! i=0
		disown 2>/dev/null || true
		until _engines_my_ready; do
			if ! kill -0 "$pid" 2>/dev/null; then
				_engines_log "mariadbd exited during start-up (port $_engines_my_port taken?); last lines of $dir/server.log:"
				tail -n 20 "$dir/server.log" >&2
				return 1
			fi
			if [ "$i" -ge "$_engines_wait" ]; then
				_engines_log "MariaDB on 127.0.0.1:$_engines_my_port did not accept connections within ${_engines_wait}s; last lines of $dir/server.log:"
				tail -n 20 "$dir/server.log" >&2
				return 1
			fi
			sleep 1
			i=$((i + 1))
		done
	else
		_engines_log "reusing MariaDB on 127.0.0.1:$_engines_my_port"
	fi
	# Users for both TCP ('%') and socket ('localhost'); the tests create
	# and drop databases of their own, so the user may create any database.
	local q="'${_engines_pw//\'/\'\'}'"
	if ! _engines_my_client <<SQL; then
CREATE DATABASE IF NOT EXISTS \`$_engines_db\`;
CREATE USER IF NOT EXISTS '$_engines_user'@'%' IDENTIFIED BY $q;
CREATE USER IF NOT EXISTS '$_engines_user'@'localhost' IDENTIFIED BY $q;
ALTER USER '$_engines_user'@'%' IDENTIFIED BY $q;
ALTER USER '$_engines_user'@'localhost' IDENTIFIED BY $q;
GRANT ALL PRIVILEGES ON *.* TO '$_engines_user'@'%';
GRANT ALL PRIVILEGES ON *.* TO '$_engines_user'@'localhost';
FLUSH PRIVILEGES;
SQL
		_engines_log "could not create the MariaDB test user/database"
		return 1
	fi
	export DATABRIDGE_TEST_MYSQL_URL="$_engines_user:$_engines_pw@tcp(127.0.0.1:$_engines_my_port)/$_engines_db"
}

_engines_my_stop() {
	local dir=$_engines_dir/mysql pid= i
	# Read the pid first: the server removes its pid file as it shuts down.
	if [ -f "$dir/mysqld.pid" ]; then
		pid=$(cat "$dir/mysqld.pid" 2>/dev/null) || pid=
	fi
	if _engines_my_ready; then
		_engines_my_admin shutdown >/dev/null 2>&1 || true
	fi
	[ -n "$pid" ] || return 0
	for i in $(seq 1 30); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 1
	done
	_engines_log "mariadbd (pid $pid) did not stop in 30s; sending SIGTERM"
	kill "$pid" 2>/dev/null || true
	return 0
}

# --- Redis ------------------------------------------------------------------

_engines_rd_cli() { redis-cli -h 127.0.0.1 -p "$_engines_rd_port" "$@"; }

_engines_rd_ready() { [ "$(_engines_rd_cli ping 2>/dev/null)" = PONG ]; }

_engines_rd_start() {
	local dir=$_engines_dir/redis
	command -v redis-server >/dev/null 2>&1 || {
		_engines_log "redis-server not found"
		return 1
	}
	if ! _engines_rd_ready; then
		mkdir -p "$dir" || return 1
		_engines_log "starting Redis on 127.0.0.1:$_engines_rd_port"
		if ! redis-server --bind 127.0.0.1 --port "$_engines_rd_port" --daemonize yes \
			--dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/server.log" \
			--save '' --appendonly no >/dev/null 2>&1; then
			_engines_log "redis-server failed to start; see $dir/server.log"
			return 1
		fi
		if ! _engines_wait_for "Redis on 127.0.0.1:$_engines_rd_port" _engines_rd_ready; then
			tail -n 20 "$dir/server.log" >&2
			return 1
		fi
	else
		_engines_log "reusing Redis on 127.0.0.1:$_engines_rd_port"
	fi
	# A password-protected ACL user for tests of authenticated connections
	# (redis://databridge:<password>@host:port/0); the default user stays
	# open so DATABRIDGE_TEST_REDIS_URL needs no credentials.
	if _engines_rd_cli ACL WHOAMI >/dev/null 2>&1; then
		_engines_rd_cli ACL SETUSER "$_engines_user" reset on ">$_engines_pw" '~*' '&*' +@all >/dev/null || {
			_engines_log "could not create the Redis ACL user"
			return 1
		}
	fi
	export DATABRIDGE_TEST_REDIS_URL="redis://127.0.0.1:$_engines_rd_port/0"
}

_engines_rd_stop() {
	if _engines_rd_ready; then
		_engines_rd_cli shutdown nosave >/dev/null 2>&1 || true
	fi
}

# --- helpers and entry points -------------------------------------------------

# Percent-encode a URL userinfo component.
_engines_urlenc() {
	local LC_ALL=C s=$1 out= c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[a-zA-Z0-9._~-]) out+=$c ;;
		*) out+=$(printf '%%%02X' "'$c") ;;
		esac
	done
	printf '%s' "$out"
}

# engines_start installs what is missing, starts (or reuses) the three
# servers and exports their URLs.
engines_start() {
	mkdir -p "$_engines_dir" || return 1
	chmod 755 "$_engines_dir" 2>/dev/null || true
	_engines_install || return 1
	_engines_pg_start || return 1
	_engines_my_start || return 1
	_engines_rd_start || return 1
	_engines_log "ready: postgres :$_engines_pg_port, mariadb :$_engines_my_port, redis :$_engines_rd_port (data in $_engines_dir)"
}

# engines_stop stops the servers started by engines_start, unsets the URLs
# and deletes the data directory (unless DATABRIDGE_ENGINES_KEEP_DATA=1).
engines_stop() {
	_engines_pg_stop
	_engines_my_stop
	_engines_rd_stop
	unset DATABRIDGE_TEST_POSTGRES_URL DATABRIDGE_TEST_MYSQL_URL DATABRIDGE_TEST_REDIS_URL
	if [ "${DATABRIDGE_ENGINES_KEEP_DATA:-}" != 1 ] && [ -d "$_engines_dir" ]; then
		rm -rf "$_engines_dir"
	fi
	_engines_log "stopped"
	return 0
}

if [ "${DATABRIDGE_ENGINES_NOSTART:-}" != 1 ]; then
	engines_start
fi
