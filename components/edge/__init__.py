"""The public edge: address, DNS, certificate, external gateway with IAP, the chat frontend, monitoring."""
