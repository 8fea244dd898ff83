"""The framework YAML files shipped with the package."""
