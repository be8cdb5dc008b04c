"""`make bench`: seed (or reuse) a benchmark database, serve it with gunicorn as in
production, load every main page with wrk and write benchmarks/results.{md,json}."""

import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo import access_log_volume, bench_pages, regional_volume, volume
from demo.bench_pages import LIGHT, LIST, OTHER, ROLES, TARGETS
from guardianship.models import Guardian, GuardianshipRequest
from projects.models import NewsItem

ROOT = Path(settings.BASE_DIR)
OUT = ROOT / "benchmarks"


class Command(BaseCommand):
    help = "Benchmark the main pages under load (see README, Performance)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100_000)
        parser.add_argument("--guardians", type=int, default=2_000)
        parser.add_argument("--duration", type=int, default=10, help="Seconds per page.")
        parser.add_argument("--connections", type=int, default=20)
        parser.add_argument("--port", type=int, default=8199)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="gunicorn workers (default: gunicorn.conf.py's, as in production).",
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="gunicorn threads per worker."
        )
        parser.add_argument(
            "--pages",
            default="",
            help="Comma-separated page names to measure (e.g. queue,guardian_pool); "
            "a partial run prints its numbers but leaves the results files alone.",
        )
        parser.add_argument(
            "--access-log-years",
            type=float,
            default=12,
            help="Fill the access log for this many years at the modelled rate (months "
            "filled by an earlier run are kept) and measure it (issue 18); 0 skips it.",
        )
        parser.add_argument(
            "--access-log-only",
            action="store_true",
            help="Only seed and measure the access log; print its numbers, write no files.",
        )

    def handle(self, *args, **opts):
        if opts["access_log_only"]:
            self.seed(opts["requests"], opts["guardians"])
            self.measure_access_log(opts["access_log_years"])
            return
        wrk = shutil.which("wrk")
        if wrk is None:
            raise CommandError("wrk is not installed: apt-get install wrk (make bench does it).")
        self.seed(opts["requests"], opts["guardians"])
        self.check_cache()
        # Before the pages: the pages then run on a log of the modelled size.
        access_log = (
            self.measure_access_log(opts["access_log_years"]) if opts["access_log_years"] else None
        )
        env = self.production_env()
        # The sessions are signed with the key the servers use.
        with override_settings(SECRET_KEY=env["SECRET_KEY"]):
            cookies = {role: self.session_for(username) for role, username in ROLES.items()}
            pages = self.pages()
            if opts["pages"]:
                wanted = set(opts["pages"].split(","))
                unknown = wanted - {p["name"] for p in pages}
                if unknown:
                    raise CommandError(f"Unknown pages: {', '.join(sorted(unknown))}")
                pages = [p for p in pages if p["name"] in wanted]
            queries = {p["name"]: self.count_queries(p, cookies) for p in pages}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        # gunicorn.conf.py (read from ROOT) sets the workers and threads, as in production.
        tuning = gunicorn_tuning()
        for option in ("workers", "threads"):
            if opts[option]:
                tuning[option] = opts[option]
        opts.update(tuning)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "pikassos_portal.wsgi",
                "--workers",
                str(opts["workers"]),
                "--threads",
                str(opts["threads"]),
                "--bind",
                f"127.0.0.1:{opts['port']}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{opts['port']}"
            self.wait_until_up(base)
            results = []
            for page in pages:
                self.check_status(base, page, cookies)
                self.run_wrk(wrk, base, page, cookies, 2, opts["connections"])  # warm-up
                measured = self.run_wrk(
                    wrk, base, page, cookies, opts["duration"], opts["connections"]
                )
                measured.update(
                    page=page["name"],
                    role=page["role"],
                    path=page["path"],
                    kind=page["kind"],
                    queries=queries[page["name"]],
                )
                results.append(measured)
                self.stdout.write(
                    f"{page['name']:<28} {measured['rps']:>8.1f} req/s  "
                    f"p50 {measured['p50_ms']:>6.1f} ms  p95 {measured['p95_ms']:>6.1f} ms  "
                    f"{measured['queries']} queries  errors {measured['errors']}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
        if not opts["pages"]:
            self.write(results, opts, access_log)

    # -- data -------------------------------------------------------------------------
    def seed(self, requests, guardians):
        call_command("seed_demo", force=True, stdout=self.stdout)
        have = GuardianshipRequest.objects.count()
        have_guardians = Guardian.objects.count()
        bench_pages.bench_users()
        if have >= requests and have_guardians >= guardians:
            self.stdout.write(f"Reusing {have} requests and {have_guardians} guardians.")
            if not NewsItem.objects.exists():  # a database seeded before issue 18
                regional_volume.seed(requests)
        else:
            self.stdout.write(f"Seeding {requests - have} requests...")
            started = time.monotonic()
            volume.seed(max(0, requests - have), max(0, guardians - have_guardians))
            # The other apps' lists in proportion (events, news, trainings, support, questions).
            regional_volume.seed(requests)
            self.stdout.write(f"Seeded in {time.monotonic() - started:.0f} s.")
        # Every page is measured on statistics as fresh as autovacuum keeps them.
        stale = volume.analyze_stale()
        if stale:
            self.stdout.write(f"Analyzed {len(stale)} tables changed since their statistics.")

    def measure_access_log(self, years):
        """Fill the log for `years` at the modelled rate and measure it (issue 18)."""
        self.stdout.write(f"Filling the access log for {years:g} years...")
        started = time.monotonic()
        written = access_log_volume.seed(
            years, progress=lambda month, n: self.stdout.write(f"  {month:%Y-%m}: {n} rows")
        )
        self.stdout.write(f"Wrote {written} log rows in {time.monotonic() - started:.0f} s.")
        measured = access_log_volume.measure(years)
        for line in access_log_volume.report_lines(measured):
            self.stdout.write(line)
        return measured

    def session_for(self, username):
        """A logged-in, second-factor-verified session, as after a real login."""
        user = get_user_model().objects.get(username=username)
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "accounts.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session["pikassos_login_at"] = time.time() + 3600
        session["pikassos_seen_at"] = time.time() + 3600
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def pages(self):
        """Every main page of every role (demo.bench_pages), with its path on this data."""
        return [
            {"name": p.name, "role": p.role, "path": p.path(), "kind": p.kind}
            for p in bench_pages.PAGES
        ]

    def count_queries(self, page, cookies):
        client = Client()
        if page["role"] != "anonymous":
            name, value = cookies[page["role"]].split("=", 1)
            client.cookies[name] = value
        client.get(page["path"])  # as under load: the session and user are in the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        if response.status_code != 200:
            raise CommandError(f"{page['path']} answered {response.status_code} for {page['role']}")
        return len(captured)

    # -- load -------------------------------------------------------------------------
    def production_env(self):
        env = dict(os.environ)
        env.update(
            DEBUG="False",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="False",
            LOG_LEVEL="WARNING",
        )
        if not os.environ.get("DATABASE_URL"):
            env.pop("DATABASE_URL", None)
        return env

    def check_cache(self):
        """The shared cache answers (make bench serves with the machine's Redis, as
        production does), or the run stops before any page is measured."""
        try:
            cache.set("bench:ping", 1, 10)
        except Exception as error:  # redis-py's ConnectionError and kin
            raise CommandError(
                f"The cache of CACHE_URL does not answer ({error}): start Redis, or run "
                "with CACHE_URL=locmemcache:// to measure without the shared cache."
            ) from error

    def wait_until_up(self, base):
        for _ in range(120):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:  # refused while booting, or slow on a busy machine
                time.sleep(0.5)
        raise CommandError("gunicorn did not answer /healthz within a minute.")

    def check_status(self, base, page, cookies):
        request = urllib.request.Request(base + page["path"])
        if page["role"] != "anonymous":
            request.add_header("Cookie", cookies[page["role"]])
        opener = urllib.request.build_opener(NoRedirect)
        try:
            status = opener.open(request, timeout=30).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise CommandError(
                f"{page['path']} answered {status} for {page['role']} under gunicorn"
            )

    def run_wrk(self, wrk, base, page, cookies, duration, connections):
        command = [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(Path(__file__).resolve().parents[2] / "wrk_report.lua"),
        ]
        if page["role"] != "anonymous":
            command += ["-H", f"Cookie: {cookies[page['role']]}"]
        output = subprocess.run(
            [*command, base + page["path"]],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 60,
        ).stdout
        data = json.loads(output.strip().splitlines()[-1])
        seconds = data["duration_us"] / 1e6
        errors = sum(v for k, v in data.items() if k.startswith("errors_"))
        return {
            "rps": data["requests"] / seconds,
            "p50_ms": data["p50_us"] / 1000,
            "p95_ms": data["p95_us"] / 1000,
            "errors": errors,
        }

    # -- report -----------------------------------------------------------------------
    def write(self, results, opts, access_log=None):
        by_page = {r["page"]: r for r in results}
        baseline = by_page["baseline"]["rps"]
        signed_in = by_page["baseline_signed_in"]["rps"]
        for r in results:
            r["ratio_to_baseline"] = r["rps"] / baseline if baseline else 0.0
            r["ratio_to_signed_in_baseline"] = r["rps"] / signed_in if signed_in else 0.0
        machine = {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgres": connection.cursor().connection.info.server_version,
            "workers": opts["workers"],
            "threads": opts["threads"],
            "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            "connections": opts["connections"],
            "duration_s": opts["duration"],
            "requests_in_db": GuardianshipRequest.objects.count(),
            "guardians_in_db": Guardian.objects.count(),
        }
        targets = self.targets(by_page, opts)
        if access_log:
            targets += access_log["targets"]
        OUT.mkdir(exist_ok=True)
        (OUT / "results.json").write_text(
            json.dumps(
                {
                    "machine": machine,
                    "results": results,
                    "access_log": access_log,
                    "targets": targets,
                },
                indent=2,
                default=str,
            )
            + "\n"
        )
        lines = [
            "# Benchmark results",
            "",
            f"Machine: {machine['cpus']} cores, {machine['platform']}, Python "
            f"{machine['python']}, PostgreSQL {machine['postgres']}. gunicorn with "
            f"{machine['workers']} workers of {machine['threads']} thread(s), DEBUG off, "
            f"cache {machine['cache']}; "
            f"wrk with {machine['connections']} connections for {machine['duration_s']} s "
            "a page, on the same machine.",
            f"Data: {machine['requests_in_db']} requests, {machine['guardians_in_db']} guardians.",
            "",
            "| page | role | req/s | p50 ms | p95 ms | queries | × baseline "
            "| × signed-in baseline | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            lines.append(
                f"| {r['page']} | {r['role']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | "
                f"{r['p95_ms']:.1f} | {r['queries']} | {r['ratio_to_baseline']:.2f} | "
                f"{r['ratio_to_signed_in_baseline']:.2f} | {r['errors']} |"
            )
        lines += ["", "## Targets (issue 18)", ""]
        for t in targets:
            lines.append(f"- {'met' if t['met'] else 'NOT met'}: {t['target']}. {t['detail']}")

        if access_log:  # its targets are among those above
            lines += ["", *access_log_volume.report_lines(access_log)]
        analysis = OUT / "analysis.md"
        if analysis.exists():
            lines += ["", analysis.read_text().strip()]
        (OUT / "results.md").write_text("\n".join(lines) + "\n")
        self.stdout.write(self.style.SUCCESS(f"Wrote {OUT / 'results.md'} and results.json."))

    def targets(self, by_page, opts):
        """Issue 18's targets, each checked against this run: every page's class
        (demo.bench_pages) sets its share of the signed-in baseline."""
        signed_in = by_page["baseline_signed_in"]["rps"]
        admin = by_page["admin_changelist"]["rps"]
        queue = by_page["queue"]["rps"]
        of_kind = {kind: [r for r in by_page.values() if r["kind"] == kind] for kind in TARGETS}

        def listed(rows, value):
            return ", ".join(f"{r['page']} {value(r)}" for r in rows) or "none"

        def rps(r):
            return f"{r['rps']:.0f} req/s ({r['rps'] / signed_in:.2f}×)"

        many_queries = [r for r in by_page.values() if r["queries"] > 12]
        below = {
            kind: [r for r in rows if r["rps"] < TARGETS[kind] * signed_in]
            for kind, rows in of_kind.items()
        }
        slower_than_admin = [r for r in of_kind[OTHER] if r["rps"] <= admin]
        late = [r for r in of_kind[LIST] if r["p95_ms"] >= 100]
        failed = [r for r in by_page.values() if r["errors"]]
        names = {
            LIST: "the queue, the lists and the request page",
            LIGHT: "statistics, news, directory and home",
            OTHER: "every other main page",
        }
        return [
            {
                "target": "at most 12 queries per page",
                "met": not many_queries,
                "detail": f"Over: {listed(many_queries, lambda r: r['queries'])}.",
            },
            *(
                {
                    "target": f"{names[kind]} at least {TARGETS[kind]}× the signed-in baseline "
                    f"({TARGETS[kind] * signed_in:.0f} req/s)",
                    "met": not below[kind],
                    "detail": f"Below: {listed(below[kind], rps)}.",
                }
                for kind in (LIST, LIGHT, OTHER)
            ),
            {
                "target": "every other main page faster than the admin changelist "
                f"({admin:.0f} req/s)",
                "met": not slower_than_admin,
                "detail": f"Slower: {listed(slower_than_admin, rps)}.",
            },
            {
                "target": "the queue at least 10× the admin changelist's throughput",
                "met": queue >= 10 * admin if admin else queue > 0,
                "detail": f"{queue:.0f} vs {admin:.0f} req/s"
                + (f" ({queue / admin:.1f}×)." if admin else " (the admin answered nothing)."),
            },
            {
                "target": f"the lists' p95 under 100 ms at {opts['connections']} connections",
                "met": not late,
                "detail": "Over: " + listed(late, lambda r: "{:.0f} ms".format(r["p95_ms"])) + ".",
            },
            {
                "target": "no errors",
                "met": not failed,
                "detail": f"With errors: {listed(failed, lambda r: r['errors'])}.",
            },
        ]


def gunicorn_tuning():
    """The workers and threads gunicorn.conf.py gives (with this environment)."""
    config = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), config)  # our own file, as gunicorn reads it
    return {"workers": config["workers"], "threads": config["threads"]}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
