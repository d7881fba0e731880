"""The platform layer's config: GKE, network and node pools."""

from config.layers import Layer
from config.rules import RULES
from config.schema import SCALARS, SECTIONS

PLATFORM = Layer(name="platform", sections=SECTIONS, scalars=SCALARS, rules=RULES)
