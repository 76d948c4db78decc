"""The bench's tables: each page's figures against its target, and the report pages' growth.

Printed by `manage.py bench_pages` (reports/management/commands/bench_pages.py),
which times the pages; this module only lays the figures out and judges them.
"""

import json
from pathlib import Path

from django.conf import settings

RESULTS = Path(settings.BASE_DIR) / ".run" / "bench"
HTML_LIMIT = 200_000  # bytes
DOWNLOAD_LIMIT_MS = 100  # the 360Giving file, p95
BUILD_LIMIT_S = 30  # building this year's 360Giving file
REPORT_GROWTH_LIMIT = 1.5  # a report page's time at 10× over its time at 1×
OPEN_DATA_LIMIT = 5  # the public open-data page and files, × the bare view's p95 (issue 17)


def ratio_limit(scale: int) -> int:
    """A page's p95 over the bare view's p95: 15× at city scale, 25× at ten times it."""
    return 15 if scale < 10 else 25


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def render(results, bare_result, scale, load, repeat) -> list[str]:
    limit = ratio_limit(scale)
    lines = [
        f"Bench at scale {scale}: every role's pages against a bare signed-in view "
        f"(server time through Django's test client, up to {repeat} requests a page after a "
        "warm-up).",
        f"Load average {load['before'][0]:.2f} before, {load['after'][0]:.2f} after, "
        f"on {load['cpus']} CPUs.",
        f"Targets: p95 within {limit}× the bare view's; HTML at most {HTML_LIMIT // 1000} KB; "
        f"the 360Giving download p95 under {DOWNLOAD_LIMIT_MS} ms; the public open-data page "
        f"and files within {OPEN_DATA_LIMIT}× the bare view's p95 (their own column).",
        "",
        f"{'page':<40} {'queries':>7} {'n':>3} {'median':>8} {'p95':>8} "
        f"{'med×':>6} {'p95×':>6} {'≤' + str(limit) + '×':<7} {'KB':>7} {'≤200 KB':<7}",
        f"{'bare signed-in view':<40} {bare_result.queries:>7} {bare_result.samples:>3} "
        f"{bare_result.median:>8.1f} {bare_result.p95:>8.1f} {'1.0':>6} {'1.0':>6}",
    ]
    met = missed = 0
    role = None
    for r in results:
        if r.role != role:
            role = r.role
            lines.append(f"-- {role}")
        med_x, p95_x = r.median / bare_result.median, r.p95 / bare_result.p95
        expected, own_limit = r.expected, r.limit
        ok_time = r.status == expected and p95_x <= (own_limit or limit)
        is_html = r.content_type == "text/html"
        ok_size = not is_html or r.size <= HTML_LIMIT
        size_verdict = _verdict(ok_size) if is_html else "(file)"
        note = "" if r.status == 200 else f"  status {r.status}"
        if r.status != expected:
            note += f" (expected {expected})"
        if own_limit:
            note += f"  ≤{own_limit}×: {_verdict(ok_time)}"
        if r.name.startswith("360Giving"):
            ok_download = r.status == 200 and r.p95 < DOWNLOAD_LIMIT_MS
            note += f"  <{DOWNLOAD_LIMIT_MS} ms: {_verdict(ok_download)}"
            met, missed = met + ok_download, missed + (not ok_download)
        met, missed = met + ok_time + ok_size, missed + (not ok_time) + (not ok_size)
        lines.append(
            f"  {r.name:<38} {r.queries:>7} {r.samples:>3} {r.median:>8.1f} {r.p95:>8.1f} "
            f"{med_x:>6.1f} {p95_x:>6.1f} {_verdict(ok_time):<7} {r.size / 1000:>7.1f} "
            f"{size_verdict:<7}{note}"
        )
    build = load.get("open_data_build")
    if build is None:
        lines += ["", "360Giving build: no build button on the open-data page; not timed."]
    else:
        ok_build = build["status"] in (200, 302) and build["seconds"] < BUILD_LIMIT_S
        met, missed = met + ok_build, missed + (not ok_build)
        lines += [
            "",
            f"360Giving build, this year, through the open-data page: {build['seconds']:.1f} s "
            f"(status {build['status']}); under {BUILD_LIMIT_S} s: {_verdict(ok_build)}",
        ]
    release = load.get("open_data_release")
    if release is not None:
        lines.append(
            f"Open-data release {release['reference']} of this year ({release['grants']:,} grants) "
            f"prepared and published through the services for the public rows: "
            f"{release['seconds']:.1f} s (no target)"
        )
    lines += ["", f"Targets met: {met}, missed: {missed} (times in ms; KB = 1,000 bytes)."]
    lines += afresh_table(results, bare_result)
    return lines


def afresh_table(results, bare_result) -> list[str]:
    """The report pages just after a change, when their figures are worked out again.

    No target: the times above are what managers see while nothing changes
    (figures kept by reports.figures_cache); these are the first request after
    an agreement, a payment or an organisation's edit.
    """
    timed = [r for r in results if r.afresh is not None]
    if not timed:
        return []
    lines = [
        "",
        "Report pages just after a change (figures worked out afresh; median of 3, no target):",
        f"{'page':<40} {'kept':>8} {'afresh':>8} {'afresh×bare':>12}",
    ]
    for r in timed:
        lines.append(
            f"  {r.name:<38} {r.median:>8.1f} {r.afresh:>8.1f} "
            f"{r.afresh / bare_result.median:>12.1f}"
        )
    return lines


def _ms(value) -> str:
    return "" if value is None else f"{value:.1f}"


def compare_scales() -> list[str]:
    """Each report page's time at 10× over its time at 1×, when both runs are saved.

    The verdict is on the p95s as measured. The two runs may meet the shared machine
    in different moods, so the last column divides each median by its own run's
    bare view first: the growth with the load of the moment taken out.
    """
    files = {scale: RESULTS / f"scale{scale}.json" for scale in (1, 10)}
    if not all(f.exists() for f in files.values()):
        return []
    runs = {scale: json.loads(f.read_text()) for scale, f in files.items()}
    bare = {scale: run["bare"]["median"] for scale, run in runs.items()}
    lines = [
        "",
        f"Report pages at 10× over 1× (target ≤ {REPORT_GROWTH_LIMIT}× at p95): 1× run of "
        f"{runs[1]['at'][:16]} (bare median {bare[1]:.1f} ms), 10× run of "
        f"{runs[10]['at'][:16]} (bare median {bare[10]:.1f} ms)",
        f"{'page':<40} {'median 1×':>9} {'10×':>9} {'ratio':>6} {'p95 1×':>9} {'10×':>9} "
        f"{'ratio':>6} {'':<7} {'med÷bare':>8} {'afresh 1×':>10} {'10×':>9}",
    ]
    one = {p["name"]: p for p in runs[1]["pages"]}
    for page in runs[10]["pages"]:
        before = one.get(page["name"])
        if page["kind"] != "report" or before is None:
            continue
        med, p95 = page["median"] / before["median"], page["p95"] / before["p95"]
        relative = (page["median"] / bare[10]) / (before["median"] / bare[1])
        lines.append(
            f"  {page['name']:<38} {before['median']:>9.1f} {page['median']:>9.1f} {med:>6.1f} "
            f"{before['p95']:>9.1f} {page['p95']:>9.1f} {p95:>6.1f} "
            f"{_verdict(p95 <= REPORT_GROWTH_LIMIT):<7} {relative:>8.1f} "
            f"{_ms(before.get('afresh')):>10} {_ms(page.get('afresh')):>9}"
        )
    return lines
