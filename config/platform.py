"""The platform layer's config: GKE, network and node pools."""

from config.layers import Layer
from config.rules import RULES
from config.schema import GcpKeys, PlatformKeys

PLATFORM = Layer(name="platform", keys=(GcpKeys, PlatformKeys), rules=RULES)
