"""A local service speaking the subset of the Azure AI Search REST protocol Ridgeline uses."""
