"""`finops-kb schema --out DIR --with-ids --editor vscode`: schemas whose `$ref`s resolve offline
with no base URI, reference fields that list the repository's ids, and VS Code settings merged
into what the user has."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

import check_jsonschema
import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from kb import one_error_line, tree_files
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource

from generator.cli import main
from generator.core.check import Result, check
from generator.core.config import load_config
from generator.core.editor_schemas import (
    EXAMPLE_FIELDS,
    OPEN_FIELDS,
    REFERENCE_FIELDS,
    editor_schemas,
    repository_ids,
    vscode_settings,
    write_schemas,
    yaml_schemas,
)
from generator.core.load import data_kind, split_front_matter
from generator.core.schema import schema_files

ROOT = Path(__file__).parent.parent
# A proxy nobody listens on: any attempt to reach the network fails at once.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


@pytest.fixture(scope="module")
def bundled() -> Result:
    result = check(load_config(ROOT / "site_config.yml"))
    assert result.errors == 0
    return result


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schemas of the bundled repository as the command writes them, with its ids."""
    out = tmp_path_factory.mktemp("editor") / "schemas"
    status = main(["-f", str(ROOT / "site_config.yml"), "schema", "--with-ids", "--out", str(out)])
    assert status == 0
    return out


def _load(folder: Path) -> dict[str, Any]:
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))}


def _no_network(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)


def _registry(schemas: dict[str, Any]) -> Registry[Any]:
    """Every written schema under its own `$id`, and nothing to fetch from anywhere."""
    return Registry(retrieve=_no_network).with_resources(
        (s["$id"], Resource.from_contents(s)) for s in schemas.values()
    )


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _validator(schemas: dict[str, Any], kind: str) -> Draft202012Validator:
    return Draft202012Validator(schemas[f"{kind}.json"], registry=_registry(schemas))


# --- $ids and $refs that resolve offline -----------------------------------------------------


def test_every_schema_names_its_own_file_and_every_ref_resolves_among_them(written: Path) -> None:
    schemas = _load(written)
    assert set(schemas) == set(schema_files())
    registry = _registry(schemas)
    refs = 0
    for name, schema in schemas.items():
        uri = urlsplit(schema["$id"])
        assert uri.scheme == "file" and Path(url2pathname(uri.path)) == (written / name).resolve()
        resolver = registry.resolver(base_uri=schema["$id"])
        for ref in _refs(schema):
            resolver.lookup(ref)  # raises if it would need a file that is not there, or a URL
            refs += 1
    assert refs > 100


def test_a_validator_that_reads_refs_from_disk_needs_no_base_uri(written: Path) -> None:
    """As an editor does: load one schema, then each file its `$ref`s name, by its URI."""
    fetched: list[str] = []

    def from_disk(uri: str) -> Resource[Any]:
        path = Path(url2pathname(urlsplit(uri).path))
        assert urlsplit(uri).scheme == "file" and path.parent == written.resolve(), uri
        fetched.append(path.name)
        return Resource.from_contents(json.loads(path.read_text("utf-8")))

    raci = json.loads((written / "raci.json").read_text("utf-8"))
    registry = Registry(retrieve=from_disk)
    validator = Draft202012Validator(raci, registry=registry)
    validator.validate(yaml.safe_load((ROOT / "playbooks/raci.yml").read_text("utf-8")))
    assert set(fetched) == {"common.json"}


def test_without_ids_the_written_schemas_are_the_shipped_ones_with_a_resolvable_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "--out", str(tmp_path / "plain")]) == 0
    assert f"wrote {len(schema_files())} schemas" in capsys.readouterr().out
    for name, schema in _load(tmp_path / "plain").items():
        shipped = json.loads(schema_files()[name])
        assert schema.pop("$id") == (tmp_path / "plain" / name).resolve().as_uri()
        assert shipped.pop("$id") == name
        assert schema == shipped


# --- the repository's ids ----------------------------------------------------------------------


