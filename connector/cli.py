"""The ``connector`` command line. Each sub-command lives beside the stage it drives and is loaded lazily,
so ``connector --help`` stays fast and one stage's dependencies never slow another down."""

from __future__ import annotations

import importlib
import importlib.util

import click

from . import __version__

# name -> "module:attribute" of a click.Command. A stage registers its command here, nowhere else.
COMMANDS: dict[str, str] = {
    "build": "connector.generate.cli:build",
    "package": "connector.package.cli:package",
    "validate": "connector.validate.cli:validate",
    "mock": "connector.mock.cli:mock",
    "contract": "connector.contract.cli:contract",
    "deploy": "connector.deploy.cli:deploy",
    "login": "connector.deploy.cli:login",
    "import": "connector.importer.cli:import_",
    "diff": "connector.diff.cli:diff",
    "preview": "connector.preview.cli:preview",
}

# Modules that register connectors' plug-ins (mock behaviours, contract scenarios) with the generic stages.
# Imported before any sub-command runs; registering imports no plug-in itself.
PLUGINS: tuple[str, ...] = ("connector.smartdialog.plugins",)


# The function ``connector mock --folder`` reads a connector folder with (the importer's; the mock core cannot
# import a sibling stage, so the command line wires them).
FOLDER_READER = "connector.importer.folder:read_folder"


def load_plugins() -> None:
    for module in PLUGINS:
        importlib.import_module(module)
    from .mock.plugin import register_folder_reader

    register_folder_reader(FOLDER_READER)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._spec_exists(name))

    @staticmethod
    def _spec_exists(name: str) -> bool:
        module = COMMANDS[name].split(":")[0]
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:  # the stage's package is not there (yet)
            return False

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS or not self._spec_exists(name):
            return None
        module, attr = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="connector")
def main() -> None:
    """Build, validate, package, mock, contract-test and deploy Power Platform custom connectors
    declared once in Python."""
    load_plugins()
