"""Latency as a learner feels it: from a slider's mouse move to the new picture in the browser.

Starts the same throwaway JupyterLab as the browser test (tests/browser_support.py), opens each
lesson with a widget in Chromium at 1280x720, runs it, and for every slider of every widget:

- sliders that redraw while dragging (`continuous_update` true, read from the widget's model):
  presses the handle and moves the mouse in at least 30 steps along the track; for each move that
  changes the slider's value, the time from the move (the page's `mousemove` event) to the new
  picture (the <img>'s `load` after its src changed) is measured inside the page with
  `performance.now()`; the next move waits for that picture, as a learner's eye does.
  Target (issue 15): median <= 60 ms, p95 <= 120 ms.
- sliders that redraw once let go (`continuous_update` false): from the mouse release to the new
  picture, a few times each; printed separately, no target.
- the floor: after a lesson's widgets are measured, every explorer in its kernel is made to answer
  a move with one of the last two pictures it drew (and its readout), and the same drags are
  timed again. What remains is what any new picture costs on this machine, whatever a widget
  draws: the browser's work on the page, the server, the kernel's messages. The table prints it
  beside each widget, with how far the widget is above it (`--no-floor` skips it).

Not a test: it prints a table and the machine's load average. Run from the repository root:

    python benchmarks/browser_latency.py [--moves 30] [--releases 4] [--no-floor]
                                         [lessons/05_backprop.ipynb ...]
"""
import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import browser_support as bs  # noqa: E402
import test_browser as tb  # noqa: E402  (the learner's steps: open, Run All, scroll)

TARGET_MEDIAN, TARGET_P95 = 60.0, 120.0

# Records, inside the page, when the pointer moves or is released and when explorer `n`'s picture
# changes (src set) and is shown (img load); returns slider `i`'s value as it was before.
# One call per move, and one more after it (JS_NEXT_PICTURE): every call from the benchmark wakes
# the page and the browser, and takes a share of the two cores from the very work being timed (the
# page showing the picture, the kernel drawing the next), which a learner's browser does not pay.
JS_WATCH = """
([path, n, i]) => {
  const w = window.__nnl[path][n];
  const slider = () => Number(w.controls[i].el.querySelector('.noUi-target').noUiSlider.get());
  const log = window.__lat = {moves: [], ups: [], srcs: [], loads: [], before: slider()};
  if (window.__latDetach) window.__latDetach();
  const move = e => log.moves.push(performance.now());
  const up = e => log.ups.push(performance.now());
  const load = () => log.loads.push(performance.now());
  document.addEventListener('mousemove', move, true);
  document.addEventListener('mouseup', up, true);
  w.img.addEventListener('load', load);
  const observer = new MutationObserver(() => log.srcs.push(performance.now()));
  observer.observe(w.img, {attributes: true, attributeFilter: ['src']});
  // resolves with the log at the picture's first load after this call (or null after 20 s):
  // waiting on it costs the page nothing, where polling the log would take CPU from the very
  // work being timed (the page decoding the picture, the kernel drawing it)
  const picture = new Promise(resolve => {
    w.img.addEventListener('load', () => setTimeout(() => resolve(log), 0), {once: true});
    setTimeout(() => resolve(null), 20000);
  });
  // after a move that left the slider's value alone no picture comes: say so at once (a
  // release is not a move: the value changed while dragging, and the picture comes on release)
  window.__latDone = isMove => {
    log.after = slider();
    return isMove && log.after === log.before ? {...log, unchanged: true} : picture;
  };
  window.__latDetach = () => {
    document.removeEventListener('mousemove', move, true);
    document.removeEventListener('mouseup', up, true);
    w.img.removeEventListener('load', load);
    observer.disconnect();
  };
  return log.before;
}
"""
JS_NEXT_PICTURE = "isMove => window.__latDone(isMove)"


# The floor: what showing a new picture costs when nothing is computed or drawn. Run in the
# lesson's kernel after its widgets were measured, this makes every explorer answer a move by
# sending one of the last two pictures it drew (its readout first, as it does), so the same drags
# then time only the rest of the round trip: the browser, the server, the kernel's messages.
KERNEL_REPLAY = """
import gc as _gc
from nnlessons.widgets import _base as _nnl_base

def _nnl_replaying(explorer):
    pictures, draw = [], explorer.update
    def update():
        if len(pictures) < 2:
            pictures.append(draw())
        else:
            pictures.append(pictures.pop(0))
            explorer.state = explorer.compute(**explorer.settings())
            explorer._show_text(explorer.state)  # first, as Explorer.update sends it
            explorer.image.value = pictures[-1]
        return pictures[-1]
    explorer.update = update

for _nnl_explorer in [o for o in _gc.get_objects() if isinstance(o, _nnl_base.Explorer)]:
    _nnl_replaying(_nnl_explorer)
"""
JS_RUN_IN_KERNEL = """
async ([path, code]) => {
  const panel = Array.from(window.jupyterapp.shell.widgets('main')).find(
      w => w.context && w.context.path === path);
  const reply = await panel.sessionContext.session.kernel.requestExecute(
      {code, silent: true, store_history: false}).done;
  return reply.content.status === 'ok' ? null : reply.content.evalue || reply.content.status;
}
"""


