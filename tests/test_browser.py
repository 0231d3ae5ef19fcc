"""A learner's first minutes, in a real browser.

JupyterLab is started on 127.0.0.1 (a free port, a token, the workbook's own Python as the
``python3`` kernel) over a temporary copy of Course 1's first notebook, and headless Chromium,
driven by Selenium, does what a learner does: it runs the setup and parameters cells, types a
wrong ``basic_sigmoid`` into the exercise cell (a click on the ``raise NotImplementedError()``
line, Shift+Home, typing, Shift+Enter), runs the check cell and reads the ❌ message on the
page, then types the right answer and reads the ✅ line.

Select it with ``-m browser``.  It needs Chromium and its driver (Debian: ``apt-get install
chromium chromium-driver``; ``.ci/run`` installs them when it runs as root) and is skipped,
with that reason, where they are missing.  Screenshots go to ``build/browser/``: one at the ❌
step, one at the ✅ step, and one of the page whenever the test fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.jupyter_home import isolated_jupyter

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "course1_foundations" / "01_python_numpy.ipynb"
SHOTS = ROOT / "build" / "browser"

TOTAL_S = 180  # the whole learner session: opening the notebook to the ✅ line
SERVER_START_S = 90

WRONG = "s = 1 / (1 + math.exp(x))"
RIGHT = "s = 1 / (1 + math.exp(-x))"

pytestmark = [pytest.mark.browser, pytest.mark.timeout(TOTAL_S + SERVER_START_S + 60)]


def _find_binaries() -> tuple[str, str]:
    browser = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
    )
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        missing = " and ".join(n for n, p in (("chromium", browser), ("chromedriver", driver)) if p is None)
        pytest.skip(
            f"no {missing} on this machine: install Debian's `chromium chromium-driver` "
            "(.ci/run does it when it runs as root) to run the browser test"
        )
    return browser, driver


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs) -> None:
    """Terminate processes (psutil.Process), then kill whatever is still alive after 10 s."""
    import psutil

    alive = []
    for p in procs:
        try:
            p.terminate()
            alive.append(p)
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(alive, timeout=10)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=5)


def _family(pid: int):
    """The process and all its descendants (a kernel runs in a session of its own)."""
    import psutil

    try:
        top = psutil.Process(pid)
        return [top, *top.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


class Lab:
    def __init__(self, base: str, token: str, log: Path):
        self.base, self.token, self.log = base, token, log

    def api(self, path: str):
        req = urllib.request.Request(self.base + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.load(r)

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""


@pytest.fixture
def lab(tmp_path):
    """JupyterLab over a copy of the notebook, with its own config, data and settings folders."""
    pytest.importorskip("psutil")
    work = tmp_path / "work"
    (work / NOTEBOOK.parent.name).mkdir(parents=True)
    shutil.copy2(NOTEBOOK, work / NOTEBOOK.parent.name / NOTEBOOK.name)

    # the kernel a learner gets from `bootstrap.py lab`: this environment's Python
    jdir, env = isolated_jupyter(tmp_path / "jupyter", "Python 3 (ipykernel)")
    # offline: no news feed, no update check (each would also pop a notification over the page)
    (jdir / "config" / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                }
            }
        )
    )
    settings = jdir / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )

    env.pop("MPLBACKEND", None)  # the test session's Agg; a learner's kernel plots inline
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(jdir / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(jdir / "workspaces"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    )
    token = secrets.token_hex(24)
    log = tmp_path / "jupyterlab.log"
    proc = None
    for _attempt in range(3):  # a free port can be taken between choosing it and binding it
        port = _free_port()
        cmd = [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={work}",
            "--ServerApp.terminals_enabled=False",
        ]
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = Lab(f"http://127.0.0.1:{port}", token, log)
        deadline = time.monotonic() + SERVER_START_S
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, OSError, ValueError):
                time.sleep(0.5)
        if proc.poll() is None:
            break
    try:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with code {proc.returncode}:\n{server.log_tail()}")
        try:
            server.api("/api/status")
        except (urllib.error.URLError, OSError) as exc:
            pytest.fail(f"JupyterLab did not answer in {SERVER_START_S} s ({exc}):\n{server.log_tail()}")
        specs = server.api("/api/kernelspecs")
        argv0 = specs["kernelspecs"]["python3"]["spec"]["argv"][0]
        assert argv0 == sys.executable, f"python3 kernel runs {argv0}, not this environment's Python"
        yield server
    finally:
        family = _family(proc.pid)  # the server and the kernels it started
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # twice: the server's clean shutdown, kernels included
            time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        _stop(family)


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium through Debian's chromedriver (no Selenium Manager, nothing downloaded)."""
    chromium, chromedriver = _find_binaries()
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",  # root in CI
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US",
    ):
        options.add_argument(arg)
    service = Service(executable_path=chromedriver, log_output=str(tmp_path / "chromedriver.log"))
    driver = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(30)
        yield driver
    finally:
        family = _family(service.process.pid) if getattr(service, "process", None) else []
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        else:
            try:
                service.stop()
            except Exception:
                pass
        _stop(family)


