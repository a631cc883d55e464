"""`build.py release VERSION`: a version of the dataset, tagged, described and packed.

The steps (README, "Releases"); each refuses before it writes anything when it cannot be done:

1. preflight: a clean working tree, no tag vVERSION yet, a version above the previous release's,
   check without errors, the tests passing (`make test` unless told otherwise);
2. the changelog entry, from the previous release tag (the highest vX.Y.Z merged into HEAD) to
   now through tools/review.py, the comparison of `build.py diff`: records added, changed and
   removed, statements added and removed, the site's counts; the first release describes the
   dataset as a whole. Notes written beforehand in docs/releases/VERSION.md open the entry;
3. the metadata: the entry on top of CHANGELOG.md; CITATION.cff's version, date-released, url
   and repository-code; .zenodo.json made from CITATION.cff; pyproject.toml's version; the
   version and date where the Downloads page (site_src/downloads.md) names them;
4. the assets, built from those files: `build.py build` in text mode rights (the published
   site's), the site and the exports as zip archives, the entry as RELEASE_NOTES.md, SHA256SUMS;
5. a commit "Release VERSION" of the metadata and the annotated tag vVERSION, whose message is
   the entry.

A dry run (--dry-run) runs the preflight here, then steps 2-5 in a scratch clone on the branch
release-dry-run/VERSION, under .build/release/: the repository itself gets no commit and no tag.

The check of steps 1 and 2 runs with the provider the command hands in (atlas/fast/: Fast, made
with the check cache for the working tree), as `diff` hands tools/review.py its check.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .. import pipeline
from ..core.dates import MONTHS
from ..core.paths import CHANGELOG_FILE, CITATION_FILE
from ..core.printer import show, summary
from ..core.problems import AtlasError
from .review import Change, Side, compare, count_rows, read_side, resolve_ref, unpack

NAME = "libya-claims-atlas"
TAG_PREFIX = "v"
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)")
DAY_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CHANGELOG = CHANGELOG_FILE
CITATION = CITATION_FILE
ZENODO = ".zenodo.json"
PYPROJECT = "pyproject.toml"
NOTES_DIR = "docs/releases"  # docs/releases/VERSION.md: the release's own words, reviewed before it
# The Downloads page names the version and date in its prose and citation examples (a page of
# site_src/ is copied as written): the release rewrites them there.
DOWNLOADS_PAGE = "site_src/downloads.md"
METADATA = (CHANGELOG, CITATION, ZENODO, PYPROJECT, DOWNLOADS_PAGE)
CHANGELOG_HEAD = """# Changelog of the dataset

