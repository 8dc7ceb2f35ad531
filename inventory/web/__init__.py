"""The thin web layer: blueprints that parse requests and call services."""
