"""The data exchange gateway: provider services, access rights, the X-Road REST r1 proxy,
metaservices, evidence, limits, once-only lookups and monitoring."""
