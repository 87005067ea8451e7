"""The wheel carries resources/ and sample_data/ inside the package (vendor_eval/resources,
vendor_eval/sample_data), so a wheel, pipx or a distribution package finds them through
importlib.resources exactly as a checkout finds the top-level folders (vendor_eval.paths).
Everything else about the build is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA = {"resources": ("*.pyc", "__pycache__"), "sample_data": ("*.py", "*.pyc", "__pycache__")}


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's own folders
        for name, ignore in DATA.items():
            target = Path(self.build_lib) / "vendor_eval" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(ROOT / name, target, ignore=shutil.ignore_patterns(*ignore))


setup(cmdclass={"build_py": BuildWithData})
