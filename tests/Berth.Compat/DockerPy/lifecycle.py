"""docker-py (Debian's python3-docker) against the daemon at DOCKER_HOST, with no API version setting.

Drives a container's whole life, an exec, archives both ways, a network, a volume and the event stream, and
prints what it saw as one JSON object for the test to check: the client only reports, the test asserts.
"""
import io
import json
import sys
import tarfile
import time

import docker

image, prefix = sys.argv[1], sys.argv[2]
client = docker.from_env(timeout=60)
seen = {"api_version": client.api.api_version, "ping": client.ping(), "version": client.version()["ApiVersion"]}
since = time.time() - 1

# run in the foreground: the output comes back as bytes, the container is removed afterwards.
seen["run_output"] = client.containers.run(image, ["sh", "-c", "echo hello from $WHO"], environment={"WHO": "docker-py"},
                                           remove=True).decode()

name = prefix + "-life"
container = client.containers.run(image, ["sh", "-c", "echo started; echo to stderr >&2; while [ ! -e /tmp/done ]; do sleep 0.1; done; exit 7"],
                                  name=name, detach=True, labels={"client": "docker-py"})
try:
    container.reload()
    seen["status"] = container.status
    seen["name"] = container.name
    seen["label"] = container.labels.get("client")
    seen["listed"] = [c.name for c in client.containers.list(filters={"label": "client=docker-py"})]

    result = container.exec_run(["sh", "-c", "echo exec out; exit 3"])
    seen["exec"] = {"exit_code": result.exit_code, "output": result.output.decode()}
    out, err = container.exec_run(["sh", "-c", "echo o; echo e >&2"], demux=True).output
    seen["exec_demux"] = {"stdout": out and out.decode(), "stderr": err and err.decode()}
    # docker-py reads the exec's stream from the socket past its HTTP parser: output that came with the response
    # head would be lost. Quick processes, many times.
    seen["exec_repeated"] = [container.exec_run(["echo", str(i)]).output.decode() for i in range(30)]
    missing = container.exec_run(["nosuchcmd"])
    seen["exec_missing"] = {"exit_code": missing.exit_code, "output": missing.output.decode()}

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        data = b"archive content\n"
        info = tarfile.TarInfo("uploaded.txt")
        info.size = len(data)
        info.mode = 0o640
        tar.addfile(info, io.BytesIO(data))
    seen["put_archive"] = container.put_archive("/tmp", archive.getvalue())
    chunks, stat = container.get_archive("/tmp/uploaded.txt")
    with tarfile.open(fileobj=io.BytesIO(b"".join(chunks))) as tar:
        member = tar.getmember("uploaded.txt")
        seen["get_archive"] = {"content": tar.extractfile(member).read().decode(), "mode": oct(member.mode),
                               "stat_name": stat["name"], "stat_size": stat["size"]}

    seen["logs"] = container.logs(stdout=True, stderr=False).decode()
    seen["logs_stderr"] = container.logs(stdout=False, stderr=True).decode()
    seen["top"] = [p[-1] for p in container.top()["Processes"]]
    container.exec_run(["touch", "/tmp/done"])
    seen["wait"] = container.wait(timeout=60)
    container.reload()
    seen["exit_code"] = container.attrs["State"]["ExitCode"]
finally:
    container.remove(force=True)
seen["after_remove"] = [c.name for c in client.containers.list(all=True, filters={"name": name})]

network = client.networks.create(prefix + "-net", driver="bridge", labels={"client": "docker-py"})
try:
    peer = client.containers.run(image, ["sleep", "60"], name=prefix + "-peer", detach=True)
    try:
        network.connect(peer, aliases=["peer-alias"])
        network.reload()
        seen["network_containers"] = [c.name for c in network.containers]
        network.disconnect(peer)
    finally:
        peer.remove(force=True)
finally:
    network.remove()
seen["network_after"] = [n.name for n in client.networks.list(names=[prefix + "-net"])]

volume = client.volumes.create(prefix + "-vol", labels={"client": "docker-py"})
seen["volume"] = {"name": volume.name, "driver": volume.attrs["Driver"], "label": volume.attrs["Labels"]["client"]}
volume.remove()

events = client.events(since=since, until=time.time() + 1, decode=True, filters={"container": name})
seen["events"] = [e["Action"] for e in events if e.get("Type") == "container"]

print(json.dumps(seen))