Each release of the Libya Claims Atlas, newest first: what changed in the data since the release
before (records added, changed and removed, statements added and removed) and the counts the
site shows. `build.py release` writes each entry from `build.py diff` between the two release tags;
cite a version by its number and date (CITATION.cff).
"""
# The archived record's rights, as DATA-LICENSE.md states them: the licence Zenodo shows is the
# annotations', and the record must not suggest the texts in corpus/ share it.
ZENODO_NOTES = ("The annotations and every export are licensed CC BY 4.0 and the code MIT. The news "
                "articles in corpus/ are not licensed by this project: their copyright stays with their "
                "publishers and authors (DATA-LICENSE.md).")


class ReleaseError(AtlasError):
    """A release refused: nothing was committed or tagged."""


@dataclass(frozen=True)
class Request:
    version: str
    date: str
    site_url: str | None = None  # the published site's address; CITATION.cff's url when None
    repo_url: str | None = None
    notes: Path | None = None
    test_command: tuple[str, ...] = ("make", "test")

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.version


@dataclass(frozen=True)
class Made:
    """What a release made: where, the tag, the commit, the entry and the assets."""

    root: Path
    tag: str
    commit: str
    entry: str
    assets: tuple[Path, ...]


# --- git ---------------------------------------------------------------------------------------

def git(root: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    if check and done.returncode != 0:
        raise ReleaseError(f"git {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def version_key(version: str) -> tuple[int, int, int]:
    match = VERSION_RE.fullmatch(version)
    if not match:
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH, such as 2.0.0")
    return tuple(int(part) for part in match.groups())


def previous_release(root: Path) -> str | None:
    """The highest release tag (vX.Y.Z) merged into HEAD: the release this one follows."""
    tags = [tag for tag in git(root, "tag", "--merged", "HEAD", "--list", f"{TAG_PREFIX}*").splitlines()
            if VERSION_RE.fullmatch(tag[len(TAG_PREFIX):])]
    return max(tags, key=lambda tag: version_key(tag[len(TAG_PREFIX):]), default=None)


# --- 1. preflight -------------------------------------------------------------------------------

# What the command hands in: makes the check's provider, Fast(cache=True) or Fast() (atlas/fast/).
ProviderMaker = Callable[..., pipeline.Provider]


def preflight(root: Path, request: Request, provider: ProviderMaker, out=print) -> str | None:
    """Refuse unless the release can be made; return the previous release tag (None: the first)."""
    refuse_bad_request(request)
    refuse_dirty(root)
    if git(root, "tag", "--list", request.tag):
        raise ReleaseError(f"tag {request.tag} exists already; a release is tagged once")
    previous = previous_release(root)
    if previous and version_key(request.version) <= version_key(previous[len(TAG_PREFIX):]):
        raise ReleaseError(f"version {request.version} is not above the previous release, {previous}")
    refuse_failing_check(root, provider, out)
    refuse_failing_tests(root, request.test_command, out)
    return previous


def refuse_bad_request(request: Request) -> None:
    version_key(request.version)
    if not DAY_RE.fullmatch(request.date):
        raise ReleaseError(f"release date {request.date!r} is not YYYY-MM-DD")


def refuse_dirty(root: Path) -> None:
    """A release describes a commit: anything uncommitted or untracked would be in the assets but
    not in the tag."""
    status = git(root, "status", "--porcelain", "--untracked-files=all")
    if status:
        lines = status.splitlines()
        raise ReleaseError(f"the working tree is not clean ({len(lines)} changed or untracked paths, first: "
                           f"{lines[0][3:]}); commit or stash them first")


def refuse_failing_check(root: Path, provider: ProviderMaker, out) -> None:
    checked = pipeline.check(root, provider=provider(cache=True))
    if checked.report.errors:
        problems = checked.report.sorted()
        show(problems, out)
        raise ReleaseError(f"check found {summary(problems)}; a release must pass check")


def refuse_failing_tests(root: Path, command: tuple[str, ...], out) -> None:
    out(f"release: running the tests: {' '.join(command)}")
    try:
        # the tests print straight to the terminal: they take minutes, and their output is the reason
        code = subprocess.run(list(command), cwd=root, stdin=subprocess.DEVNULL, check=False).returncode
    except OSError as exc:
        raise ReleaseError(f"the tests could not be run ({' '.join(command)}: {exc.strerror})") from None
    if code != 0:
        raise ReleaseError(f"the tests failed (exit code {code} from {' '.join(command)}); a release must pass them")


# --- 2. the changelog entry ---------------------------------------------------------------------

def sides(root: Path, previous: str | None, provider: ProviderMaker) -> tuple[Side | None, Side]:
    """The previous release's data and the working tree's, as `build.py diff` reads them."""
    head = read_side(root, "working tree", partial(pipeline.check, provider=provider(cache=True)))
    if previous is None:
        return None, head
    with tempfile.TemporaryDirectory(prefix="atlas-release-") as temp:
        unpack(root, resolve_ref(root, previous), Path(temp))
        return read_side(Path(temp), previous, partial(pipeline.check, provider=provider())), head


def changelog_entry(request: Request, previous: str | None, base: Side | None, head: Side, notes: str = "") -> str:
    """The Markdown entry of one release: heading, the notes, what changed, the counts."""
    lines = [f"## {request.version} ({request.date})", ""]
    if notes.strip():
        lines += [notes.strip(), ""]
    if base is None:
        lines += count_table(head, "No earlier release is tagged: these are the whole dataset's counts.")
    else:
        changes = compare(base, head)
        lines += [f"### Changes since {previous}", ""] + change_lines(changes) + statement_lines(base, head) + [""]
        lines += moved_counts(base, head, previous, request.version)
    return "\n".join(lines).rstrip() + "\n"


def count_table(head: Side, intro: str) -> list[str]:
    rows = [f"| {name} | {number} |" for name, number in head.counts.items()]
    return ["### Counts on the site", "", intro, "", "| count | number |", "| --- | ---: |", *rows]


def change_lines(changes: list[Change]) -> list[str]:
    """One line per kind and change: '- actors added (2): `a`, `b`'."""
    if not changes:
        return ["- no record or text changed"]
    groups: dict[tuple[str, str], list[str]] = {}
    for change in changes:
        groups.setdefault((change.kind, change.what), []).append(change.id)
    return [f"- {kind} records {what} ({len(ids)}): {', '.join(code(i) for i in ids)}"
            for (kind, what), ids in sorted(groups.items())]


def statement_keys(side: Side) -> set[tuple[str, str]]:
    """(source id, statement id) of every statement of a side's source records."""
    keys = set()
    for (kind, ident), record in side.records.items():
        if kind == "source" and isinstance(record, dict) and isinstance(record.get("statements"), list):
            keys |= {(ident, str(item.get("id"))) for item in record["statements"] if isinstance(item, dict)}
    return keys


