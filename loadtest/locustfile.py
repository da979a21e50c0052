"""Load test: the demo roles browsing the pages they use every day.

Run it through `scripts/load`, which starts its own server on the demo data and prints the
table; by hand: `locust -f loadtest/locustfile.py --host http://127.0.0.1:8000` (optional
dependency group `load`: `pip install -e ".[load]"`).

Every simulated user logs in once, through the login form with its CSRF token, as one of the
demo logins (README), then browses with 2–5 s of think time between pages. A page counts as
failed when it does not answer 200 or when it lands on the login form (a lost session). The
demo liaison, secretariat, leadership and admin accounts are shared by all the users of their
role: sessions are independent, and correct passwords never touch the login throttle
(django-axes counts failures only, and a success resets the count).

Requests are named by page, not by URL, so that the table has one row per page. With
JITUAN_LOAD_RAW=FILE every request is also written to FILE (start time, page, milliseconds,
failed), from which `scripts/load` works out exact percentiles and the steady state after the
last login.
"""

import os
import random
import re

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("JITUAN_LOAD_PASSWORD", "jituan-demo-2020")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PLAN_LINK = re.compile(r'href="/plans/(\d+)/"')

DASHBOARD_APIS = ("headline", "heatmap", "completeness", "quarters", "years")
REGISTERS = (
    ("/registers/partnerships/", "registers: partnerships overview"),
    ("/registers/enrollment/by-member/", "registers: enrollment by member"),
    ("/registers/enrollment/", "registers: enrollment"),
    ("/registers/order-classes/", "registers: order classes"),
    ("/registers/agreements/", "registers: agreements"),
)


RAW_PATH = os.environ.get("JITUAN_LOAD_RAW")
if RAW_PATH:
    _raw = open(RAW_PATH, "w", encoding="utf-8", newline="")
    _raw.write("start,name,ms,failed\n")

    @events.request.add_listener
    def _record(name, response_time, exception, start_time=None, **kwargs):
        page = name.replace(",", " ")
        _raw.write(f"{start_time:.3f},{page},{response_time:.1f},{int(bool(exception))}\n")

    @events.quitting.add_listener
    def _close(**kwargs):
        _raw.close()


class JituanUser(HttpUser):
    abstract = True
    wait_time = between(2, 5)
    username = ""

    def on_start(self):
        self.plan_ids = []
        self.log_in()
        self.plans()

    # -- helpers ------------------------------------------------------------------------------

    def log_in(self):
        with self.client.get("/login/", name="login form", catch_response=True) as response:
            match = CSRF_FIELD.search(response.text) if response.status_code == 200 else None
            if not match:
                response.failure(f"no login form ({response.status_code})")
                return
        data = {
            "username": self.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": match.group(1),
        }
        headers = {"Referer": self.client.base_url + "/login/"}
        with self.client.post(
            "/login/", data=data, headers=headers, name="login", catch_response=True
        ) as response:
            # A correct login redirects to the user's home page; a wrong one shows the form again.
            if response.status_code != 200 or "/login/" in response.url:
                response.failure(f"login as {self.username} refused ({response.status_code})")

    def page(self, path, name, json=False):
        headers = {"Accept": "application/json"} if json else None
        with self.client.get(path, name=name, headers=headers, catch_response=True) as response:
            if response.status_code == 0:
                response.failure(f"no answer: {response.error!r}")
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/login/" in response.url:
                response.failure("sent to the login form")
            elif json and not response.headers.get("Content-Type", "").startswith(
                "application/json"
            ):
                response.failure("not JSON")
            return response

    # -- pages --------------------------------------------------------------------------------

    def home(self):
        self.page("/", "home")

    def plans(self):
        response = self.page("/plans/", "plan list")
        if response.status_code == 200:
            self.plan_ids = sorted({int(pk) for pk in PLAN_LINK.findall(response.text)})

    def plan(self):
        if self.plan_ids:
            self.page(f"/plans/{random.choice(self.plan_ids)}/", "plan page")

    def dashboard(self):
        """The page, then the charts' JSON, as the browser fetches them."""
        self.page("/dashboard/", "dashboard")
        for api in DASHBOARD_APIS:
            self.page(f"/dashboard/api/{api}/", f"dashboard api/{api}", json=True)

    def task_list(self):
        self.page("/tasks/", "task list")

    def board(self):
        self.page("/submissions/board/", "submission board")

    def submissions(self):
        self.page("/submissions/", "submission list")

    def registers(self):
        self.page(*random.choice(REGISTERS))

    def reports(self):
        self.page("/reports/", "reports archive")


class Secretariat(JituanUser):
    """秘书处: follows every member's submissions, the plan and the registers."""

    username = "mishu"
    weight = 2

    @task(3)
    def t_board(self):
        self.board()

    @task(3)
    def t_submissions(self):
        self.submissions()

    @task(2)
    def t_tasks(self):
        self.task_list()

    @task(2)
    def t_plan(self):
        self.plan()

    @task(2)
    def t_registers(self):
        self.registers()

    @task(1)
    def t_home(self):
        self.home()

    @task(1)
    def t_dashboard(self):
        self.dashboard()

    @task(1)
    def t_reports(self):
        self.reports()


class Liaison(JituanUser):
    """学校联络员 of 安庆工业学校: this quarter's report, the school's page, tasks and plan."""

    username = "lianluo"
    weight = 5

    @task(4)
    def t_current_quarter(self):
        # /report/ redirects to the open quarter's form (/report/<plan>/<quarter>/).
        self.page("/report/", "本季度填报 (this quarter's report)")

    @task(2)
    def t_home(self):
        self.home()  # redirects to the school's member page

    @task(2)
    def t_tasks(self):
        self.task_list()

    @task(1)
    def t_plan(self):
        self.plan()

    @task(2)
    def t_submissions(self):
        self.submissions()

    @task(1)
    def t_registers(self):
        self.registers()


class Leadership(JituanUser):
    """领导: the dashboard first, then the board and the reports."""

    username = "lingdao"
    weight = 2

    @task(4)
    def t_dashboard(self):
        self.dashboard()  # also their home page

    @task(2)
    def t_board(self):
        self.board()

    @task(2)
    def t_reports(self):
        self.reports()

    @task(1)
    def t_plan(self):
        self.plan()

    @task(1)
    def t_registers(self):
        self.registers()


class Admin(JituanUser):
    """管理员: people and roles, members."""

    username = "guanli"
    weight = 1

    @task(3)
    def t_people(self):
        self.page("/people/", "people and roles")

    @task(2)
    def t_members(self):
        self.page("/members/", "member list")

    @task(1)
    def t_home(self):
        self.home()

    @task(1)
    def t_board(self):
        self.board()
