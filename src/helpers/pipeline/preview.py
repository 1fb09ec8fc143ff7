"""`monitorbook preview`: one edition on localhost, rebuilt and reloaded while its sources are edited.

The loop a researcher uses to change the book: save a notebook, a chapter
module or the edition manifest, and the open page reloads with the change.
It is the build's own path (validate → execute → render), kept warm and
narrowed to what a preview needs:

- the input is checked once, as by `build` (and kept in `<out>/work/`);
- a chapter runs again only when its cache key changed (its notebook, the
  helpers modules it imports, the data, the parameters: `helpers.pipeline.cache`);
  unchanged chapters keep their executed notebook, and chapters in the build
  cache are restored from it;
- the book is compiled in a folder that persists between rounds, and only
  notebooks whose bytes changed are rewritten there, so Sphinx re-reads just
  those pages;
- nothing is printed, zipped or published: the preview lives in
  `<out>/voorbeeld/<edition>/` and is never an edition.

The preview holds the output folder's build lock while it runs, so a build
into the same folder waits its turn (and says so) instead of racing it.
Pages are served with a small script that asks `/__voorbeeld__` for the
round number and reloads when it changes, or shows the error of a failed round.
"""
from __future__ import annotations

import http.server
import json
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.pipeline import cache
from helpers.pipeline.build import (chapter_parameters, edition_keys, prepared_input, select_editions)
from helpers.core.edition_manifest import edition_chapters, load_manifest, resolve
from helpers.core.paths import NOTEBOOKS, SENTENCES_SUFFIX
from helpers.pipeline.outdir import OutputLock

PREVIEW_FOLDER = "voorbeeld"
STATUS_PATH = "/__voorbeeld__"
POLL_SECONDS = 0.3
#: What a preview watches besides the notebooks and their sentence templates: the code and the book's configuration.
WATCHED_FILES = ("edities.yml", "_config.yml", "_toc.yml", "figuren.yml")
SOURCES = Path(__file__).resolve().parents[1]  # the helpers package

RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function banner(text) {
    var box = document.getElementById("voorbeeld-fout");
    if (!text) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("pre");
      box.id = "voorbeeld-fout";
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;margin:0;" +
        "padding:1em;background:#fff3f3;color:#600;border-top:3px solid #c00;z-index:9999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = text;
  }
  function ask() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (seen !== null && s.ronde !== seen && !s.fout) { location.reload(); return; }
      seen = s.ronde;
      banner(s.fout ? "De laatste wijziging gaf een fout; de pagina toont de vorige versie.\\n\\n" + s.fout : "");
    }).catch(function () {}).finally(function () { setTimeout(ask, 500); });
  }
  ask();
})();
</script>""" % {"path": STATUS_PATH}


def watched(root: Path) -> dict[Path, tuple[int, int]]:
    """(mtime, size) of every file whose change can change the preview."""
    # The sentence templates the code reads sit beside the code's own notebooks (`helpers.book.sentences`).
    files = [*(root / "notebooks").rglob("*.ipynb"), *NOTEBOOKS.rglob(f"*{SENTENCES_SUFFIX}"),
             *SOURCES.rglob("*.py"), *(root / "data").glob("*.yml"),
             *(root / name for name in WATCHED_FILES)]
    found = {}
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def write_if_changed(target: Path, content: bytes) -> bool:
    """Write `content` unless `target` holds it already (so Sphinx sees unchanged pages as unchanged)."""
    if target.exists() and target.read_bytes() == content:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return True


@dataclass
class Round:
    """What one round of the preview did."""

    number: int
    executed: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None


class Preview:
    """One edition kept up to date in `<out>/voorbeeld/<edition>/` (see the module's docstring)."""

    def __init__(self, edition_id: str, respondents: Path, institutions: Path, out: Path,
                 root: Path = PROJECT_ROOT, min_n: int | None = None):
        self.root, self.out = Path(root), Path(out)
        self.folder = self.out / PREVIEW_FOLDER / edition_id
        manifest = load_manifest(root=self.root)
        prepared = prepared_input(Path(respondents), Path(institutions), self.out)
        editions = resolve(manifest, prepared.institutions)
        [self.edition], _ = select_editions(editions, [edition_id], prepared.absent(editions))
        self.data_hash, self.data_dir = prepared.data_hash, prepared.keep()
        self.min_n = load_codebook().min_n if min_n is None else min_n
        self.keys: dict[str, str] = {}  # chapter -> the key its executed notebook in `executed/` was made with
        self.rounds = 0
        self.error: str | None = None

    @property
    def html_dir(self) -> Path:
        return self.folder / "book" / "_build" / "html"

    def refresh(self) -> Round:
        """Execute the chapters whose key changed, recompile the book; the page stays as it was on an error."""
        from helpers.pipeline.cache import ChapterCache
        from helpers.pipeline.execute import EditionKernel
        from helpers.pipeline.render import assemble_book, compile_book

        start = time.perf_counter()
        result = Round(self.rounds + 1)
        cache.forget_file_contents()  # files were edited since the last round: hash them again
        chapters = edition_chapters(self.edition, self.root)
        keys, _ = edition_keys(self.edition, self.min_n, self.data_hash, self.root)
        executed_dir = self.folder / "executed"
        chapter_cache = ChapterCache(self.out / "cache" / "chapters")
        parameters = chapter_parameters(self.edition, self.data_dir, self.out, self.min_n)
        try:
            todo = [(c, k) for c, k in zip(chapters, keys)
                    if self.keys.get(c) != k or not (executed_dir / f"{c}.ipynb").exists()]
            kernel = None
            try:
                for chapter, key in todo:
                    target = executed_dir / f"{chapter}.ipynb"
                    tables = self.folder / "tables" / Path(chapter).name
                    if chapter_cache.has(key) and chapter_cache.restore(key, target, tables, chapter):
                        result.restored.append(chapter)
                    else:
                        if kernel is None:  # a fresh kernel each round: it imports the code as it is now
                            kernel = EditionKernel(cwd=self.root / "notebooks", log_path=self.folder / "kernel.log")
                            kernel.__enter__()
                        if tables.exists():
                            shutil.rmtree(tables)
                        run = kernel.run(self.root / f"{chapter}.ipynb", target,
                                         dict(parameters, tables_dir=str(tables.resolve())), chapter)
                        if run.status != "ok":
                            self.keys.pop(chapter, None)
                            raise RuntimeError(f"Hoofdstuk {chapter} faalde:\n{run.error}")
                        chapter_cache.store(key, target, sorted(tables.glob("*.csv")))
                        result.executed.append(chapter)
                    self.keys[chapter] = key
            finally:
                if kernel is not None:
                    kernel.__exit__(None, None, None)
            staged = self.folder / "samengesteld"
            if staged.exists():
                shutil.rmtree(staged)
            assemble_book(self.edition, executed_dir, staged, self.root)
            book = self.folder / "book"
            for path in sorted(p for p in staged.rglob("*") if p.is_file()):
                write_if_changed(book / path.relative_to(staged), path.read_bytes())
            shutil.rmtree(staged)
            compile_book(book)
            self.error = None
        except Exception as err:  # shown on the page; the preview goes on with the next edit
            self.error = str(err) or repr(err)
            result.error = self.error
        self.rounds = result.number
        result.seconds = time.perf_counter() - start
        return result

    def status(self) -> dict:
        return {"ronde": self.rounds, "fout": self.error}


def _handler(preview: Preview):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.html_dir), **kwargs)

        def log_message(self, *args) -> None:  # the terminal shows rounds, not requests
            pass

        def do_GET(self) -> None:
            if self.path.split("?")[0] == STATUS_PATH:
                self._send(json.dumps(preview.status()).encode("utf-8"), "application/json")
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                page = path.read_text(encoding="utf-8")
                page = page.replace("</body>", RELOAD_SCRIPT + "</body>", 1)
                self._send(page.encode("utf-8"), "text/html; charset=utf-8")
                return
            super().do_GET()

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _report(result: Round) -> None:
    done = []
    if result.executed:
        done.append(f"{len(result.executed)} hoofdstuk(ken) uitgevoerd ({', '.join(Path(c).name for c in result.executed)})")
    if result.restored:
        done.append(f"{len(result.restored)} uit de cache")
    what = "; ".join(done) or "geen hoofdstuk opnieuw"
    if result.error:
        print(f"Ronde {result.number}: FOUT na {result.seconds:.1f} s ({what}):\n{result.error}", file=sys.stderr)
    else:
        print(f"Ronde {result.number}: klaar in {result.seconds:.1f} s ({what}).", flush=True)


def serve(edition_id: str, respondents: Path, institutions: Path, out: Path, port: int = 8000,
          root: Path = PROJECT_ROOT, min_n: int | None = None, rounds: int | None = None) -> int:
    """Run the preview until Ctrl-C (or `rounds` rounds after the first, for tests); returns the exit status."""
    with OutputLock(Path(out)):
        preview = Preview(edition_id, respondents, institutions, Path(out), root, min_n)
        seen = watched(preview.root)
        first = preview.refresh()
        _report(first)
        if not preview.html_dir.is_dir():
            return 1
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(preview))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(f"Voorbeeld van {preview.edition.title} op http://127.0.0.1:{server.server_address[1]}/ — bewaar een "
              "notebook of module en de pagina laadt opnieuw. Stoppen: Ctrl-C.", flush=True)
        try:
            done = 0
            while rounds is None or done < rounds:
                time.sleep(POLL_SECONDS)
                now = watched(preview.root)
                if now == seen:
                    continue
                seen = now
                _report(preview.refresh())
                done += 1
        except KeyboardInterrupt:
            print("\nVoorbeeld gestopt.", flush=True)
        finally:
            server.shutdown()
            server.server_close()
    return 0