def statement_lines(base: Side, head: Side) -> list[str]:
    before, after = statement_keys(base), statement_keys(head)
    sources = len({source for source, _ in after})
    return [f"- statements added: {len(after - before)}, removed: {len(before - after)}, "
            f"now {len(after)} in {sources} source{'s' * (sources != 1)}"]


def moved_counts(base: Side, head: Side, previous: str, version: str) -> list[str]:
    rows = count_rows(base, head)
    if not rows:
        return ["No count on the site changed."]
    table = [f"| {name} | {before} | {after} | {after - before:+d} |" for name, before, after in rows]
    return ["### Counts on the site that changed", "", f"| count | {previous} | {version} | change |",
            "| --- | ---: | ---: | ---: |", *table]


def code(text: str) -> str:
    """An id as Markdown code (ids hold letters, digits and hyphens; a backtick could end it)."""
    return "`" + text.replace("`", "'") + "`"


def with_entry(changelog: str, entry: str) -> str:
    """CHANGELOG.md with the entry above the previous ones (the file is made when missing). An
    entry of the same version already there (written before its tag, as 2.0.0's was) is replaced:
    the entry describes the data as it is tagged."""
    if not changelog.strip():
        return CHANGELOG_HEAD + "\n" + entry
    version = entry.split(" ", 2)[1]
    changelog = re.sub(rf"^## {re.escape(version)} \(.*?(?=^## |\Z)", "", changelog, flags=re.M | re.S)
    first = re.search(r"^## ", changelog, re.M)
    if first is None:
        return changelog.rstrip() + "\n\n" + entry
    return changelog[: first.start()] + entry + "\n" + changelog[first.start():]


def entry_of(changelog: str, version: str) -> str:
    """The entry of one version, as with_entry put it there."""
    match = re.search(rf"^## {re.escape(version)} \(.*?(?=^## |\Z)", changelog, re.M | re.S)
    if match is None:
        raise ReleaseError(f"{CHANGELOG} has no entry for {version}")
    return match.group(0).rstrip() + "\n"


# --- 3. the metadata ----------------------------------------------------------------------------

def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096  # keep every line as written
    yaml.indent(mapping=2, sequence=4, offset=2)  # CITATION.cff's own layout
    yaml.preserve_quotes = True
    return yaml


def updated_citation(text: str, request: Request) -> str:
    """CITATION.cff with this release's version, date-released, url and repository-code; its
    comments and the other fields kept. Quoted: an unquoted 2.10 would be read as a number."""
    yaml = _yaml()
    data = yaml.load(text)
    url = request.site_url or data.get("url")
    if not url:
        raise ReleaseError(f"{CITATION} has no url: give --site-url, the address the site is published at")
    fields = {"version": request.version, "date-released": request.date, "url": url}
    if request.repo_url:
        fields["repository-code"] = request.repo_url
    after = "title"
    for key, value in fields.items():
        if key not in data:
            data.insert(list(data).index(after) + 1, key, None)
        data[key] = DoubleQuotedScalarString(value)
        after = key
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def zenodo_metadata(citation_text: str) -> dict:
    """.zenodo.json from CITATION.cff: only fields of Zenodo's deposit metadata, no DOI (Zenodo
    mints one when it archives the GitHub release)."""
    cff = YAML(typ="safe").load(citation_text)
    meta = {
        "title": cff["title"],
        "upload_type": "dataset",
        "description": " ".join(cff["abstract"].split()),
        "creators": [creator(author) for author in cff["authors"]],
        "access_right": "open",
        "license": cff["license"].lower(),  # Zenodo's licence ids are SPDX ids in lower case: cc-by-4.0
        "keywords": list(cff.get("keywords") or []),
        "version": cff["version"],
        "publication_date": cff["date-released"],
        "language": "eng",
        "notes": ZENODO_NOTES,
    }
    if cff.get("url"):
        meta["related_identifiers"] = [{"identifier": cff["url"], "relation": "isDocumentedBy"}]
    return meta