def _ids_from_the_files() -> dict[str, list[str]]:
    """The ids as the file system and the data files say, read without the generator."""
    org = yaml.safe_load((ROOT / "playbooks/organization.yml").read_text("utf-8"))
    raci = yaml.safe_load((ROOT / "playbooks/raci.yml").read_text("utf-8"))
    ids = {
        kind: sorted(p.stem for p in (ROOT / folder).glob("*.md"))
        for kind, folder in (
            ("capability", "content/capabilities"),
            ("domain", "content/domains"),
            ("persona", "content/personas"),
            ("adoption-phase", "playbooks/adoption"),
        )
    }
    return {
        **ids,
        "role": sorted(r["id"] for r in org["roles"]),
        "unit": sorted(u["id"] for u in org.get("units") or []),
        "activity": sorted(a["id"] for a in raci["activities"]),
    }


def _at(schema: Any, pointer: tuple[str, ...]) -> Any:
    for key in pointer:
        schema = schema[key]
    return schema


def test_every_reference_field_lists_the_ids_of_the_repository(written: Path) -> None:
    expected = _ids_from_the_files()
    assert len(expected["capability"]) == 22 and len(expected["role"]) > 10
    schemas = _load(written)
    registry = _registry(schemas)
    for name, fields in REFERENCE_FIELDS.items():
        for pointer, kind in fields.items():
            ref = _at(schemas[name], pointer)["$ref"]
            target = registry.resolver(base_uri=schemas[name]["$id"]).lookup(ref).contents
            if expected[kind]:
                assert target["enum"] == expected[kind], (name, pointer)
            else:  # none to list (the bundled roster has no units): the field stays open
                assert ref.endswith("#/$defs/ref") and "enum" not in target, (name, pointer)
    for name, fields in EXAMPLE_FIELDS.items():
        for pointer, kind in fields.items():
            node = _at(schemas[name], pointer)
            assert node["$ref"].endswith("#/$defs/id") and node["examples"] == expected[kind]
    raci = schemas["raci.json"]["properties"]["activities"]["items"]["properties"]
    keys = raci["assignments"]["properties"]  # keys editors offer as completions
    assert sorted(keys) == expected["role"]
    assert all(v == {"enum": ["R", "A", "C", "I"]} for v in keys.values())


