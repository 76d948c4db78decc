"""`make load`: simulated people of every role reading their pages, against gunicorn.

Run by scripts/load.sh, which signs the bench's people in first
(`manage.py bench_sessions`) and names the file in BENCH_SESSIONS. Each
simulated person takes the session of a bench person of their role (one
sign-in each while there are enough; beyond that two share one), then, every 2
to 4 seconds, opens one of that role's pages. Only GETs: nothing changes.

Every request carries `X-Forwarded-Proto: https`, as the TLS proxy in front
of production does (production redirects plain HTTP). Anything but a 200 is an
error, redirects included: a redirect here would be to the sign-in page.

At the end it prints requests a second, the median, 95th percentile and
slowest time, and the errors, against the targets (0 errors, p95 under 300 ms).
"""

import itertools
import json
import os
import random

from locust import HttpUser, between, events, task

TARGET_P95_MS = 300

with open(os.environ["BENCH_SESSIONS"]) as file:
    SESSIONS = json.load(file)
_taken = {
    role: itertools.cycle([p for p in SESSIONS["people"] if p["role"] == role])
    for role in ("manager", "officer", "organisation", "provider")
}


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 4)

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        if self.role == "public":
            self.pages = SESSIONS["public"]
            return
        person = next(_taken[self.role])
        self.pages = person["pages"]
        # A header rather than the cookie jar: the cookie is Secure, and this is plain
        # HTTP on loopback behind a pretend TLS proxy.
        self.client.headers["Cookie"] = f"{SESSIONS['cookie_name']}={person['cookie']}"

    @task
    def open_a_page(self):
        name, path = random.choice(self.pages)  # noqa: S311 - not for secrets
        with self.client.get(
            path, name=f"{self.role}: {name}", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")


# The mix: organisations most, then officers and providers, a few managers, the public.
class Organisation(Person):
    role = "organisation"
    weight = 3


class Provider(Person):
    role = "provider"
    weight = 2


class Officer(Person):
    role = "officer"
    weight = 2


class Manager(Person):
    role = "manager"
    weight = 1


class Public(Person):
    role = "public"
    weight = 2


_environment = []


@events.init.add_listener
def keep_environment(environment, **kwargs):
    _environment.append(environment)


@events.quit.add_listener
def print_targets(exit_code, **kwargs):
    """After locust's own tables: the figures the targets are about."""
    environment = _environment[0]
    total = environment.runner.stats.total
    if not total.num_requests:
        print("No requests were made.")
        return
    p50 = total.get_response_time_percentile(0.5)
    p95 = total.get_response_time_percentile(0.95)
    seconds = max(total.last_request_timestamp - total.start_time, 1e-9)
    errors = total.num_failures
    users = environment.parsed_options.num_users
    verdict = {True: "met", False: "MISSED"}
    print(
        "\n".join(
            [
                "",
                f"make load: {users} simulated people, {seconds:.0f} s, "
                f"{total.num_requests:,} requests",
                f"  requests/s  {total.num_requests / seconds:8.1f}",
                f"  p50         {p50:8.0f} ms",
                f"  p95         {p95:8.0f} ms   target < {TARGET_P95_MS} ms: "
                f"{verdict[p95 < TARGET_P95_MS]}",
                f"  max         {total.max_response_time:8.0f} ms",
                f"  errors      {errors:8,}      target 0: {verdict[errors == 0]}",
            ]
        )
    )