def creator(author: dict) -> dict:
    """A CFF author as a Zenodo creator: an entity's name, or 'Family, Given' for a person."""
    if "name" in author:
        person = {"name": author["name"]}
    else:
        person = {"name": f"{author['family-names']}, {author.get('given-names', '')}".rstrip(", ")}
    if author.get("affiliation"):
        person["affiliation"] = author["affiliation"]
    if author.get("orcid"):
        person["orcid"] = author["orcid"].rsplit("/", 1)[-1]
    return person


def with_project_version(pyproject: str, version: str) -> str:
    """pyproject.toml with [project]'s version set (the first `version =` line is [project]'s)."""
    new, count = re.subn(r'^version = "[^"\n]*"$', f'version = "{version}"', pyproject, count=1, flags=re.M)
    if count != 1:
        raise ReleaseError(f"{PYPROJECT} has no version line to update")
    return new


def long_date(day: str) -> str:
    """'2026-12-05' as the Downloads page writes it: '5 December 2026'."""
    year, month, date = (int(part) for part in day.split("-"))
    return f"{date} {MONTHS[month - 1]} {year}"


def with_page_release(page: str, old: tuple[str, str], new: tuple[str, str]) -> str:
    """The Downloads page with the previous version and date replaced where it names them: 'version
    X', '{X}' (BibTeX), the date as YYYY-MM-DD (also in '...T00:00:00Z') and written out."""
    (old_version, old_day), (version, day) = old, new
    for before, after in ((f"version {old_version}", f"version {version}"), (f"{{{old_version}}}", f"{{{version}}}"),
                          (old_day, day), (long_date(old_day), long_date(day))):
        page = page.replace(before, after)
    return page


def write_metadata(root: Path, request: Request, entry: str) -> None:
    changelog = root / CHANGELOG
    changelog.write_text(with_entry(changelog.read_text("utf-8") if changelog.exists() else "", entry), "utf-8")
    previous = YAML(typ="safe").load((root / CITATION).read_text("utf-8"))
    citation = updated_citation((root / CITATION).read_text("utf-8"), request)
    (root / CITATION).write_text(citation, "utf-8")
    downloads = root / DOWNLOADS_PAGE
    if downloads.is_file() and previous.get("version") and previous.get("date-released"):
        old = (str(previous["version"]), str(previous["date-released"]))
        downloads.write_text(with_page_release(downloads.read_text("utf-8"), old, (request.version, request.date)), "utf-8")
    (root / ZENODO).write_text(json.dumps(zenodo_metadata(citation), indent=2, ensure_ascii=False) + "\n", "utf-8")
    pyproject = root / PYPROJECT
    pyproject.write_text(with_project_version(pyproject.read_text("utf-8"), request.version), "utf-8")


def restore_metadata(root: Path) -> None:
    """Undo write_metadata after a failure: tracked files back to HEAD, new ones removed."""
    for name in METADATA:
        if git(root, "ls-files", "--", name):
            git(root, "checkout", "HEAD", "--", name)
        else:
            (root / name).unlink(missing_ok=True)


# --- 4. the assets ------------------------------------------------------------------------------

