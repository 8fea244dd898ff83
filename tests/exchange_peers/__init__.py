"""Separate processes the exchange tests talk to: a port terminal operating system (the
provider), a customs system (the consumer) and a misbehaving upstream."""
