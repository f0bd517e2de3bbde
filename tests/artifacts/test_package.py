"""connector package: the certification folder and its zip, deterministic, never over a person's files."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from artifact_helpers import tree
from conftest import BUILD, ROOT
from connector.cli import main
from connector.package import package

FILES = {"apiDefinition.swagger.json", "apiProperties.json", "readme.md", "script.csx", "icon.png"}


def test_folder_holds_exactly_the_submission_files_as_built(tmp_path, smartdialog):
    result = package(smartdialog, tmp_path)
    assert result.folder == tmp_path / "SmartDialog" and result.zip == tmp_path / "SmartDialog.zip"
    folder = tree(result.folder)
    assert set(folder) == FILES
    for name, data in folder.items():  # the production build's bytes, file for file
        assert data == (BUILD / name).read_bytes(), name


def test_zip_holds_the_folder_with_fixed_metadata(tmp_path, smartdialog):
    result = package(smartdialog, tmp_path)
    with zipfile.ZipFile(result.zip) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(f"SmartDialog/{n}" for n in FILES)
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644 and info.create_system == 3
            assert info.compress_type == zipfile.ZIP_DEFLATED and info.extra == b""
            assert archive.read(info) == (result.folder / Path(info.filename).name).read_bytes()
        assert archive.testzip() is None


def test_two_packages_are_byte_identical(tmp_path, smartdialog):
    package(smartdialog, tmp_path / "a")
    package(smartdialog, tmp_path / "b")
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a == b and "SmartDialog.zip" in a


def test_package_is_production_even_after_a_mock_build(tmp_path, monkeypatch, smartdialog):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["build", "--profile", "mock", "--mock-url", "http://127.0.0.1:1"]).exit_code == 0
    result = runner.invoke(main, ["package"])
    assert result.exit_code == 0, result.output
    swagger = Path("build/certification/SmartDialog/apiDefinition.swagger.json").read_bytes()
    assert swagger == (BUILD / "apiDefinition.swagger.json").read_bytes()
    assert "wrote     build/certification/SmartDialog.zip" in result.output
    again = runner.invoke(main, ["package"])
    assert again.exit_code == 0 and "wrote" not in again.output  # nothing changed, nothing rewritten


def test_refuses_to_overwrite_a_file_a_person_put_there(tmp_path, smartdialog):
    target = tmp_path / "SmartDialog" / "readme.md"
    target.parent.mkdir(parents=True)
    target.write_text("my own notes\n")
    result = CliRunner().invoke(main, ["package", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "was not written by a build" in result.output and "--force" in result.output
    assert target.read_text() == "my own notes\n" and not (tmp_path / "SmartDialog.zip").exists()
    assert CliRunner().invoke(main, ["package", "--out", str(tmp_path), "--force"]).exit_code == 0
    assert target.read_bytes() == (BUILD / "readme.md").read_bytes()


def test_make_package_target_and_gitignore():
    makefile = (ROOT / "Makefile").read_text()
    assert "\npackage: $(STAMP)\n\t$(BIN)/connector package\n" in makefile
    assert "/build/certification/" in (ROOT / ".gitignore").read_text().splitlines()


def test_installed_command_packages(tmp_path):
    exe = Path(sys.executable).parent / "connector"
    proc = subprocess.run([str(exe), "package", "--out", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(io.BytesIO((tmp_path / "SmartDialog.zip").read_bytes())) as archive:
        assert len(archive.namelist()) == 5


MINIMAL = """
from connector.model import Connector, Operation, Response
connector = Connector(title="Mine", description="A connector without a contact, which certification requires.",
                      host="api.example.com",
                      operations=[Operation(id="Ping", method="get", path="/ping", summary="Ping",
                                            description="Answers pong.",
                                            responses=[Response(status="200", description="OK")])])
"""


def test_package_refuses_a_submission_validate_finds_errors_in_unless_no_validate(tmp_path):
    model = tmp_path / "mine.py"
    model.write_text(MINIMAL)
    out = tmp_path / "cert"
    refused = CliRunner().invoke(main, ["package", "--model", str(model), "--out", str(out)])
    assert refused.exit_code == 1, refused.output
    assert "PP1016" in refused.output and "contact-missing" in refused.output and "--no-validate" in refused.output
    assert (out / "Mine" / "apiDefinition.swagger.json").as_posix() in refused.output.replace("\\", "/") or \
        "Mine/apiDefinition.swagger.json" in refused.output
    assert ".validate-" not in refused.output
    assert not out.exists()  # nothing written, not even an empty folder
    written = CliRunner().invoke(main, ["package", "--model", str(model), "--out", str(out), "--no-validate"])
    assert written.exit_code == 0, written.output
    assert set(tree(out / "Mine")) == FILES - {"script.csx"} and (out / "Mine.zip").is_file()
    assert [p.name for p in out.iterdir() if p.name.startswith(".validate-")] == []