def build_assets(root: Path, out_dir: Path, version: str, date: str, site_url: str,
                 repo_url: str | None, entry: str) -> tuple[Path, ...]:
    """The built site and the exports as zip archives, the notes and their checksums, in out_dir."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="atlas-release-site-") as temp:
        site = build_site(root, Path(temp), site_url, repo_url)
        stem = f"{NAME}-{version}"
        assets = [
            zip_folder(out_dir / f"{stem}-site.zip", f"{stem}-site", date, site_files(site)),
            zip_folder(out_dir / f"{stem}-data.zip", f"{stem}-data", date, data_files(root, site)),
        ]
    notes = out_dir / "RELEASE_NOTES.md"
    notes.write_text(entry, "utf-8")
    sums = out_dir / "SHA256SUMS"
    sums.write_text("".join(f"{sha256(path)}  {path.name}\n" for path in assets), "utf-8")
    return (*assets, notes, sums)


def build_site(root: Path, temp: Path, site_url: str, repo_url: str | None) -> Path:
    """`build.py build` of root by root's own build.py: the code and CITATION.cff of the commit
    being released, not this process's copy. Text mode rights, as the deploy publishes it: the
    assets never carry a text its rights keep from being republished."""
    # only what the command line says: no deployment setting of this shell reaches the assets
    env = {key: value for key, value in os.environ.items() if key not in ("SITE_URL", "REPO_URL", "EDIT_URI", "ATLAS_TEXT_MODE")}
    command = [sys.executable, str(root / "build.py"), "--root", str(root), "build", "--text-mode", "rights",
               "--site-url", site_url, *(["--repo-url", repo_url] if repo_url else []),
               "--site-dir", str(temp / "site"), "--work-dir", str(temp / "work")]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise ReleaseError(f"the site build failed:\n{done.stdout}{done.stderr}")
    return temp / "site"


def site_files(site: Path) -> list[tuple[str, Path]]:
    return [(path.relative_to(site).as_posix(), path) for path in sorted(site.rglob("*")) if path.is_file()]


def data_files(root: Path, site: Path) -> list[tuple[str, Path]]:
    """The exports and the schemas as the site serves them, with the citation and the licences."""
    files = [(rel, path) for rel, path in site_files(site) if rel.startswith(("downloads/", "schema/"))]
    return files + [(name, root / name) for name in (CITATION, "DATA-LICENSE.md", "LICENSE") if (root / name).is_file()]


def zip_folder(target: Path, prefix: str, date: str, files: list[tuple[str, Path]]) -> Path:
    """A zip whose bytes depend only on the files: sorted entries, every time stamp the release day."""
    stamp = tuple(int(part) for part in date.split("-")) + (0, 0, 0)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, path in sorted(files):
            info = zipfile.ZipInfo(f"{prefix}/{rel}", date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- 5. commit and tag --------------------------------------------------------------------------

def commit_and_tag(root: Path, request: Request, entry: str) -> str:
    git(root, "add", "--", *(name for name in METADATA if (root / name).exists()))
    # --cleanup=verbatim: git would drop the entry's headings ("## 2.0.0 ...") as comment lines
    git(root, "commit", "--quiet", "--cleanup=verbatim", "-m", f"Release {request.version}\n\n{entry}")
    git(root, "tag", "--annotate", "--cleanup=verbatim", request.tag, "-m", f"Libya Claims Atlas {request.version}\n\n{entry}")
    return git(root, "rev-parse", "HEAD")


# --- the whole procedure ------------------------------------------------------------------------

def read_notes(root: Path, request: Request) -> str:
    path = request.notes or root / NOTES_DIR / f"{request.version}.md"
    return path.read_text("utf-8") if path.is_file() else ""


def make_release(root: Path, request: Request, previous: str | None, out_dir: Path, provider: ProviderMaker) -> Made:
    """Steps 2-5 in root, whose preflight passed: entry, metadata, assets, then commit and tag."""
    base, head = sides(root, previous, provider)
    entry = changelog_entry(request, previous, base, head, read_notes(root, request))
    try:
        write_metadata(root, request, entry)
        citation = YAML(typ="safe").load((root / CITATION).read_text("utf-8"))
        assets = build_assets(root, out_dir, request.version, request.date, citation["url"],
                              citation.get("repository-code"), entry)
        commit = commit_and_tag(root, request, entry)
    except BaseException:
        restore_metadata(root)  # nothing half-made stays: the tree is as the preflight found it
        raise
    return Made(root, request.tag, commit, entry, assets)


def release(root: Path, request: Request, out_dir: Path, provider: ProviderMaker, out=print) -> Made:
    previous = preflight(root, request, provider, out)
    return make_release(root, request, previous, out_dir, provider)


def dry_run(root: Path, request: Request, work: Path, provider: ProviderMaker, out=print) -> Made:
    """The preflight here, the release in a scratch clone of HEAD on release-dry-run/VERSION."""
    previous = preflight(root, request, provider, out)
    if work.exists():
        shutil.rmtree(work)
    clone = work / "clone"
    git(root, "clone", "--quiet", str(root), str(clone))
    git(clone, "checkout", "--quiet", "-b", f"release-dry-run/{request.version}", git(root, "rev-parse", "HEAD"))
    return make_release(clone, request, previous, work / "assets", provider)


def assets_only(root: Path, version: str, out_dir: Path, repo_url: str | None = None) -> tuple[Path, ...]:
    """The assets of a release already tagged (the release workflow, on the tag): its version
    must be CITATION.cff's, its notes are its CHANGELOG.md entry."""
    citation = YAML(typ="safe").load((root / CITATION).read_text("utf-8"))
    if citation.get("version") != version:
        raise ReleaseError(f"{CITATION} says version {citation.get('version')!r}, not {version!r}")
    entry = entry_of((root / CHANGELOG).read_text("utf-8"), version)
    return build_assets(root, out_dir, version, citation["date-released"], citation["url"],
                        repo_url or citation.get("repository-code"), entry)
