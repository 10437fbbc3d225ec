"""A throwaway JupyterLab server and the page actions the real-browser test is made of.

The server runs on 127.0.0.1 with a random token, a temporary HOME and temporary Jupyter
directories, and serves a temporary copy of the course folders, so nothing the browser does (an
edit, an autosave, a checkpoint) can reach the repository. Its settings are overridden to keep
it quiet and predictable: no news or update checks, no extension manager calling PyPI, no
autosave.

The page is driven by what a learner does (menu clicks, mouse drags, typing); what the screen
cannot tell reliably (is the kernel ready? has every cell run?) is read from JupyterLab's own
objects through `window.jupyterapp`, exposed by `--LabApp.expose_app_in_browser=True`. The idle
indicator in the status bar alone was seen to lie on cold starts.
"""
import importlib.util
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
VIEWPORT = {"width": 1280, "height": 720}

# Settings a fresh JupyterLab would otherwise use to ask questions or reach the network.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    "@jupyterlab/extensionmanager-extension:plugin": {"enabled": False},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}


def missing_requirement():
    """Why the browser test cannot run here, or None when it can."""
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} not found: install Debian's chromium "
                f"(apt-get install chromium), as .ci/run does")
    for module, extra in (("playwright", "pip install -e '.[browser]'"),
                          ("jupyterlab", "pip install -e '.[lab]'")):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module!r} is not installed ({extra})"
    return None


def in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """`jupyter lab` serving `root`, with all its state under `workdir`. Use as a context manager:
    leaving it shuts down the kernels and the server, whatever happened inside."""

    def __init__(self, root, workdir, start_timeout=90.0):
        self.root, self.workdir = Path(root), Path(workdir)
        self.start_timeout = start_timeout
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.workdir / "jupyter-lab.log"
        self.proc = None

    def url(self, relpath):
        """The page of `relpath` in a fresh workspace of its own, so that a page does not reopen
        (and start kernels for) the notebooks of earlier pages."""
        workspace = re.sub(r"\W", "-", relpath)
        return f"{self.base}/lab/workspaces/{workspace}/tree/{relpath}?reset&token={self.token}"

    def notebook7_url(self, relpath):
        """The page of `relpath` in Notebook 7's own interface, served by the same server."""
        return f"{self.base}/notebooks/{relpath}?token={self.token}"

    def _environment(self):
        dirs = {name: self.workdir / sub for name, sub in [
            ("HOME", "home"), ("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
            ("JUPYTERLAB_SETTINGS_DIR", "user-settings"),
            ("JUPYTERLAB_WORKSPACES_DIR", "workspaces"), ("XDG_CACHE_HOME", "cache"),
            ("XDG_CONFIG_HOME", "xdg-config"), ("MPLCONFIGDIR", "matplotlib")]}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        # Nothing of this test run (pytest's Agg backend, a grading flag) may leak into the kernel.
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("JUPYTER", "IPYTHON", "MPL", "PYTEST", "NNLESSONS"))}
        env.update({name: str(path) for name, path in dirs.items()})
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def start(self):
        app_settings = self.workdir / "app-settings"
        app_settings.mkdir(parents=True, exist_ok=True)
        (app_settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES, indent=2))
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
                   f"--port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}",
                   f"--ServerApp.root_dir={self.root}",
                   "--LabApp.expose_app_in_browser=True",
                   # the same server serves Notebook 7 (/tree, /notebooks/...): expose its app too
                   "--JupyterNotebookApp.expose_app_in_browser=True",
                   f"--LabApp.app_settings_dir={app_settings}",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                   "--LabApp.news_url=None",
                   "--ServerApp.terminals_enabled=False"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(command, cwd=self.root, env=self._environment(),
                                     stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.proc.returncode} before "
                                   f"answering; its log ends:\n{self.log_tail()}")
            if self._api("GET", "/api/status") is not None:
                return self
            time.sleep(0.25)
        raise RuntimeError(f"jupyter lab did not answer on {self.base} within "
                           f"{self.start_timeout:g} s; its log ends:\n{self.log_tail()}")

    def _api(self, method, path):
        request = urllib.request.Request(self.base + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self):
        if self.proc is None:
            return
        import psutil  # a dependency of ipykernel, so present wherever lab runs

        try:
            # Kernels run in sessions of their own: remember them before their parent goes.
            kernels = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            kernels = []
        if self.proc.poll() is None:
            self._api("POST", "/api/shutdown")  # shuts the kernels down cleanly, then the server
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait(timeout=10)
        for kernel in kernels:
            try:
                kernel.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(kernels, timeout=10)
        self._log.close()
        self.proc = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()