def percentile(values, q):
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def after(times, t0):
    later = [t for t in times if t >= t0]
    return later[0] if later else None


def measure_continuous(page, path, n, i, handle, track, moves):
    """Press the handle, move in `moves` steps across the track and back; per move that changes
    the value, milliseconds from the move event to the new picture's load."""
    latencies, skipped, parts = [], 0, []
    # the drag goes there and back: on the way back a widget may find what it computed or laid
    # out on the way there, so the first visits of each value are reported on their own too
    seen, first = set(), []
    handle.scroll_into_view_if_needed()
    box, rail = handle.bounding_box(), track.bounding_box()
    y = box["y"] + box["height"] / 2
    half = max(moves // 2, 1)
    xs = [rail["x"] + rail["width"] * k / half for k in range(half + 1)]
    xs = xs + xs[-2::-1]
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(xs[0], y)
    tb_settle(page, path)
    for x in xs[1:]:
        page.evaluate(JS_WATCH, [path, n, i])
        page.mouse.move(x, y)
        log = page.evaluate(JS_NEXT_PICTURE, True)
        if log is None or log.get("unchanged") or not log["moves"] or not log["loads"]:
            skipped += 1
            continue
        latencies.append(log["loads"][0] - log["moves"][0])
        if log["after"] not in seen:
            first.append(latencies[-1])
        seen.update((log["before"], log["after"]))
        source = after(log["srcs"], log["moves"][0])
        if source is not None:
            parts.append((source - log["moves"][0], log["loads"][0] - source))
    page.mouse.up()
    tb_settle(page, path)
    if parts:
        trip, show = zip(*parts)
        print(f"    move -> new picture's bytes in the page: median {statistics.median(trip):.0f} ms;"
              f" bytes -> picture shown: median {statistics.median(show):.0f} ms; first visits"
              f" of a value: {len(first)}, median {statistics.median(first or [float('nan')]):.0f}"
              f" ms", flush=True)
    return latencies, skipped


def measure_release(page, path, n, i, handle, track, releases):
    """Drag to a new place and let go, `releases` times: milliseconds from the release to the
    new picture's load."""
    latencies = []
    for k in range(releases):
        handle.scroll_into_view_if_needed()
        box, rail = handle.bounding_box(), track.bounding_box()
        y = box["y"] + box["height"] / 2
        x = rail["x"] + rail["width"] * ((k % 2) * 0.6 + 0.2)
        page.mouse.move(box["x"] + box["width"] / 2, y)
        page.mouse.down()
        page.mouse.move(x, y, steps=3)
        page.evaluate(JS_WATCH, [path, n, i])
        page.mouse.up()
        log = page.evaluate(JS_NEXT_PICTURE, False)
        if log is not None and log["ups"] and after(log["loads"], log["ups"][0]) is not None:
            latencies.append(after(log["loads"], log["ups"][0]) - log["ups"][0])
        tb_settle(page, path)
    return latencies


def tb_settle(page, path):
    bs.wait_until(lambda: (s := tb.state(page, path))["status"] == "idle" and s, 60, 0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lessons", nargs="*", help="lesson paths (default: all nine)")
    parser.add_argument("--moves", type=int, default=30, help="mouse moves per slider")
    parser.add_argument("--releases", type=int, default=4, help="releases per on-release slider")
    parser.add_argument("--no-floor", action="store_true",
                        help="skip the second drag of every slider with nothing drawn (the floor)")
    args = parser.parse_args()
    lessons = args.lessons or tb.LESSONS
    reason = bs.missing_requirement()
    if reason:
        sys.exit(reason)
    from playwright.sync_api import sync_playwright

    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores)")
    rows = []
    with tempfile.TemporaryDirectory() as work:
        served = bs.copy_course(REPO, Path(work) / "course")
        with bs.LabServer(served, Path(work) / "state") as lab, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(bs.CHROMIUM),
                                                 args=bs.CHROMIUM_ARGS, headless=True)
            context = browser.new_context(viewport=bs.VIEWPORT)
            context.set_default_timeout(30_000)
            page = context.new_page()
            for path in lessons:
                tb.open_notebook(page, lab, path)
                tb.run_all_from_menu(page, path, tb.PER_NOTEBOOK)
                widgets = bs.wait_until(lambda: page.evaluate(bs.JS_SCAN_WIDGETS, path), 30)
                drags = []  # (widget, slider index, control, handle, track): measured twice
                for info in widgets or []:
                    node = page.locator(f'[data-nnl-widget="{info["n"]}"]')
                    tb.center_in_view(page, node)
                    for i, control in enumerate(info["controls"]):
                        if control["kind"] != "slider":
                            continue
                        element = node.locator(f'[data-nnl-control="{i}"]')
                        handle = element.locator(".noUi-handle").first
                        track = element.locator(".noUi-target").first
                        if control["continuous"]:
                            lat, skipped = measure_continuous(page, path, info["n"], i, handle,
                                                              track, args.moves)
                            mode = "drag"
                            drags.append((info, i, control, handle, track))
                        else:
                            lat, skipped = measure_release(page, path, info["n"], i, handle,
                                                           track, args.releases), 0
                            mode = "release"
                        rows.append((Path(path).stem, info["title"], control["description"],
                                     mode, lat, skipped))
                        print_row(rows[-1], flush=True)
                if drags and not args.no_floor:
                    failed = page.evaluate(JS_RUN_IN_KERNEL, [path, KERNEL_REPLAY])
                    if failed:
                        sys.exit(f"could not make {path}'s explorers replay: {failed}")
                    for info, i, control, handle, track in drags:
                        tb.center_in_view(page, page.locator(f'[data-nnl-widget="{info["n"]}"]'))
                        lat, skipped = measure_continuous(page, path, info["n"], i, handle,
                                                          track, args.moves)
                        rows.append((Path(path).stem, info["title"], control["description"],
                                     "floor", lat, skipped))
                        print_row(rows[-1], flush=True)
                page.evaluate(bs.JS_SHUTDOWN_KERNEL, path)
            browser.close()
    print_table(rows)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def verdict(lat):
    if not lat:
        return "no data"
    ok = statistics.median(lat) <= TARGET_MEDIAN and percentile(lat, 0.95) <= TARGET_P95
    return "pass" if ok else "FAIL"


