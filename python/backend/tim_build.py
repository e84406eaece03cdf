"""The package's own PEP 517 build backend: a pure-Python wheel of the tim
package, written with the standard library alone, so that `pip install
./python` works offline in a plain virtual environment (Debian 12's venv
has pip and setuptools but not `wheel`, which setuptools needs to build)."""

import base64
import hashlib
import os
import re
import zipfile

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NAME = "tim"


def _version():
    with open(os.path.join(_HERE, _NAME, "__init__.py"), encoding="utf-8") as f:
        m = re.search(r'^__version__ = "([^"]+)"$', f.read(), re.M)
    if m is None:
        raise RuntimeError("tim/__init__.py has no __version__")
    return m.group(1)


def _metadata(version):
    with open(os.path.join(_HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return (f"Metadata-Version: 2.1\nName: {_NAME}\nVersion: {version}\n"
            "Summary: Embedded full-text search for Vietnamese: bindings over tim's C API\n"
            "Requires-Python: >=3.9\nDescription-Content-Type: text/markdown\n\n" + readme)


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = _version()
    dist_info = f"{_NAME}-{version}.dist-info"
    files = []
    for name in sorted(os.listdir(os.path.join(_HERE, _NAME))):
        if name.endswith(".py"):
            with open(os.path.join(_HERE, _NAME, name), "rb") as f:
                files.append((f"{_NAME}/{name}", f.read()))
    files.append((f"{dist_info}/METADATA", _metadata(version).encode()))
    files.append((f"{dist_info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: tim_build\n"
                  b"Root-Is-Purelib: true\nTag: py3-none-any\n"))
    record = [_record_line(p, d) for p, d in files] + [f"{dist_info}/RECORD,,"]
    files.append((f"{dist_info}/RECORD", ("\n".join(record) + "\n").encode()))
    wheel = f"{_NAME}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files:
            z.writestr(zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0)), data)
    return wheel


def build_sdist(sdist_directory, config_settings=None):
    import tarfile

    version = _version()
    base = f"{_NAME}-{version}"
    sdist = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, sdist), "w:gz") as t:
        for rel in ["pyproject.toml", "README.md", "backend/tim_build.py"] + [
                f"{_NAME}/{n}" for n in sorted(os.listdir(os.path.join(_HERE, _NAME)))
                if n.endswith(".py")]:
            t.add(os.path.join(_HERE, rel), arcname=f"{base}/{rel}")
    return sdist
