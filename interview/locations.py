"""One place for paths: the data directory and the default database."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_HOME = "MASSABALANS_HOME"


def data_dir() -> Path:
    """The data directory, created if needed; MASSABALANS_HOME moves it."""
    override = os.environ.get(ENV_HOME)
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir("massabalans"))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Where files that can be made again are kept (MASSABALANS_HOME/cache with
    the override); not created here."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir("massabalans"))


def default_db() -> Path:
    """The database file used when no --db is given."""
    return data_dir() / "massabalans.db"


def reports_dir() -> Path:
    """Where reports are written when the interview ends."""
    path = data_dir() / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


# File systems on which SQLite's WAL mode is not safe: it needs shared memory
# between processes on one machine.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "afs",
        "9p",
        "fuse.sshfs",
        "davfs",
        "fuse.rclone",
        "ncpfs",
        "glusterfs",
        "ceph",
        "fuse.glusterfs",
    }
)


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The file system type of the mount that holds `path`, where Linux tells it."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8")
        except OSError:
            return None
    target = str(path.resolve())
    best: tuple[int, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), fields[2])
    return best[1] if best else None


def network_share_warning(path: Path) -> str | None:
    """A warning when the database lies on a network share, else None."""
    kind = filesystem_type(path.parent if not path.is_dir() else path)
    if kind in NETWORK_FILESYSTEMS:
        return (
            f"the database {path} is on a network share ({kind}); SQLite's "
            "write-ahead log needs a local disk, so answers may be lost or the file "
            "damaged. Use --db with a path on a local disk"
        )
    return None