def _slug_fields(node: Any, at: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    if not isinstance(node, dict):
        return set()
    here = {at} if str(node.get("$ref", "")).endswith("#/$defs/ref") else set()
    return here.union(*(_slug_fields(v, (*at, k)) for k, v in node.items()))


def test_every_slug_field_of_the_shipped_schemas_is_a_listed_reference_or_open() -> None:
    """A new field that names an id must be added to REFERENCE_FIELDS (or OPEN_FIELDS)."""
    for name, text in schema_files().items():
        found = _slug_fields(json.loads(text))
        listed = set(REFERENCE_FIELDS.get(name, {})) | OPEN_FIELDS.get(name, set())
        assert found == listed, name
    for name, fields in EXAMPLE_FIELDS.items():
        for pointer in fields:
            assert _at(json.loads(schema_files()[name]), pointer)["$ref"].endswith("#/$defs/id")


def test_the_written_schemas_validate_every_bundled_file(bundled: Result, written: Path) -> None:
    schemas = _load(written)
    documents = bundled.repo.documents
    assert len(documents) > 60 and {d.kind for d in documents} >= {"capability", "overlay"}
    for doc in documents:
        errors = list(_validator(schemas, doc.kind).iter_errors(doc.meta))
        assert not errors, (doc.path, [e.message for e in errors])
    data_files = _data_files(bundled)
    assert {d.kind for d in data_files} == {
        "organization",
        "raci",
        "unit-raci",
        "assessment",
        "kpi-series",
    }
    for data in data_files:
        errors = list(_validator(schemas, data.kind).iter_errors(data.data))
        assert not errors, (data.path, [e.message for e in errors])


def _data_files(bundled: Result) -> list[Any]:
    repo = bundled.repo
    return [repo.organization, repo.raci, *repo.unit_racis, *repo.assessments, *repo.kpi_series]


@pytest.mark.parametrize(
    "kind,data,valid",
    [
        # An id field itself stays open: a new page, role or activity needs a new id.
        ("capability", {"id": "brand-new-capability"}, True),
        ("organization", {"roles": [{"id": "new-role", "persona": "engineering"}]}, True),
        ("raci", {"activities": [{"id": "new-activity"}]}, True),
        # References name what exists; a former name or a typo is refused, as `check` refuses it.
        ("overlay", {"capability": "policy-governance"}, False),
        ("overlay", {"owner": "head-of-finops"}, True),
        ("overlay", {"owner": "head-of-finance"}, False),
        ("capability", {"domain": "understand-usage-and-cost"}, True),
        ("capability", {"related": ["allocation", "alocation"]}, False),
        ("capability", {"personas": {"lead": ["engineering"], "involved": ["enginering"]}}, False),
        ("organization", {"roles": [{"id": "new-role", "persona": "nobody"}]}, False),
        ("raci", {"activities": [{"assignments": {"cfo": "A", "nobody": "R"}}]}, False),
        ("charter", {"members": ["cfo", "cto"]}, True),
        ("charter", {"decision_rights": [{"approver": "ceo-of-the-world"}]}, False),
    ],
)
def test_only_references_are_held_to_the_known_ids(
    bundled: Result, written: Path, kind: str, data: dict[str, Any], valid: bool
) -> None:
    """Only the fields named are looked at: a real file with them changed."""
    schemas = _load(written)
    base = _real_file(bundled, kind)
    item = _merge(base, data)
    messages = [e.message for e in _validator(schemas, kind).iter_errors(item)]
    assert (not messages) is valid, messages
    # The shipped schema knows no ids: what it accepts does not depend on the repository.
    shipped = {name: json.loads(text) for name, text in schema_files().items()}
    for name, s in shipped.items():
        s["$id"] = (written / name).resolve().as_uri()
    assert not list(_validator(shipped, kind).iter_errors(item))


def _real_file(bundled: Result, kind: str) -> dict[str, Any]:
    if kind in ("organization", "raci"):
        return dict(getattr(bundled.repo, kind).data)
    return dict(bundled.repo.of_kind(kind)[0].meta)


def _merge(base: Any, change: Any) -> Any:
    """`change` laid over `base`; a list's first entry is changed, the others kept."""
    if isinstance(base, dict) and isinstance(change, dict):
        return {**base, **{k: _merge(base.get(k), v) for k, v in change.items()}}
    if isinstance(base, list) and isinstance(change, list) and isinstance(change[0], dict):
        return [_merge(base[0], change[0]), *base[1:]]
    return change


def test_ids_come_from_the_files_that_pass_their_schema(
    base_repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (base_repo / "content/capabilities/gamma.md").write_text("---\nkind: capability\n---\n")
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "schema", "--with-ids", "--out", str(tmp_path / "s")]) == 0
    out, err = capsys.readouterr()
    assert "with the ids (" in out and "errors in the repository" in err
    common = json.loads((tmp_path / "s/common.json").read_text("utf-8"))
    enum = common["$defs"]["capability-id"]["enum"]
    repo = check(load_config(Path(cfg))).repo
    assert "gamma" not in enum and enum == repository_ids(repo)["capability"]


UNITS = "units:\n  - id: freight\n    name: Freight\n  - id: parcel\n    name: Parcel\nroles:\n"


