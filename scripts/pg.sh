# Source this file: pg_start creates a throwaway PostgreSQL cluster on 127.0.0.1 and exports DATABASE_URL;
# pg_stop removes it. fsync is off: the cluster lives for one test run only.
pg_start() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  PGTMP=$(mktemp -d /tmp/sigap-pg.XXXXXX)
  PGPORT=${SIGAP_TEST_PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PGTMP"
    as=(runuser -u postgres --)  # initdb refuses to run as root
  fi
  chmod 700 "$PGTMP"
  "${as[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -t 60 -o \
    "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres sigap
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/sigap"
  PG_AS=("${as[@]}")
}

pg_stop() {
  if [ -n "${PGTMP:-}" ] && [ -d "$PGTMP" ]; then
    "${PG_AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGTMP"
    PGTMP=
  fi
}