def _kernel_state(lab: Lab, path: str) -> str | None:
    try:
        sessions = lab.api("/api/sessions")
    except (urllib.error.URLError, OSError, ValueError):
        return None
    for sess in sessions:
        if sess.get("path") == path and sess.get("kernel"):
            return sess["kernel"].get("execution_state")
    return None


# --- what the learner's hands do ---------------------------------------------------------------

FIND_CELL = """
const cells = document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell');
for (const c of cells) {
  const ed = c.querySelector('.cm-content');
  if (ed && ed.textContent.includes(arguments[0])) return c;
}
return null;
"""

EDITOR_TEXT = (
    "return Array.from(arguments[0].querySelectorAll('.cm-line')).map(l => l.textContent).join('\\n');"
)


class Learner:
    def __init__(self, driver, deadline: float):
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait

        self.d, self.deadline = driver, deadline
        self.By, self.Keys, self.Chains, self.Wait = By, Keys, ActionChains, WebDriverWait

    def wait(self, what: str, condition, limit: float = 60):
        left = self.deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"out of time ({TOTAL_S} s) before: {what}")
        from selenium.common.exceptions import TimeoutException

        try:
            return self.Wait(self.d, min(limit, left), poll_frequency=0.2).until(lambda d: condition())
        except TimeoutException:
            pass
        pytest.fail(f"timed out waiting for: {what}")

    def no_dialog(self):
        dialogs = self.d.find_elements(self.By.CSS_SELECTOR, ".jp-Dialog")
        if dialogs:
            pytest.fail(f"a dialog is in the way: {dialogs[0].text!r}")

    def cell(self, fragment: str):
        return self.wait(
            f"the code cell with {fragment!r}", lambda: self.d.execute_script(FIND_CELL, fragment)
        )

    def prompt(self, cell) -> str:
        return cell.find_element(self.By.CSS_SELECTOR, ".jp-InputPrompt").text.strip()

    def output(self, cell) -> str:
        return "\n".join(o.text for o in cell.find_elements(self.By.CSS_SELECTOR, ".jp-OutputArea-output"))

    def editor_text(self, cell) -> str:
        return self.d.execute_script(EDITOR_TEXT, cell).replace("\u200b", "")

    def shift_enter(self):
        k = self.Keys
        self.Chains(self.d).key_down(k.SHIFT).send_keys(k.ENTER).key_up(k.SHIFT).perform()

    def run(self, cell, what: str):
        """Click into the cell's editor, Shift+Enter, wait for a new execution count."""
        before = self.prompt(cell)
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'});", cell)
        cell.find_element(self.By.CSS_SELECTOR, ".cm-content").click()
        self.shift_enter()

        def done():
            self.no_dialog()
            now = self.prompt(cell)
            return now != before and re.fullmatch(r"\[\d+\]:?", now) is not None

        self.wait(f"{what} to finish running (prompt {before!r})", done, limit=90)

    def replace_line(self, cell, old: str, new: str):
        """Click the line holding `old`, select it (End, Shift+Home: not its indentation), type `new`."""
        line = next(
            (ln for ln in cell.find_elements(self.By.CSS_SELECTOR, ".cm-line") if old in ln.text), None
        )
        assert line is not None, f"no line {old!r} in:\n{self.editor_text(cell)}"
        line.click()
        k = self.Keys
        chain = self.Chains(self.d).send_keys(k.END).key_down(k.SHIFT).send_keys(k.HOME).key_up(k.SHIFT)
        chain.send_keys(new).perform()
        self.wait(f"the editor to show {new!r}", lambda: new in self.editor_text(cell), limit=10)

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / name
        self.d.save_screenshot(str(path))
        return path


