"""Pulumi mocks that record what the program registers, as the engine would receive it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks

from plan.wire import struct_to_plain

# Invokes the program may make, answered with fixed, realistic data.
INVOKE_RESULTS: dict[str, dict[str, Any]] = {
    "gcp:organizations/getClientConfig:getClientConfig": {"project": "example-project", "region": "us-central1"},
    # What a region's release channels offer (stand-ins dated with the catalog; a real preview reads them).
    "gcp:container/getEngineVersions:getEngineVersions": {
        "releaseChannelDefaultVersion": {
            "RAPID": "1.36.2-gke.1000",
            "REGULAR": "1.35.4-gke.1000",
            "STABLE": "1.34.6-gke.1000",
        },
        "location": "us-central1",
        "project": "example-project",
    },
    # The serving layer needs the project number for Workload Identity principals.
    "gcp:organizations/getProject:getProject": {
        "projectId": "example-project",
        "number": "123456789012",
        "name": "example-project",
    },
}


def _service_account(inputs: dict[str, Any]) -> dict[str, Any]:
    email = f"{inputs['accountId']}@{inputs['project']}.iam.gserviceaccount.com"
    return {"email": email, "member": f"serviceAccount:{email}"}


def _random_id(inputs: dict[str, Any]) -> dict[str, Any]:
    # A stand-in for the random value (a real preview shows it unknown until created): stable per inputs.
    seed = json.dumps(inputs, sort_keys=True).encode()
    return {"hex": hashlib.sha256(seed).hexdigest()[: 2 * int(inputs.get("byteLength", 4))]}


def _address(inputs: dict[str, Any]) -> dict[str, Any]:
    # GCP allocates the address: the plan shows the requested one, else a placeholder (an internal one in
    # the default node range, an external one in the documentation range 203.0.113.0/24).
    placeholder = "10.0.15.250" if inputs.get("addressType") == "INTERNAL" else "203.0.113.10"
    return {"address": inputs.get("address") or placeholder}


# Outputs a provider computes from the inputs alone, so the plan can show them instead of [unknown].
DERIVED_OUTPUTS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:compute/address:Address": _address,
    "gcp:compute/globalAddress:GlobalAddress": _address,
    "random:index/randomId:RandomId": _random_id,
}


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    parent: str
    provider: str
    custom: bool
    dependencies: list[str]
    inputs: dict[str, Any]
    # Resource options the engine applies to a diff: inputs whose changes are ignored, inputs whose changes
    # force a replacement, and whether a replacement deletes the old resource first.
    ignore_changes: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    delete_before_replace: bool = False
    # Top-level input name -> the URNs its value came from: a replaced dependency makes that input unknown in a
    # real preview, so the diff treats it as changed.
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)

    def options(self) -> dict[str, Any]:
        """The options that are set, by their engine names (absent when unset, to keep documents short)."""
        options: dict[str, Any] = {
            "ignoreChanges": self.ignore_changes,
            "replaceOnChanges": self.replace_on_changes,
            "deleteBeforeReplace": self.delete_before_replace,
        }
        return {key: value for key, value in options.items() if value}


class PlanMocks(pulumi_mocks.Mocks):
    """Resources echo their inputs (provider-computed outputs stay unknown, as in a real preview)."""

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        outputs = dict(args.inputs)
        derive = DERIVED_OUTPUTS.get(args.typ)
        if derive is not None:
            outputs.update(derive(args.inputs))
        return f"{args.name}-id", outputs

    def call(self, args: pulumi_mocks.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token not in INVOKE_RESULTS:
            raise NotImplementedError(f"the offline plan has no answer for invoke {args.token}")
        return INVOKE_RESULTS[args.token], []  # a list of check failures: None crashes the mock monitor


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """A MockMonitor that also keeps each registration's parent, provider, dependencies and inputs."""

    def __init__(self, mocks: pulumi_mocks.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []
        self.stack_outputs: dict[str, Any] = {}
        self.stack_urn = ""

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        if request.type != "pulumi:pulumi:Stack":
            urn = self.make_urn(request.parent, request.type, request.name)
            if any(r.urn == urn for r in self.registrations):
                # The engine refuses this too: a URN is the chain of parent types plus the name.
                raise ValueError(f"Duplicate resource URN '{urn}'; try giving it a unique name")
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            self.stack_urn = response.urn
            return response
        dependencies = set(request.dependencies)
        for deps in request.propertyDependencies.values():
            dependencies.update(deps.urns)
        self.registrations.append(
            Registration(
                urn=response.urn,
                type=request.type,
                name=request.name,
                parent=request.parent,
                provider=request.provider,
                custom=bool(request.custom),
                dependencies=sorted(dependencies),
                inputs=struct_to_plain(request.object),
                ignore_changes=list(request.ignoreChanges),
                replace_on_changes=list(request.replaceOnChanges),
                delete_before_replace=bool(request.deleteBeforeReplace),
                property_dependencies={
                    key: sorted(deps.urns) for key, deps in request.propertyDependencies.items() if deps.urns
                },
            )
        )
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802
        if request.urn == self.stack_urn:
            self.stack_outputs = struct_to_plain(request.outputs)
        return super().RegisterResourceOutputs(request)
