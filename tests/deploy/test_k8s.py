"""deploy/k8s: every document valid against the Kubernetes schemas (kubernetes-validate, strict), and
the shape ops needs: a Deployment per web and per queue, one Recreate beat, migration Jobs, probes."""

from __future__ import annotations

import copy

import kubernetes_validate
import pytest

from deploy.conftest import DEPLOY
from deploy.manifest import unknown_variables, xianfeng_command
from shared.settings import DEFAULT_PORTS, SERVICES

K8S_VERSION = "1.30.0"


def _of(documents, kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for _, d in documents if d["kind"] == kind}


def _container(doc: dict) -> dict:
    containers = doc["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def test_every_manifest_is_valid_kubernetes(k8s_documents):
    assert len(k8s_documents) >= 15
    for name, doc in k8s_documents:
        try:
            kubernetes_validate.validate(doc, K8S_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{name} {doc['kind']}/{doc['metadata']['name']}: {exc.message}")


def test_the_validator_rejects_a_misspelt_field(k8s_documents):
    web = copy.deepcopy(_of(k8s_documents, "Deployment")["pledge-web"])
    web["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {"httpGet": {"path": "/readyz"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(web, K8S_VERSION, strict=True)


@pytest.mark.parametrize("service", SERVICES)
def test_web_and_worker_deploy_and_scale_on_their_own(k8s_documents, service):
    deployments = _of(k8s_documents, "Deployment")
    web, worker = deployments[f"{service}-web"], deployments[f"{service}-worker"]
    web_c, worker_c = _container(web), _container(worker)
    assert web_c["command"] == ["xianfeng", "serve", service]
    assert worker_c["command"] == ["xianfeng", "worker", service]
    assert web_c["ports"][0]["containerPort"] == DEFAULT_PORTS[service]
    assert web_c["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert web_c["livenessProbe"]["httpGet"]["path"] == "/healthz"
    for container in (web_c, worker_c):
        assert container["resources"]["requests"] and container["resources"]["limits"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
    for doc in (web, worker):
        assert doc["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
        assert doc["spec"]["selector"]["matchLabels"].items() <= doc["spec"]["template"]["metadata"]["labels"].items()
    assert web["spec"]["selector"] != worker["spec"]["selector"]
    svc = _of(k8s_documents, "Service")[service]
    assert svc["spec"]["selector"] == web["spec"]["template"]["metadata"]["labels"]
    assert svc["spec"]["ports"][0]["targetPort"] == web_c["ports"][0]["name"]


def test_beat_is_single_and_never_overlaps(k8s_documents):
    beat = _of(k8s_documents, "Deployment")["beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"
    assert _container(beat)["command"] == ["xianfeng", "beat"]


def test_a_migration_job_per_service_database(k8s_documents):
    jobs = _of(k8s_documents, "Job")
    assert {j: _container(d)["command"] for j, d in jobs.items()} == {
        f"migrate-{s}": ["xianfeng", "migrate", s] for s in SERVICES
    }
    assert all(d["spec"]["template"]["spec"]["restartPolicy"] == "Never" for d in jobs.values())
    script = (DEPLOY / "k8s" / "deploy.sh").read_text()
    assert script.index("migrate-jobs.yaml") < script.index("wait --for=condition=complete") < script.index(
        '"$service.yaml"') < script.index("beat.yaml")


def test_every_command_and_variable_is_one_xianfeng_knows(k8s_documents):
    config = _of(k8s_documents, "ConfigMap")["xianfeng-config"]["data"]
    secret = _of(k8s_documents, "Secret")["xianfeng-secrets"]["stringData"]
    assert unknown_variables(config) == [] and unknown_variables(secret) == []
    assert all(k.startswith("XIANFENG_") for k in (*config, *secret))
    for kind in ("Deployment", "Job"):
        for name, doc in _of(k8s_documents, kind).items():
            container = _container(doc)
            xianfeng_command(container["command"])
            env = {e["name"]: e for e in container.get("env", [])}
            assert unknown_variables(env) == [] and all(n.startswith("XIANFENG_") for n in env), name
            for e in env.values():
                ref = e.get("valueFrom", {}).get("secretKeyRef")
                assert ref is None or (ref["name"] == "xianfeng-secrets" and ref["key"] in secret), (name, e)
            assert [r["configMapRef"]["name"] for r in container["envFrom"]] == ["xianfeng-config"]
            urls = {n for n in env if n.endswith("_DATABASE_URL")}
            owner = next((s for s in SERVICES if name in (f"{s}-web", f"{s}-worker", f"migrate-{s}")), None)
            assert urls == ({f"XIANFENG_{owner.upper()}_DATABASE_URL"} if owner else set()), name