def print_row(row, flush=False):
    lesson, title, slider, mode, lat, skipped = row
    stats = (f"{statistics.median(lat):7.0f} {percentile(lat, 0.95):7.0f}" if lat
             else f"{'-':>7} {'-':>7}")
    judged = {"drag": verdict(lat), "floor": "(nothing drawn)"}.get(mode, "(no target)")
    print(f"{lesson:20} {title[:38]:38} {slider[:26]:26} {mode:7} {len(lat):3} {stats}  {judged}"
          + (f"  ({skipped} moves left the value)" if skipped else ""), flush=flush)


def print_table(rows):
    print()
    print(f"Per widget, sliders that redraw while dragging (mouse move -> new picture, ms; "
          f"target median <= {TARGET_MEDIAN:g}, p95 <= {TARGET_P95:g}):")
    print("floor: the same drags with every picture one the widget drew before (nothing computed"
          " or drawn),\nwhat the browser, the server and the kernel's messages cost on their own")
    print(f"{'lesson':20} {'widget':38} {'n':>4} {'median':>7} {'p95':>7}  verdict  "
          f"{'floor':>5} {'above':>5}")
    widgets, floors = {}, {}
    for lesson, title, _, mode, lat, _ in rows:
        if mode == "drag":
            widgets.setdefault((lesson, title), []).extend(lat)
        elif mode == "floor":
            floors.setdefault((lesson, title), []).extend(lat)
    for key, lat in widgets.items():
        lesson, title = key
        stats = (f"{statistics.median(lat):7.0f} {percentile(lat, 0.95):7.0f}" if lat
                 else f"{'-':>7} {'-':>7}")
        floor = floors.get(key)
        beyond = (f"{statistics.median(floor):5.0f} {statistics.median(lat) - statistics.median(floor):+5.0f}"
                  if floor and lat else f"{'-':>5} {'-':>5}")
        print(f"{lesson:20} {title[:38]:38} {len(lat):4} {stats}  {verdict(lat):7}  {beyond}")
    print()
    print("Sliders that redraw once let go (mouse release -> new picture, ms; no target):")
    print(f"{'lesson':20} {'widget':38} {'slider':26} {'n':>4} {'median':>7} {'p95':>7}")
    for lesson, title, slider, mode, lat, _ in rows:
        if mode == "release":
            stats = (f"{statistics.median(lat):7.0f} {percentile(lat, 0.95):7.0f}" if lat
                     else f"{'-':>7} {'-':>7}")
            print(f"{lesson:20} {title[:38]:38} {slider[:26]:26} {len(lat):4} {stats}")


if __name__ == "__main__":
    main()