@pytest.mark.parametrize(
    "kind,data,valid",
    [
        ("organization", {"units": [{"id": "new", "name": "N", "parent": "freight"}]}, True),
        ("organization", {"units": [{"id": "new", "name": "N", "parent": "fright"}]}, False),
        ("organization", {"units": [{"id": "new", "name": "N", "lead": "engineer"}]}, True),
        ("organization", {"units": [{"id": "new", "name": "N", "scopes": ["ai", "saas"]}]}, True),
        ("unit-raci", {"activities": [{"id": "collect-data", "assignments": {"lead": "A"}}]}, True),
        # A new row: a new id is allowed where an existing one is offered.
        ("unit-raci", {"activities": [{"id": "a-new-row", "assignments": {"lead": "A"}}]}, True),
        ("unit-raci", {"activities": [{"id": "x", "assignments": {"leed": "A"}}]}, False),
        ("unit-raci", {"remove": ["collect-data"], "adoption": {"plan": "done"}}, True),
        ("unit-raci", {"remove": ["collect-dat"]}, False),
        ("unit-raci", {"adoption": {"plans": "done"}}, False),
        ("kpi-series", {"unit": "parcel", "capability": "alpha"}, True),
        ("kpi-series", {"unit": "parcels"}, False),
    ],
)
def test_units_activities_and_adoption_phases_are_listed_too(
    base_repo: Path, tmp_path: Path, kind: str, data: dict[str, Any], valid: bool
) -> None:
    org = base_repo / "playbooks/organization.yml"
    org.write_text(org.read_text("utf-8").replace("roles:\n", UNITS, 1), "utf-8")
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "schema", "--with-ids", "--out", str(tmp_path / "s")]) == 0
    schemas = _load(tmp_path / "s")
    base = {
        "organization": yaml.safe_load(org.read_text("utf-8")),
        "unit-raci": {},
        "kpi-series": {
            "capability": "alpha",
            "kpi": "K",
            "direction": "up",
            "values": [{"date": "2026-01-01", "value": 1}],
        },
    }[kind]
    item = _merge(base, data)
    messages = [e.message for e in _validator(schemas, kind).iter_errors(item)]
    assert (not messages) is valid, messages
    adoption = schemas["unit-raci.json"]["properties"]["adoption"]
    assert sorted(adoption["properties"]) == ["plan"]  # offered as keys


# --- check-jsonschema, with no --base-uri and no network ---------------------------------------


def _check_jsonschema(schema: Path, files: list[Path]) -> Any:
    """check-jsonschema's own command, in this process (a fresh one costs half a second)."""
    command = ["--no-cache", "--schemafile", str(schema), *map(str, files)]
    return CliRunner().invoke(check_jsonschema.main, command, catch_exceptions=False)