def test_learner_fills_basic_sigmoid_in_jupyterlab(browser, lab):  # browser first: it may skip
    deadline = time.monotonic() + TOTAL_S
    me = Learner(browser, deadline)
    nb = f"{NOTEBOOK.parent.name}/{NOTEBOOK.name}"
    try:
        browser.get(f"{lab.base}/lab/tree/{nb}?token={lab.token}")
        me.wait(
            "the notebook to open",
            lambda: me.d.find_elements(me.By.CSS_SELECTOR, ".jp-NotebookPanel .jp-Cell"),
        )
        # ready as a learner sees it: the server's session has a kernel, the status bar says Idle
        me.wait("the notebook's kernel to start", lambda: _kernel_state(lab, nb) == "idle", limit=120)
        me.wait(
            "the status bar to say Idle",
            lambda: any(
                re.search(r"\|\s*Idle\b", e.text)
                for e in me.d.find_elements(me.By.CSS_SELECTOR, ".jp-StatusBar-TextItem")
            ),
            limit=60,
        )
        me.no_dialog()

        me.run(me.cell("from shared_utils.checks import c1_01_python_numpy as check"), "the setup cell")
        me.run(me.cell("timing_size = "), "the parameters cell")

        exercise = me.cell("def basic_sigmoid(x):")
        check_cell = me.cell("check.basic_sigmoid(basic_sigmoid)")

        # a first try with the sign inside exp wrong
        me.replace_line(exercise, "raise NotImplementedError()", WRONG)
        code = me.editor_text(exercise)
        assert "raise NotImplementedError()" not in code and "# YOUR CODE HERE" in code, code
        me.run(exercise, "the exercise cell (wrong answer)")
        me.run(check_cell, "the check cell (wrong answer)")
        failed = me.wait("the ❌ message", lambda: "❌" in (t := me.output(check_cell)) and t)
        me.d.execute_script("arguments[0].scrollIntoView({block: 'start'});", exercise)
        me.shot("01_python_numpy-basic_sigmoid-wrong.png")
        assert "basic_sigmoid" in failed, failed
        assert "expected" in failed and "received" in failed, failed
        assert "Hint" in failed, failed
        # the learner sees the check's own message, not a traceback through the check's internals
        assert "Traceback" not in failed and "checking.py" not in failed, failed

        # the fix
        me.replace_line(exercise, WRONG, RIGHT)
        me.run(exercise, "the exercise cell (right answer)")
        me.run(check_cell, "the check cell (right answer)")
        passed = me.wait("the ✅ line", lambda: "✅" in (t := me.output(check_cell)) and t)
        me.d.execute_script("arguments[0].scrollIntoView({block: 'start'});", exercise)
        me.shot("01_python_numpy-basic_sigmoid-passed.png")
        assert re.search(r"✅ basic_sigmoid: all \d+ checks passed\.", passed), passed
        assert "❌" not in passed, passed
    except BaseException:
        try:
            path = me.shot("01_python_numpy-failure.png")
            print(f"screenshot of the page: {path}")
        except Exception as exc:  # the browser itself may be gone
            print(f"no screenshot: {exc}")
        print(f"JupyterLab log (tail):\n{lab.log_tail()}")
        raise
