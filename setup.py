"""Ships the top-level `resources/` inside the package as `ktvdesk.resources`.

Everything else is in pyproject.toml. This file exists only because pyproject's
`packages.find` cannot add a package that lives outside `ktvdesk/`: a source checkout
keeps the demo songs, translations, themes and icons at the top level (the demo
generator and the README point there), while a wheel must carry them inside the package
so an installed ktvdesk never reads the source tree (`ktvdesk.paths.resources_dir()`).
"""

from setuptools import find_namespace_packages, find_packages, setup  # type: ignore[import-untyped]

# Every folder under resources/ is declared as a (data-only) package: setuptools warns
# about, and will stop shipping, data folders that are not.
RESOURCE_PACKAGES = [
    "ktvdesk.resources",
    *(f"ktvdesk.resources.{name}" for name in find_namespace_packages(where="resources")),
]

setup(
    packages=[*find_packages(include=["ktvdesk", "ktvdesk.*"]), *RESOURCE_PACKAGES],
    package_dir={"ktvdesk.resources": "resources"},
    package_data={name: ["*"] for name in RESOURCE_PACKAGES},
)
