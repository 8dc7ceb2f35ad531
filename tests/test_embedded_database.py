"""The embedded PostGIS: created and started by the project, clear about every problem,
never deleting a data folder."""

import shutil
import socket
import uuid

import pytest

from inventory.config import PROJECT_ROOT
from inventory.database import embedded
from inventory.database.embedded import Cluster, EmbeddedDatabaseError


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def var_dir():
    # Under the checkout, not /tmp: when tests run as root the cluster runs as the
    # postgres user, who must be able to reach the folder.
    folder = PROJECT_ROOT / "var" / "test-clusters" / uuid.uuid4().hex[:8]
    folder.mkdir(parents=True)
    yield folder
    cluster = Cluster(var_dir=folder, port=0)
    if (cluster.data_dir / "postmaster.pid").exists():
        embedded._run(
            [
                str(embedded.find_bindir()[0] / "pg_ctl"),
                "stop",
                "-D",
                str(cluster.data_dir),
                "-m",
                "immediate",
                "-w",
            ]
        )
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_up_status_down_cycle_creates_a_working_postgis(var_dir):
    import psycopg

    cluster = Cluster(var_dir=var_dir, port=_free_port())
    assert "Created and started" in embedded.up(cluster)
    assert embedded.status(cluster)["running"] is True
    assert "already running" in embedded.up(cluster)
    with psycopg.connect(cluster.url().replace("postgresql+psycopg", "postgresql")) as conn:
        assert conn.execute("SELECT postgis_lib_version()").fetchone()[0].startswith("3.")
    assert "Stopped" in embedded.down(cluster)
    assert embedded.status(cluster)["running"] is False
    assert "Started" in embedded.up(cluster)  # data kept, started again
    embedded.down(cluster)


def test_a_data_folder_from_another_postgresql_version_is_refused_and_kept(var_dir):
    cluster = Cluster(var_dir=var_dir, port=_free_port())
    cluster.data_dir.mkdir(parents=True)
    (cluster.data_dir / "PG_VERSION").write_text("9\n")
    with pytest.raises(EmbeddedDatabaseError, match="created by PostgreSQL 9") as err:
        embedded.up(cluster)
    assert "Nothing was deleted" in str(err.value)
    assert (cluster.data_dir / "PG_VERSION").exists()


def test_a_damaged_data_folder_is_refused_and_kept(var_dir):
    cluster = Cluster(var_dir=var_dir, port=_free_port())
    cluster.data_dir.mkdir(parents=True)
    (cluster.data_dir / "stray-file").write_text("x")
    with pytest.raises(EmbeddedDatabaseError, match="not a PostgreSQL cluster"):
        embedded.up(cluster)
    assert (cluster.data_dir / "stray-file").exists()


@pytest.mark.slow
def test_a_taken_port_is_reported_with_how_to_choose_another(var_dir):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        cluster = Cluster(var_dir=var_dir, port=sock.getsockname()[1])
        with pytest.raises(EmbeddedDatabaseError, match="INVENTORY_PG_PORT"):
            embedded.up(cluster)


def test_missing_postgis_prints_the_exact_install_command(monkeypatch):
    monkeypatch.setattr(embedded, "_has_postgis", lambda version: False)
    with pytest.raises(EmbeddedDatabaseError, match=r"apt-get install -y postgresql-\d+-postgis-3"):
        embedded.find_bindir()


@pytest.mark.slow
def test_an_automatic_port_moves_to_a_free_one_and_is_remembered(var_dir):
    from inventory.database.session import embedded_cluster

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        cluster = Cluster(var_dir=var_dir, port=taken, port_is_automatic=True)
        message = embedded.up(cluster)
    chosen = int((var_dir / "pgport").read_text())
    assert chosen != taken and f":{chosen}" in message
    again = embedded_cluster({"VAR_DIR": str(var_dir), "PG_PORT": None})
    assert again.port == chosen
    assert embedded.status(again)["running"] is True
    embedded.down(again)
