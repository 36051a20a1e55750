# Private PostgreSQL and Redis instances for the provider and multi-node tests. Source this file, then:
#   test_services_start   # initdb + postgres and redis-server on free loopback ports in a temp folder; exports
#                         # MODELWATCH_TEST_POSTGRES (an Npgsql connection string of a superuser) and MODELWATCH_TEST_REDIS
#   test_services_stop    # stops both and removes the folder (test.sh calls it from its EXIT trap)
# Needs Debian's postgresql and redis-server packages (test.sh installs them). As root, postgres runs as the postgres user.

test_services_dir=""

# The newest installed PostgreSQL's bin folder (Debian keeps initdb and pg_ctl out of PATH, in /usr/lib/postgresql/N/bin).
_pg_bin() {
  local found
  found=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -1)
  [[ -z "$found" ]] && found=$(command -v initdb 2>/dev/null || true)
  if [[ -n "$found" ]]; then dirname "$(readlink -f "$found")"; fi
}

# A loopback port nobody answers on (the start is retried on another port if a race takes it).
_free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# The account that owns the PostgreSQL files when running as root (postgres refuses to run as root): Debian's package
# creates 'postgres'; a PostgreSQL installed another way gets a system user of our own.
_pg_user=postgres
_as_pg() {
  # From /: the repository may sit in a folder that account cannot enter (e.g. /root).
  if [[ $(id -u) -eq 0 ]]; then (cd / && runuser -u "$_pg_user" -- "$@"); else "$@"; fi
}

test_services_start() {
  local bin port attempt
  bin=$(_pg_bin)
  if [[ -z "$bin" ]]; then echo "test-services: PostgreSQL is not installed (apt-get install postgresql)" >&2; return 1; fi
  if ! command -v redis-server >/dev/null 2>&1; then echo "test-services: redis-server is not installed (apt-get install redis-server)" >&2; return 1; fi

  test_services_dir=$(mktemp -d /tmp/modelwatch-services.XXXXXX)
  chmod 711 "$test_services_dir"
  mkdir -p "$test_services_dir/pg" "$test_services_dir/redis"
  if [[ $(id -u) -eq 0 ]]; then
    if ! id "$_pg_user" >/dev/null 2>&1; then
      _pg_user=modelwatch-pg
      id "$_pg_user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$_pg_user"
    fi
    chown "$_pg_user" "$test_services_dir/pg"
  fi
  _as_pg "$bin/initdb" -D "$test_services_dir/pg/data" -U modelwatch --auth=trust --encoding=UTF8 --locale=C --no-sync >"$test_services_dir/pg/initdb.log" 2>&1 \
    || { cat "$test_services_dir/pg/initdb.log" >&2; return 1; }

  # Durability is off: these databases live for one test run. Sockets only on TCP loopback.
  for attempt in 1 2 3 4 5; do
    port=$(_free_port)
    if _as_pg "$bin/pg_ctl" -D "$test_services_dir/pg/data" -l "$test_services_dir/pg/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null; then
      export MODELWATCH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=modelwatch;Database=postgres"
      break
    fi
  done
  if [[ -z "${MODELWATCH_TEST_POSTGRES:-}" ]]; then cat "$test_services_dir/pg/server.log" >&2; return 1; fi

  for attempt in 1 2 3 4 5; do
    port=$(_free_port)
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize yes \
      --dir "$test_services_dir/redis" --pidfile "$test_services_dir/redis/redis.pid" --logfile "$test_services_dir/redis/redis.log" || true
    for _ in $(seq 50); do
      [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]] && break
      sleep 0.1
    done
    if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" == PONG ]]; then
      export MODELWATCH_TEST_REDIS="127.0.0.1:$port"
      break
    fi
  done
  if [[ -z "${MODELWATCH_TEST_REDIS:-}" ]]; then cat "$test_services_dir/redis/redis.log" >&2; return 1; fi
  echo "test-services: PostgreSQL ($MODELWATCH_TEST_POSTGRES) and Redis ($MODELWATCH_TEST_REDIS) in $test_services_dir"
}

test_services_stop() {
  [[ -z "$test_services_dir" || ! -d "$test_services_dir" ]] && return 0
  local bin
  bin=$(_pg_bin)
  if [[ -f "$test_services_dir/pg/data/postmaster.pid" ]]; then
    _as_pg "$bin/pg_ctl" -D "$test_services_dir/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [[ -f "$test_services_dir/redis/redis.pid" ]]; then
    local pid
    pid=$(cat "$test_services_dir/redis/redis.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$test_services_dir"
  test_services_dir=""
  unset MODELWATCH_TEST_POSTGRES MODELWATCH_TEST_REDIS
}