def test_check_jsonschema_validates_the_bundled_files_offline(
    bundled: Result, written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The playbooks as they are, and every front matter copied out to a YAML file, run from
    an unrelated folder so nothing resolves against the working directory."""
    monkeypatch.chdir(tmp_path)
    for name, value in OFFLINE.items():
        monkeypatch.setenv(name, value)
    groups: dict[str, list[Path]] = {}
    for data in _data_files(bundled):
        groups.setdefault(data.kind, []).append(ROOT / data.path)
    for doc in bundled.repo.documents:
        front = split_front_matter((ROOT / doc.path).read_text("utf-8"), doc.path)[0]
        copy = tmp_path / doc.kind / (doc.path.replace("/", "--") + ".yml")
        copy.parent.mkdir(exist_ok=True)
        copy.write_text(front or "", "utf-8")
        groups.setdefault(doc.kind, []).append(copy)
    for kind, files in groups.items():
        done = _check_jsonschema(written / f"{kind}.json", files)
        assert done.exit_code == 0, (kind, done.output)
    wrong = tmp_path / "raci-wrong.yml"
    text = (ROOT / "playbooks/raci.yml").read_text("utf-8")
    wrong.write_text(text.replace("capability: data-ingestion", "capability: data-ingestio", 1))
    done = _check_jsonschema(written / "raci.json", [wrong])
    assert done.exit_code == 1 and "'data-ingestio' is not one of" in done.output, done.output


# --- VS Code settings ----------------------------------------------------------------------------


def _mapped(prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}organization.json": "playbooks/organization.yml",
        f"{prefix}raci.json": "playbooks/raci.yml",
        f"{prefix}unit-raci.json": "playbooks/units/*/raci.yml",
        f"{prefix}assessment.json": ["playbooks/assessments/*.yml", "playbooks/assessments/*.yaml"],
        f"{prefix}kpi-series.json": ["playbooks/kpis/*.yml", "playbooks/kpis/*.yaml"],
    }


@pytest.mark.parametrize(
    "path",
    [
        "playbooks/organization.yml",
        "playbooks/raci.yml",
        "playbooks/units/freight/raci.yml",
        "playbooks/assessments/2026-q1.yml",
        "playbooks/kpis/coverage.yaml",
        "playbooks/units/freight/organization.yml",  # none: not a data file
    ],
)
def test_each_data_file_is_mapped_to_the_schema_check_reads_it_with(path: str) -> None:
    mapped = [
        schema.rsplit("/", 1)[-1][:-5]
        for schema, globs in yaml_schemas(ROOT, ROOT / "schemas", "playbooks").items()
        for glob in ([globs] if isinstance(globs, str) else globs)
        if PurePosixPath(path).match(glob)
    ]
    kind = data_kind(path)
    assert mapped == ([kind] if kind else []), mapped


def test_the_committed_vscode_settings_are_what_the_command_writes_for_the_bundled_repo() -> None:
    committed = ROOT / ".vscode/settings.json"
    entries = yaml_schemas(ROOT, ROOT / "schemas", "playbooks")  # the default --out
    assert entries == _mapped("./schemas/")
    target, text = vscode_settings(ROOT, entries)  # computes, writes nothing
    assert target == committed.resolve() and text == committed.read_text("utf-8")
    assert "/schemas/" in (ROOT / ".gitignore").read_text("utf-8").split()


def test_editor_settings_keep_the_users_keys_and_replace_an_older_mapping(
    base_repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = base_repo / ".vscode/settings.json"
    settings.parent.mkdir()
    mine = {
        "editor.tabSize": 2,
        "[markdown]": {"editor.wordWrap": "on"},
        "yaml.schemas": {
            "./ci.schema.json": ".gitlab-ci.yml",
            "./old-schemas/raci.json": "playbooks/raci.yml",  # superseded: one schema per file
            "./mine.json": ["playbooks/raci.yml", "other.yml"],  # a list of the user's own
        },
        "yaml.customTags": ["!ENV sequence"],
    }
    settings.write_text(json.dumps(mine), "utf-8")
    cfg = str(base_repo / "site_config.yml")
    out = str(base_repo / "schemas")
    assert main(["-f", cfg, "schema", "--with-ids", "--editor", "vscode", "--out", out]) == 0
    assert f"updated {settings}" in capsys.readouterr().out
    now = json.loads(settings.read_text("utf-8"))
    assert list(now) == list(mine)
    assert {k: v for k, v in now.items() if k != "yaml.schemas"} == {
        k: v for k, v in mine.items() if k != "yaml.schemas"
    }
    assert now["yaml.schemas"] == {
        "./ci.schema.json": ".gitlab-ci.yml",
        "./mine.json": ["playbooks/raci.yml", "other.yml"],
        **_mapped("./schemas/"),
    }
    first = settings.read_bytes()
    assert main(["-f", cfg, "schema", "--editor", "vscode"]) == 0  # schemas/ beside the config
    assert settings.read_bytes() == first  # running it again changes nothing


def test_editor_settings_are_created_and_trailing_commas_are_read_as_vs_code_does(
    base_repo: Path,
) -> None:
    cfg = str(base_repo / "site_config.yml")
    outside = base_repo.parent / "elsewhere"
    assert main(["-f", cfg, "schema", "--editor", "vscode", "--out", str(outside)]) == 0
    settings = base_repo / ".vscode/settings.json"
    # A folder outside the workspace is named by its URI, which the YAML extension accepts.
    assert json.loads(settings.read_text("utf-8"))["yaml.schemas"] == _mapped(
        outside.resolve().as_uri() + "/"
    )
    settings.write_text('{\n  "files.exclude": {"site": true,},\n  "a": [1, 2,],\n}\n', "utf-8")
    assert main(["-f", cfg, "schema", "--editor", "vscode", "--out", str(outside)]) == 0
    now = json.loads(settings.read_text("utf-8"))
    assert now["files.exclude"] == {"site": True} and now["a"] == [1, 2]


@pytest.mark.parametrize(
    "content,expected",
    [
        (
            '{\n  // my font\n  "editor.fontSize": 14\n}\n',
            "settings.json:2: has comments (JSON with comments), which rewriting would lose; not "
            'changed: add "yaml.schemas": {"./schemas/organization.json"',
        ),
        ('{\n  "a": 1\n  "b": 2\n}\n', "settings.json:3: not valid JSON (Expecting ',' delimiter)"),
        ('{"a": "// in a string", "b": 2,, }', "settings.json:1: not valid JSON"),
        ("[1, 2]", "settings.json: expected a JSON object"),
        ('{"yaml.schemas": ["x.json"]}', "settings.json: `yaml.schemas` is not a mapping"),
        (b'{"a": "\xff"}', "settings.json: not valid UTF-8"),
    ],
)
def test_a_settings_file_that_cannot_be_merged_is_refused_before_anything_is_written(
    base_repo: Path, capsys: pytest.CaptureFixture[str], content: str | bytes, expected: str
) -> None:
    settings = base_repo / ".vscode/settings.json"
    settings.parent.mkdir()
    settings.write_bytes(content.encode() if isinstance(content, str) else content)
    before = tree_files(base_repo)
    cfg = str(base_repo / "site_config.yml")
    assert main(["-f", cfg, "schema", "--with-ids", "--editor", "vscode"]) == 2
    assert expected in one_error_line(capsys.readouterr().err)
    assert tree_files(base_repo) == before  # no schemas either


@pytest.mark.parametrize(
    "setup,args,expected",
    [
        ("out-file", ["--with-ids", "--editor", "vscode", "--out", "{root}/f"], "is a file"),
        ("vscode-file", ["--editor", "vscode", "--out", "{root}/s"], ".vscode is a file"),
        ("settings-dir", ["--editor", "vscode", "--out", "{root}/s"], "settings.json is not a"),
        ("settings-link", ["--editor", "vscode", "--out", "{root}/s"], "outside the repository"),
        ("none", ["raci", "--with-ids"], "leave out the KIND"),
        ("none", ["nope", "--editor", "vscode"], "no schema for `nope`"),
    ],
)
def test_bad_schema_arguments_are_one_line_and_exit_2(
    base_repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    args: list[str],
    expected: str,
) -> None:
    if setup == "out-file":
        (base_repo / "f").write_text("x", "utf-8")
    elif setup == "vscode-file":
        (base_repo / ".vscode").write_text("x", "utf-8")
    elif setup == "settings-dir":
        (base_repo / ".vscode/settings.json").mkdir(parents=True)
    elif setup == "settings-link":
        (base_repo / ".vscode").mkdir()
        (tmp_path / "theirs.json").write_text("{}", "utf-8")
        (base_repo / ".vscode/settings.json").symlink_to(tmp_path / "theirs.json")
    before = tree_files(base_repo)
    argv = [a.format(root=base_repo) for a in args]
    assert main(["-f", str(base_repo / "site_config.yml"), "schema", *argv]) == 2
    assert expected in one_error_line(capsys.readouterr().err)
    assert tree_files(base_repo) == before
    if setup == "settings-link":
        assert (tmp_path / "theirs.json").read_text("utf-8") == "{}"


def test_write_schemas_makes_the_folder_and_returns_the_files(tmp_path: Path) -> None:
    written = write_schemas(tmp_path / "a/b", editor_schemas(tmp_path / "a/b"))
    assert [p.name for p in written] == sorted(schema_files())
