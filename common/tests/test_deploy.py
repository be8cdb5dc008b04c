"""The systemd units in deploy/ are valid, checked by systemd-analyze where it exists."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_the_systemd_units_verify(tmp_path):
    # The units name /srv/pikassos; here it is this checkout with this interpreter's venv.
    root = tmp_path / "srv"
    for folder in ("media", "backups"):
        (root / folder).mkdir(parents=True)
    units = []
    for unit in sorted(DEPLOY.glob("*.service")):
        text = unit.read_text().replace("/srv/pikassos/.venv", sys.prefix)
        target = tmp_path / unit.name
        target.write_text(text.replace("/srv/pikassos", str(root)))
        units.append(str(target))
    assert len(units) == 2
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "pikassos" not in result.stderr.lower(), result.stderr