def copy_course(repo, dest, folders=("lessons", "exercises")):
    """Copy the course folders into `dest`, with the stored outputs of every notebook removed, so
    whatever the page shows after "Run All Cells" was computed in this run."""
    import nbformat

    for folder in folders:
        shutil.copytree(Path(repo) / folder, Path(dest) / folder,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for path in (Path(dest) / folder).glob("*.ipynb"):
            notebook = nbformat.read(path, as_version=4)
            for cell in notebook.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            nbformat.write(notebook, path)
    return Path(dest)


# ---- JavaScript read from the page (JupyterLab 4's objects) ------------------------------------

# The notebook panel open on `path`, its kernel and how far "Run All" has got.
JS_NOTEBOOK_STATE = """
(path) => {
  const box = document.querySelector('.jp-Dialog');
  const dialog = box ? box.textContent.slice(0, 300) : null;
  const app = window.jupyterapp;
  if (!app || !app.shell) return {found: false, dialog, why: 'window.jupyterapp is not there yet'};
  const panel = Array.from(app.shell.widgets('main')).find(
      w => w.context && w.context.path === path && w.sessionContext);
  if (!panel) return {found: false, dialog, why: 'no notebook panel open on ' + path};
  const sc = panel.sessionContext;
  const kernel = sc.session ? sc.session.kernel : null;
  const cells = panel.content ? Array.from(panel.content.widgets) : [];
  const code = cells.filter(c => c.model.type === 'code');
  const errors = [];
  code.forEach((c, i) => {
    for (const out of c.model.outputs.toJSON()) {
      if (out.output_type === 'error') errors.push(out.ename + ': ' + out.evalue);
    }
  });
  return {
    found: true,
    contextReady: panel.context.isReady,
    ready: sc.isReady,
    hasNoKernel: sc.hasNoKernel,
    kernelName: kernel ? kernel.name : null,
    status: kernel ? kernel.status : null,
    connection: kernel ? kernel.connectionStatus : null,
    codeCells: code.length,
    executed: code.filter(c => c.model.executionCount !== null).length,
    executionCounts: code.map(c => c.model.executionCount),
    running: code.filter(c => c.node.querySelector('.jp-InputPrompt') &&
                              c.node.querySelector('.jp-InputPrompt').textContent.includes('*'))
                 .length,
    errors: errors,
    dialog: dialog,
  };
}
"""

# Marks the code cells whose source matches, so the test can find their DOM nodes.
JS_MARK_CELLS = """
([path, pattern, attribute]) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(w => w.context &&
                                                                w.context.path === path);
  const re = new RegExp(pattern);
  const marked = [];
  Array.from(panel.content.widgets).forEach((cell, i) => {
    if (cell.model.type === 'code' && re.test(cell.model.sharedModel.getSource())) {
      cell.node.setAttribute(attribute, String(marked.length));
      marked.push(i);
    }
  });
  return marked;
}
"""

JS_CELL_SOURCE = """
([path, index]) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(
      w => w.context && w.context.path === path);
  return panel.content.widgets[index].model.sharedModel.getSource();
}
"""

JS_SHUTDOWN_KERNEL = """
async (path) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(
      w => w.context && w.context.path === path);
  if (panel && panel.sessionContext.session) await panel.sessionContext.shutdown();
  return true;
}
"""

# The explorer around a slider: the nearest ancestor that also holds the figure (an Image
# widget); the readout is the HTML widget after the image.
JS_EXPLORER_VIEW = """
(slider) => {
  let box = slider.parentElement;
  while (box && !box.querySelector('img.widget-image, .widget-image img')) box = box.parentElement;
  if (!box) return null;
  const img = box.querySelector('img.widget-image, .widget-image img');
  let readout = null;
  for (const el of box.querySelectorAll('.widget-html')) {
    if (img.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) { readout = el; break; }
  }
  const value = slider.querySelector('.widget-readout');
  return {
    src: img.getAttribute('src') || '',
    imgWidth: img.getBoundingClientRect().width,
    readout: readout ? readout.textContent.trim() : null,
    sliderValue: value ? (value.innerText || value.textContent) : null,
  };
}
"""


def wait_until(check, timeout, interval=0.25):
    """Call `check()` until it returns something truthy; return that, or the last value after
    `timeout` seconds (falsy: the caller says what was not seen)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def stderr_problems(page):
    """Text of stderr outputs on the page that report an error or a traceback."""
    texts = page.locator('.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'
                         ).all_inner_texts()
    return [t for t in texts if re.search(r"Error|Traceback", t)]


# ---- the widgets of a notebook, as the page holds them (ipywidgets 8 in JupyterLab 4) ----------

# Finds every explorer (a VBox whose model holds an Image) among the notebook's outputs and keeps
# it in `window.__nnl[path]`: its DOM node, its parts (title, message, image, readout: by the
# CSS classes `nnlessons-*` where the widgets carry them, else by their place in the column) and
# its controls, each with its DOM element and its model (the browser's copy of the kernel's
# widget). Returns what a test needs to know of each, in notebook order.
JS_SCAN_WIDGETS = """
async (path) => {
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(
      w => w.context && w.context.path === path && w.content);
  if (!panel) return {error: 'no notebook panel open on ' + path};
  const CONTROL = /^(IntSlider|FloatSlider|FloatLogSlider|SelectionSlider|Dropdown|Select|RadioButtons|ToggleButtons|Checkbox|Button|ToggleButton)Model$/;
  const KIND = m => {
    const n = m.get('_model_name');
    if (/Slider/.test(n)) return 'slider';
    if (/Dropdown|Select/.test(n)) return 'dropdown';
    if (n === 'ToggleButtonsModel') return 'toggles';
    if (n === 'CheckboxModel') return 'checkbox';
    if (n === 'ToggleButtonModel') return 'toggle';
    return 'button';
  };
  const DOM = {slider: '.widget-slider', dropdown: '.widget-dropdown, .widget-select',
               toggles: '.widget-toggle-buttons', checkbox: '.widget-checkbox',
               toggle: 'button.widget-toggle-button', button: 'button.widget-button'};
  const ALL = Object.values(DOM).join(', ');
  const list = [];
  window.__nnl = window.__nnl || {};
  window.__nnl[path] = list;
  const cells = Array.from(panel.content.widgets);
  for (const [cellIndex, cell] of cells.entries()) {
    if (cell.model.type !== 'code' || !cell.outputArea) continue;
    const areaWidgets = Array.from(cell.outputArea.widgets);
    for (const [j, child] of areaWidgets.entries()) {
      const output = cell.model.outputs.get(j);
      const data = output && output.data['application/vnd.jupyter.widget-view+json'];
      if (!data) continue;
      const renderer = (child.widgets ? Array.from(child.widgets) : []).find(k => k._manager);
      if (!renderer) continue;
      const manager = await renderer._manager.promise;
      const root = await manager.get_model(data.model_id);
      const controls = [];
      let image = null;
      const walk = async (model) => {
        const name = model.get('_model_name');
        if (name === 'ImageModel' && !image) image = model;
        if (CONTROL.test(name)) controls.push(model);
        for (const c of (model.get('children') || [])) await walk(await c);
      };
      await walk(root);
      if (!image) continue;
      const first = (root.get('children') || [])[0];
      const titleHtml = first ? ((await first).get('value') || '') : '';
      const node = renderer.node.querySelector('.nnlessons-explorer') ||
                   renderer.node.querySelector('.widget-vbox');
      if (!node) continue;
      const img = node.querySelector('.nnlessons-figure img, img.nnlessons-figure') ||
                  node.querySelector('img.widget-image, .widget-image img');
      const direct = Array.from(node.children);
      const htmls = direct.filter(e => e.classList.contains('widget-html'));
      const imgBox = direct.find(e => e === img || e.contains(img));
      const before = htmls.filter(e => imgBox.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING);
      const after = htmls.filter(e => imgBox.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
      const title = node.querySelector('.nnlessons-title') || htmls[0];
      const message = node.querySelector('.nnlessons-message') || before[before.length - 1];
      const readout = node.querySelector('.nnlessons-readout') || after[0];
      const els = Array.from(node.querySelectorAll(ALL)).filter(
          e => !Array.from(node.querySelectorAll(ALL)).some(o => o !== e && o.contains(e)));
      const entry = {node, img, title, message, readout, image, cell: cellIndex, titleHtml,
                     controls: controls.map((m, i) => ({model: m, kind: KIND(m), el: els[i]}))};
      const mismatch = els.length !== controls.length ||
          entry.controls.some(c => !c.el || !c.el.matches(DOM[c.kind]));
      node.setAttribute('data-nnl-widget', String(list.length));
      entry.controls.forEach((c, i) => c.el && c.el.setAttribute('data-nnl-control', String(i)));
      list.push(entry);
      entry.mismatch = mismatch ? ('models ' + controls.map(m => m.get('_model_name')).join(',') +
                                   ' but DOM controls ' + els.map(e => e.className).join(' | ')) : null;
    }
  }
  const plain = html => { const d = document.createElement('div'); d.innerHTML = html || '';
                          return d.textContent.trim(); };
  return list.map((e, n) => ({n, cell: e.cell, title: plain(e.titleHtml),
                              mismatch: e.mismatch, hasClasses: !!e.node.querySelector('.nnlessons-figure'),
                              controls: e.controls.map(c => ({kind: c.kind, model: c.model.get('_model_name'),
                                                              description: c.model.get('description') || '',
                                                              continuous: c.model.get('continuous_update')}))}));
}
"""

# Everything the test compares before and after an action on explorer `n`: the picture (a hash
# of the image model's bytes and the <img>'s src), the message, the readout, the box sizes and
# each control as the learner sees it (readouts, selected buttons, ticks) and as its model holds
# it, with what is still in flight (messages not yet answered by the kernel).
JS_WIDGET_STATE = """
([path, n]) => {
  const w = window.__nnl[path][n];
  const app = window.jupyterapp;
  const panel = Array.from(app.shell.widgets('main')).find(
      p => p.context && p.context.path === path && p.sessionContext);
  const kernel = panel && panel.sessionContext.session ? panel.sessionContext.session.kernel : null;
  let hash = 2166136261;
  const value = w.image.get('value');
  let bytes = new Uint8Array(0);
  if (value instanceof DataView) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else if (value && value.buffer) bytes = new Uint8Array(value.buffer);
  for (let i = 0; i < bytes.length; i++) { hash ^= bytes[i]; hash = Math.imul(hash, 16777619) >>> 0; }
  // the resolution the PNG says it was drawn at (its pHYs chunk, in pixels per metre), if any
  let dpi = null;
  for (let i = 8; i + 12 < Math.min(bytes.length, 200); i++) {
    if (bytes[i] === 0x70 && bytes[i + 1] === 0x48 && bytes[i + 2] === 0x59 && bytes[i + 3] === 0x73) {
      const perMetre = ((bytes[i + 4] << 24) | (bytes[i + 5] << 16) | (bytes[i + 6] << 8) | bytes[i + 7]) >>> 0;
      if (bytes[i + 12] === 1) dpi = perMetre * 0.0254;
      break;
    }
  }
  const box = w.node.getBoundingClientRect();
  const ibox = w.img.getBoundingClientRect();
  let pending = 0;
  const text = el => el ? (el.innerText || el.textContent || '').trim() : '';
  const controls = w.controls.map((c, i) => {
    const m = c.model, el = c.el;
    if (m._pending_msgs) pending += m._pending_msgs;
    if (m._msg_buffer) pending += 1;
    const handle = el.querySelector('.noUi-handle');
    const track = el.querySelector('.noUi-target');
    const noui = track ? track.noUiSlider : null;
    const label = [text(el.querySelector('.widget-label')), text(el.querySelector('.widget-label-basic')),
                   el.getAttribute('aria-label') || '', el.getAttribute('title') || '',
                   c.kind === 'button' || c.kind === 'toggle' ? text(el) : '',
                   (el.querySelector('[aria-label]') || {getAttribute: () => ''}).getAttribute('aria-label') || '',
                   (el.querySelector('[title]') || {getAttribute: () => ''}).getAttribute('title') || '']
                  .filter(Boolean);
    const select = el.querySelector('select');
    const input = el.querySelector('input[type=checkbox]');
    return {
      i, kind: c.kind, model: m.get('_model_name'), description: m.get('description') || '',
      label: label.join(' / '),
      value: m.get('value'), index: m.get('index'), min: m.get('min'), max: m.get('max'),
      step: m.get('step'), base: m.get('base'), options: m.get('_options_labels') || null,
      continuous: m.get('continuous_update'), disabled: !!m.get('disabled'),
      readout: text(el.querySelector('.widget-readout')),
      // where the slider itself stands, in its own units (the exponent of a log slider, the
      // index of a selection slider); its aria-value* attributes are rounded to 0.1
      ariaNow: noui ? Number(noui.get()) : null,
      ariaMin: noui ? Number(noui.options.range.min) : null,
      ariaMax: noui ? Number(noui.options.range.max) : null,
      trackWidth: track ? track.getBoundingClientRect().width : null,
      active: Array.from(el.querySelectorAll('button')).filter(b => b.classList.contains('mod-active'))
                  .map(b => text(b)),
      buttons: c.kind === 'toggles' ? Array.from(el.querySelectorAll('button')).map(b => text(b)) : null,
      checked: input ? input.checked : (c.kind === 'toggle' ? el.classList.contains('mod-active') : null),
      selected: select ? (select.selectedIndex >= 0 ? select.options[select.selectedIndex].text : null) : null,
      selectOptions: select ? Array.from(select.options).map(o => o.text) : null,
    };
  });
  const src = w.img.getAttribute('src') || '';
  return {
    status: kernel ? kernel.status : null, pending,
    hash, bytes: bytes.length, dpi, src, complete: w.img.complete && w.img.naturalWidth > 0,
    title: text(w.title), message: text(w.message), readoutText: text(w.readout),
    traceback: /Traceback|hit an error/.test(w.node.innerText),
    height: box.height, top: box.top, imgTop: ibox.top - box.top, imgWidth: ibox.width,
    imgHeight: ibox.height, naturalWidth: w.img.naturalWidth, naturalHeight: w.img.naturalHeight,
    controls,
  };
}
"""

# Which control of explorer `n` holds the keyboard focus: its index, -1 inside the explorer but
# in no control, -2 outside it.
JS_FOCUSED_CONTROL = """
([path, n]) => {
  const w = window.__nnl[path][n];
  const a = document.activeElement;
  if (!a || !w.node.contains(a)) return -2;
  return w.controls.findIndex(c => c.el.contains(a));
}
"""

# The static figures (image outputs, not widgets) of the notebook: drawn size, natural size and
# the smallest font the figure's record (`nnlessons.plots.show`'s metadata) names.
JS_STATIC_FIGURES = """
(path) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(
      w => w.context && w.context.path === path && w.content);
  const found = [];
  Array.from(panel.content.widgets).forEach((cell, i) => {
    if (cell.model.type !== 'code' || !cell.outputArea) return;
    Array.from(cell.outputArea.widgets).forEach((child, j) => {
      const output = cell.model.outputs.get(j);
      if (!output || !output.data['image/png']) return;
      const img = child.node.querySelector('.jp-RenderedImage img');
      if (!img) return;
      const record = (output.metadata || {}).nnlessons || null;
      img.setAttribute('data-nnl-figure', String(found.length));
      const box = img.getBoundingClientRect();
      found.push({cell: i, output: j, width: box.width, height: box.height,
                  naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
                  complete: img.complete, fontsPt: record ? record.fonts_pt : null,
                  hasRecord: !!record});
    });
  });
  return found;
}
"""
